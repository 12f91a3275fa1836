"""The pure maths behind the recommendations, on known data: the trend's t test against
scipy, the slow start, the two clusters and the runs that would decide a budget."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats

from pbench.stats.diagnosis import (
    MAX_FACTOR,
    coefficient_of_variation,
    runs_factor,
    slow_start,
    two_clusters,
)
from pbench.stats.trend import incomplete_beta, linear_trend, significant_trend, t_two_sided_p


@pytest.mark.parametrize(
    ("t", "df"), [(0.5, 3), (2.0, 8), (5.3, 20), (10.0, 100), (-3.0, 1), (1.2, 2)]
)
def test_t_test_p_value_matches_scipy(t: float, df: int) -> None:
    assert t_two_sided_p(t, df) == pytest.approx(2 * scipy.stats.t.sf(abs(t), df), rel=1e-9)


def test_incomplete_beta_matches_scipy_and_its_ends() -> None:
    for a, b, x in [(0.5, 0.5, 0.3), (2.0, 3.0, 0.9), (10.0, 0.5, 0.99)]:
        assert incomplete_beta(a, b, x) == pytest.approx(scipy.special.betainc(a, b, x), rel=1e-9)
    assert (incomplete_beta(2, 3, 0.0), incomplete_beta(2, 3, 1.0)) == (0.0, 1.0)


def test_linear_trend_matches_scipy_linregress() -> None:
    rng = np.random.default_rng(1)
    y = [float(v) for v in rng.normal(10, 1, 30) + 0.1 * np.arange(30)]
    trend = linear_trend(y)
    reference = scipy.stats.linregress(range(30), y)
    assert trend is not None
    assert trend.slope == pytest.approx(reference.slope)
    assert trend.start == pytest.approx(reference.intercept)
    assert trend.end == pytest.approx(reference.intercept + 29 * reference.slope)
    assert trend.p_value == pytest.approx(reference.pvalue, rel=1e-6)


def test_trend_edge_cases() -> None:
    assert linear_trend([1.0, 2.0]) is None
    flat = linear_trend([5.0] * 10)
    assert flat is not None and (flat.slope, flat.p_value, flat.change) == (0.0, 1.0, 0.0)
    line = linear_trend([float(i) for i in range(1, 11)])
    assert line is not None and line.p_value == 0.0 and line.change == pytest.approx(9.0)


def test_significant_trend_needs_p_n_and_a_real_change() -> None:
    growing = [10.0 + i + 0.3 * (-1) ** i for i in range(12)]
    assert significant_trend(growing) is not None
    assert significant_trend(growing[:9]) is None  # too few runs
    creeping = [100.0 + 0.01 * i + 0.001 * (-1) ** i for i in range(50)]
    assert linear_trend(creeping).p_value < 1e-6  # type: ignore[union-attr]
    assert significant_trend(creeping) is None  # 0.5% over the runs: not worth a word
    rng = np.random.default_rng(3)
    noisy = [float(v) for v in rng.normal(100, 20, 40)]
    assert significant_trend(noisy) is None


def test_coefficient_of_variation() -> None:
    assert coefficient_of_variation([1.0, 2.0, 3.0]) == pytest.approx(0.5)
    assert coefficient_of_variation([4.0]) == 0.0
    assert coefficient_of_variation([0.0, 0.0]) == 0.0


def test_slow_start_counts_the_leading_slow_runs() -> None:
    steady = [10.0, 10.2, 9.9, 10.1, 9.8, 10.0, 10.3, 9.9, 10.1, 10.0] * 2
    found = slow_start([30.0, 22.0, 15.0, *steady])
    assert found is not None and found.count == 3
    assert found.ratio == pytest.approx(22.0 / 10.0)
    assert slow_start(steady) is None
    assert slow_start([10.5, *steady]) is None  # 5% slower: within the steady spread
    # one slow run in 20 could be the tail; three in a row could not
    assert slow_start([14.0, *steady[:19]]) is None
    assert slow_start([14.0, 14.0, *steady[:18]]) is not None


def test_slow_start_is_quiet_on_unimodal_noise() -> None:
    for seed in range(50):
        rng = np.random.default_rng(seed)
        assert slow_start([float(v) for v in 100 + rng.exponential(5, 100)]) is None


def test_two_clusters_found_and_not_invented() -> None:
    rng = np.random.default_rng(5)
    mixed = [float(v) for v in np.concatenate([rng.normal(10, 0.2, 15), rng.normal(14, 0.2, 15)])]
    rng.shuffle(mixed)
    found = two_clusters(mixed)
    assert found is not None and (found.low_n, found.high_n) == (15, 15)
    assert (found.low, found.high) == (pytest.approx(10, abs=0.2), pytest.approx(14, abs=0.2))
    for seed in range(50):
        normal = np.random.default_rng(seed).normal(100, 10, 50)
        assert two_clusters([float(v) for v in normal]) is None
    one_outlier = [10.0 + 0.01 * i for i in range(30)] + [50.0]
    assert two_clusters(one_outlier) is None  # one far run is an outlier, not a cluster
    assert two_clusters(mixed[:19]) is None  # too few to tell


def test_runs_factor_from_the_interval_on_the_limit_side() -> None:
    # 243 ms [231, 262], limit 250: half-width toward the limit 19, distance 7
    assert runs_factor(0.243, 0.231, 0.262, 0.250) == pytest.approx((19 / 7) ** 2)
    # limit below the estimate: the lower half-width counts
    assert runs_factor(0.243, 0.231, 0.262, 0.237) == pytest.approx(4.0)
    assert runs_factor(0.243, 0.231, 0.262, 0.243) is None  # right at the limit
    half = 0.019
    near = 0.243 + half / math.sqrt(MAX_FACTOR) * 0.9
    assert runs_factor(0.243, 0.231, 0.262, near) is None  # would need > 25x
    assert runs_factor(0.243, 0.243, 0.243, 0.250) == 1.0  # degenerate interval
