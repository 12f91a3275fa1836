"""One benchmark's section: what ran, its statistics, its distribution (histogram) and
progression (runs in execution order), resources (CPU, peak memory, process tree) and,
for a load run, the percentiles and load over time (:mod:`.load`).

Every number a chart shows is in a table beside it: the histogram's bins and the
progression by tenths of the runs (the per-run values themselves are in the JSON
export, which keeps every run).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pbench.models import BenchmarkResult
from pbench.report.charts.axes import Quantity, quantity_of, value_text
from pbench.report.charts.distribution import histogram, histogram_bins
from pbench.report.charts.lines import progression
from pbench.report.charts.svg import esc
from pbench.report.html.load import load_parts, sampled_latencies
from pbench.report.html.markup import Cell, Markup, details, figure, section, table
from pbench.report.units import format_bytes
from pbench.stats.summary import Summary

BLOCKS = 10  # the progression table: runs in this many consecutive blocks

_STAT_ROWS = (
    ("mean", "mean"),
    ("standard deviation", "stddev"),
    ("median", "median"),
    ("min", "min"),
    ("p5", "p5"),
    ("p25", "p25"),
    ("p75", "p75"),
    ("p90", "p90"),
    ("p95", "p95"),
    ("p99", "p99"),
    ("max", "max"),
    ("MAD", "mad"),
    ("IQR", "iqr"),
)


def benchmark_section(ident: str, result: BenchmarkResult, summary: Summary | None) -> str:
    """The whole section of one benchmark (an ``<section id=ident>``)."""
    head = [_what(result)]
    parts: list[str] = []
    if result.stop_reason == "failed":
        failed = next((m for m in reversed(result.measurements) if m.failed), None)
        why = failed.why_failed if failed is not None else "in a warmup, before any run"
        head.append(f'<p class="status-broken">Failed: {esc(why)}</p>')
    quantity = quantity_of(result.measure)
    if summary is not None:
        head.append(_statistics(summary, quantity))
    load = result.sections.get("load")
    if isinstance(load, Mapping):
        latencies = sampled_latencies(load)
        if latencies:
            parts.append(_distribution(result.name, latencies, None, "sampled requests"))
        parts.extend(load_parts(result, load))
    elif result.times:
        parts.append(_distribution(result.name, result.times, summary, "runs", quantity))
    if len(result.times) > 1:
        noun = "slice medians" if isinstance(load, Mapping) else "runs"
        parts.append(_progression(result.name, result.times, summary, noun, quantity))
    resources = _resources(result)
    if resources:
        parts.append("<h4>Resources</h4>" + resources)
    body = f'<div class="bench-grid"><div>{"".join(head)}</div><div>{"".join(parts)}</div></div>'
    return section(ident, result.name, body, level=3)


def _what(result: BenchmarkResult) -> str:
    rows = [f"<dt>command</dt><dd><code>{esc(result.command)}</code></dd>"]
    for key, value in result.parameters.items():
        rows.append(f"<dt>parameter {esc(key)}</dt><dd><code>{esc(value)}</code></dd>")
    if result.stop_reason:
        rows.append(f"<dt>stopped</dt><dd>{esc(result.stop_reason)}</dd>")
    if result.warmups:
        rows.append(f"<dt>warmups</dt><dd>{result.warmups:,}</dd>")
    for note in result.notes:
        rows.append(f"<dt>note</dt><dd>{esc(note)}</dd>")
    return f'<dl class="facts">{"".join(rows)}</dl>'


def _statistics(summary: Summary, quantity: Quantity = "time") -> str:
    figures = summary.as_dict()
    rows: list[list[str | Markup | Cell]] = []
    for label, key in _STAT_ROWS:
        value = float(figures[key])  # type: ignore[arg-type]
        rows.append([label, Cell(value_text(value, quantity), value)])
    rows.append(["runs (n)", Cell(f"{summary.n:,}", summary.n)])
    rows.append(["coefficient of variation", Cell(f"{summary.cv:.2%}", summary.cv)])
    for label, interval, of in (
        ("median", summary.median_ci, summary.median),
        ("mean", summary.mean_ci, summary.mean),
    ):
        shown = f"{value_text(interval.low, quantity)} … {value_text(interval.high, quantity)}"
        rows.append([f"{summary.confidence:.0%} interval of the {label}", Cell(shown, of)])
    return table(["statistic", "value"], rows, cls="stats")


def _distribution(
    name: str,
    values: Sequence[float],
    summary: Summary | None,
    noun: str,
    quantity: Quantity = "time",
) -> str:
    bins = histogram_bins(values)
    median = summary.median if summary is not None else None
    ci = (summary.median_ci.low, summary.median_ci.high) if summary is not None else None
    chart = histogram(f"Distribution of {noun}: {name}", bins, quantity, median, ci)
    rows: list[list[str | Markup | Cell]] = [
        [
            Cell(value_text(low, quantity), low),
            Cell(value_text(high, quantity), high),
            Cell(f"{count:,}", count),
        ]
        for low, high, count in zip(bins.edges, bins.edges[1:], bins.counts, strict=False)
    ]
    if bins.overflow:
        rows.append(
            [
                Cell(value_text(bins.edges[-1], quantity), bins.edges[-1]),
                Cell(value_text(bins.maximum, quantity), bins.maximum),
                Cell(f"{bins.overflow:,}", bins.overflow),
            ]
        )
    caption = f"{len(values):,} {noun}; the median and its 95% interval are marked"
    return figure(chart, caption) + details(
        "Histogram bins", table(["from", "to", noun], rows, cls="bins")
    )


def _progression(
    name: str,
    times: Sequence[float],
    summary: Summary | None,
    noun: str,
    quantity: Quantity = "time",
) -> str:
    chart = progression(
        f"Progression of {noun} in execution order: {name}",
        times,
        summary.median if summary is not None else None,
        quantity,
    )
    n = len(times)
    rows: list[list[str | Markup | Cell]] = []
    blocks = min(BLOCKS, n)
    for b in range(blocks):
        chunk = sorted(times[b * n // blocks : (b + 1) * n // blocks])
        middle = (
            chunk[len(chunk) // 2]
            if len(chunk) % 2
            else ((chunk[len(chunk) // 2 - 1] + chunk[len(chunk) // 2]) / 2)
        )
        rows.append(
            [
                f"{b * n // blocks + 1:,} – {(b + 1) * n // blocks:,}",
                Cell(value_text(middle, quantity), middle),
                Cell(value_text(chunk[0], quantity), chunk[0]),
                Cell(value_text(chunk[-1], quantity), chunk[-1]),
            ]
        )
    caption = "warm-up shows as slower first runs, drift as a slope or a step"
    return figure(chart, caption) + details(
        f"Progression by tenths of the {noun}",
        table([noun, "median", "min", "max"], rows, cls="blocks"),
    )


def _resources(result: BenchmarkResult) -> str:
    """CPU time per run (kernel), peak memory (exact), the process tree (sampled)."""
    rows: list[list[str | Markup | Cell]] = []
    runs = result.measurements
    for label, values in (
        ("user CPU per run (mean)", [m.user_s for m in runs]),
        ("system CPU per run (mean)", [m.system_s for m in runs]),
    ):
        known = [v for v in values if v is not None]
        if known:
            mean = sum(known) / len(known)
            rows.append([label, Cell(value_text(mean, "time"), mean)])
    peaks = [m.peak_rss_bytes for m in runs if m.peak_rss_bytes]
    if peaks:
        exact = "" if result.info.get("peak_memory_exact", True) else " (includes pbench)"
        rows.append(
            [f"peak memory (highest run){exact}", Cell(format_bytes(max(peaks)), max(peaks))]
        )
    tree = result.sections.get("process_tree")
    if isinstance(tree, Mapping):
        rows.extend(_tree_rows(tree))
    sql = result.sections.get("sql")
    if isinstance(sql, Mapping):
        for key, label in (
            ("rows_per_query", "rows per query"),
            ("bytes_per_query", "bytes per query"),
        ):
            if isinstance(sql.get(key), int | float):
                rows.append([label, Cell(f"{sql[key]:,.6g}", float(sql[key]))])
    return table(["resource", "value"], rows, cls="resources") if rows else ""


_TREE = (
    ("cpu_mean_percent", "process tree CPU (mean, % of a core)", "percent"),
    ("cpu_peak_percent", "process tree CPU (peak over 100 ms, sampled)", "percent"),
    ("rss_mean_bytes", "process tree RSS (mean, sampled)", "bytes"),
    ("rss_peak_bytes", "process tree RSS (peak, sampled)", "bytes"),
    ("threads_peak", "threads (peak, sampled)", "count"),
    ("disk_read_bytes", "disk read per run", "bytes"),
    ("disk_write_bytes", "disk written per run", "bytes"),
    ("net_recv_bytes", "host network received per run", "bytes"),
    ("net_sent_bytes", "host network sent per run", "bytes"),
)


def _tree_rows(tree: Mapping[str, Any]) -> list[list[str | Markup | Cell]]:
    rows: list[list[str | Markup | Cell]] = []
    for key, label, kind in _TREE:
        value = tree.get(key)
        if not isinstance(value, int | float):
            continue
        shown = (
            f"{value:.0f}%"
            if kind == "percent"
            else format_bytes(value)
            if kind == "bytes"
            else f"{value:,.0f}"
        )
        rows.append([label, Cell(shown, float(value))])
    return rows
