"""Budgets (SLAs): limits on what a benchmark measured, judged on its interval.

A :class:`Budget` is one metric with a ``warn`` and/or an ``error`` level, in base
units (seconds, bytes, a fraction, per second, instructions, cycles). Judging it gives one
:class:`BudgetCheck` per level: *broken* when the whole interval is past the limit,
*at risk* when the limit lies inside the interval, *met* when the whole interval is
within it, *no data* when the benchmark did not measure that metric.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Level = Literal["warn", "error"]
Status = Literal["met", "at_risk", "broken", "no_data"]
# What a metric's value is: seconds, bytes, a fraction (0..1), events per second, or a
# count of instructions or estimated cycles (--measure instructions|cycles).
Quantity = Literal["time", "bytes", "fraction", "rate", "instructions", "cycles"]

# Metric -> what its value is (the names are the JSON's). Percentiles (p50, p95,
# p99.9, ...) are times too. plan.budgets parses limits with these; run.budgets
# estimates them.
METRICS: dict[str, Quantity] = {
    "mean": "time",
    "median": "time",
    "min": "time",
    "max": "time",
    "rss": "bytes",
    "cpu": "time",
    "cpu_util": "fraction",
    "error_rate": "fraction",
    "throughput": "rate",
    # The median count of a benchmark measured with --measure instructions|cycles.
    "instructions": "instructions",
    "cycles": "cycles",
}
BIGGER_IS_BETTER = frozenset({"throughput"})
PERCENTILE = re.compile(r"^p(\d{1,2})(?:[._](\d+))?$")


def percentile_of(metric: str) -> float:
    """``"p95"`` → 95.0, ``"p99.9"`` (or ``"p99_9"``) → 99.9; -1 when not a percentile."""
    match = PERCENTILE.match(metric)
    if not match:
        return -1.0
    whole, fraction = match.groups()
    return float(f"{whole}.{fraction}" if fraction else whole)


def quantity_of(metric: str) -> Quantity:
    """What a (known) metric's value is; percentiles are times."""
    return METRICS.get(metric, "time")


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


@dataclass(frozen=True)
class Estimate:
    """What a benchmark measured of one metric: a point ``value`` and its interval
    [``low``, ``high``] (equal to the value where there is no spread to speak of, as for
    min and max), in base units; ``note`` says how the interval was made."""

    value: float
    low: float
    high: float
    quantity: Quantity
    note: str | None = None


def judge(
    benchmark: str,
    budget: Budget,
    estimate: Estimate | None,
    missing: str = "not measured for this benchmark",
) -> list[BudgetCheck]:
    """One check per level the budget sets (warn, then error).

    A ceiling is *broken* when the whole interval is above it, *at risk* when it lies
    inside the interval (ends included), *met* when the whole interval is below it; a
    floor (bigger is better) mirrors that. Without an estimate every level has *no
    data*, with ``missing`` as the note.
    """
    floor = budget.metric in BIGGER_IS_BETTER
    levels: list[tuple[Level, float]] = []
    if budget.warn is not None:
        levels.append(("warn", budget.warn))
    if budget.error is not None:
        levels.append(("error", budget.error))
    checks = []
    for level, limit in levels:
        if estimate is None:
            checks.append(
                BudgetCheck(
                    benchmark, budget.metric, level, limit, quantity_of(budget.metric), floor,
                    "no_data", None, None, None, missing,
                )
            )  # fmt: skip
            continue
        checks.append(
            BudgetCheck(
                benchmark, budget.metric, level, limit, estimate.quantity, floor,
                status_of(estimate.low, estimate.high, limit, floor),
                estimate.value, estimate.low, estimate.high, estimate.note,
            )
        )  # fmt: skip
    return checks


def status_of(low: float, high: float, limit: float, floor: bool = False) -> Status:
    """Where the limit lies against the interval [low, high]."""
    if low <= limit <= high:
        return "at_risk"
    past = high < limit if floor else low > limit
    return "broken" if past else "met"
