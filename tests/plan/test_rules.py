"""The rules every plan checks: --max-time as a cap, with or without --precision."""

from __future__ import annotations

import pytest

from pbench.models import Precision
from pbench.plan.rules import DEFAULT_LOAD_DURATION_S, load_duration
from pbench.run.load import DEFAULT_PRECISION_BUDGET_S


@pytest.mark.parametrize(
    ("runs", "duration", "precision", "max_time", "expected"),
    [
        (None, None, None, None, DEFAULT_LOAD_DURATION_S),
        (None, 5.0, None, None, 5.0),
        (1000, None, None, None, None),  # -r alone: no time limit
        (None, 30.0, None, 2.0, 2.0),  # the cap wins over -d
        (None, 1.0, None, 2.0, 1.0),  # ... and leaves a shorter -d alone
        (1000, None, None, 2.0, 2.0),  # -r stops first, or the cap does
        (None, None, Precision(0.02), None, DEFAULT_PRECISION_BUDGET_S),
        (None, None, Precision(0.02, max_time_s=7.0), 7.0, 7.0),
    ],
)
def test_load_duration(
    runs: int | None,
    duration: float | None,
    precision: Precision | None,
    max_time: float | None,
    expected: float | None,
) -> None:
    assert load_duration(runs, duration, precision, max_time) == expected
