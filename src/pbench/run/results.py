"""From finished results to RunResults, without click: summaries, warnings and
comparisons (with advice that names only the flags of the subcommand that measured),
and what a failed load run's error says."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from pbench.errors import BenchmarkFailed, shorten
from pbench.models import BenchmarkResult, RunResults, TimeUnit, summary_of
from pbench.stats.settings import DEFAULT_ALPHA, threshold_for

if TYPE_CHECKING:
    from pbench.export.memo import ResultMemo
    from pbench.stats.budget import Budget, BudgetCheck
    from pbench.stats.comparison import Comparison
    from pbench.stats.score import Score
    from pbench.stats.summary import Summary


def build_results(
    results: Sequence[BenchmarkResult],
    metadata: dict[str, Any],
    *,
    reference: str | None,
    time_unit: TimeUnit | None,
    compare: bool,
    alpha: float = DEFAULT_ALPHA,
    threshold: float | None = None,
    seed: int | None = None,
    memo: ResultMemo | None = None,
    budgets: Mapping[str, Sequence[Budget]] | None = None,
    recommend: bool = False,
    scaling: bool = False,
    sort: Literal["auto", "command", "mean-time"] = "auto",
    relative: bool = True,
) -> RunResults:
    """Warnings, (optionally, since bootstraps cost time) comparisons, and the checks of
    ``budgets`` (benchmark name → its budgets; checks in result order, then budget
    order) for ``results``. Budgets are for finished results: checkpoints pass none.

    With ``budgets``, every benchmark gets a score (None with a reason when it has no
    budget); with ``recommend``, what follows from its measurements (final results
    only: it costs a little time). With ``scaling`` (a concurrency sweep), the
    scaling table of each swept benchmark. With ``memo`` (checkpoints), summaries and warnings
    of unchanged results are reused. ``sort`` is --sort, for the exports that follow it.
    With ``relative`` False (benchmarks that are not variants of one another, such as
    the ones a harness reports), no reference is chosen: no "ran N times faster".
    """
    from pbench.run.warnings import warnings_for  # after the runs: not at start-up

    if memo is None:
        summaries = {r.name: summary_of(r) for r in results}
        warnings = {r.name: warnings_for(r, summaries[r.name]) for r in results}
    else:
        summaries = {r.name: memo.get(r, "summary", partial(summary_of, r)) for r in results}
        warnings = {
            r.name: memo.get(r, "warnings", partial(warnings_for, r, summaries[r.name]))
            for r in results
        }
    means = {name: s.mean for name, s in summaries.items() if s is not None}
    measured = [r for r in results if r.name in means and r.stop_reason != "failed"]
    ref_name = reference
    if ref_name is None and len(measured) > 1 and not scaling and relative:  # sweep: its table
        ref_name = min(measured, key=lambda r: means[r.name]).name
    comparisons: list[Comparison] = []
    if compare and ref_name is not None and len(measured) > 1:
        # None (no --threshold): the measure's default (0.1% for counts, 1% for times)
        measure = next(r.measure for r in measured if r.name == ref_name)
        comparisons = _comparisons(
            measured, ref_name, alpha, threshold_for(threshold, measure), seed or 0
        )
    checks: list[BudgetCheck] = []
    if budgets:
        from pbench.run.budgets import checks_for

        for result in results:
            checks += checks_for(result, summaries[result.name], budgets.get(result.name, ()))
    scores: dict[str, Score] = {}
    if budgets is not None:
        from pbench.stats.score import benchmark_score

        scores = {r.name: benchmark_score(r.name, checks) for r in results}
    recommendations = _recommendations(results, summaries, checks) if recommend else {}
    others = _other_diagnoses(results) if recommend else {}
    decided = _decided(comparisons, checks)
    if decided:
        # Issue 18: a spread is news only where it leaves the conclusion open. A benchmark
        # whose every comparison reached a verdict (and no budget of it is at risk) is
        # known well enough for what was asked: no "runs vary a lot" warning, and its
        # variance diagnosis goes to the JSON only.
        warnings = {
            name: [w for w in found if not (name in decided and w.startswith(VARY))]
            for name, found in warnings.items()
        }
        for name in decided:
            shown = recommendations.get(name, [])
            spread = [text for text in shown if text.startswith(HIGH_VARIANCE)]
            if spread:
                recommendations[name] = [t for t in shown if t not in spread]
                if not recommendations[name]:
                    del recommendations[name]
                others[name] = [*spread, *others.get(name, [])]
    tables: list[dict[str, Any]] = []
    if scaling:  # a concurrency sweep (pbench.run.scaling)
        from pbench.run.scaling import scaling_tables

        tables = scaling_tables(results)
    return RunResults(
        scaling=tables,
        budgets=checks,
        scores=scores,
        recommendations=recommendations,
        other_diagnoses=others,
        summaries=summaries,
        results=list(results),
        metadata=metadata,
        reference=ref_name,
        warnings=warnings,
        comparisons=comparisons,
        time_unit=time_unit,
        sort=sort,
    )


def _comparisons(
    measured: Sequence[BenchmarkResult], reference: str, alpha: float, threshold: float, seed: int
) -> list[Comparison]:
    """Every measured benchmark against the reference, paired by round where they
    share rounds, with advice that fits the subcommand (none without two samples)."""
    from pbench.stats.comparison import compare_many

    samples = {r.name: observations(r) for r in measured}
    samples = {name: values for name, values in samples.items() if len(values) >= 2}
    if reference not in samples or len(samples) < 2:
        return []
    by_name = {r.name: r for r in measured}
    comparisons = [
        dataclasses.replace(c, unit=_unit(by_name[c.reference], by_name[c.name]))
        for c in compare_many(
            reference,
            samples,
            alpha=alpha,
            threshold=threshold,
            seed=seed,
            rounds={name: by_round(by_name[name]) for name in samples},
        )
    ]
    return _fitting_advice(comparisons, by_name)


VARY = "The runs vary a lot"  # pbench.run.warnings: the median's interval is wide
HIGH_VARIANCE = "high variance"  # pbench.run.recommend: a variance diagnosis


def _decided(comparisons: Sequence[Comparison], checks: Sequence[BudgetCheck]) -> set[str]:
    """The benchmarks in a comparison whose every comparison reached a verdict (slower,
    faster, same) and none of whose budgets is at risk or undecided."""
    names = {n for c in comparisons for n in (c.name, c.reference)}
    open_ = {n for c in comparisons if c.verdict == "inconclusive" for n in (c.name, c.reference)}
    open_ |= {c.benchmark for c in checks if c.status not in ("met", "broken")}
    return names - open_


def _recommendations(
    results: Sequence[BenchmarkResult],
    summaries: Mapping[str, Summary | None],
    checks: Sequence[BudgetCheck],
) -> dict[str, list[str]]:
    """What follows from each result's measurements (and its budgets' checks)."""
    from pbench.run.recommend import recommendations_for

    found: dict[str, list[str]] = {}
    for result in results:
        mine = [c for c in checks if c.benchmark == result.name]
        lines = recommendations_for(result, summaries[result.name], mine)
        if lines:
            found[result.name] = lines
    return found


def _other_diagnoses(results: Sequence[BenchmarkResult]) -> dict[str, list[str]]:
    """Each result's variance diagnoses beyond the one its recommendations show."""
    from pbench.run.recommend import other_diagnoses

    found = {result.name: other_diagnoses(result) for result in results}
    return {name: texts for name, texts in found.items() if texts}


def observations(result: BenchmarkResult) -> list[float]:
    """The independent observations of a result: one value per slice (runs that share
    a round), which is one per run for commands."""
    from pbench.stats.summary import slice_values

    return slice_values(result.times, [m.round for m in result.measurements])


def by_round(result: BenchmarkResult) -> dict[int, float]:
    """Each round's observation of a result (its slice's median), keyed by round."""
    groups: dict[int, list[float]] = {}
    for m in result.measurements:
        groups.setdefault(m.round, []).append(m.figure(result.measure))
    from pbench.stats.summary import slice_values

    return {key: slice_values(values, [0] * len(values))[0] for key, values in groups.items()}


def _unit(*pair: BenchmarkResult) -> str:
    """What a comparison's counts count: "slices" when either side's runs came in them."""
    return "slices" if any(_sliced(r) for r in pair) else "runs"


def _sliced(result: BenchmarkResult) -> bool:
    rounds = [m.round for m in result.measurements]
    return "load" in result.sections or len(set(rounds)) < len(rounds)


def _fitting_advice(
    comparisons: Sequence[Comparison], by_name: dict[str, BenchmarkResult]
) -> list[Comparison]:
    """Advice that names only flags of the subcommand that measured the pair, and asks
    for more --max-time when --precision ran out of it."""
    import dataclasses

    from pbench.stats.advice import remedies_for
    from pbench.stats.verdict import verdict_for

    fitted = []
    for c in comparisons:
        pair = (by_name[c.reference], by_name[c.name])
        budget_spent = any(r.stop_reason == "budget" for r in pair)
        _, advice = verdict_for(c, remedies_for(pair[1]), budget_spent)
        fitted.append(dataclasses.replace(c, advice=advice))
    return fitted


def load_failure(
    name: str, load: dict[str, Any], noun: str, info: Mapping[str, Any] | None = None
) -> BenchmarkFailed | None:
    """The error for a load run in which some ``noun`` (requests, queries) failed."""
    failed = int(load.get("failed") or 0)
    if not failed:
        return None
    return BenchmarkFailed(
        f"{failed:,} of {load['requests']:,} {noun} to {shorten(name)!r} failed "
        f"({error_kinds(load, info)})",
        "see the errors by kind above; use -i/--ignore-failure to exit 0 anyway",
    )


def error_kinds(load: Mapping[str, Any], info: Mapping[str, Any] | None = None) -> str:
    """ "refused: 5, status: 503 ×1,234": failed statuses are named, not only counted.

    ``info["expect_status"]`` ("2xx" or a list of codes) tells the failed statuses from
    the accepted ones; without it, and when some succeeded, every status seen is listed.
    """
    codes = {int(code): n for code, n in (load.get("status_codes") or {}).items()}
    parts = []
    for kind, count in load["errors"].items():
        if kind != "status" or not codes:
            parts.append(f"{kind}: {count:,}")
            continue
        expect = (info or {}).get("expect_status")
        if not load.get("succeeded"):
            bad = codes  # nothing succeeded: every status seen failed
        elif expect is not None:
            accepted = range(200, 300) if expect == "2xx" else set(expect)
            bad = {code: n for code, n in codes.items() if code not in accepted}
        else:
            seen = ", ".join(f"{code} ×{n:,}" for code, n in sorted(codes.items()))
            parts.append(f"status: {count:,} (statuses seen: {seen})")
            continue
        listed = ", ".join(f"{code} ×{n:,}" for code, n in sorted(bad.items()))
        parts.append(f"status: {listed}" if bad else f"status: {count:,}")
    return ", ".join(parts)


def load_outcome(
    results: Sequence[BenchmarkResult],
    noun: str,
    all_failed: Callable[[str, BenchmarkResult], BenchmarkFailed],
    ignore_failure: bool,
) -> BenchmarkFailed | None:
    """What went wrong in a finished load run, if anything: the first benchmark whose
    every ``noun`` (request, query) failed (``all_failed`` words it), else the first
    with some failed unless ``ignore_failure``."""
    for result in results:
        if result.stop_reason == "failed":
            return all_failed(result.name, result)
        load = result.sections.get("load")
        some_failed = None if load is None else load_failure(result.name, load, noun, result.info)
        if some_failed is not None and not ignore_failure:
            return some_failed
    return None


def combine(parts: Sequence[RunResults], metadata: Mapping[str, Any]) -> RunResults:
    """Several parts measured and compared apart (a suite's benchmarks, each with its
    own variants, reference and settings) as one RunResults: results in order, and
    each part's comparisons, budgets, scores and recommendations."""
    return RunResults(
        results=[r for part in parts for r in part.results],
        metadata=metadata,
        reference=None,
        warnings={k: v for part in parts for k, v in part.warnings.items()},
        comparisons=[c for part in parts for c in part.comparisons],
        time_unit=parts[0].time_unit if parts else None,
        summaries={k: v for part in parts for k, v in part.summaries.items()},
        budgets=[c for part in parts for c in part.budgets],
        scores={k: v for part in parts for k, v in part.scores.items()},
        recommendations={k: v for part in parts for k, v in part.recommendations.items()},
        other_diagnoses={k: v for part in parts for k, v in part.other_diagnoses.items()},
        scaling=[table for part in parts for table in part.scaling],
    )
