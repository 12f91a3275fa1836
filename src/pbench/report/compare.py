"""What ``pbench compare`` shows in the terminal: the table and the lines around it.

Columns: benchmark, baseline, candidate (the compared statistic, median by default,
and the count of values compared: ``n=30``, or ``3 runs, n=150`` for separate runs
and load runs, n counting slices), the ratio candidate / baseline with its confidence
interval, the Holm-adjusted p-value, and the verdict. The Markdown and JSON exports
(:mod:`pbench.export.compare`) reuse the rows and the notes.
"""

from __future__ import annotations

from pbench.report.units import SYMBOL, format_in, measure_unit
from pbench.results.pairing import FileComparison, Pair
from pbench.stats.comparison import Comparison
from pbench.stats.hierarchy import side_statistic


def headers(result: FileComparison) -> list[str]:
    statistic = result.settings.statistic
    p_label = "p (Holm)" if len(result.pairs) > 1 else "p"
    return ["benchmark", f"baseline {statistic}", f"candidate {statistic}", "ratio [CI]", p_label,
            "verdict"]  # fmt: skip


def rows(result: FileComparison) -> list[list[str]]:
    statistic = result.settings.statistic
    table: list[list[str]] = []
    for pair, comparison in zip(result.pairs, result.comparisons, strict=True):
        shown = "mean" if comparison.aggregates else statistic
        base = _statistic(pair, "baseline", shown)
        cand = _statistic(pair, "candidate", shown)
        unit = measure_unit(min(base, cand), pair.measure)
        table.append(
            [
                pair.label,
                f"{format_in(base, unit)} {SYMBOL[unit]} ({_count(pair, 'baseline')})",
                f"{format_in(cand, unit)} {SYMBOL[unit]} ({_count(pair, 'candidate')})",
                ratio_text(comparison),
                f"{comparison.p_adjusted:.2g}",
                comparison.verdict,
            ]
        )
    return table


def _statistic(pair: Pair, side: str, statistic: str) -> float:
    """The side's statistic: of its values, or the mean a harness kept without them."""
    found = (pair.baseline if side == "baseline" else pair.candidate).aggregate
    if found is not None:
        return found.mean
    return side_statistic(pair.values(side), statistic)


def _count(pair: Pair, side: str) -> str:
    """``n=30`` for one command file; ``3 runs, n=150`` (n slices) for runs or load runs;
    ``mean of n=100, aggregates only`` for a file that kept only mean, sd and n."""
    found = (pair.baseline if side == "baseline" else pair.candidate).aggregate
    if found is not None:
        n = f"n={found.n}" if found.n is not None else "no n"
        return f"mean of {n}, aggregates only"
    runs = pair.values(side)
    if pair.aggregates is not None:  # the other side's aggregates: this side's mean
        return f"mean of n={sum(len(run) for run in runs)}"
    slices = sum(len(run) for run in runs)
    several = max(len(pair.baseline_runs), len(pair.candidate_runs)) > 1
    if not several and pair.load is None:
        return f"n={slices}"
    return f"{len(runs)} run{'s' if len(runs) != 1 else ''}, n={slices}"


def ratio_text(c: Comparison) -> str:
    low, high = c.ratio_ci
    return f"{c.ratio:.3f} [{low:.3f}, {high:.3f}]"


def notes(result: FileComparison) -> list[str]:
    """Advice for inconclusive comparisons and every gate's outcome, one line each."""
    lines = [
        f"'{pair.label}': {c.advice}"
        for pair, c in zip(result.pairs, result.comparisons, strict=True)
        if c.advice
    ]
    lines += [
        f"'{pair.label}': {c.large_sample}"
        for pair, c in zip(result.pairs, result.comparisons, strict=True)
        if c.large_sample
    ]
    lines += [g.describe() for g in result.gates]
    return lines


def warnings(result: FileComparison) -> list[str]:
    """Everything the reader must know before trusting the table, one line each."""
    return missing(result) + partial(result) + aggregates(result) + one_run_each(result)


def aggregates(result: FileComparison) -> list[str]:
    """One line per benchmark that a file holds only as aggregates (mean, sd, n)."""
    lines = []
    for pair in result.pairs:
        held = [
            f"{role} {path}"
            for role, run, path in (
                ("baseline", pair.baseline, result.baseline.path),
                ("candidate", pair.candidate, result.candidate.path),
            )
            if run.aggregate is not None
        ]
        if held:
            lines.append(
                f"'{pair.label}': the {' and the '.join(held)} "
                f"{'hold' if len(held) > 1 else 'holds'} only aggregates (mean, "
                "sd, n), no per-run values: compared on the means with Welch's t-test"
            )
    return lines


def one_run_each(result: FileComparison) -> list[str]:
    """The warnings for benchmarks compared one result file against one other."""
    claimed = [
        p.label
        for p, c in zip(result.pairs, result.comparisons, strict=True)
        if p.load is None
        and len(p.baseline_runs) == len(p.candidate_runs) == 1
        and c.verdict in ("slower", "faster", "inconclusive")
    ]
    note = (
        [
            f"{', '.join(repr(n) for n in claimed[:3])}{' ...' if len(claimed) > 3 else ''}: "
            "one file per side, so the interval holds the variation within each run, not "
            "between the two; a change of the machine between them can look like a change "
            "of the command: to be sure, run both commands in one interleaved run "
            "(pbench OLD NEW), or compare 3 or more result files per side, run alternately "
            "(--baseline FILE ... --candidate FILE ...)"
        ]
        if claimed
        else []
    )
    kinds = sorted({p.load for p in result.pairs if p.one_load_run_each and p.load})
    if not kinds:
        return note
    how = " or ".join(
        "pbench http OLD_URL NEW_URL" if kind == "http" else "pbench sql OLD_QUERY NEW_QUERY"
        for kind in kinds
    )
    gates = (
        "; --fail-if gates still apply to them, their limits taken as your allowance for "
        "the change between runs"
        if result.gates
        else ""
    )
    return [
        *note,
        "one load run per side: the interval holds the variation within each run but not "
        "between the two runs (the machine changes between runs), so no slower/faster "
        f"verdict is given; decide with one interleaved run ({how}), or with 3 or more "
        f"result files per side (--baseline FILE --baseline FILE ... --candidate FILE ...)"
        f"{gates}",
    ]


def partial(result: FileComparison) -> list[str]:
    """One line per compared benchmark missing from some files of a side."""
    lines: list[str] = []
    for pair in result.pairs:
        for role, side, runs in (
            ("baseline", result.baseline, pair.baseline_runs),
            ("candidate", result.candidate, pair.candidate_runs),
        ):
            if len(runs) < len(side.files):
                lines.append(
                    f"'{pair.label}' is in {len(runs)} of the {len(side.files)} {role} files; "
                    "it is compared on those"
                )
    return lines


def missing(result: FileComparison) -> list[str]:
    """One line per benchmark present on one side only."""
    return [
        f"'{name}' is in the baseline {result.baseline.path} but not in the candidate"
        for name in result.only_in_baseline
    ] + [
        f"'{name}' is in the candidate {result.candidate.path} but not in the baseline"
        for name in result.only_in_candidate
    ]


def render_table(result: FileComparison) -> str:
    from tabulate import tabulate

    text: str = tabulate(rows(result), headers=headers(result), tablefmt="simple",
                         disable_numparse=True)  # fmt: skip
    return text
