"""What the shape of a sample says about why it varies, and how much more data would
decide a budget: the pure half of the recommendations (:mod:`pbench.run.recommend`).

- Coefficient of variation: sample standard deviation / mean (N − 1).
- Slow start: the leading runs above the steady state, which is judged on the second
  half of the runs: a run is slow when it exceeds that half's median by more than
  3·1.4826·MAD and by more than 10% (the MAD floored at 0.1% of the median, as for
  severe outliers). The count k is that of the consecutive slow runs from the first
  one, at most half the runs (beyond that it is no start); it is a slow start when k
  slow runs in a row would be unlikely in the steady state: q^k < 0.01, with q = (the
  steady half's slow runs + 1) / (its size + 1).
- Two clusters (from 20 values): the largest gap between neighbouring sorted values
  that leaves at least max(3, 10%) of the values on each side, when it is more than 3
  times the larger spread inside the two sides (1.4826·MAD of each, floored at 0.1% of
  its median) and the sides' medians are more than 5% apart.
- Runs to decide a budget: an interval's half-width shrinks like 1/√n, so an interval
  of half-width h on the limit's side of the estimate m stops straddling the limit L
  after about n·(h / |m − L|)² runs: :func:`runs_factor` is (h / |m − L|)², None when
  it is above :data:`MAX_FACTOR` (the estimate sits right at the limit).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MAD_SCALE = 1.4826  # MAD → standard deviation of a normal sample
SLOW_MADS = 3.0
SLOW_RATIO = 1.10
SLOW_START_ALPHA = 0.01
CLUSTER_MIN_N = 20
MAD_FLOOR = 0.001  # of the median
CLUSTER_SHARE = 0.10
CLUSTER_MIN = 3
GAP_SPREADS = 3.0
CLUSTER_APART = 0.05
MAX_FACTOR = 25.0  # five times narrower intervals: beyond, more runs hardly decide it


@dataclass(frozen=True)
class SlowStart:
    """``count`` leading runs were slow: ``ratio`` = their median / the steady median."""

    count: int
    ratio: float
    steady: float


@dataclass(frozen=True)
class Clusters:
    """Two groups of values split at a gap: sizes and medians of each side."""

    low_n: int
    high_n: int
    low: float
    high: float


def coefficient_of_variation(values: Sequence[float]) -> float:
    """stddev (N − 1) / mean; 0 below 2 values or with a mean of 0."""
    n = len(values)
    if n < 2:
        return 0.0
    mean = sum(values) / n
    if mean == 0:
        return 0.0
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) / abs(mean)


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def spread(values: Sequence[float]) -> float:
    """1.4826·MAD, floored at 0.1% of the median."""
    centre = median(values)
    mad = median([abs(v - centre) for v in values])
    return max(MAD_SCALE * mad, MAD_FLOOR * abs(centre))


def slow_start(values: Sequence[float]) -> SlowStart | None:
    """The leading slow runs (see the module), None when the first run is not slow."""
    n = len(values)
    if n < 4:
        return None
    steady_part = values[n // 2 :]
    steady = median(steady_part)
    bar = max(steady + SLOW_MADS * spread(steady_part), SLOW_RATIO * steady)
    count = 0
    while count < n // 2 and values[count] > bar:
        count += 1
    chance = (sum(v > bar for v in steady_part) + 1) / (len(steady_part) + 1)
    if count == 0 or chance**count >= SLOW_START_ALPHA:
        return None
    return SlowStart(count, median(values[:count]) / steady if steady else math.inf, steady)


def two_clusters(values: Sequence[float]) -> Clusters | None:
    """Two clusters split at a wide gap (see the module), None when there are not."""
    n = len(values)
    least = max(CLUSTER_MIN, math.ceil(CLUSTER_SHARE * n))
    if n < max(CLUSTER_MIN_N, 2 * least):
        return None
    ordered = sorted(values)
    split = max(range(least, n - least + 1), key=lambda i: ordered[i] - ordered[i - 1])
    low, high = ordered[:split], ordered[split:]
    gap = high[0] - low[-1]
    low_median, high_median = median(low), median(high)
    if gap <= GAP_SPREADS * max(spread(low), spread(high)):
        return None
    if high_median - low_median <= CLUSTER_APART * abs(low_median):
        return None
    return Clusters(len(low), len(high), low_median, high_median)


def runs_factor(measured: float, low: float, high: float, limit: float) -> float | None:
    """How many times the runs would likely decide whether ``measured`` (interval
    ``low``..``high``) is past ``limit`` (see the module); None when it sits right at
    the limit (a factor above :data:`MAX_FACTOR`). At least 1."""
    half = high - measured if limit >= measured else measured - low
    distance = abs(measured - limit)
    if distance == 0 or half <= 0:
        return None if distance == 0 else 1.0
    factor = max(1.0, (half / distance) ** 2)
    return None if factor > MAX_FACTOR else factor
