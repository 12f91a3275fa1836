"""Judging from aggregates (mean, sd, n): Welch's t-test and the t interval of the mean
checked against scipy, the verdicts they give, the gates, and what cannot be judged."""

from __future__ import annotations

import math

import pytest
from scipy import stats as scipy_stats

from pbench.errors import UsageError
from pbench.stats.aggregate import Aggregate, mean_interval, of_info, of_sample, welch
from pbench.stats.comparison import adjust_family, compare_aggregates
from pbench.stats.gate import evaluate_aggregates, parse_fail_if


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (Aggregate(1.0e-3, 0.05e-3, 100), Aggregate(1.2e-3, 0.05e-3, 100)),
        (Aggregate(2.0, 0.5, 8), Aggregate(2.3, 0.1, 30)),
        (Aggregate(5.0, 1.0, 5), Aggregate(5.1, 3.0, 6)),
    ],
)
def test_welch_p_value_is_scipy_s_at_the_rounded_down_degrees_of_freedom(
    a: Aggregate, b: Aggregate
) -> None:
    found = welch(a, b)
    assert a.stddev is not None and b.stddev is not None and a.n and b.n
    exact = scipy_stats.ttest_ind_from_stats(b.mean, b.stddev, b.n, a.mean, a.stddev, a.n,
                                             equal_var=False)  # fmt: skip
    v1, v2 = a.stddev**2 / a.n, b.stddev**2 / b.n
    df = (v1 + v2) ** 2 / (v1**2 / (a.n - 1) + v2**2 / (b.n - 1))
    assert found.df == math.floor(df)
    at_floor = 2 * scipy_stats.t.sf(abs(exact.statistic), math.floor(df))
    assert math.isclose(found.p_value, at_floor, rel_tol=1e-6, abs_tol=1e-12)
    assert found.p_value >= exact.pvalue - 1e-12  # rounding df down never claims more


def test_the_ratio_interval_is_the_delta_method_on_the_log_scale() -> None:
    a, b = Aggregate(1.0, 0.1, 50), Aggregate(1.5, 0.2, 40)
    found = welch(a, b)
    assert found.df is not None
    se = math.sqrt(0.1**2 / 50 / 1.0**2 + 0.2**2 / 40 / 1.5**2)
    half = scipy_stats.t.ppf(0.975, found.df) * se
    assert found.ratio == pytest.approx(1.5)
    assert found.ratio_ci[0] == pytest.approx(1.5 * math.exp(-half), rel=1e-6)
    assert found.ratio_ci[1] == pytest.approx(1.5 * math.exp(half), rel=1e-6)


def test_the_mean_interval_is_the_t_interval_cut_at_zero() -> None:
    low, high = mean_interval(Aggregate(2.0, 0.5, 10))
    half = scipy_stats.t.ppf(0.975, 9) * 0.5 / math.sqrt(10)
    assert (low, high) == (pytest.approx(2.0 - half, rel=1e-6), pytest.approx(2.0 + half, rel=1e-6))
    assert mean_interval(Aggregate(1e-9, 5e-9, 5))[0] == 0.0
    assert mean_interval(Aggregate(3.0, None, None)) == (3.0, 3.0)  # nothing to widen it


def test_verdicts_of_aggregates_follow_the_rules_of_every_comparison() -> None:
    base = Aggregate(1.0e-3, 0.05e-3, 100)
    slower = compare_aggregates(base, Aggregate(1.2e-3, 0.05e-3, 100), name="b", reference_name="a")
    assert slower.verdict == "slower" and slower.aggregates and slower.statistic == "mean"
    wide = Aggregate(1.0e-3, 0.1e-3, 100)  # its mean known to about ±2%
    same = compare_aggregates(wide, Aggregate(1.0e-3, 0.01e-3, 100000), name="b",
                              reference_name="a")  # fmt: skip
    assert same.verdict == "inconclusive"  # the baseline's own spread is too wide for "same"
    tight = Aggregate(1.0e-3, 0.001e-3, 10000)
    assert compare_aggregates(tight, tight, name="b", reference_name="a").verdict == "same"
    few = compare_aggregates(Aggregate(1.0, 0.01, 3), Aggregate(2.0, 0.01, 3), name="b",
                             reference_name="a")  # fmt: skip
    assert few.verdict == "inconclusive" and "only 3 runs" in (few.advice or "")
    untestable = compare_aggregates(Aggregate(1.0, None, None), Aggregate(2.0, 0.1, 50),
                                    name="b", reference_name="a")  # fmt: skip
    assert untestable.verdict == "inconclusive" and "no test" in (untestable.advice or "")
    assert adjust_family([untestable])[0].advice == untestable.advice  # Holm keeps it
    assert untestable.as_dict()["method"]["test"].startswith("Welch")


def test_a_sample_meets_an_aggregate_as_its_own_mean_sd_and_n() -> None:
    sample = [1.0, 2.0, 3.0, 4.0]
    found = of_sample(sample)
    assert found.mean == 2.5 and found.n == 4
    assert found.stddev == pytest.approx(scipy_stats.tstd(sample))
    assert of_info({"aggregate": {"mean": 1.0, "stddev": None, "n": None}}) == Aggregate(
        1.0, None, None
    )
    assert of_info({"aggregate": {"mean": "x"}}) is None and of_info({}) is None


def test_gates_on_the_mean_use_welch_s_interval_and_others_are_refused() -> None:
    base, slow = Aggregate(1.0e-3, 0.05e-3, 100), Aggregate(1.2e-3, 0.05e-3, 100)
    relative, absolute = parse_fail_if("mean:5%"), parse_fail_if("mean:0.1ms")
    results = evaluate_aggregates([relative, absolute], "b", base, slow)
    assert [r.failed for r in results] == [True, True]
    assert results[0].estimate == pytest.approx(0.2)
    assert results[0].bound == pytest.approx(welch(base, slow).ratio_ci[0] - 1.0)
    assert not evaluate_aggregates([parse_fail_if("mean:30%")], "b", base, slow)[0].failed
    with pytest.raises(UsageError, match="median is not known"):
        evaluate_aggregates([parse_fail_if("median:5%")], "b", base, slow)
