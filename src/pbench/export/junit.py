"""The JUnit XML export (``--export-junit FILE``, or ``--export FILE.xml``).

One suite named ``pbench``; one test case per benchmark and one per budget check, so a
CI's test view shows what failed without reading the log.

- A benchmark's case: classname ``pbench.<kind>`` (``command``, ``http``, ``sql``, from
  its ``info``), name the benchmark's name, time the seconds spent in measured runs
  (a load run's active time). It fails when the benchmark failed (a run that ``-i``
  did not allow, or a load run in which nothing succeeded) and also when runs or
  requests failed that ``-i`` let pass: ``-i`` decides the exit status, while the
  report tells what happened. The message names the figures (failed runs, why). A
  benchmark with no run is skipped; every case's ``<system-out>`` holds its statistics.
- A budget check's case (classname ``pbench.budget``), named like
  ``"NAME budget p95 <= 250 ms (error)"``: an error-level check that is broken fails
  with the measured value, its interval and the limit in the message; a warn-level
  broken check and an at-risk check pass with that text in ``<system-out>``; a check
  with no data is skipped.

``pbench compare`` gets one case per pair (:func:`render_comparison`), failing on a
regression (verdict ``slower``) or a failed ``--fail-if`` gate, the ratio and its
interval in the message; benchmarks on one side only are skipped cases. A run with
``--baseline REF`` gets the same case per benchmark compared with the stored run
(classname ``pbench.baseline``, named ``NAME vs baseline 'main' (run #12)``).
"""

from __future__ import annotations

from dataclasses import replace

from pbench.export.budget_text import case_name, figures
from pbench.export.junit_xml import Case, document
from pbench.export.memo import ResultMemo
from pbench.models import BenchmarkResult, RunResults, how_taken
from pbench.report.units import SCALE, SYMBOL, measure_unit
from pbench.results.pairing import FileComparison, Pair
from pbench.stats.budget import BudgetCheck
from pbench.stats.comparison import Comparison


def render(results: RunResults, memo: ResultMemo | None = None) -> str:
    """The XML text; ``memo`` is accepted for the registry and not needed."""
    cases = [_benchmark_case(results, r) for r in results.results]
    cases += [_budget_case(check) for check in results.budgets]
    if results.baseline is not None:
        cases += _baseline_cases(results)
    metadata = results.metadata
    properties = {"pbench_version": str(metadata.get("pbench_version", ""))}
    git = metadata.get("git")
    if isinstance(git, dict) and git.get("commit"):
        properties["git_commit"] = str(git["commit"])
    return document(cases, properties, metadata.get("start_time"))


def kind_of(result: BenchmarkResult) -> str:
    """``command``, ``http`` or ``sql``: what measured the result."""
    return str(result.info.get("type") or result.info.get("kind") or "command")


def _measured_s(result: BenchmarkResult) -> float:
    load = result.sections.get("load")
    if isinstance(load, dict) and isinstance(load.get("elapsed_s"), int | float):
        return float(load["elapsed_s"])
    return sum(m.wall_s * m.loops for m in result.measurements)


def _benchmark_case(results: RunResults, result: BenchmarkResult) -> Case:
    case = Case(
        classname=f"pbench.{kind_of(result)}",
        name=result.name,
        time_s=_measured_s(result),
        failure=_failure(result),
        out=_statistics(results, result),
    )
    if case.failure is None and not result.measurements and result.summary_override is None:
        interrupted = result.stop_reason == "interrupted"
        return replace(
            case, skipped="interrupted before any run" if interrupted else "not measured yet"
        )
    return case


def _failure(result: BenchmarkResult) -> str | None:
    failed = [m for m in result.measurements if m.failed]
    load = result.sections.get("load")
    if isinstance(load, dict) and load.get("failed"):
        errors = ", ".join(f"{k}: {v:,}" for k, v in (load.get("errors") or {}).items())
        noun = "queries" if kind_of(result) == "sql" else "requests"
        return f"{load['failed']:,} of {load['requests']:,} {noun} failed" + (
            f" ({errors})" if errors else ""
        )
    if failed:
        reasons = sorted({m.why_failed or "failed" for m in failed})
        return f"{len(failed)} of {len(result.measurements)} runs failed: " + "; ".join(reasons)
    if result.stop_reason == "failed":
        return "the benchmark failed before any measured run (see the log)"
    return None


def _statistics(results: RunResults, result: BenchmarkResult) -> str:
    lines = [f"command: {result.command}"]
    if result.measure != "wall":
        lines.append(f"measure: {result.measure} ({how_taken(result.measure)})")
    summary = results.summary(result)
    if summary is not None:
        unit = measure_unit(summary.mean, result.measure)
        scale, symbol = SCALE[unit], SYMBOL[unit]

        def show(v: float) -> str:
            return f"{v * scale:.4g} {symbol}"

        lines += [
            f"mean {show(summary.mean)} [{show(summary.mean_ci.low)}, "
            f"{show(summary.mean_ci.high)}] ({summary.confidence:.0%} interval)",
            f"median {show(summary.median)}, min {show(summary.min)}, max {show(summary.max)},"
            f" p95 {show(summary.p95)}",
            f"n = {summary.n}, stopped by: {result.stop_reason or 'not finished'}",
        ]
    lines += [f"warning: {w}" for w in results.warnings.get(result.name, ())]
    return "\n".join(lines)


def _budget_case(check: BudgetCheck) -> Case:
    case = Case(classname="pbench.budget", name=case_name(check), out=figures(check))
    if check.status == "no_data":
        return replace(case, skipped=figures(check))
    if check.status == "broken" and check.level == "error":
        return replace(case, failure=figures(check))
    return case


def _baseline_cases(results: RunResults) -> list[Case]:
    """--baseline REF: a case per compared benchmark (classname ``pbench.baseline``),
    failing on a regression."""
    from pbench.export.baseline import baseline_of

    against = baseline_of(results)
    if against is None:
        return []
    comparison = against.comparison
    return [
        replace(_pair_case(comparison, pair, c), classname="pbench.baseline",
                name=f"{pair.label} vs {against.found.label}")
        for pair, c in zip(comparison.pairs, comparison.comparisons, strict=True)
    ]  # fmt: skip


def render_comparison(result: FileComparison) -> str:
    """``pbench compare``'s XML: one case per pair, and a skipped one per unpaired name."""
    cases = [
        _pair_case(result, pair, comparison)
        for pair, comparison in zip(result.pairs, result.comparisons, strict=True)
    ]
    for side, names in (
        ("baseline", result.only_in_baseline),
        ("candidate", result.only_in_candidate),
    ):
        cases += [Case("pbench.compare", name, skipped=f"only in the {side}") for name in names]
    properties = {"baseline": result.baseline.path, "candidate": result.candidate.path}
    return document(cases, properties)


def _pair_case(result: FileComparison, pair: Pair, c: Comparison) -> Case:
    low, high = c.ratio_ci
    settings = result.settings
    text = (
        f"{c.verdict}: ratio {c.ratio:.3f} [{low:.3f}, {high:.3f}] (candidate / baseline of the "
        f"{settings.statistic}, {c.confidence:.0%} interval), threshold "
        f"±{settings.threshold * 100:g}%, p {c.p_adjusted:.2g}"
    )
    gates = [g for g in result.gates if g.benchmark == pair.label]
    lines = [text, *(g.describe() for g in gates)]
    if c.advice:
        lines.append(c.advice)
    failed_gates = [g.describe() for g in gates if g.failed]
    time_s = sum(sum(run.times) for run in pair.candidate_runs)
    case = Case("pbench.compare", pair.label, time_s=time_s, out="\n".join(lines))
    if c.verdict == "slower":
        return replace(case, failure="; ".join([text, *failed_gates]), failure_text=case.out)
    if failed_gates:
        return replace(case, failure="; ".join([*failed_gates, text]), failure_text=case.out)
    return case
