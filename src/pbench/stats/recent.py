"""The recent runs of a history: their slope with an interval, and whether the newest
value is an anomaly against the runs since the last change point.

- Slope: the least-squares line through the last ``last`` values
  (:func:`pbench.stats.trend.linear_trend`), its interval b ± t(1 − α/2, n − 2)·se(b)
  with se(b) = √(Σ residual² / (n − 2) / Σ(i − ī)²) (the t test of
  :mod:`pbench.stats.trend`), also per run as a fraction of the line's start.
- Anomaly: a robust prediction interval. The centre is the window's median and the
  spread σ̂ = 1.4826·MAD (floored at 0.1% of the median, as in
  :mod:`pbench.stats.diagnosis`); the newest value is an anomaly when
  |x − median| > t(1 − α/2, n − 1)·σ̂·√(1 + 1/n), the t prediction interval for one
  new value (Hahn & Meeker, *Statistical Intervals*, 1991, §4.7) with the median and
  MAD standing in for the mean and standard deviation, so a past outlier does not
  widen it. The window is the values after the last change point and before the
  newest, at most ``window`` of them; below ``min_n`` values nothing is judged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pbench.stats.diagnosis import MAD_FLOOR, MAD_SCALE, median
from pbench.stats.summary import CONFIDENCE, Interval, t_quantile
from pbench.stats.trend import linear_trend

SLOPE_RUNS = 20
ANOMALY_ALPHA = 0.001
ANOMALY_WINDOW = 50
ANOMALY_MIN_N = 5


@dataclass(frozen=True)
class Slope:
    """``slope`` per run over the last ``n`` runs with its interval and the p-value of
    slope = 0; ``relative`` and ``relative_interval`` per run as a fraction of the
    fitted start (0 when it is 0)."""

    n: int
    slope: float
    interval: Interval
    p_value: float
    start: float

    @property
    def relative(self) -> float:
        return self.slope / abs(self.start) if self.start else 0.0

    @property
    def relative_interval(self) -> Interval:
        if not self.start:
            return Interval(0.0, 0.0)
        return Interval(self.interval.low / abs(self.start), self.interval.high / abs(self.start))


@dataclass(frozen=True)
class Anomaly:
    """The newest ``value`` against the window's ``centre`` (median) and ``mad``
    (unscaled, floored): ``mads`` = (value − centre)/mad, signed; ``limit_mads`` is
    the prediction interval's half-width in the same unit."""

    value: float
    centre: float
    mad: float
    n: int
    mads: float
    limit_mads: float

    @property
    def is_anomaly(self) -> bool:
        return abs(self.mads) > self.limit_mads


def recent_slope(
    values: Sequence[float], last: int = SLOPE_RUNS, confidence: float = CONFIDENCE
) -> Slope | None:
    """The slope of the last ``last`` values (see the module); None below 3 values."""
    window = [float(v) for v in values[-last:]] if last > 0 else []
    trend = linear_trend(window)
    if trend is None:
        return None
    n = trend.n
    centre = (n - 1) / 2
    sxx = sum((i - centre) ** 2 for i in range(n))
    residual = sum((y - trend.start - trend.slope * i) ** 2 for i, y in enumerate(window))
    half = t_quantile(0.5 + confidence / 2, n - 2) * math.sqrt(residual / (n - 2) / sxx)
    return Slope(
        n, trend.slope, Interval(trend.slope - half, trend.slope + half), trend.p_value, trend.start
    )


def newest_anomaly(
    values: Sequence[float],
    last_change: int = 0,
    *,
    alpha: float = ANOMALY_ALPHA,
    window: int = ANOMALY_WINDOW,
    min_n: int = ANOMALY_MIN_N,
) -> Anomaly | None:
    """Whether ``values[-1]`` is an anomaly against ``values[last_change:-1]`` (the
    index of the last change point, 0 when there is none), at most its last ``window``
    values (see the module); None when fewer than ``min_n`` values are left."""
    if not values:
        return None
    history = [float(v) for v in values[max(0, last_change) : len(values) - 1]][-window:]
    n = len(history)
    if n < max(min_n, 2):
        return None
    centre = median(history)
    mad = max(median([abs(v - centre) for v in history]), MAD_FLOOR * abs(centre) / MAD_SCALE)
    value = float(values[-1])
    limit = t_quantile(1 - alpha / 2, n - 1) * MAD_SCALE * math.sqrt(1 + 1 / n)
    if mad == 0:
        mads = 0.0 if value == centre else math.copysign(math.inf, value - centre)
    else:
        mads = (value - centre) / mad
    return Anomaly(value, centre, mad, n, mads, limit)
