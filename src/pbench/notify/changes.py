"""``pbench trend --notify``: which findings of a trend are news, as events.

The rule (kept simple, without remembering what was sent):

- a change point is news while it is *new*: the newest of its series, its level
  holding at most ``within`` runs (:meth:`pbench.history.trend.Trend.new_change`; 5
  by default, the fewest runs a level needs to be found). Its event is a
  ``change_point`` with the severity of its band (minor, major, critical), the levels
  before and after (medians, the after level with the change's interval), and the
  commits between which it happened;
- otherwise, a newest run that is an anomaly against its level is news: a
  ``change_point`` event of severity ``warning`` (a change that may be starting, not
  yet a change point), from the level's median to the newest run, between the run
  before it and the newest.

Run ``pbench trend --notify`` after each saved run: a change point found as soon as it
can be is sent while its level is 5 runs or fewer long, then no more.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pbench.history.trend import Trend
from pbench.notify.events import Event, Value, change_point_event
from pbench.stats.budget import Quantity


def trend_events(trends: Sequence[Trend], within: int) -> list[Event]:
    """The events of ``trends`` under the module's rule, in the trends' order."""
    events = []
    for trend in trends:
        change = trend.new_change(within)
        name = trend.benchmark if len(_machines(trends, trend.benchmark)) == 1 else (
            f"{trend.benchmark} on {trend.host or trend.machine[:8]}"
        )  # fmt: skip
        if trend.measure != "wall":
            name += f" ({trend.measure})"
        if change is not None:
            cp = change.change_point
            low = cp.before * (1 + cp.change_interval.low)
            high = cp.before * (1 + cp.change_interval.high)
            events.append(
                change_point_event(
                    name, "median", Value(cp.before), Value(cp.after, low, high),
                    change.last_before.commit, change.first_after.commit,
                    quantity=_quantity(trend.measure), severity=change.severity,
                )
            )  # fmt: skip
        elif trend.anomaly is not None and trend.anomaly.is_anomaly and len(trend.points) > 1:
            anomaly = trend.anomaly
            events.append(
                change_point_event(
                    name, "median", Value(anomaly.centre), Value(anomaly.value),
                    trend.points[-2].commit, trend.newest.commit,
                    quantity=_quantity(trend.measure), severity="warning",
                )
            )  # fmt: skip
    return events


def _quantity(measure: str) -> Quantity:
    """What a trend's medians are: times, or counts of instructions or cycles."""
    if measure == "instructions":
        return "instructions"
    return "cycles" if measure == "cycles" else "time"


def trend_metadata(trends: Sequence[Trend]) -> dict[str, Any]:
    """What the payload says of the run: now, and the newest run's commit and branch."""
    metadata: dict[str, Any] = {
        "start_time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    }
    if trends:
        newest = max((t.newest for t in trends), key=lambda p: p.time)
        metadata["git"] = {"commit": newest.commit, "branch": newest.branch}
    return metadata


def _machines(trends: Sequence[Trend], benchmark: str) -> set[str]:
    return {t.machine for t in trends if t.benchmark == benchmark}
