"""The hierarchical comparison of several runs per side: formulas against scipy, coverage."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pbench.stats.comparison import compare_runs, compare_samples
from pbench.stats.hierarchy import (
    expanded_confidence,
    hierarchical_statistics,
    resamples_for,
    run_t_test_p,
    side_statistic,
    t_two_sided_p,
)


@pytest.mark.parametrize("df", [1, 2, 3, 4, 5, 8, 13, 30])
def test_t_p_value_matches_scipy(df: int) -> None:
    from scipy import stats

    for t in (0.0, 0.3, -1.2, 2.0, 4.5, 12.0):
        assert t_two_sided_p(t, df) == pytest.approx(2 * stats.t.sf(abs(t), df), abs=1e-12)


def test_run_t_test_matches_scipy_on_logs() -> None:
    from scipy import stats

    rng = np.random.default_rng(3)
    for n1, n2 in ((3, 3), (2, 5), (1, 3), (10, 7)):
        a, b = rng.lognormal(0.0, 0.1, n1), rng.lognormal(0.08, 0.1, n2)
        expected = stats.ttest_ind(np.log(a), np.log(b)).pvalue
        assert run_t_test_p(list(a), list(b)) == pytest.approx(expected, rel=1e-9)
    assert run_t_test_p([1.0], [1.0]) == 1.0  # no degree of freedom
    assert run_t_test_p([1.0, 1.0], [1.0, 1.0]) == 1.0
    assert run_t_test_p([1.0, 1.0], [2.0, 2.0]) == 0.0


def test_expanded_confidence_follows_hesterberg() -> None:
    from scipy import stats

    for r1, r2 in ((3, 3), (5, 5), (3, 8), (20, 20)):
        smaller = min(r1, r2)
        z = math.sqrt(smaller / (smaller - 1)) * stats.t.ppf(0.975, r1 + r2 - 2)
        expected = 1 - 2 * stats.norm.sf(z)
        assert expanded_confidence(0.95, r1, r2) == pytest.approx(expected, rel=1e-7)
    assert expanded_confidence(0.95, 1, 5) == 0.95  # no run-level spread on one side
    assert resamples_for(0.95, 10_000) == 10_000
    assert resamples_for(0.999, 10_000) == 40_000


def test_one_slice_per_run_is_the_ordinary_bootstrap_of_the_run_means() -> None:
    # With a single slice per run, stage two changes nothing: the replicates are the
    # bootstrap of the mean of R values, whose variance is the plug-in s²(R-1)/R / R.
    values = [1.0, 2.0, 4.0, 7.0, 11.0, 16.0]
    replicates = hierarchical_statistics(
        [[v] for v in values], ["mean"], 40_000, np.random.default_rng(0)
    )["mean"]
    r = len(values)
    expected = np.std(values) / math.sqrt(r)  # np.std is the plug-in (ddof=0)
    assert float(np.std(replicates)) == pytest.approx(expected, rel=0.02)
    assert float(np.mean(replicates)) == pytest.approx(np.mean(values), rel=0.01)


def test_side_statistic_weighs_each_run_alike() -> None:
    runs = [[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [3.0, 3.0, 3.0]]
    assert side_statistic(runs, "median") == 2.0  # the pooled median would be 1.0
    assert side_statistic(runs, "mean") == 2.0


def test_one_run_each_is_the_single_level_comparison() -> None:
    rng = np.random.default_rng(1)
    a, b = list(rng.normal(1.0, 0.01, 30)), list(rng.normal(1.1, 0.01, 30))
    one = compare_runs([a], [b], name="b", reference_name="a", resamples=2000)
    assert one == compare_samples(a, b, name="b", reference_name="a", resamples=2000)
    assert not one.hierarchical and one.verdict == "slower"


def _side(
    rng: np.random.Generator, runs: int, slices: int, ratio: float = 1.0
) -> list[list[float]]:
    """Runs with a random per-run offset (sd 5%) and within-run noise (sd 2%)."""
    return [
        list(ratio * math.exp(rng.normal(0.0, 0.05)) * np.exp(rng.normal(0.0, 0.02, slices)))
        for _ in range(runs)
    ]


def test_hierarchical_interval_covers_where_the_single_level_one_does_not() -> None:
    """200 seeded A/A trials of 5 runs per side, the run offsets dominating the noise.

    Pooling the slices as if independent gives an interval that misses the true ratio
    (1) most of the time and "detects" differences that are machine changes; the
    hierarchical interval covers at about its nominal 95%, and its verdicts stay
    within alpha.
    """
    trials = 200
    covered = {"single": 0, "hierarchical": 0}
    false_verdicts = {"single": 0, "hierarchical": 0}
    for seed in range(trials):
        rng = np.random.default_rng(seed)
        base, cand = _side(rng, 5, 20), _side(rng, 5, 20)
        single = compare_samples(
            [v for run in base for v in run], [v for run in cand for v in run],
            name="b", reference_name="a", resamples=1000, seed=seed,
        )  # fmt: skip
        nested = compare_runs(base, cand, name="b", reference_name="a", resamples=1000, seed=seed)
        assert nested.hierarchical and nested.runs_reference == 5 and nested.n_reference == 100
        for label, c in (("single", single), ("hierarchical", nested)):
            low, high = c.ratio_ci
            covered[label] += low <= 1.0 <= high
            false_verdicts[label] += c.verdict in ("slower", "faster")
    assert covered["single"] / trials < 0.5
    assert false_verdicts["single"] / trials > 0.3
    assert 0.90 <= covered["hierarchical"] / trials <= 0.995
    assert false_verdicts["hierarchical"] / trials <= 0.06


def test_a_real_change_across_runs_is_found_and_tested_on_runs() -> None:
    from scipy import stats

    rng = np.random.default_rng(7)
    base, cand = _side(rng, 4, 20), _side(rng, 4, 20, ratio=1.5)
    c = compare_runs(base, cand, name="new", reference_name="old", resamples=2000)
    assert c.verdict == "slower"
    low, high = c.ratio_ci
    assert low < c.ratio_median < high and low > 1.3
    medians = [np.log([np.median(run) for run in side]) for side in (base, cand)]
    assert c.p_value == pytest.approx(stats.ttest_ind(*medians).pvalue, rel=1e-9)
    method = c.as_dict()["method"]
    assert method["interval"] == "hierarchical bootstrap: runs, then slices"
    assert "6 df" in method["test"]
    assert c.as_dict()["runs_candidate"] == 4 and c.as_dict()["slices_candidate"] == 80


def test_fewer_than_three_runs_a_side_give_no_verdict() -> None:
    rng = np.random.default_rng(2)
    base, cand = _side(rng, 2, 20), _side(rng, 2, 20, ratio=2.0)
    c = compare_runs(base, cand, name="new", reference_name="old", resamples=2000)
    assert c.verdict == "inconclusive"
    assert c.advice is not None and "at least 3" in c.advice


def test_inconclusive_advice_counts_result_files() -> None:
    rng = np.random.default_rng(5)
    base, cand = _side(rng, 3, 20), _side(rng, 3, 20, ratio=1.03)
    c = compare_runs(base, cand, name="new", reference_name="old", resamples=2000)
    assert c.verdict == "inconclusive"
    assert c.advice is not None and "result files per side" in c.advice
