"""Confidence intervals that budgets need beside the summary's: any quantile of a
sample (distribution-free), a proportion (Wilson score), and the transfer of a relative
interval from one estimate onto another.

Pure functions on plain numbers.

Sources:
- Quantiles: linear interpolation between order statistics (Hyndman & Fan 1996,
  definition 7), as :mod:`pbench.stats.summary` reports them; their interval lies
  between two order statistics chosen from the Binomial(n, q) distribution
  (:func:`pbench.stats.summary.quantile_ci_ranks`).
- Proportions: the Wilson score interval (Wilson, "Probable inference, the law of
  succession, and statistical inference", JASA 22, 1927; Agresti & Coull 1998 on why it
  beats the Wald interval near 0, where error rates live).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

from pbench.stats.summary import CONFIDENCE, Interval, quantile_ci_ranks


def quantile(ordered: Sequence[float], q: float) -> float:
    """The q-quantile (0 <= q <= 1) of a sorted, non-empty sample, by linear
    interpolation (numpy's default, so p50 is the median)."""
    if not ordered:
        raise ValueError("empty sample")
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def quantile_interval(
    ordered: Sequence[float], q: float, confidence: float = CONFIDENCE
) -> Interval:
    """Distribution-free interval of the q-quantile of a sorted, non-empty sample.

    Too few values for the quantile (fewer than 72 for p95 at 95%) give an interval
    that ends at the sample's largest (or smallest) value, which then covers less than
    asked for (:func:`pbench.stats.summary.quantile_ci_reached` tells).
    """
    low, high = quantile_ci_ranks(len(ordered), q, confidence)
    point = quantile(ordered, q)
    return Interval(min(float(ordered[low]), point), max(float(ordered[high]), point))


def wilson_interval(proportion: float, n: float, confidence: float = CONFIDENCE) -> Interval:
    """Wilson score interval of a proportion observed over n independent trials.

    ``n`` may be fractional, as when a proportion of many dependent events (requests
    of one slice) is given the weight of the independent units (slices) it came from.
    """
    if n <= 0:
        raise ValueError("no trials")
    if not 0.0 <= proportion <= 1.0:
        raise ValueError("a proportion is between 0 and 1")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    z2n = z * z / n
    centre = (proportion + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(proportion * (1 - proportion) / n + z2n / (4 * n))
    return Interval(max(centre - half, 0.0), min(centre + half, 1.0))


def transferred(value: float, centre: float, interval: Interval) -> Interval:
    """``interval`` of ``centre``, made relative and applied to ``value``: the interval
    of an overall figure from the spread of per-slice figures of the same kind. A zero
    centre gives the point ``value``."""
    if centre == 0:
        return Interval(value, value)
    return Interval(value * interval.low / centre, value * interval.high / centre)
