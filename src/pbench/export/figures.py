"""The per-benchmark figures every export shows, computed the same way for all formats.

A result may be partial (an interrupted run, or a benchmark still in progress when the
exports are rewritten) and may even have no measurement yet: then there is no summary.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pbench.models import BenchmarkResult

if TYPE_CHECKING:
    from pbench.stats.summary import Summary


def stddev_of(summary: Summary) -> float | None:
    """hyperfine's convention: no standard deviation from fewer than two runs."""
    return summary.stddev if summary.n >= 2 else None


def mean_or_none(values: Iterable[float | None]) -> float | None:
    """Mean of the known values (None when there are none)."""
    known = [v for v in values if v is not None]
    return math.fsum(known) / len(known) if known else None


def peak_memory(result: BenchmarkResult) -> int | None:
    """Largest per-run peak resident memory, in bytes."""
    known = [m.peak_rss_bytes for m in result.measurements if m.peak_rss_bytes is not None]
    return max(known) if known else None


def finite_or_none(value: float | None) -> float | None:
    """JSON and CSV have no NaN or infinity: they become null / an empty cell."""
    if value is None or not math.isfinite(value):
        return None
    return value
