"""Events worth a message: a budget broken, a regression against a baseline, a change
point in a benchmark's history. Plain data, in base units (seconds, bytes, a fraction,
per second: ``quantity`` says which; instructions and cycles are counts).

Severities, from the least to the most urgent: ``warning`` (worth a look, decides
nothing), ``minor``, ``major``, ``critical``. A budget broken at its error level is
``critical``: it is an SLA, and it fails the run (exit 4). A regression's severity
follows its size (:func:`severity_of_change`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from pbench.stats.budget import BudgetCheck, Quantity

if TYPE_CHECKING:
    from pbench.history.baseline import BaselineComparison

Kind = Literal["budget", "regression", "change_point"]
Severity = Literal["warning", "minor", "major", "critical"]
SEVERITIES: tuple[Severity, ...] = ("warning", "minor", "major", "critical")


@dataclass(frozen=True)
class Value:
    """A figure and its interval (None where there is none)."""

    value: float
    low: float | None = None
    high: float | None = None

    def as_dict(self) -> dict[str, float | None]:
        return {"value": self.value, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class Event:
    """One finding about one metric of one benchmark.

    ``before`` is the baseline (regressions, change points); a budget has none and a
    ``limit`` instead. ``commit_before``..``commit_after`` is the range of commits in
    which the change happened (``commit_before`` None for budgets: only the measured
    commit is known).
    """

    kind: Kind
    severity: Severity
    benchmark: str
    metric: str
    quantity: Quantity
    after: Value
    before: Value | None = None
    limit: float | None = None
    bigger_is_better: bool = False
    commit_before: str | None = None
    commit_after: str | None = None

    @property
    def change(self) -> float | None:
        """after / before - 1 (+0.25 is 25 % more), None without a baseline."""
        if self.before is None or self.before.value == 0:
            return None
        return self.after.value / self.before.value - 1


def commit_of(metadata: Mapping[str, Any]) -> str | None:
    """The measured commit from a run's metadata (None outside a git work tree)."""
    git = metadata.get("git")
    commit = git.get("commit") if isinstance(git, Mapping) else None
    return commit if isinstance(commit, str) else None


def budget_events(checks: Sequence[BudgetCheck], metadata: Mapping[str, Any]) -> list[Event]:
    """One ``critical`` event per error-level check that is broken (others are skipped)."""
    return [
        Event(
            kind="budget",
            severity="critical",
            benchmark=check.benchmark,
            metric=check.metric,
            quantity=check.quantity,
            after=Value(check.measured, check.low, check.high),
            limit=check.limit,
            bigger_is_better=check.bigger_is_better,
            commit_after=commit_of(metadata),
        )
        for check in checks
        if check.level == "error" and check.status == "broken" and check.measured is not None
    ]


def severity_of_change(change: float) -> Severity:
    """A regression's severity by its size: ≥ 25 % critical, ≥ 10 % major, else minor."""
    size = abs(change)
    return "critical" if size >= 0.25 else "major" if size >= 0.10 else "minor"


def regression_event(
    benchmark: str,
    metric: str,
    before: Value,
    after: Value,
    commit_before: str | None,
    commit_after: str | None,
    quantity: Quantity = "time",
    severity: Severity | None = None,
) -> Event:
    """A regression against a baseline (severity by size unless given)."""
    change = after.value / before.value - 1 if before.value else 0.0
    return Event("regression", severity or severity_of_change(change), benchmark, metric,
                 quantity, after, before, commit_before=commit_before,
                 commit_after=commit_after)  # fmt: skip


def baseline_events(baseline: BaselineComparison, metadata: Mapping[str, Any]) -> list[Event]:
    """One ``regression`` event per benchmark slower than in the stored run of
    ``--baseline REF`` (before: the stored run's median, after: this run's)."""
    from pbench.stats.hierarchy import side_statistic

    comparison = baseline.comparison
    counted = {"instructions": "instructions", "cycles": "cycles"}
    return [
        regression_event(
            pair.label,
            comparison.settings.statistic,
            Value(side_statistic(pair.values("baseline"), comparison.settings.statistic)),
            Value(side_statistic(pair.values("candidate"), comparison.settings.statistic)),
            commit_before=baseline.found.run.commit,
            commit_after=commit_of(metadata),
            quantity=cast(Quantity, counted.get(pair.measure, "time")),
        )
        for pair in comparison.regressions
    ]


def change_point_event(
    benchmark: str,
    metric: str,
    before: Value,
    after: Value,
    commit_before: str | None,
    commit_after: str | None,
    quantity: Quantity = "time",
    severity: Severity = "warning",
) -> Event:
    """A change point in a benchmark's history, between two commits."""
    return Event("change_point", severity, benchmark, metric, quantity, after, before,
                 commit_before=commit_before, commit_after=commit_after)  # fmt: skip
