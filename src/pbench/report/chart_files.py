"""``pbench report --chart KIND -o FILE.svg``: one kind of chart as a file of its own,
for slides and docs, drawn from result files (and, for trends, from the history).

A kind that has one chart per benchmark (histogram, progression) stacks them in one
SVG, one below the other; the charts themselves are those of the HTML report
(:mod:`pbench.report.charts`), so the file shows exactly what the report shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pbench.errors import UsageError
from pbench.models import RunResults
from pbench.report.charts.axes import quantity_of
from pbench.report.charts.distribution import box_plot, box_stats, histogram, histogram_bins
from pbench.report.charts.lines import TrendData, progression, trend
from pbench.report.charts.percentiles import PercentileSeries, percentile_chart
from pbench.report.html.load import latency_points
from pbench.report.html.scans import scan_charts

CHARTS = ("whisker", "histogram", "progression", "scan", "percentiles", "trend")
_SIZE = re.compile(r'^<svg\b[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"')
_GAP = 16  # between stacked charts, in pixels


def render_chart(kind: str, run_results: RunResults, history: Sequence[TrendData] = ()) -> str:
    """The SVG of one kind of chart; UsageError when the files hold nothing to draw."""
    charts = _charts(kind, run_results, history)
    if not charts:
        what = {
            "scan": "results that vary a parameter (-P/-L, or parameters in a suite)",
            "percentiles": "load runs (pbench http, or pbench sql with -c/-d/--rate)",
            "trend": "saved runs from the history store",
        }.get(kind, "measured benchmarks")
        raise UsageError(f"nothing to draw a {kind} chart from", f"a {kind} chart needs {what}")
    return stack(charts)


def _charts(kind: str, run_results: RunResults, history: Sequence[TrendData]) -> list[str]:
    results = [r for r in run_results.results if r.times]
    summaries = {r.name: run_results.summary(r) for r in results}
    if kind == "whisker":
        boxes = [
            box_stats(r.name, r.times, (s.median_ci.low, s.median_ci.high))
            for r in results
            if (s := summaries[r.name]) is not None
        ]
        measures = {r.measure for r in results}
        quantity = quantity_of(measures.pop()) if len(measures) == 1 else "number"
        return [box_plot("Distributions of all benchmarks", boxes, quantity)] if boxes else []
    if kind == "histogram":
        return [
            histogram(
                f"Distribution: {r.name}",
                histogram_bins(r.times),
                quantity_of(r.measure),
                s.median if (s := summaries[r.name]) is not None else None,
                (s.median_ci.low, s.median_ci.high) if s is not None else None,
            )
            for r in results
        ]
    if kind == "progression":
        return [
            progression(
                f"Progression in execution order: {r.name}",
                r.times,
                s.median if (s := summaries[r.name]) is not None else None,
                quantity_of(r.measure),
            )
            for r in results
        ]
    if kind == "scan":
        return [chart for chart, _, _ in scan_charts(results, summaries)]
    if kind == "percentiles":
        series = []
        for result in results:
            load = result.sections.get("load")
            figures = load.get("latency") if isinstance(load, dict) else None
            if isinstance(load, dict) and isinstance(figures, dict):
                points = latency_points(figures, int(load.get("requests") or 0))
                series.append(PercentileSeries(result.name, [(q, v) for _, q, v in points]))
        return [percentile_chart("Latency by percentile", series)] if series else []
    if kind == "trend":
        return [trend(data) for data in history]
    raise UsageError(f"unknown chart {kind!r}", f"use one of: {', '.join(CHARTS)}")


def stack(charts: Sequence[str]) -> str:
    """Several SVG charts one below the other in one SVG document."""
    if len(charts) == 1:
        return charts[0]
    width, top, parts = 0.0, 0.0, []
    for chart in charts:
        found = _SIZE.match(chart)
        w, h = (float(found.group(1)), float(found.group(2))) if found else (640.0, 260.0)
        nested = chart.replace("<svg ", f'<svg x="0" y="{top:g}" ', 1)
        parts.append(nested)
        width, top = max(width, w), top + h + _GAP
    height = top - _GAP
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}">' + "".join(parts) + "</svg>"
    )
