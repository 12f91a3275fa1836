"""The budget score on known inputs: each branch of the formula, the band edges, floors,
the weakest link, the suite's mean and the cases without a score."""

from __future__ import annotations

import pytest

from pbench.stats.budget import BudgetCheck, Level
from pbench.stats.score import (
    NO_BUDGETS,
    NO_DATA,
    Score,
    band,
    benchmark_score,
    metric_score,
    scores,
    shown,
    suite_score,
)


def ceiling(measured: float, warn: float | None = None, error: float | None = None) -> float:
    return metric_score(measured, warn=warn, error=error, bigger_is_better=False)


def floor(measured: float, warn: float | None = None, error: float | None = None) -> float:
    return metric_score(measured, warn=warn, error=error, bigger_is_better=True)


def check(
    metric: str,
    level: Level,
    limit: float,
    measured: float | None,
    benchmark: str = "a",
    bigger_is_better: bool = False,
) -> BudgetCheck:
    return BudgetCheck(
        benchmark=benchmark,
        metric=metric,
        level=level,
        limit=limit,
        quantity="rate" if bigger_is_better else "time",
        bigger_is_better=bigger_is_better,
        status="no_data" if measured is None else "met",
        measured=measured,
        low=measured,
        high=measured,
    )


@pytest.mark.parametrize(
    ("measured", "expected"),
    [(0.0, 100.0), (0.05, 100.0), (0.075, 87.5), (0.1, 75.0)],
)
def test_within_the_first_limit_scores_75_to_100(measured: float, expected: float) -> None:
    assert ceiling(measured, warn=0.1, error=0.2) == pytest.approx(expected)
    assert ceiling(measured, error=0.1) == pytest.approx(expected)  # L0 = E without W


@pytest.mark.parametrize(
    ("measured", "expected"),
    [(0.1 + 1e-12, 74.0), (0.15, 57.0), (0.2, 40.0)],
)
def test_between_warn_and_error_scores_40_to_74(measured: float, expected: float) -> None:
    assert ceiling(measured, warn=0.1, error=0.2) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("measured", "expected"),
    [(0.2 + 1e-12, 39.0), (0.3, 19.5), (0.4, 0.0), (1.0, 0.0)],
)
def test_past_the_error_level_is_critical_and_0_at_twice_it(
    measured: float, expected: float
) -> None:
    assert ceiling(measured, warn=0.1, error=0.2) == pytest.approx(expected)
    assert ceiling(measured, error=0.2) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("measured", "expected"),
    [(0.1 + 1e-12, 74.0), (0.15, 57.0), (0.2, 40.0), (5.0, 40.0)],
)
def test_only_a_warn_level_is_never_critical(measured: float, expected: float) -> None:
    assert ceiling(measured, warn=0.1) == pytest.approx(expected)


def test_floors_mirror_ceilings_through_reciprocals() -> None:
    # throughput floor: warn 1000/s, error 500/s
    assert floor(2000, warn=1000, error=500) == pytest.approx(100.0)
    assert floor(1000, warn=1000, error=500) == pytest.approx(75.0)
    assert floor(1500, warn=1000, error=500) == pytest.approx(
        75 + 25 * 2 * (1 / 1000 - 1 / 1500) * 1000
    )
    assert floor(500, warn=1000, error=500) == pytest.approx(40.0)
    assert floor(250, warn=1000, error=500) == pytest.approx(0.0)
    assert floor(0, error=500) == 0.0
    assert floor(0, warn=1000) == 40.0
    assert floor(1e9, warn=1000) == 100.0


def test_the_rounded_score_never_crosses_a_level() -> None:
    just_past_error = ceiling(0.2000001, warn=0.1, error=0.2)
    just_past_warn = ceiling(0.1000001, warn=0.1, error=0.2)
    assert (shown(just_past_error), band(just_past_error)) == (39, "critical")
    assert (shown(just_past_warn), band(just_past_warn)) == (74, "average")


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (100, "excellent"),
        (90, "excellent"),
        (89.49, "good"),
        (89.5, "excellent"),
        (75, "good"),
        (74.4, "average"),
        (60, "average"),
        (59, "poor"),
        (40, "poor"),
        (39.5, "poor"),
        (39.49, "critical"),
        (0, "critical"),
    ],
)
def test_bands_at_both_edges(score: float, expected: str) -> None:
    assert band(score) == expected


def test_bad_budgets_are_refused() -> None:
    with pytest.raises(ValueError):
        ceiling(1.0)
    with pytest.raises(ValueError):
        ceiling(1.0, error=0.0)


def test_the_weakest_budget_decides() -> None:
    checks = [
        check("median", "error", 1.0, 0.01),  # 100
        check("p95", "warn", 0.1, 0.15),
        check("p95", "error", 0.2, 0.15),  # 57
        check("throughput", "error", 100.0, 1000.0, bigger_is_better=True),  # 100
    ]
    result = benchmark_score("a", checks)
    assert result.value == pytest.approx(57.0)
    assert (result.shown, result.band) == (57, "poor")
    assert result.weakest is not None and result.weakest.metric == "p95"
    p95 = next(m for m in result.metrics if m.metric == "p95")
    assert (p95.warn, p95.error, p95.measured) == (0.1, 0.2, 0.15)
    broken = benchmark_score("a", [*checks, check("rss", "error", 100.0, 150.0)])
    assert broken.value == pytest.approx(19.5) and broken.band == "critical"


def test_no_data_metrics_do_not_count_and_all_no_data_is_none() -> None:
    measured = benchmark_score(
        "a", [check("p95", "error", 0.2, None), check("mean", "error", 0.2, 0.1)]
    )
    assert measured.value == pytest.approx(100.0)
    nothing = benchmark_score(
        "a", [check("p95", "error", 0.2, None), check("rss", "warn", 1e6, None)]
    )
    assert (nothing.value, nothing.reason, nothing.band, nothing.shown) == (
        None,
        NO_DATA,
        None,
        None,
    )


def test_without_budgets_there_is_no_score_and_the_reason_says_why() -> None:
    by_name = scores(["a", "b"], [check("p95", "error", 0.2, 0.1, benchmark="a")])
    assert list(by_name) == ["a", "b"]
    assert by_name["a"].value == pytest.approx(100.0)
    assert by_name["b"].value is None and by_name["b"].reason == NO_BUDGETS


def test_the_suite_score_is_the_mean_of_the_scores_that_exist() -> None:
    assert (
        suite_score([Score("a", 100.0), Score("b", 42.0), Score("c", None, reason=NO_BUDGETS)])
        == 71.0
    )
    assert suite_score([Score("c", None, reason=NO_BUDGETS)]) is None
    assert suite_score([]) is None
