"""The statistical building blocks on known data: Mann-Whitney U, Holm, bootstrap."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats as scipy_stats

from pbench.stats.comparison import contrast_replicates
from pbench.stats.resampling import (
    CACHED_DRAWS_ELEMENTS,
    bootstrap_statistics,
    holm_adjust,
    mann_whitney_p,
    percentile_interval,
    percentile_of,
    seeded_bootstraps,
)


def _samples(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n1, n2 = int(rng.integers(2, 80)), int(rng.integers(2, 80))
    shift = rng.choice([0.0, 0.01, 0.05, 0.2])
    a = rng.lognormal(0.0, 0.1, n1)
    b = rng.lognormal(shift, 0.1, n2)
    if seed % 3 == 0:  # coarse clock: many ties
        a, b = np.round(a, 2), np.round(b, 2)
    return a, b


@pytest.mark.parametrize("seed", range(300))
def test_mann_whitney_matches_scipy_asymptotic(seed: int) -> None:
    a, b = _samples(seed)
    expected = scipy_stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
    assert mann_whitney_p(a, b) == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-15)


def test_mann_whitney_known_values() -> None:
    # Complete separation, 10 vs 10: U = 0, z = (50 - 0.5)/sqrt(175) = 3.7418.
    p = mann_whitney_p(list(range(10)), list(range(10, 20)))
    assert p == pytest.approx(math.erfc(49.5 / math.sqrt(175.0) / math.sqrt(2.0)))
    assert p == pytest.approx(1.8267e-4, rel=1e-3)
    assert mann_whitney_p([1.0] * 6, [1.0] * 7) == 1.0  # all tied: no evidence at all
    assert mann_whitney_p([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]) == 1.0
    with pytest.raises(ValueError):
        mann_whitney_p([], [1.0])


def _textbook_holm(p: list[float], alpha: float) -> list[bool]:
    """Holm (1979) as written: order the p-values, reject H_(1)..H_(k-1) where k is the
    first step with p_(k) > alpha / (m - k + 1), and accept the rest."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    rejected = [False] * m
    for k, index in enumerate(order):
        if p[index] > alpha / (m - k):
            break
        rejected[index] = True
    return rejected


def test_holm_known_values() -> None:
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") -> 0.03 0.06 0.06 0.02
    assert holm_adjust([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm_adjust([0.2]) == [0.2]
    assert holm_adjust([0.5, 0.9]) == [1.0, 1.0]
    assert holm_adjust([]) == []


@pytest.mark.parametrize("seed", range(200))
def test_holm_agrees_with_the_textbook_procedure(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 12))
    p = [float(v) for v in rng.uniform(0, 0.1, m) ** rng.uniform(0.5, 2.0)]
    adjusted = holm_adjust(p)
    for alpha in (0.01, 0.05, 0.1):
        # '<=' because the textbook rejects at equality; adjusted p < alpha is strict.
        mine = [a <= alpha for a in adjusted]
        assert mine == _textbook_holm(p, alpha)
    assert all(a >= v for a, v in zip(adjusted, p, strict=True))


def test_bootstrap_statistics_equal_numpy_on_the_same_resamples() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(10.0, 1.0, 41)
    names = ["median", "mean", "min", "max", "p95", "p10", "p99.9"]
    got = bootstrap_statistics(x, names, 2500, np.random.default_rng(3))
    replay = np.random.default_rng(3)
    # Same draws in the same chunking (2500 rows fit one chunk for n = 41).
    idx = replay.integers(0, x.size, size=(2500, x.size), dtype=np.int32)
    idx.sort(axis=1)
    drawn = np.sort(x)[idx]
    assert np.allclose(got["median"], np.median(drawn, axis=1))
    assert np.allclose(got["mean"], drawn.mean(axis=1))
    assert np.allclose(got["min"], drawn.min(axis=1))
    assert np.allclose(got["max"], drawn.max(axis=1))
    for q in (95.0, 10.0, 99.9):
        assert np.allclose(got[f"p{q:g}"], np.percentile(drawn, q, axis=1))


def test_bootstrap_is_seeded_and_chunking_does_not_matter() -> None:
    x = np.random.default_rng(1).lognormal(0, 0.2, 3000)  # several chunks
    one = bootstrap_statistics(x, ["median"], 1000, np.random.default_rng(9))["median"]
    two = bootstrap_statistics(x, ["median"], 1000, np.random.default_rng(9))["median"]
    assert np.array_equal(one, two)
    assert one.shape == (1000,)
    assert abs(float(np.mean(one)) - float(np.median(x))) < 0.01


def test_bootstrap_rejects_unknown_statistics_and_empty_samples() -> None:
    with pytest.raises(ValueError):
        bootstrap_statistics([1.0, 2.0], ["p100"], 1000, np.random.default_rng(0))
    with pytest.raises(ValueError):
        bootstrap_statistics([], ["median"], 1000, np.random.default_rng(0))
    assert percentile_of("p95") == 95.0
    assert percentile_of("p0") is None
    assert percentile_of("pX") is None


def test_percentile_interval_of_undefined_ratios_is_nan_without_a_warning() -> None:
    # 0/0 ratios: runs shorter than the shell spawn time that was subtracted (issue 19).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        low, high = percentile_interval(np.full(1000, np.nan), 0.95)
        assert math.isnan(low) and math.isnan(high)
        some = np.concatenate([np.full(10, np.nan), np.arange(1, 101, dtype=np.float64)])
        assert percentile_interval(some, 0.95) == pytest.approx(
            tuple(np.percentile(np.arange(1, 101), [2.5, 97.5]))
        )
        with_inf = np.array([1.0, 2.0, np.inf, np.nan])
        assert percentile_interval(with_inf, 0.5)[0] == pytest.approx(np.percentile([1, 2], 50))


def test_percentile_interval_of_known_replicates() -> None:
    replicates = np.arange(1, 10_001, dtype=np.float64)
    low, high = percentile_interval(replicates, 0.95)
    assert low == pytest.approx(np.percentile(replicates, 2.5))
    assert high == pytest.approx(np.percentile(replicates, 97.5))


@pytest.mark.parametrize("size", [1, 2, 3, 7, 8, 41])
def test_short_sample_means_are_numpys_bit_for_bit(size: int) -> None:
    # Means of fewer than 8 values take a faster path: the same numbers, not close ones.
    x = np.random.default_rng(size).lognormal(0.0, 0.3, size)
    got = bootstrap_statistics(x, ["mean"], 5000, np.random.default_rng(4))["mean"]
    replay = np.random.default_rng(4)
    idx = np.sort(replay.integers(0, x.size, size=(5000, x.size), dtype=np.int32), axis=1)
    assert np.array_equal(got, np.sort(x)[idx].mean(axis=1))


@pytest.mark.parametrize("sizes", [(2, 2), (5, 30), (400, 3)])
def test_seeded_bootstraps_are_bootstrap_statistics_in_turn(sizes: tuple[int, int]) -> None:
    # Small draws are kept for the next comparison, large ones are not: same values.
    rng = np.random.default_rng(sum(sizes))
    samples = [rng.lognormal(0.0, 0.2, n) for n in sizes]
    names = ["median", "mean", "p90"]
    resamples = 3000
    kept = resamples * sum(sizes) <= CACHED_DRAWS_ELEMENTS
    assert kept == (sizes != (400, 3))
    for _ in range(2):  # the second time from what was kept
        got = seeded_bootstraps(samples, names, resamples, seed=11)
        replay = np.random.default_rng(11)
        for sample, statistics in zip(samples, got, strict=True):
            expected = bootstrap_statistics(sample, names, resamples, replay)
            for name in names:
                assert np.array_equal(statistics[name], expected[name])


@pytest.mark.parametrize("seed", range(40))
def test_percentile_interval_is_numpys_percentile_exactly(seed: int) -> None:
    rng = np.random.default_rng(seed)
    replicates = rng.lognormal(0.0, 1.0, int(rng.choice([1, 2, 10, 999, 10_000])))
    if seed % 3 == 0:  # a reference resample of 0 gives infinite ratios
        replicates[rng.integers(0, replicates.size, max(1, replicates.size // 20))] = np.inf
    if seed % 4 == 0:
        replicates = np.round(replicates, 1)  # ties
    for confidence in (0.5, 0.9, 0.95, 0.99, 0.999):
        tail = (1 - confidence) / 2 * 100
        with np.errstate(invalid="ignore"):
            expected = np.percentile(replicates, [tail, 100 - tail])
        assert np.array_equal(percentile_interval(replicates, confidence), expected, equal_nan=True)
    with_nan = np.append(replicates, np.nan)  # NaN ratios (0 / 0) are left out
    without = percentile_interval(replicates, 0.9)
    assert np.array_equal(percentile_interval(with_nan, 0.9), without, equal_nan=True)


@pytest.mark.parametrize("statistic", ["median", "mean"])
def test_bootstrap_ratio_interval_covers_the_true_ratio(statistic: str) -> None:
    """Lognormal(μ, σ): median e^μ, mean e^(μ+σ²/2); both ratios are e^(μ_b − μ_a)."""
    true_ratio = math.exp(0.03)
    trials, covered = 200, 0
    for seed in range(trials):
        rng = np.random.default_rng(1000 + seed)
        a = rng.lognormal(0.0, 0.1, 60)
        b = rng.lognormal(0.03, 0.1, 60)
        ratios = contrast_replicates(a, b, [statistic], "ratio", resamples=2000, seed=seed)
        low, high = percentile_interval(ratios[statistic], 0.95)
        covered += low <= true_ratio <= high
    # Nominal 95%; the percentile interval of a median runs a little wide or narrow
    # at n = 60. Seeded, so this is deterministic.
    assert 0.88 <= covered / trials <= 0.99


def test_difference_replicates_are_in_seconds() -> None:
    a = np.full(20, 0.100)
    b = np.full(20, 0.103)
    diff = contrast_replicates(a, b, ["mean", "p95"], "difference", resamples=1000)
    assert np.allclose(diff["mean"], 0.003)
    assert np.allclose(diff["p95"], 0.003)
