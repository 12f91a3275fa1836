"""Budget checks in words for the CI exports (JUnit, the step summary), in the same
units and words as the terminal's compliance table (:mod:`pbench.report.budgets`).

A check reads ``"NAME budget p95 ≤ 250.0 ms (error)"``; its figures
``"p95 312.0 ms [298.0 ms, 330.0 ms], error limit ≤ 250.0 ms: broken"``.
"""

from __future__ import annotations

from pbench.report.budgets import STATUS_TEXT, limit_text, measured_text
from pbench.stats.budget import BudgetCheck

__all__ = ["case_name", "figures", "limit_text", "measured_text"]


def case_name(check: BudgetCheck) -> str:
    """``NAME budget p95 ≤ 250.0 ms (error)``."""
    return f"{check.benchmark} budget {check.metric} {limit_text(check)} ({check.level})"


def figures(check: BudgetCheck) -> str:
    """Everything a reader needs to judge the check, on one line."""
    status = STATUS_TEXT[check.status]
    if check.status == "at_risk":
        status += " (the limit lies inside the interval)"
    text = (
        f"{check.metric} {measured_text(check)}, {check.level} limit {limit_text(check)}: {status}"
    )
    return f"{text} ({check.note})" if check.note else text
