"""Budget checks in words, the same in every CI export (JUnit, the step summary).

A check reads ``"NAME budget p95 <= 250 ms (error)"``; its figures
``"p95 312 ms [298 ms, 330 ms], limit <= 250 ms: broken"``. Values are shown in their
quantity's unit: times scaled to s/ms/µs/ns, bytes in KiB/MiB/GiB, fractions in
percent, rates per second.
"""

from __future__ import annotations

from pbench.report.units import SCALE, SYMBOL, format_bytes, unit_for
from pbench.stats.budget import BudgetCheck, Quantity

STATUS_WORDS = {
    "met": "met",
    "at_risk": "at risk (the limit lies inside the interval)",
    "broken": "broken",
    "no_data": "no data",
}


def value_text(value: float, quantity: Quantity) -> str:
    """One value of a budget's metric, for people."""
    if quantity == "time":
        unit = unit_for(value)
        return f"{value * SCALE[unit]:.4g} {SYMBOL[unit]}"
    if quantity == "bytes":
        return format_bytes(value)
    if quantity == "fraction":
        return f"{value * 100:.4g}%"
    return f"{value:.4g}/s"


def limit_text(check: BudgetCheck) -> str:
    """``<= 250 ms`` (a ceiling) or ``>= 1000/s`` (a floor, where bigger is better)."""
    sign = ">=" if check.bigger_is_better else "<="
    return f"{sign} {value_text(check.limit, check.quantity)}"


def case_name(check: BudgetCheck) -> str:
    """``NAME budget p95 <= 250 ms (error)``."""
    return f"{check.benchmark} budget {check.metric} {limit_text(check)} ({check.level})"


def measured_text(check: BudgetCheck) -> str:
    """``312 ms [298 ms, 330 ms]``: the estimate and its interval (or "no data")."""
    if check.measured is None:
        return "no data"
    text = value_text(check.measured, check.quantity)
    if check.low is not None and check.high is not None:
        low, high = (value_text(v, check.quantity) for v in (check.low, check.high))
        text += f" [{low}, {high}]"
    return text


def figures(check: BudgetCheck) -> str:
    """Everything a reader needs to judge the check, on one line."""
    text = (
        f"{check.metric} {measured_text(check)}, {check.level} limit {limit_text(check)}: "
        f"{STATUS_WORDS[check.status]}"
    )
    return f"{text} ({check.note})" if check.note else text
