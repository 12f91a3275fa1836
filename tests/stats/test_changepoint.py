"""Change points, their size and severity, the recent slope and the newest value's
anomaly, on constructed series with known answers; and a small run of the accuracy
script's generator and scoring with loose targets (the full table is the script's)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats

import changepoint_accuracy
from pbench.stats.changepoint import (
    ChangePoint,
    SeverityBands,
    analyse_changes,
    change_points,
    severity,
)
from pbench.stats.noise import noise_scale
from pbench.stats.rank_scan import scan, split_p_value
from pbench.stats.recent import newest_anomaly, recent_slope
from pbench.stats.resampling import bootstrap_statistics, median_replicates
from pbench.stats.scan_tail import split_tail
from pbench.stats.step_fit import beyond_line_p


def noisy(levels: list[tuple[int, float]], cv: float = 0.01, seed: int = 0) -> list[float]:
    """Runs of (count, level) with normal noise of ``cv`` relative to 100."""
    rng = np.random.default_rng(seed)
    values = np.concatenate([np.full(count, 100.0 * level) for count, level in levels])
    return [float(v) for v in values + rng.normal(0.0, 100.0 * cv, values.size)]


def indices(points: list[ChangePoint]) -> list[int]:
    return [p.index for p in points]


# --- the rank scan, its tail, the line check, the median bootstrap ------------------------


def test_rank_scan_is_the_standardised_rank_sum_test() -> None:
    x = np.asarray(noisy([(12, 1.0), (18, 1.02)], cv=0.02, seed=4))
    z = scan(x, 5)
    for t in (5, 12, 25):
        u = scipy.stats.mannwhitneyu(x[:t], x[t:], method="asymptotic", use_continuity=False)
        assert z[t - 5] == pytest.approx(abs(scipy.stats.norm.isf(u.pvalue / 2)), rel=1e-6)


def test_rank_scan_with_ties_matches_scipy_tie_correction() -> None:
    x = np.round(np.asarray(noisy([(15, 1.0), (15, 1.03)], cv=0.02, seed=7)))
    assert np.unique(x).size < x.size
    z = scan(x, 5)
    u = scipy.stats.mannwhitneyu(x[:15], x[15:], method="asymptotic", use_continuity=False)
    assert z[10] == pytest.approx(abs(scipy.stats.norm.isf(u.pvalue / 2)), rel=1e-6)


def test_split_p_value_of_a_clean_step_and_of_constant_values() -> None:
    step = np.asarray(noisy([(20, 1.0), (20, 1.5)]))
    assert split_p_value(step, 20, 5) < 1e-5
    assert split_p_value(np.full(30, 7.0), 15, 5) == 1.0
    with pytest.raises(ValueError):
        split_p_value(step, 3, 5)


def test_scan_tail_matches_a_simulated_gaussian_scan() -> None:
    rng = np.random.default_rng(3)
    length, m = 100, 5
    walks = np.cumsum(rng.normal(size=(20000, length)), axis=1)
    t = np.arange(m, length - m + 1)
    z = np.abs(walks[:, t - 1] - walks[:, -1:] * t / length) / np.sqrt(t * (length - t) / length)
    largest = np.sort(z.max(axis=1))
    for alpha in (0.05, 0.01):
        level = float(largest[int((1 - alpha) * largest.size)])
        assert split_tail(level, length, m) == pytest.approx(alpha, rel=0.25)


def test_split_p_value_is_calibrated_on_change_free_series_at_any_alpha() -> None:
    rng = np.random.default_rng(11)
    p = []
    for _ in range(400):
        x = rng.lognormal(size=60)
        p.append(split_p_value(x, int(np.argmax(scan(x, 5))) + 5, 5))
    assert np.mean(np.asarray(p) <= 0.05) < 0.08  # at most about 5%
    assert np.mean(np.asarray(p) <= 0.5) > 0.2  # and not stuck at 1
    assert min(p) > 0  # asymptotic: no floor of 1/(R + 1)


def test_step_beyond_a_line() -> None:
    t = np.arange(60.0)
    rng = np.random.default_rng(2)
    line = 100 + 0.1 * t + rng.normal(0, 0.5, 60)
    scale = noise_scale(line)
    assert beyond_line_p(line, 30, 5, scale) > 0.01
    stepped = line + 5.0 * (t >= 30)
    assert beyond_line_p(stepped, 30, 5, scale) < 1e-6


def test_median_replicates_draw_from_the_bootstrap_distribution() -> None:
    x = np.asarray(noisy([(21, 1.0)], cv=0.05, seed=5))
    for values in (x, x[:20]):
        fast = median_replicates(values, 20000, np.random.default_rng(1))
        slow = bootstrap_statistics(values.tolist(), ["median"], 20000, np.random.default_rng(2))
        assert scipy.stats.ks_2samp(fast, slow["median"]).pvalue > 0.001
    with pytest.raises(ValueError):
        median_replicates([], 10, np.random.default_rng(0))


# --- change points ----------------------------------------------------------------------


def test_one_step_is_found_with_its_size() -> None:
    points = change_points(noisy([(40, 1.0), (40, 1.10)]))
    assert len(points) == 1
    point = points[0]
    assert abs(point.index - 40) <= 1
    assert point.before == pytest.approx(100, rel=0.01)
    assert point.after == pytest.approx(110, rel=0.01)
    assert point.change_interval.low < 0.10 < point.change_interval.high
    assert point.change_interval.low < point.change < point.change_interval.high
    assert point.p_value <= 0.01
    assert point.severity() == "major"


def test_the_change_interval_covers_the_truth_on_clean_steps() -> None:
    covered = 0
    for seed in range(40):
        points = change_points(noisy([(30, 1.0), (30, 0.93)], cv=0.01, seed=seed), seed=seed)
        point = min(points, key=lambda p: abs(p.index - 30))
        assert abs(point.index - 30) <= 1
        covered += point.change_interval.low < -0.07 < point.change_interval.high
    assert covered >= 34  # 95% intervals: 38 expected, 34 is > 2 standard errors below


def test_two_steps_in_opposite_directions() -> None:
    points = change_points(noisy([(50, 1.0), (30, 1.2), (60, 0.95)], cv=0.02, seed=1))
    assert [abs(i - t) <= 2 for i, t in zip(indices(points), (50, 80), strict=True)] == [
        True,
        True,
    ]
    assert [p.severity() for p in points] == ["critical", "critical"]
    assert points[0].after == pytest.approx(points[1].before)


def test_no_change_in_noise_of_any_shape() -> None:
    rng = np.random.default_rng(5)
    assert change_points(noisy([(200, 1.0)], cv=0.05, seed=2)) == []
    assert change_points([float(v) for v in 100 * rng.lognormal(0, 0.3, 300)]) == []
    assert change_points([5.0] * 50) == []
    assert change_points([1.0, 2.0, 3.0]) == []
    assert change_points([]) == []


def test_a_single_outlier_is_not_a_change_point() -> None:
    for where in (0, 3, 50, 96, 99):
        values = noisy([(100, 1.0)], seed=where)
        values[where] *= 5
        assert change_points(values) == [], where


def test_a_slow_drift_is_a_slope_not_a_cascade_of_change_points() -> None:
    values = [v * (1 + 0.05 * i / 299) for i, v in enumerate(noisy([(300, 1.0)], seed=8))]
    assert change_points(values) == []
    slope = recent_slope(values, last=300)
    assert slope is not None and slope.relative_interval.low > 0
    # a step on top of the drift is still found
    stepped = [v * (1.08 if i >= 200 else 1.0) for i, v in enumerate(values)]
    assert [abs(i - 200) <= 2 for i in indices(change_points(stepped))] == [True]


def test_bad_arguments_are_refused() -> None:
    values = noisy([(40, 1.0), (40, 1.1)])
    with pytest.raises(ValueError):
        change_points(values, min_size=1)
    with pytest.raises(ValueError):
        change_points(values, alpha=0.0)
    with pytest.raises(ValueError):
        change_points([1.0, float("nan")] * 10)


def test_any_alpha_works_even_otavas_default() -> None:
    values = noisy([(30, 1.0), (30, 1.2)], seed=3)
    for alpha in (0.05, 0.001, 1e-6):
        assert [abs(i - 30) <= 1 for i in indices(change_points(values, alpha=alpha))] == [True]


def test_a_regression_fixed_ten_commits_later_has_both_edges() -> None:
    values = noisy([(30, 1.0), (10, 1.1), (20, 1.0)], seed=4)
    assert [abs(i - t) <= 1 for i, t in zip(indices(change_points(values)), (30, 40), strict=True)]
    assert len(change_points(values)) == 2


def test_a_long_history_has_no_quadratic_cost() -> None:
    values = noisy([(60000, 1.0), (40000, 1.05)], seed=5)
    points = change_points(values, alpha=0.001)
    assert [abs(p.index - 60000) <= 2 for p in points] == [True]


def test_noisier_since_is_its_own_event() -> None:
    values = noisy([(60, 1.0)], cv=0.01, seed=6) + noisy([(60, 1.0)], cv=0.03, seed=7)
    found = analyse_changes(values)
    assert found.levels == ()
    [spread] = found.spreads
    assert abs(spread.index - 60) <= 3 and spread.kind == "noisier"
    assert 2 < spread.ratio < 4.5
    assert analyse_changes(noisy([(120, 1.0)], seed=8)).spreads == ()


def test_a_drift_is_a_sloped_piece() -> None:
    values = [v * (1 + 0.1 * i / 99) for i, v in enumerate(noisy([(100, 1.0)], seed=9))]
    found = analyse_changes(values)
    assert found.levels == () and found.pieces == ("sloped",)


def test_results_depend_only_on_the_seed() -> None:
    values = noisy([(40, 1.0), (40, 1.04), (40, 0.98)], cv=0.02, seed=9)
    first = change_points(values, seed=3)
    assert first == change_points(values, seed=3)
    assert indices(first) == indices(change_points(values, seed=4))


# --- severity, slope, anomaly -----------------------------------------------------------


def test_severity_bands() -> None:
    assert [severity(c) for c in (0.0, 0.049, -0.05, 0.15, -0.151, 2.0)] == [
        "minor",
        "minor",
        "major",
        "major",
        "critical",
        "critical",
    ]
    strict = SeverityBands(major=0.02, critical=0.10)
    assert [severity(c, strict) for c in (0.01, 0.03, 0.11)] == ["minor", "major", "critical"]
    with pytest.raises(ValueError):
        SeverityBands(major=0.2, critical=0.1)


def test_slope_interval_matches_scipy_linregress() -> None:
    rng = np.random.default_rng(4)
    values = [float(v) for v in 50 + 0.2 * np.arange(40) + rng.normal(0, 1, 40)]
    slope = recent_slope([0.0] * 10 + values, last=40)
    reference = scipy.stats.linregress(range(40), values)
    half = scipy.stats.t.ppf(0.975, 38) * reference.stderr
    assert slope is not None and slope.n == 40
    assert slope.slope == pytest.approx(reference.slope)
    assert slope.interval.low == pytest.approx(reference.slope - half, rel=1e-6)
    assert slope.interval.high == pytest.approx(reference.slope + half, rel=1e-6)
    assert slope.interval.low < 0.2 < slope.interval.high
    assert slope.relative == pytest.approx(reference.slope / reference.intercept)
    assert recent_slope([1.0, 2.0]) is None


def test_newest_value_anomaly() -> None:
    stable = noisy([(30, 1.0)], seed=12)
    far = newest_anomaly([*stable, 110.0])
    near = newest_anomaly([*stable, 101.0])
    assert far is not None and far.is_anomaly and far.mads > far.limit_mads > 0
    assert near is not None and not near.is_anomaly
    assert far.mads == pytest.approx((110.0 - far.centre) / far.mad)
    # an old outlier does not widen the interval
    spoiled = [*stable[:10], 300.0, *stable[10:]]
    assert newest_anomaly([*spoiled, 110.0]).is_anomaly  # type: ignore[union-attr]


def test_anomaly_is_judged_after_the_last_change_point() -> None:
    values = noisy([(30, 1.0), (20, 1.2)], seed=13)
    newest = [*values, 120.0]
    # judged against the whole history the new level looks anomalous; after the change not
    assert newest_anomaly(newest).is_anomaly  # type: ignore[union-attr]
    assert newest_anomaly(newest, last_change=30).is_anomaly is False  # type: ignore[union-attr]
    assert newest_anomaly([*values[:30], 120.0]).is_anomaly  # type: ignore[union-attr]
    assert newest_anomaly(newest, last_change=48) is None  # too few since the change
    assert newest_anomaly([]) is None


# --- the accuracy script, small ---------------------------------------------------------


def test_accuracy_script_scoring() -> None:
    case = changepoint_accuracy.Case([0.0] * 100, (20, 60), (0.1, -0.1), 0.01, 0.0, 0)
    scored = changepoint_accuracy.score(case, [22, 57, 80])
    assert scored.matched == (True, False) and scored.false == 2
    assert changepoint_accuracy.score(case, [19, 21]).false == 1  # one step, one match


def test_accuracy_on_a_small_synthetic_set() -> None:
    cases = changepoint_accuracy.generate(90, seed=21)
    scores = changepoint_accuracy.run(cases, changepoint_accuracy.default_detector)
    found, total = changepoint_accuracy.recall(scores, (0.05, 1.0), (0.0, 0.02))
    alarms, free = changepoint_accuracy.false_alarms(scores)
    true, detections = changepoint_accuracy.precision(scores)
    assert total >= 20 and free >= 20
    assert found / total >= 0.8
    assert alarms / free <= 0.1
    assert true / detections >= 0.8
