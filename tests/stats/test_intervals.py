"""Intervals for budgets against known values: quantile ranks against the binomial
distribution (scipy), Wilson against published values, quantiles against numpy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

from pbench.stats.intervals import quantile, quantile_interval, transferred, wilson_interval
from pbench.stats.summary import (
    Interval,
    median_ci_ranks,
    quantile_ci_ranks,
    quantile_ci_reached,
)


def ranks_by_scipy(n: int, q: float, confidence: float = 0.95) -> tuple[int, int]:
    """Equal tails: the largest j with P(B <= j) <= α/2, the smallest k with
    P(B >= k + 1) <= α/2, clamped to the sample."""
    tail = (1 - confidence) / 2
    lows = [j for j in range(n) if binom.cdf(j, n, q) <= tail]
    highs = [k for k in range(n) if binom.sf(k, n, q) <= tail]
    return (max(lows) if lows else 0), (min(highs) if highs else n - 1)


@pytest.mark.parametrize("n", [1, 5, 6, 10, 20, 73, 100, 250, 1000])
@pytest.mark.parametrize("q", [0.05, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999])
def test_quantile_ranks_match_the_binomial_distribution(n: int, q: float) -> None:
    assert quantile_ci_ranks(n, q) == ranks_by_scipy(n, q)


@pytest.mark.parametrize("n", [6, 10, 30, 100, 500])
def test_ranks_cover_at_least_the_confidence_when_reached(n: int) -> None:
    for q in (0.5, 0.9, 0.95):
        if not quantile_ci_reached(n, q):
            continue
        j, k = quantile_ci_ranks(n, q)
        coverage = binom.cdf(k, n, q) - binom.cdf(j, n, q)  # P(j < B <= k)
        assert coverage >= 0.95


def test_the_median_is_the_half_quantile() -> None:
    for n in range(1, 60):
        j, k = median_ci_ranks(n)
        assert (j, k) == quantile_ci_ranks(n, 0.5)
        assert k == n - 1 - j
    assert median_ci_ranks(10) == (1, 8)  # Conover's table A3: X(2)..X(9)


def test_when_a_quantile_interval_is_reached() -> None:
    # p95 needs 72 values for its upper tail at 95%: 0.95^72 = 0.0249 <= 0.025 first
    # there (0.95^71 = 0.0262).
    assert not quantile_ci_reached(71, 0.95)
    assert quantile_ci_reached(72, 0.95)
    assert quantile_ci_reached(6, 0.5) and not quantile_ci_reached(5, 0.5)


def test_quantile_is_numpy_linear_interpolation() -> None:
    values = sorted([3.0, 1.0, 4.0, 1.5, 9.0, 2.6, 5.0])
    for q in (0.0, 0.1, 0.5, 0.9, 0.95, 1.0):
        assert quantile(values, q) == pytest.approx(float(np.percentile(values, q * 100)))


def test_quantile_interval_holds_the_estimate() -> None:
    values = [float(v) for v in range(1, 101)]
    interval = quantile_interval(values, 0.9)
    j, k = quantile_ci_ranks(100, 0.9)
    assert interval == Interval(values[j], values[k])
    assert interval.low <= quantile(values, 0.9) <= interval.high


def test_wilson_against_published_values() -> None:
    # 10 of 100 at 95% (Newcombe 1998, Table I style): 0.0552 .. 0.1744.
    ci = wilson_interval(0.1, 100)
    assert ci.low == pytest.approx(0.05523, abs=5e-5)
    assert ci.high == pytest.approx(0.17437, abs=5e-5)
    # 0 of 20: z² / (n + z²) = 3.8415 / 23.8415.
    zero = wilson_interval(0.0, 20)
    assert zero.low == 0.0
    assert zero.high == pytest.approx(3.841459 / 23.841459, rel=1e-6)


def test_wilson_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        wilson_interval(0.5, 0)
    with pytest.raises(ValueError):
        wilson_interval(1.5, 10)


def test_a_relative_interval_is_transferred() -> None:
    assert transferred(200.0, 10.0, Interval(9.0, 12.0)) == Interval(180.0, 240.0)
    assert transferred(5.0, 0.0, Interval(-1.0, 1.0)) == Interval(5.0, 5.0)
