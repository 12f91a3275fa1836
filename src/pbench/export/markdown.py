"""The Markdown export: hyperfine's table, with a median column.

``| Command | Mean [ms] | Median [ms] | Min [ms] | Max [ms] | Relative |``. The relative
column compares means with the reference benchmark (``--reference``) or, without one,
with the fastest; its uncertainty is propagated as hyperfine does:
ratio · √((σ₁/μ₁)² + (σ₂/μ₂)²). Names are shown as code spans, made safe so that no
user-supplied text can break the table: pipes are escaped, the fence is longer than
any run of backticks inside, and line breaks become spaces (the table helpers of
:mod:`pbench.report.markdown_text`, which the Markdown report shares).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from pbench.export.figures import finite_or_none, stddev_of
from pbench.export.memo import ResultMemo, memoised
from pbench.models import BenchmarkResult, RunResults
from pbench.report.markdown_text import cell, code_span, table_head, table_row
from pbench.report.units import SYMBOL, Unit, common_unit, format_in
from pbench.stats.budget import BudgetCheck
from pbench.stats.summary import Summary

_MISSING = "n/a"


@dataclass(frozen=True, slots=True)
class _Row:
    name: str
    mean: float | None
    stddev: float | None
    median: float | None
    min: float | None
    max: float | None
    measure: str = "wall"


def render(results: RunResults, memo: ResultMemo | None = None) -> str:
    """The Markdown table; with ``memo``, each row is reused while its result, the unit
    and the reference row are unchanged."""
    rows = [
        memoised(memo, r, "markdown row", partial(_row_of, r, results)) for r in results.results
    ]
    measures = {r.measure for r in rows}
    # One measure (wall time unless --measure): one unit in the headers, as hyperfine.
    # A suite of several measures: each row in its own unit, written in its cells.
    mixed = len(measures) > 1
    measure = measures.pop() if len(measures) == 1 else "wall"
    unit = common_unit((r.mean for r in rows if r.mean is not None), results.time_unit, measure)
    shown = [""] * 4 if mixed else [f" [{SYMBOL[unit]}]"] * 4
    lines = [
        table_head(
            ["Command", f"Mean{shown[0]}", f"Median{shown[1]}", f"Min{shown[2]}",
             f"Max{shown[3]}", "Relative"],
            ":---", "---:",
        )
    ]  # fmt: skip
    reference = _reference_row(rows, results.reference)
    ordered = list(zip(results.results, rows, strict=True))
    if results.sort == "mean-time":  # hyperfine's --sort mean-time; otherwise as given
        ordered.sort(key=lambda pair: math.inf if pair[1].mean is None else pair[1].mean)
    for result, row in ordered:
        row_unit = unit
        if mixed and row.mean is not None:
            row_unit = common_unit([row.mean], results.time_unit, row.measure)
        make = partial(_line, row, reference, row_unit, mixed)
        lines.append(memoised(memo, result, ("markdown line", row_unit, reference, mixed), make))
    if results.budgets:
        lines.append(budgets_section(results.budgets))
    if results.baseline is not None:
        from pbench.export.baseline import baseline_of, markdown_section

        against = baseline_of(results)
        if against is not None:
            lines.append(markdown_section(against))
    return "".join(lines)


def budgets_section(checks: Sequence[BudgetCheck]) -> str:
    """The "Budgets" section: one row per check, intervals at 95%."""
    from pbench.report.budgets import HEADERS, LEGEND, STATUS_TEXT, limit_text, measured_text

    rows = [
        table_row(
            [code_span(c.benchmark), cell(c.metric), c.level, cell(limit_text(c)),
             cell(measured_text(c)), STATUS_TEXT[c.status]]
        )
        for c in checks
    ]  # fmt: skip
    return "\n### Budgets\n\n" + table_head(HEADERS) + "".join(rows) + f"\n{'; '.join(LEGEND)}.\n"


def _line(row: _Row, reference: _Row | None, unit: Unit, with_unit: bool = False) -> str:
    """One row; ``with_unit``: the unit written after each figure (mixed measures)."""
    after = f" {SYMBOL[unit]}" if with_unit else ""
    figures = [
        _with_spread(row.mean, row.stddev, unit),
        _time(row.median, unit),
        _time(row.min, unit),
        _time(row.max, unit),
    ]
    if reference is not None and reference.measure != row.measure:
        reference = None
    cells = [
        code_span(row.name),
        *(f + after if f != _MISSING else f for f in figures),
        _relative(row, reference),
    ]
    return table_row(cells)


def _row_of(result: BenchmarkResult, results: RunResults) -> _Row:
    summary: Summary | None = results.summary(result)
    if summary is None:
        return _Row(result.name, None, None, None, None, None, result.measure)
    return _Row(
        name=result.name,
        mean=finite_or_none(summary.mean),
        stddev=finite_or_none(stddev_of(summary)),
        median=finite_or_none(summary.median),
        min=finite_or_none(summary.min),
        max=finite_or_none(summary.max),
        measure=result.measure,
    )


def _reference_row(rows: list[_Row], reference: str | None) -> _Row | None:
    """The named reference if it has a positive mean, else the fastest such row."""
    usable = [r for r in rows if r.mean is not None and r.mean > 0]
    named = [r for r in usable if r.name == reference]
    if named:
        return named[0]
    return min(usable, key=lambda r: r.mean or 0.0, default=None)


def _relative(row: _Row, reference: _Row | None) -> str:
    if reference is None or row.mean is None or reference.mean is None:
        return _MISSING
    if row is reference:
        return "1.00"
    ratio = row.mean / reference.mean
    if row.stddev is None or reference.stddev is None or row.mean == 0:
        return f"{ratio:.2f}"
    spread = ratio * math.hypot(row.stddev / row.mean, reference.stddev / reference.mean)
    return f"{ratio:.2f} ± {spread:.2f}"


def _time(seconds: float | None, unit: Unit) -> str:
    return _MISSING if seconds is None else format_in(seconds, unit)


def _with_spread(mean: float | None, stddev: float | None, unit: Unit) -> str:
    if mean is None:
        return _MISSING
    if stddev is None:
        return format_in(mean, unit)
    return f"{format_in(mean, unit)} ± {format_in(stddev, unit)}"
