"""Interleaved rounds compared as pairs: Wilcoxon's signed-rank test and a paired
bootstrap, against scipy and on synthetic rounds with a shared machine state."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from pbench.stats.comparison import compare_paired, compare_samples
from pbench.stats.resampling import signed_rank_p


@pytest.mark.parametrize("seed", range(12))
def test_signed_rank_p_matches_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 80))
    d = np.round(rng.normal(0.2 * (seed % 3), 1.0, n), 1)  # rounding makes ties and zeros
    expected = stats.wilcoxon(d, zero_method="wilcox", correction=True, method="approx").pvalue
    assert signed_rank_p(d.tolist()) == pytest.approx(float(expected), rel=1e-9, abs=1e-12)


def test_signed_rank_p_of_nothing_is_one() -> None:
    assert signed_rank_p([0.0, 0.0]) == 1.0
    assert signed_rank_p([]) == 1.0


def rounds(
    rng: np.random.Generator, n: int, ratio: float
) -> tuple[dict[int, float], dict[int, float]]:
    """Rounds whose machine state (a factor of 1 or 5, as loopback round trips of 14 µs
    or 100 µs) touches both benchmarks alike, plus 1% noise of their own."""
    state = np.where(rng.random(n) < 0.5, 1.0, 5.0)
    a = state * (1 + 0.01 * rng.standard_normal(n))
    b = ratio * state * (1 + 0.01 * rng.standard_normal(n))
    return dict(enumerate(a.tolist())), dict(enumerate(b.tolist()))


def test_pairs_see_through_a_shared_machine_state_that_hides_the_change_otherwise() -> None:
    a, b = rounds(np.random.default_rng(5), 40, 1.05)
    paired = compare_paired(a, b, name="b", reference_name="a", resamples=2000)
    unpaired = compare_samples(
        list(a.values()), list(b.values()), name="b", reference_name="a", resamples=2000
    )
    assert paired.paired and paired.verdict == "slower"
    assert paired.ratio_median_ci[0] > 1.02
    assert unpaired.verdict == "inconclusive"
    assert paired.as_dict()["method"]["test"].startswith("Wilcoxon signed-rank")


def test_identical_benchmarks_in_shared_rounds_are_rarely_called_different() -> None:
    rng = np.random.default_rng(11)
    wrong = 0
    trials = 200
    for seed in range(trials):
        a, b = rounds(rng, 30, 1.0)
        c = compare_paired(a, b, name="b", reference_name="a", resamples=1000, seed=seed)
        wrong += c.verdict in ("slower", "faster")
    assert wrong / trials <= 0.05 + 2 * (0.05 * 0.95 / trials) ** 0.5


def test_rounds_that_do_not_pair_up_are_compared_as_independent_samples() -> None:
    a = {i: 1.0 + 0.01 * (i % 5) for i in range(10)}
    b = {i + 100: 1.2 + 0.01 * (i % 5) for i in range(10)}  # sequential order
    c = compare_paired(a, b, name="b", reference_name="a", resamples=1000)
    assert not c.paired and c.verdict == "slower"
    assert "Mann-Whitney" in c.as_dict()["method"]["test"]
