"""Parameter scans: benchmarks that share ``parameters`` keys (``-P``, ``-L``) drawn as
time against one parameter, the median with its 95% interval as an error bar.

The parameter on the x axis is the one with the most distinct values (numeric ones
preferred); each combination of the other parameters' values is one line, and so is
each command when several were scanned alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pbench.models import BenchmarkResult
from pbench.report.charts.axes import value_text
from pbench.report.charts.intervals import ScanPoint, ScanSeries, scan
from pbench.report.html.markup import Cell, Markup, figure, section, table
from pbench.stats.summary import Summary


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def scan_groups(results: Sequence[BenchmarkResult]) -> list[list[BenchmarkResult]]:
    """Results grouped by their set of parameter names (groups of two or more)."""
    groups: dict[tuple[str, ...], list[BenchmarkResult]] = {}
    for result in results:
        if result.parameters:
            groups.setdefault(tuple(sorted(result.parameters)), []).append(result)
    return [g for g in groups.values() if len(g) > 1]


def _x_parameter(group: Sequence[BenchmarkResult]) -> str | None:
    names = sorted(group[0].parameters)
    distinct = {n: list(dict.fromkeys(str(r.parameters[n]) for r in group)) for n in names}
    usable = [n for n in names if len(distinct[n]) > 1]
    if not usable:
        return None
    return max(usable, key=lambda n: (all(_numeric(v) for v in distinct[n]), len(distinct[n])))


def _label(others: str, points: Sequence[ScanPoint], lines: int) -> str:
    """A line's legend: the other parameters' values, and its first benchmark's name
    when several commands share them."""
    if lines == 1:
        return others or "median"
    return f"{points[0].name} …" + (f" ({others})" if others else "")


def scan_section(
    results: Sequence[BenchmarkResult], summaries: Mapping[str, Summary | None]
) -> str:
    """One chart and table per group of results that vary a parameter ("" if none)."""
    parts = []
    for chart, x_name, rows in scan_charts(results, summaries):
        parts.append(figure(chart, "error bars: the 95% interval of each median"))
        parts.append(
            table(["benchmark", "other parameters", x_name, "median", "95% interval"], rows)
        )
    return section("scan", "Parameter scan", "".join(parts)) if parts else ""


ScanRows = list[list[str | Markup | Cell]]


def scan_charts(
    results: Sequence[BenchmarkResult], summaries: Mapping[str, Summary | None]
) -> list[tuple[str, str, ScanRows]]:
    """Per group of results that vary a parameter: its SVG chart, the parameter and the
    table rows behind the chart."""
    found: list[tuple[str, str, ScanRows]] = []
    for group in scan_groups(results):
        x_name = _x_parameter(group)
        if x_name is None:
            continue
        lines: dict[str, list[list[ScanPoint]]] = {}
        rows: list[list[str | Markup | Cell]] = []
        for result in group:
            summary = summaries.get(result.name)
            if summary is None:
                continue
            others = ", ".join(
                f"{k}={v}" for k, v in sorted(result.parameters.items()) if k != x_name
            )
            value = str(result.parameters[x_name])
            low, high = summary.median_ci.low, summary.median_ci.high
            point = ScanPoint(value, summary.median, low, high, result.name)
            # Several commands scanned alike: the k-th benchmark with a value of the
            # parameter belongs to the k-th line (benchmarks come command by command).
            group_lines = lines.setdefault(others, [])
            line = next((ln for ln in group_lines if value not in {p.parameter for p in ln}), None)
            if line is None:
                line = []
                group_lines.append(line)
            line.append(point)
            rows.append(
                [
                    result.name,
                    others,
                    Cell(value, float(value) if _numeric(value) else None),
                    Cell(value_text(summary.median, "time"), summary.median),
                    Cell(f"{value_text(low, 'time')} … {value_text(high, 'time')}", low),
                ]
            )
        series = [
            ScanSeries(_label(others, points, len(group_lines)), points)
            for others, group_lines in lines.items()
            for points in group_lines
        ]
        if sum(len(s.points) for s in series) < 2:
            continue
        found.append((scan(f"Median time against {x_name}", x_name, series), x_name, rows))
    return found
