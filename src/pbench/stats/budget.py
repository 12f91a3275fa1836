"""Budgets (SLAs): limits on what a benchmark measured, judged on its interval.

A :class:`Budget` is one metric with a ``warn`` and/or an ``error`` level, in base
units (seconds, bytes, a fraction, per second). Judging it gives one
:class:`BudgetCheck` per level: *broken* when the whole interval is past the limit,
*at risk* when the limit lies inside the interval, *met* when the whole interval is
within it, *no data* when the benchmark did not measure that metric.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["warn", "error"]
Status = Literal["met", "at_risk", "broken", "no_data"]
# What a metric's value is: seconds, bytes, a fraction (0..1), events per second.
Quantity = Literal["time", "bytes", "fraction", "rate"]


@dataclass(frozen=True)
class Budget:
    """A limit on one metric (its JSON name: ``mean``, ``median``, ``p95``, ``max``,
    ``rss``, ``cpu``, ``cpu_util``, ``error_rate``, ``throughput``, ...).

    Limits are ceilings, except for metrics where bigger is better (``throughput``),
    where they are floors. At least one of ``warn`` and ``error`` is set.
    """

    metric: str
    warn: float | None = None
    error: float | None = None


@dataclass(frozen=True)
class BudgetCheck:
    """One level of one budget, judged on one benchmark's result.

    ``measured`` is the point estimate and ``low``/``high`` its interval (None with
    ``no_data``); ``note`` says how the interval was made or why there is no data.
    """

    benchmark: str
    metric: str
    level: Level
    limit: float
    quantity: Quantity
    bigger_is_better: bool
    status: Status
    measured: float | None
    low: float | None
    high: float | None
    note: str | None = None
