"""Downsample what is drawn, never what is computed.

A chart of 10,000 runs has a few hundred pixels of width: drawing every run would
make the page slow and the file big without showing more. :func:`decimate` keeps, for
each of ``limit / 2`` consecutive buckets, its lowest and its highest point (in their
order), so every spike and every dip still shows; statistics and histogram bins are
always computed from all values before this.
"""

from __future__ import annotations

from collections.abc import Sequence

MAX_POINTS = 2_000  # the most points one series draws


def decimate(
    points: Sequence[tuple[float, float]], limit: int = MAX_POINTS
) -> list[tuple[float, float]]:
    """At most ``limit`` of ``points`` (x, y), keeping each bucket's extremes in y."""
    n = len(points)
    if n <= limit:
        return list(points)
    buckets = max(limit // 2, 1)
    kept: list[tuple[float, float]] = []
    for b in range(buckets):
        chunk = points[b * n // buckets : (b + 1) * n // buckets]
        if not chunk:
            continue
        low = min(range(len(chunk)), key=lambda i: chunk[i][1])
        high = max(range(len(chunk)), key=lambda i: chunk[i][1])
        for i in sorted({low, high}):
            kept.append(chunk[i])
    return kept


def spread_evenly(items: Sequence[float], limit: int) -> list[float]:
    """At most ``limit`` of ``items``, evenly spaced in their order (first and last kept)."""
    n = len(items)
    if n <= limit:
        return list(items)
    if limit <= 1:
        return [items[0]]
    return [items[round(i * (n - 1) / (limit - 1))] for i in range(limit)]
