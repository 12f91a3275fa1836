"""Statistics on known data (values checked by hand or against textbook tables)."""

import math

import pytest

from pbench.stats.summary import (
    Interval,
    median_ci_ranks,
    outliers,
    precision_reached,
    summarize,
    t_quantile,
)


def test_summary_of_known_sample() -> None:
    s = summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 100])
    assert s.n == 10
    assert s.mean == pytest.approx(14.5)
    assert s.stddev == pytest.approx(30.1523907, rel=1e-6)  # N-1 denominator
    assert s.median == 5.5
    assert (s.min, s.max) == (1, 100)
    assert s.p25 == pytest.approx(3.25) and s.p75 == pytest.approx(7.75)
    assert s.iqr == pytest.approx(4.5)
    assert s.mad == pytest.approx(2.5)
    assert s.cv == pytest.approx(s.stddev / s.mean)
    # Order-statistic interval for n=10 at 95%: X(2)..X(9) (1-based), Conover table A3.
    assert s.median_ci == Interval(2.0, 9.0)
    # t interval: 14.5 ± 2.262157 * 30.15239 / sqrt(10)
    half = 2.2621571628 * s.stddev / math.sqrt(10)
    assert s.mean_ci.low == pytest.approx(14.5 - half, rel=1e-7)
    assert s.mean_ci.high == pytest.approx(14.5 + half, rel=1e-7)


def test_single_value() -> None:
    s = summarize([0.25])
    assert (s.n, s.mean, s.stddev, s.median, s.cv) == (1, 0.25, 0.0, 0.25, 0.0)
    assert s.mean_ci == Interval(0.25, 0.25)


def test_empty_sample_is_an_error() -> None:
    with pytest.raises(ValueError):
        summarize([])


@pytest.mark.parametrize(
    ("df", "expected"),
    [(1, 12.7062047), (2, 4.3026527), (3, 3.1824463), (5, 2.5705818), (10, 2.2281389),
     (30, 2.0422725), (120, 1.9799304), (5000, 1.959964)],
)  # fmt: skip
def test_t_quantile_matches_tables(df: int, expected: float) -> None:
    assert t_quantile(0.975, df) == pytest.approx(expected, rel=1e-6)


def test_t_quantile_is_scipys() -> None:
    from scipy import stats

    for df in [*range(3, 60), 99, 100, 101, 500, 999, 1000]:
        for q in (0.6, 0.9, 0.95, 0.975, 0.995, 0.9995):
            assert t_quantile(q, df) == pytest.approx(stats.t.ppf(q, df), rel=1e-9), (q, df)


def test_t_quantile_is_symmetric() -> None:
    assert t_quantile(0.025, 7) == pytest.approx(-t_quantile(0.975, 7))


@pytest.mark.parametrize(
    ("n", "ranks"),
    # 1-based lower ranks from Conover's table: n=6 → 1, n=10 → 2, n=20 → 6, n=100 → 40.
    [(5, (0, 4)), (6, (0, 5)), (10, (1, 8)), (20, (5, 14)), (100, (39, 60))],
)
def test_median_interval_ranks(n: int, ranks: tuple[int, int]) -> None:
    assert median_ci_ranks(n) == ranks


def test_outliers_are_labelled_by_both_rules() -> None:
    values = [10.0, 10.1, 9.9, 10.0, 10.2, 9.8, 10.1, 30.0]
    found = outliers(values)
    assert found.modified_z == (7,)
    assert found.tukey == (7,)
    assert found.tukey_severe == (7,)
    assert found.any == (7,)


def test_no_outliers_in_constant_sample() -> None:
    assert outliers([1.0] * 10).any == ()


def test_precision_reached() -> None:
    tight = [1.0, 1.001, 0.999] * 10
    loose = [1.0, 2.0, 0.5] * 10
    assert precision_reached(tight, 0.01)
    assert not precision_reached(loose, 0.01)
    assert precision_reached(tight, 0.01, of="mean")


def test_modified_z_falls_back_to_mean_deviation_when_mad_is_zero() -> None:
    # More than half the runs identical: MAD = 0, so MeanAD scales the score.
    assert outliers([1.0] * 9 + [1.5]).modified_z == (9,)


def test_slice_values_take_one_median_per_slice_in_order() -> None:
    from pbench.stats.summary import slice_values

    assert slice_values([5.0, 1.0, 3.0, 9.0, 2.0, 4.0], [1, 1, 1, 0, 0, 2]) == [3.0, 5.5, 4.0]
    assert slice_values([], []) == []
    with pytest.raises(ValueError):
        slice_values([1.0], [])


def test_runs_in_slices_are_summarised_by_their_slices() -> None:
    from pbench.models import BenchmarkResult, Measurement, summary_of

    def run(value: float, round_no: int) -> Measurement:
        return Measurement(value, None, None, None, 0, None, False, None, round_no, 0, 0)

    # 10 slices of 50 runs; the runs inside a slice share its level.
    measurements = [run(1.0 + 0.01 * s + 0.0001 * i, s) for s in range(10) for i in range(50)]
    result = BenchmarkResult("q", "q", {}, {}, measurements=measurements)
    summary = summary_of(result)
    assert summary is not None and summary.n == 500
    slice_medians = [1.0 + 0.01 * s + 0.00245 for s in range(10)]
    assert summary.median == pytest.approx((slice_medians[4] + slice_medians[5]) / 2)
    # The interval is that of 10 slice medians (ranks 1 and 8), not of 500 runs.
    assert summary.median_ci.low == pytest.approx(slice_medians[1])
    assert summary.median_ci.high == pytest.approx(slice_medians[8])
