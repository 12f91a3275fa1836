"""Comparing two result files: pair benchmarks, compare each pair, gate, decide the exit code.

Benchmarks pair up by name; ``matches`` maps a baseline name to a differently named
candidate (a renamed benchmark). Unpaired benchmarks on either side are kept and
reported, never silently dropped. The pairs form one family: their p-values are
Holm-adjusted together (Holm 1979) so that the chance of any false regression among
them stays at most alpha.

Each side is one result file or several (separate runs). A benchmark's runs are its
entries in the side's files, and its values are slices (see
:mod:`pbench.results.read`). With one file per side the slices are compared as today;
with several on either side, hierarchically (:func:`pbench.stats.comparison.compare_runs`). A
load benchmark with one file per side gets no verdict (``run_to_run_missing``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from pbench.errors import ExitCode, UsageError
from pbench.models import MEASURE_WORDS
from pbench.results.read import Benchmark, ResultFile, Side
from pbench.stats.aggregate import Aggregate
from pbench.stats.comparison import Comparison, adjust_family, compare_aggregates, compare_runs
from pbench.stats.gate import FailIf, GateResult, evaluate_aggregates, evaluate_runs
from pbench.stats.settings import DEFAULTS, Settings


@dataclass(frozen=True)
class Pair:
    """A benchmark on both sides: its run in each file that has it."""

    baseline_runs: tuple[Benchmark, ...]
    candidate_runs: tuple[Benchmark, ...]

    @property
    def baseline(self) -> Benchmark:
        return self.baseline_runs[0]

    @property
    def candidate(self) -> Benchmark:
        return self.candidate_runs[0]

    @property
    def load(self) -> str | None:
        """The load command ("http", "sql") when either side is a load run, else None."""
        for run in (*self.baseline_runs, *self.candidate_runs):
            if run.load is not None:
                return run.load
        return None

    @property
    def one_load_run_each(self) -> bool:
        """One load run against one other: run-to-run variation is out of reach."""
        return self.load is not None and len(self.baseline_runs) == len(self.candidate_runs) == 1

    def values(self, side: str) -> list[tuple[float, ...]]:
        """The slice values of each run of ``side`` ("baseline" or "candidate")."""
        runs = self.baseline_runs if side == "baseline" else self.candidate_runs
        return [run.values for run in runs]

    @property
    def measure(self) -> str:
        """What both sides' values are (:func:`one_measure` refused a mix)."""
        return self.candidate.measure

    @property
    def aggregates(self) -> tuple[Aggregate, Aggregate] | None:
        """(baseline, candidate) as mean, sd and n when either side holds only
        aggregates (a sample side reduced to its own); None when both have values."""
        runs = (*self.baseline_runs, *self.candidate_runs)
        if all(run.aggregate is None for run in runs):
            return None
        if len(self.baseline_runs) > 1 or len(self.candidate_runs) > 1:
            raise UsageError(
                f"'{self.label}' holds only aggregates (mean, sd, n) in a file, and "
                "aggregates of several files per side cannot be compared",
                hint="compare one file per side, or pass files that keep per-run values",
            )
        return self.baseline.as_aggregate(), self.candidate.as_aggregate()

    @property
    def label(self) -> str:
        if self.baseline.name == self.candidate.name:
            return self.baseline.name
        return f"{self.baseline.name} → {self.candidate.name}"


@dataclass(frozen=True)
class FileComparison:
    """Everything ``pbench compare`` found; ``comparisons[i]`` belongs to ``pairs[i]``."""

    baseline: Side
    candidate: Side
    settings: Settings
    pairs: tuple[Pair, ...]
    comparisons: tuple[Comparison, ...]
    gates: tuple[GateResult, ...]
    only_in_baseline: tuple[str, ...]
    only_in_candidate: tuple[str, ...]

    @property
    def regressions(self) -> list[Pair]:
        return [
            p for p, c in zip(self.pairs, self.comparisons, strict=True) if c.verdict == "slower"
        ]

    @property
    def inconclusive(self) -> list[Pair]:
        return [
            p
            for p, c in zip(self.pairs, self.comparisons, strict=True)
            if c.verdict == "inconclusive"
        ]

    @property
    def failed_gates(self) -> list[GateResult]:
        return [g for g in self.gates if g.failed]

    def exit_code(self, fail_on_inconclusive: bool = False) -> ExitCode:
        """3 on a regression or a failed gate; 5 on inconclusive if asked; else 0."""
        if self.regressions or self.failed_gates:
            return ExitCode.REGRESSION
        if fail_on_inconclusive and self.inconclusive:
            return ExitCode.INCONCLUSIVE
        return ExitCode.OK


def pair_benchmarks(
    baseline: ResultFile | Side,
    candidate: ResultFile | Side,
    matches: Sequence[tuple[str, str]] = (),
) -> tuple[list[Pair], list[str], list[str]]:
    """Pairs in baseline order, then the baseline-only and candidate-only names."""
    base, cand = Side.of(baseline).benchmarks, Side.of(candidate).benchmarks
    mapping: dict[str, str] = {}
    for old, new in matches:
        if old not in base:
            raise UsageError(
                f"--match {old}={new}: the baseline {baseline.path} has no benchmark '{old}'",
                hint="its benchmarks are " + _names(Side.of(baseline)),
            )
        if new not in cand:
            raise UsageError(
                f"--match {old}={new}: the candidate {candidate.path} has no benchmark '{new}'",
                hint="its benchmarks are " + _names(Side.of(candidate)),
            )
        if old in mapping or new in mapping.values():
            raise UsageError(
                f"--match {old}={new}: '{old}' or '{new}' is already matched",
                hint="match each benchmark at most once",
            )
        mapping[old] = new
    taken = set(mapping.values())
    pairs: list[Pair] = []
    only_baseline: list[str] = []
    for name, runs in base.items():
        other = mapping.get(name)
        if other is None and name in cand and name not in taken:
            other = name
        if other is None:
            only_baseline.append(name)
        else:
            pairs.append(Pair(runs, cand[other]))
    paired = {p.candidate.name for p in pairs}
    only_candidate = [n for n in cand if n not in paired]
    return pairs, only_baseline, only_candidate


def compare_result_files(
    baseline: ResultFile | Side,
    candidate: ResultFile | Side,
    *,
    matches: Sequence[tuple[str, str]] = (),
    gates: Sequence[FailIf] = (),
    settings: Settings = DEFAULTS,
) -> FileComparison:
    """Compare every paired benchmark; a :class:`UsageError` when nothing pairs up."""
    baseline, candidate = Side.of(baseline), Side.of(candidate)
    pairs, only_baseline, only_candidate = pair_benchmarks(baseline, candidate, matches)
    one_measure(pairs, baseline, candidate)
    if not pairs:
        raise UsageError(
            f"{baseline.path} and {candidate.path} have no benchmark in common",
            hint="map renamed benchmarks with --match OLD=NEW; baseline has "
            + _names(baseline)
            + "; candidate has "
            + _names(candidate),
        )
    single = [_compare(p, settings) for p in pairs]
    gate_results = [result for p in pairs for result in _gates(p, gates, settings)]
    return FileComparison(
        baseline=baseline,
        candidate=candidate,
        settings=settings,
        pairs=tuple(pairs),
        comparisons=tuple(adjust_family(_flag_one_run_each(pairs, single))),
        gates=tuple(gate_results),
        only_in_baseline=tuple(only_baseline),
        only_in_candidate=tuple(only_candidate),
    )


def one_measure(pairs: Sequence[Pair], baseline: Side, candidate: Side) -> None:
    """A usage error when a pair's runs are of different ``--measure`` (wall time
    against instructions, say): their figures are not comparable."""
    for pair in pairs:
        seen: dict[str, str] = {}  # measure -> the first file with it
        for side, name in ((baseline, pair.baseline.name), (candidate, pair.candidate.name)):
            for results in side.files:
                found = results.benchmarks.get(name)
                if found is not None:
                    seen.setdefault(found.measure, results.path)
        if len(seen) > 1:
            (first, a), (second, b) = list(seen.items())[:2]
            raise UsageError(
                f"'{pair.label}' is measured in {MEASURE_WORDS[first]} in {a} and in "
                f"{MEASURE_WORDS[second]} in {b}: different measures cannot be compared",
                hint=f"compare runs of one measure: rerun one side with --measure {first} "
                f"or --measure {second}",
            )


def _compare(p: Pair, settings: Settings) -> Comparison:
    """One pair compared: Welch's test when a side holds only aggregates, else the
    slices (hierarchically with several files per side)."""
    found = p.aggregates
    one_run_each = len(p.baseline_runs) == len(p.candidate_runs) == 1  # the machine moved
    threshold = settings.threshold_for(p.measure, one_run_each)
    if found is not None:
        return compare_aggregates(*found, name=p.candidate.name, reference_name=p.baseline.name,
                                  alpha=settings.alpha, threshold=threshold)  # fmt: skip
    return compare_runs(
        p.values("baseline"),
        p.values("candidate"),
        name=p.candidate.name,
        reference_name=p.baseline.name,
        alpha=settings.alpha,
        threshold=threshold,
        resamples=settings.resamples,
        seed=settings.seed,
        statistic=settings.statistic,
    )


def _gates(p: Pair, gates: Sequence[FailIf], settings: Settings) -> list[GateResult]:
    found = p.aggregates
    if found is not None:
        return evaluate_aggregates(gates, p.label, *found, alpha=settings.alpha)
    return evaluate_runs(
        gates,
        p.label,
        p.values("baseline"),
        p.values("candidate"),
        alpha=settings.alpha,
        resamples=settings.resamples,
        seed=settings.seed,
    )


def _flag_one_run_each(
    pairs: Sequence[Pair], comparisons: Sequence[Comparison]
) -> list[Comparison]:
    """One load run each: no verdict. One command run each: the interval widened by
    the runs' drift (:mod:`pbench.stats.drift`)."""
    from pbench.stats.drift import between_run_allowance, widen

    flagged = []
    for p, c in zip(pairs, comparisons, strict=True):
        if c.aggregates:  # no values to estimate a drift from
            flagged.append(c)
        elif p.one_load_run_each:
            flagged.append(dataclasses.replace(c, run_to_run_missing=True))
        elif len(p.baseline_runs) == len(p.candidate_runs) == 1:
            flagged.append(widen(c, between_run_allowance(p.baseline.values, p.candidate.values)))
        else:
            flagged.append(c)
    return flagged


def _names(results: Side) -> str:
    names = [f"'{n}'" for n in results.benchmarks]
    return ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
