"""A load run's part of its benchmark section: latency by percentile (every request,
from the histogram), throughput and errors over time (per slice), and their tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pbench.models import BenchmarkResult
from pbench.report.charts.axes import nines_label, value_text
from pbench.report.charts.lines import Series, time_series
from pbench.report.charts.percentiles import PercentileSeries, percentile_chart
from pbench.report.html.markup import Cell, Markup, details, figure, table
from pbench.report.units import format_bytes

# The load section's latency figures and where they sit on the percentile axis.
PERCENTILE_KEYS = (
    ("min", 0.0),
    ("p50", 0.5),
    ("p90", 0.9),
    ("p95", 0.95),
    ("p99", 0.99),
    ("p99_9", 0.999),
)


def latency_points(figures: Mapping[str, Any], requests: int) -> list[tuple[str, float, float]]:
    """(name, q, latency) of the histogram's figures; the max at q = 1 − 1/n."""
    points = [
        (key.replace("_", "."), q, float(figures[key]))
        for key, q in PERCENTILE_KEYS
        if isinstance(figures.get(key), int | float)
    ]
    if isinstance(figures.get("max"), int | float) and requests > 1:
        points.append(("max", min(1.0 - 1.0 / requests, 0.99999), float(figures["max"])))
    return points


def sampled_latencies(load: Mapping[str, Any]) -> list[float]:
    """The latencies of the load section's uniform sample of requests (successful)."""
    sample = load.get("sample")
    if not isinstance(sample, Mapping):
        return []
    columns = list(sample.get("columns") or [])
    if "latency_s" not in columns:
        return []
    at, error = columns.index("latency_s"), columns.index("error") if "error" in columns else -1
    return [
        float(row[at])
        for row in sample.get("rows") or []
        if row[at] is not None and (error < 0 or row[error] is None)
    ]


def load_parts(result: BenchmarkResult, load: Mapping[str, Any]) -> list[str]:
    parts: list[str] = []
    figures = load.get("latency")
    requests = int(load.get("requests") or 0)
    if isinstance(figures, Mapping):
        points = latency_points(figures, requests)
        if points:
            series = PercentileSeries(result.name, [(q, v) for _, q, v in points])
            chart = percentile_chart(f"Latency by percentile: {result.name}", [series])
            rows: list[list[str | Markup | Cell]] = [
                [name, Cell(f"p{nines_label(q)}", q), Cell(value_text(v, "time"), v)]
                for name, q, v in points
            ]
            parts.append(figure(chart, f"every one of {requests:,} requests, from the histogram"))
            parts.append(table(["figure", "at percentile", "latency"], rows, cls="percentiles"))
    parts.append(_throughput_table(load))
    slices = [m for m in result.measurements if "elapsed_s" in m.metrics]
    if slices:
        elapsed = 0.0
        rate: list[tuple[float, float]] = []
        errors: list[tuple[float, float]] = []
        for m in slices:
            length = float(m.metrics["elapsed_s"])
            middle = elapsed + length / 2
            elapsed += length
            rate.append((middle, float(m.metrics.get("requests_per_s", 0.0))))
            errors.append((middle, float(m.metrics.get("failed", 0.0)) / length if length else 0.0))
        chart = time_series(
            f"Throughput and errors over time: {result.name}",
            [Series("requests/s", rate, "rate"), Series("errors/s", errors, "rate")],
            "per second",
        )
        rows = [
            [Cell(value_text(t, "time"), t), Cell(f"{r:,.1f}", r), Cell(f"{e:,.1f}", e)]
            for (t, r), (_, e) in zip(rate, errors, strict=True)
        ]
        parts.append(figure(chart, "per slice, over this benchmark's own time under load"))
        parts.append(
            details(
                "Throughput and errors per slice",
                table(["time", "requests/s", "errors/s"], rows, cls="slices"),
            )
        )
    return parts


def _throughput_table(load: Mapping[str, Any]) -> str:
    rows: list[list[str | Markup | Cell]] = []
    throughput = load.get("throughput")
    if isinstance(throughput, Mapping):
        for key, label in (("requests_per_s", "requests/s"), ("succeeded_per_s", "succeeded/s")):
            if isinstance(throughput.get(key), int | float):
                rows.append([label, Cell(f"{throughput[key]:,.1f}", float(throughput[key]))])
        if isinstance(throughput.get("bytes_per_s"), int | float):
            value = float(throughput["bytes_per_s"])
            rows.append(["bytes/s", Cell(format_bytes(value) + "/s", value)])
    for key in ("requests", "succeeded", "failed", "unfinished", "concurrency", "workers"):
        if isinstance(load.get(key), int | float):
            rows.append([key, Cell(f"{load[key]:,}", float(load[key]))])
    for kind, count in (load.get("errors") or {}).items():
        rows.append([f"errors: {kind}", Cell(f"{count:,}", float(count))])
    for code, count in (load.get("status_codes") or {}).items():
        rows.append([f"status {code}", Cell(f"{count:,}", float(count))])
    client = load.get("client_cpu")
    if isinstance(client, Mapping) and isinstance(client.get("cores"), int | float):
        rows.append(["pbench's own CPU (cores)", Cell(f"{client['cores']:.2f}", client["cores"])])
    return table(["load", "value"], rows, cls="load") if rows else ""
