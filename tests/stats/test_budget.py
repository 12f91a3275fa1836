"""Judging budgets on intervals: every status, both levels, ceilings and floors."""

from __future__ import annotations

import pytest

from pbench.stats.budget import Budget, Estimate, judge, status_of


def estimate(value: float, low: float, high: float) -> Estimate:
    return Estimate(value, low, high, "time", "made by hand")


@pytest.mark.parametrize(
    ("low", "high", "status"),
    [
        (0.08, 0.09, "met"),  # the whole interval below the ceiling
        (0.09, 0.11, "at_risk"),  # the ceiling inside
        (0.09, 0.10, "at_risk"),  # on the upper end: inside, ends included
        (0.10, 0.12, "at_risk"),  # on the lower end
        (0.11, 0.12, "broken"),  # the whole interval above
    ],
)
def test_a_ceiling_against_the_interval(low: float, high: float, status: str) -> None:
    [check] = judge("a", Budget("p95", error=0.1), estimate((low + high) / 2, low, high))
    assert check.status == status
    assert (check.level, check.limit, check.bigger_is_better) == ("error", 0.1, False)
    assert (check.low, check.high) == (low, high)
    assert check.note == "made by hand"


@pytest.mark.parametrize(
    ("low", "high", "status"),
    [(1100, 1200, "met"), (900, 1100, "at_risk"), (1000, 1000, "at_risk"), (800, 900, "broken")],
)
def test_a_floor_mirrors_the_ceiling(low: float, high: float, status: str) -> None:
    rate = Estimate((low + high) / 2, low, high, "rate")
    [check] = judge("a", Budget("throughput", error=1000), rate)
    assert check.bigger_is_better
    assert check.quantity == "rate"
    assert check.status == status


def test_one_check_per_level_warn_first() -> None:
    checks = judge("a", Budget("mean", warn=0.05, error=0.2), estimate(0.1, 0.09, 0.11))
    assert [(c.level, c.limit, c.status) for c in checks] == [
        ("warn", 0.05, "broken"),
        ("error", 0.2, "met"),
    ]
    assert all(c.benchmark == "a" and c.metric == "mean" for c in checks)


def test_a_warn_level_alone() -> None:
    [check] = judge("a", Budget("max", warn=0.05), estimate(0.1, 0.1, 0.1))
    assert (check.level, check.status) == ("warn", "broken")


def test_no_estimate_is_no_data_with_the_reason() -> None:
    checks = judge("a", Budget("rss", warn=1e8, error=2e8), None, "rss is not measured here")
    assert [c.status for c in checks] == ["no_data", "no_data"]
    assert all(c.measured is None and c.low is None and c.high is None for c in checks)
    assert checks[0].note == "rss is not measured here"
    assert checks[0].quantity == "bytes"


def test_status_of_a_point() -> None:
    assert status_of(1.0, 1.0, 1.0) == "at_risk"
    assert status_of(1.0, 1.0, 2.0) == "met"
    assert status_of(1.0, 1.0, 2.0, floor=True) == "broken"
