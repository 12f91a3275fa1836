"""The history store's trends (:class:`pbench.history.trend.Trend`) as the reports take
them: the Markdown report's :class:`~pbench.report.markdown_trends.BenchmarkHistory`
and the HTML report's and SVG charts' :class:`~pbench.report.charts.lines.TrendData`
(change points, each level's median as its segment's baseline, and the runs a stored
baseline names).

A benchmark measured on several machines has one trend per machine, titled
``NAME on HOST``; ``baselines`` maps a run id to the names of the stored baselines
that point at it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

from pbench.history.records import Point
from pbench.history.trend import Trend
from pbench.models import MEASURE_WORDS
from pbench.report.charts.axes import quantity_of
from pbench.report.charts.lines import Baseline, TrendData
from pbench.report.markdown_trends import BenchmarkHistory, HistoryPoint

Named = Mapping[int, Sequence[str]]  # run id -> baseline names


def trend_title(trend: Trend, trends: Sequence[Trend]) -> str:
    """The benchmark's name, with its measure when not wall time and its machine when
    it ran on several."""
    machines = {t.machine for t in trends if t.benchmark == trend.benchmark}
    name = trend.benchmark
    if trend.measure != "wall":
        name += f" ({MEASURE_WORDS[trend.measure]})"
    if len(machines) < 2:
        return name
    return f"{name} on {trend.host or trend.machine[:8]}"


def markdown_history(trends: Sequence[Trend], baselines: Named) -> dict[str, BenchmarkHistory]:
    """The Markdown report's trends section, by title."""
    return {
        trend_title(trend, trends): BenchmarkHistory(
            points=[_history_point(p, baselines) for p in trend.points],
            change_points=[c.change_point.index for c in trend.changes],
            measure=trend.measure,
        )
        for trend in trends
    }


def trend_charts(trends: Sequence[Trend], baselines: Named) -> list[TrendData]:
    """The HTML report's history section and ``--chart trend``: one chart a trend."""
    charts = []
    for trend in trends:
        values = trend.values
        cuts = [0, *(c.change_point.index for c in trend.changes), len(values)]
        levels = [
            Baseline(start, end - 1, _median(values[start:end]))
            for start, end in pairwise(cuts)
            if end > start
        ]
        named = [
            (index, name)
            for index, point in enumerate(trend.points)
            for name in baselines.get(point.run_id, ())
        ]
        charts.append(
            TrendData(
                title=f"History: {trend_title(trend, trends)}",
                values=values,
                labels=[_label(p) for p in trend.points],
                change_points=[c.change_point.index for c in trend.changes],
                baselines=levels,
                named=named,
                quantity=quantity_of(trend.measure),
            )
        )
    return charts


def _history_point(point: Point, baselines: Named) -> HistoryPoint:
    assert point.median is not None  # a trend holds points with a median only
    low = point.median_low if point.median_low is not None else point.median
    high = point.median_high if point.median_high is not None else point.median
    return HistoryPoint(
        time=point.time.strftime("%Y-%m-%d %H:%M"),
        commit=point.commit,
        median=point.median,
        low=low,
        high=high,
        baselines=tuple(baselines.get(point.run_id, ())),
    )


def _label(point: Point) -> str:
    commit = f" {point.commit[:8]}" if point.commit else ""
    fit = " (machine not fit)" if point.fit is False else ""
    return f"#{point.run_id}{commit} {point.time.strftime('%Y-%m-%d %H:%M')}{fit}"


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
