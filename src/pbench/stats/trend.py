"""A straight-line trend through values in execution order, and whether it is real.

- Least squares: slope b = Σ(i − ī)(y − ȳ) / Σ(i − ī)², intercept a = ȳ − b·ī, with i
  the run's index (0, 1, 2, ...).
- Significance: t = b / se(b), se(b) = sqrt(Σ residual² / (n − 2) / Σ(i − ī)²), on
  n − 2 degrees of freedom; the two-sided p-value is P(|T| ≥ |t|) = I_x(df/2, 1/2) with
  x = df / (df + t²), the regularised incomplete beta function (Abramowitz & Stegun
  26.7.1; evaluated by its continued fraction, Numerical Recipes 3rd ed. §6.4).
- A trend is *significant* (:func:`significant_trend`) when p < ``alpha`` (0.01), there
  are at least ``min_n`` (10) values, and the fitted line moves by more than
  ``min_change`` (5%) of its starting value over the runs: a tiny but steady creep is
  not worth advice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

ALPHA = 0.01
MIN_N = 10
MIN_CHANGE = 0.05


@dataclass(frozen=True)
class Trend:
    """``slope`` per run; ``start`` and ``end`` are the fitted line's values at the first
    and the last run; ``p_value`` is that of the t test of slope = 0."""

    n: int
    slope: float
    start: float
    end: float
    p_value: float

    @property
    def change(self) -> float:
        """The fitted change over the runs as a fraction of the start (inf from 0)."""
        if self.start == 0:
            return 0.0 if self.end == 0 else math.inf
        return (self.end - self.start) / abs(self.start)


def linear_trend(values: Sequence[float]) -> Trend | None:
    """The least-squares line through ``values`` (None below 3 values)."""
    n = len(values)
    if n < 3:
        return None
    x_mean = (n - 1) / 2
    y_mean = sum(values) / n
    sxx = sum((i - x_mean) ** 2 for i in range(n))
    sxy = sum((i - x_mean) * (y - y_mean) for i, y in enumerate(values))
    slope = sxy / sxx
    intercept = y_mean - slope * x_mean
    residual = sum((y - intercept - slope * i) ** 2 for i, y in enumerate(values))
    df = n - 2
    if slope == 0:
        p_value = 1.0
    elif residual <= 1e-24 * max(1.0, sum(y * y for y in values)):
        p_value = 0.0  # a perfect line
    else:
        t = slope / math.sqrt(residual / df / sxx)
        p_value = t_two_sided_p(t, df)
    return Trend(n, slope, intercept, intercept + slope * (n - 1), p_value)


def significant_trend(
    values: Sequence[float],
    *,
    alpha: float = ALPHA,
    min_n: int = MIN_N,
    min_change: float = MIN_CHANGE,
) -> Trend | None:
    """The trend of ``values`` when it is significant (see the module), else None."""
    if len(values) < min_n:
        return None
    trend = linear_trend(values)
    if trend is None or trend.p_value >= alpha or abs(trend.change) <= min_change:
        return None
    return trend


def t_two_sided_p(t: float, df: int) -> float:
    """P(|T| ≥ |t|) for Student's t with ``df`` degrees of freedom."""
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if not math.isfinite(t):
        return 0.0
    return incomplete_beta(df / 2, 0.5, df / (df + t * t))


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), for a, b > 0, 0 ≤ x ≤ 1."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The continued fraction converges fast for x < (a + 1)/(a + b + 2); else use symmetry.
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b), by the modified Lentz method."""
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return h
