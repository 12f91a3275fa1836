"""The executive summary that opens the Markdown report, in three parts:

- **What changed**: the comparisons with a verdict (slower first, then faster), each
  with its ratio and interval, and the newest change point of each trend;
- **What is at risk**: failed benchmarks, broken then at-risk budgets, inconclusive
  comparisons, failed gates and the compare files' warnings, then every benchmark's
  warnings;
- **What to do**: the advice of inconclusive comparisons and the recommendations.

Each part lists at most :data:`LISTED` items and counts the rest (the tables below, and
the JSON export, have them all).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pbench.models import BenchmarkResult, RunResults
from pbench.report.budgets import limit_text, measured_text
from pbench.report.markdown_fit import Section
from pbench.report.markdown_tables import bullets, p_text
from pbench.report.markdown_text import cell, name_span, prose

if TYPE_CHECKING:
    from pbench.stats.comparison import Comparison

LISTED = 25


def summary_sections(
    run: RunResults,
    comparisons: Sequence[Comparison],
    warnings: Sequence[str] = (),
    changes: Sequence[str] = (),
) -> list[Section]:
    """What changed, what is at risk, what to do (rank 0: kept first when cut)."""
    return [
        _part("## What changed", _changed(comparisons) + list(changes), _counts(comparisons),
              "Nothing changed beyond the noise threshold." if comparisons else
              "Nothing was compared: run two or more benchmarks, or give a compare file."),
        _part("## What is at risk", _at_risk(run, comparisons, warnings), "",
              "Nothing: no failed benchmark, no budget broken or at risk, no inconclusive "
              "comparison, no warning."),
        _part("## What to do", _to_do(run, comparisons), "", "Nothing to do."),
    ]  # fmt: skip


def _part(title: str, rows: list[str], intro: str, empty: str) -> Section:
    if not rows:
        return Section(title, intro=(intro + " " if intro else "") + empty + "\n")
    if len(rows) > LISTED:
        more = f"- … and {len(rows) - LISTED:,} more: see the tables below and the JSON export\n"
        rows = [*rows[:LISTED], more]
    return Section(title, rows, intro=intro + "\n\n" if intro else "", noun="items")


def _counts(comparisons: Sequence[Comparison]) -> str:
    if not comparisons:
        return ""
    found = Counter(c.verdict for c in comparisons)
    said = ", ".join(f"{found[v]} {v}" for v in ("slower", "faster", "inconclusive", "same")
                     if found[v])  # fmt: skip
    count = len(comparisons)
    return f"{count} comparison{'s' if count != 1 else ''}: {said}."


def _changed(comparisons: Sequence[Comparison]) -> list[str]:
    decided = [c for c in comparisons if c.verdict == "slower"]
    decided += [c for c in comparisons if c.verdict == "faster"]
    return [f"- {name_span(c.name)} is **{_factor(c)}** than {name_span(c.reference)}: "
            f"{_evidence(c)}\n" for c in decided]  # fmt: skip


def _factor(c: Comparison) -> str:
    """``1.52× slower`` / ``1.31× faster`` (of the statistic that decides)."""
    if c.verdict == "slower":
        return f"{c.ratio:.2f}× slower"
    return f"{1 / c.ratio:.2f}× faster" if c.ratio > 0 else "faster"


def _evidence(c: Comparison) -> str:
    low, high = c.ratio_ci
    p = p_text(c.p_adjusted)
    return (
        f"{c.statistic} ratio {c.ratio:.3f} [{c.confidence:.0%} CI {low:.3f}, {high:.3f}], "
        f"p {p if p.startswith('<') else '= ' + p}"
    )


def _at_risk(
    run: RunResults, comparisons: Sequence[Comparison], warnings: Sequence[str]
) -> list[str]:
    rows = [
        f"- {name_span(r.name)} **failed**" + _failure(r) + "\n"
        for r in run.results
        if r.stop_reason == "failed"
    ]
    order = (("broken", "error"), ("broken", "warn"), ("at_risk", "error"), ("at_risk", "warn"))
    for status, level in order:
        for check in run.budgets:
            if check.status == status and check.level == level:
                said = "**broken**" if status == "broken" else "at risk"
                rows.append(
                    f"- {name_span(check.benchmark)}: {prose(check.metric)} {level} budget "
                    f"{said}: {cell(measured_text(check))} against {cell(limit_text(check))}\n"
                )
    rows += [
        f"- {name_span(c.name)} against {name_span(c.reference)}: inconclusive, ratio "
        f"{c.ratio:.3f} [{c.ratio_ci[0]:.3f}, {c.ratio_ci[1]:.3f}] straddles the "
        f"±{c.threshold:.0%} noise threshold\n"
        for c in comparisons
        if c.verdict == "inconclusive"
    ]
    rows += [f"- {prose(w)}\n" for w in warnings]
    return rows + bullets(run.warnings)


def _failure(result: BenchmarkResult) -> str:
    last = next((m for m in reversed(result.measurements) if m.failed), None)
    return f": {prose(last.why_failed or '')}" if last is not None else ""


def _to_do(run: RunResults, comparisons: Sequence[Comparison]) -> list[str]:
    advice = [
        f"- {name_span(c.name)}: {prose(c.advice)}\n"
        for c in comparisons
        if c.verdict == "inconclusive" and c.advice
    ]
    return advice + bullets(run.recommendations)
