"""Trends for the Markdown report, from plain history data: per benchmark, its past
results (time, commit, median and its interval) and the change points found in them.

The history store and change-point detection fill :class:`BenchmarkHistory`; this
module only shows it: one table per benchmark, newest last, a change point marked on
the first result of its new level with the change from the level before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pbench.report.markdown_fit import Section
from pbench.report.markdown_text import (
    cell,
    code_span,
    name_span,
    prose,
    table_head,
    table_row,
)
from pbench.report.units import format_times, measure_unit


@dataclass(frozen=True)
class HistoryPoint:
    """One past result: when (ISO 8601 text), at which commit, its median and interval
    (seconds), and the names of the stored baselines that point at it."""

    time: str
    commit: str | None
    median: float
    low: float
    high: float
    baselines: tuple[str, ...] = ()


@dataclass(frozen=True)
class BenchmarkHistory:
    """A benchmark's past results, oldest first, and its change points: indices into
    ``points`` of the first result of each new level."""

    points: Sequence[HistoryPoint]
    change_points: Sequence[int] = ()
    measure: str = "wall"  # what the medians are (--measure)


History = Mapping[str, BenchmarkHistory]


def trend_sections(history: History, rank: int) -> list[Section]:
    return [_section(name, found, rank) for name, found in history.items() if found.points]


def _section(name: str, history: BenchmarkHistory, rank: int) -> Section:
    unit = measure_unit(min(p.median for p in history.points), history.measure)
    changes = set(history.change_points)
    rows = []
    for index, point in enumerate(history.points):
        figures = format_times([point.median, point.low, point.high], unit)
        median, low, high = (t.strip() for t in figures)
        marker = ""
        if index in changes and index > 0:
            before = history.points[index - 1].median
            marker = f"change point ({_change(before, point.median)})"
        if point.baselines:
            named = ", ".join(code_span(name) for name in point.baselines)
            marker = f"{marker}; baseline {named}" if marker else f"baseline {named}"
        rows.append(
            table_row(
                [cell(point.time), _commit(point.commit), f"{median} [{low}, {high}]", marker]
            )
        )
    count = len(changes)
    said = f"{count} change point{'s' if count != 1 else ''}" if count else "no change point"
    return Section(
        f"### Trend: {name_span(name)}",
        rows,
        intro=f"{len(history.points):,} results, {said}.\n\n",
        head=table_head(("Time", "Commit", "Median [95% CI]", "Change")),
        noun="past results",
        rank=rank,
        where="pbench history",
    )


def _commit(commit: str | None) -> str:
    return "" if not commit else prose(commit[:12])


def _change(before: float, after: float) -> str:
    if before <= 0:
        return "from 0"
    change = after / before - 1
    return f"{change:+.1%}"


def changes_summary(history: History) -> list[str]:
    """A line per change point of the newest level, for the executive summary."""
    lines = []
    for name, found in history.items():
        points = [i for i in found.change_points if 0 < i < len(found.points)]
        if not points:
            continue
        last = max(points)
        before, after = found.points[last - 1].median, found.points[last].median
        where = found.points[last].commit or found.points[last].time
        lines.append(
            f"- {name_span(name)}: a change point at {prose(where[:12])} "
            f"({_change(before, after)} in the median)\n"
        )
    return lines
