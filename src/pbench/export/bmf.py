"""Bencher Metric Format (``--export-bmf FILE``), for ``bencher run --adapter json``.

``{"<benchmark name>": {"<measure slug>": {"value", "lower_value", "upper_value"}}}``,
with Bencher's built-in measures where they fit and one measure of our own:

- ``latency`` (built in, nanoseconds): the **mean** time of one run (a load run: of
  one request or query), bounded by its 95% confidence interval. Bencher's own
  hyperfine adapter also charts the mean by default; its Criterion adapter bounds by
  the confidence interval, as here (see :mod:`pbench.export.tracked`).
- ``throughput`` (built in, operations per second): load runs only, requests
  (queries) per second over the run, bounded by the interval of the per-slice rates.
- ``peak-memory`` (ours, bytes): the largest peak resident set size of any run, for
  commands whose memory was measured; value only. Bencher creates a measure named by
  a slug it does not know on first upload; give it the unit "bytes" there.

Bounds are left out where there is no interval (fewer than two runs). For
``pbench compare`` the figures are the candidate side's latency.
"""

from __future__ import annotations

import json
from typing import Any

from pbench.export.memo import ResultMemo
from pbench.export.tracked import Estimate, Tracked, of_comparison, of_results
from pbench.models import RunResults
from pbench.results.pairing import FileComparison

LATENCY = "latency"
THROUGHPUT = "throughput"
PEAK_MEMORY = "peak-memory"
_SLUGS = {"cpu": ("cpu-time", 1e9), "instructions": ("instructions", 1.0),
          "cycles": ("estimated-cycles", 1.0)}  # fmt: skip


def render(results: RunResults, memo: ResultMemo | None = None) -> str:
    return _dumps(document(of_results(results)))


def render_comparison(result: FileComparison) -> str:
    return _dumps(document(of_comparison(result)))


def document(tracked: list[Tracked]) -> dict[str, dict[str, dict[str, float]]]:
    benchmarks: dict[str, dict[str, dict[str, float]]] = {}
    for t in tracked:
        measures: dict[str, dict[str, float]] = {}
        if t.latency is not None:
            # Bencher's own slugs for counts (as its iai adapter names them); CPU time
            # in nanoseconds under a measure of its own.
            slug, scale = _SLUGS.get(t.measure, (LATENCY, 1e9))
            measures[slug] = _metric(t.latency, scale)
        if t.load and t.throughput is not None:
            measures[THROUGHPUT] = _metric(t.throughput, 1.0)
        if t.peak_memory is not None:
            measures[PEAK_MEMORY] = {"value": float(t.peak_memory)}
        if measures:
            benchmarks[t.name] = measures
    return benchmarks


def _metric(estimate: Estimate, scale: float) -> dict[str, float]:
    metric = {"value": estimate.value * scale}
    if estimate.low is not None and estimate.high is not None:
        metric["lower_value"] = estimate.low * scale
        metric["upper_value"] = estimate.high * scale
    return metric


def _dumps(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
