"""The trend of one benchmark on one machine (``pbench trend``, the reports' history):
its change points with the commits between which each happened, the slope of its
recent runs and whether its newest run is an anomaly.

- Values: each saved run's median, oldest first (runs without a median are left out);
  the series is the last ``last`` runs on one machine (fingerprint): runs on different
  machines are never mixed.
- Change points: :func:`pbench.stats.changepoint.change_points` at ``alpha``, sized
  and banded by :class:`~pbench.stats.changepoint.SeverityBands`; each comes with the
  last run of the old level and the first of the new one (the commit range).
- Spread: changes of the noise alone (:mod:`pbench.stats.spread`), each with the first
  run of the new spread ("noisier since" its commit).
- Slope: :func:`pbench.stats.recent.recent_slope` over the runs since the last change
  point, at most ``slope_runs`` of them (a slope across a step would be the step).
- Anomaly: :func:`pbench.stats.recent.newest_anomaly` of the newest run against the
  runs since the last change point.
- New: the newest change point is *new* while its level holds at most ``within`` runs
  (:meth:`Trend.new_change`); a change point needs ``min_size`` (5) runs on either side
  to be found, so ``within`` below 5 finds none. Run after every saved run, a change
  found as soon as it can be is new exactly once per ``within`` runs added.

:func:`read_trends` reads the series from a store (one index-backed query per
machine); :func:`analyse` is pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from pbench.history.records import Machine, Point
from pbench.history.store import Store
from pbench.stats.changepoint import ALPHA, WINDOW, ChangePoint, Severity, SeverityBands
from pbench.stats.recent import SLOPE_RUNS, Anomaly, Slope
from pbench.stats.spread import SpreadChange

NEW_WITHIN = 5


@dataclass(frozen=True)
class Change:
    """A change point with the runs on either side of it: ``last_before`` ran the last
    commit of the old level, ``first_after`` the first of the new one."""

    change_point: ChangePoint
    last_before: Point
    first_after: Point
    severity: Severity


@dataclass(frozen=True)
class SpreadEvent:
    """A change of the noise alone; ``first_after`` ran the first commit of it."""

    spread_change: SpreadChange
    first_after: Point


@dataclass(frozen=True)
class Trend:
    """One benchmark's series on one machine (``host`` None when unknown), analysed."""

    benchmark: str
    machine: str
    host: str | None
    points: tuple[Point, ...]
    changes: tuple[Change, ...]
    slope: Slope | None
    anomaly: Anomaly | None
    bands: SeverityBands
    spreads: tuple[SpreadEvent, ...] = ()
    measure: str = "wall"  # what the medians are (--measure); a series is of one measure

    @property
    def newest(self) -> Point:
        return self.points[-1]

    @property
    def values(self) -> list[float]:
        return [p.median for p in self.points if p.median is not None]

    @property
    def unfit(self) -> tuple[Point, ...]:
        """The runs whose machine was not fit to measure."""
        return tuple(p for p in self.points if p.fit is False)

    @property
    def last_change(self) -> int:
        """Index of the first run of the current level (0 without a change point)."""
        return self.changes[-1].change_point.index if self.changes else 0

    def new_change(self, within: int = NEW_WITHIN) -> Change | None:
        """The newest change point while its level holds at most ``within`` runs."""
        if not self.changes:
            return None
        newest = self.changes[-1]
        return newest if len(self.points) - newest.change_point.index <= within else None


def analyse(
    benchmark: str,
    points: Sequence[Point],
    host: str | None = None,
    *,
    alpha: float = ALPHA,
    bands: SeverityBands | None = None,
    slope_runs: int = SLOPE_RUNS,
    seed: int = 0,
) -> Trend | None:
    """The trend of ``points`` (one benchmark on one machine and one measure, oldest
    first); None when no point has a median."""
    from pbench.stats.changepoint import analyse_changes
    from pbench.stats.recent import newest_anomaly, recent_slope

    bands = bands or SeverityBands()
    kept = tuple(p for p in points if p.median is not None)
    if not kept:
        return None
    values = [p.median for p in kept if p.median is not None]
    found = analyse_changes(values, alpha=alpha, seed=seed)
    changes = tuple(
        Change(c, kept[c.index - 1], kept[c.index], c.severity(bands)) for c in found.levels
    )
    since = changes[-1].change_point.index if changes else 0
    return Trend(
        benchmark=benchmark,
        machine=kept[0].machine,
        host=host,
        points=kept,
        changes=changes,
        slope=recent_slope(values[since:], last=slope_runs),
        anomaly=newest_anomaly(values, since),
        bands=bands,
        spreads=tuple(SpreadEvent(s, kept[s.index]) for s in found.spreads),
        measure=kept[0].measure,
    )


def read_trends(
    store: Store,
    names: Sequence[str],
    machines: Sequence[Machine],
    *,
    branch: str | None = None,
    since: datetime | None = None,
    last: int = WINDOW,
    alpha: float = ALPHA,
    bands: SeverityBands | None = None,
    slope_runs: int = SLOPE_RUNS,
) -> list[Trend]:
    """Each benchmark's trend on each of ``machines`` that ran it, by name then machine
    (in ``machines``' order): the last ``last`` runs of each."""
    trends = []
    for name in names:
        for machine in machines:
            points = store.series(
                name, machine=machine.fingerprint, branch=branch, since=since, limit=last
            )
            # One series per measure: a step from wall time to instructions is no change.
            by_measure: dict[str, list[Point]] = {}
            for point in points:
                by_measure.setdefault(point.measure, []).append(point)
            for series in by_measure.values():
                trend = analyse(
                    name, series, machine.host, alpha=alpha, bands=bands, slope_runs=slope_runs
                )
                if trend is not None:
                    trends.append(trend)
    return trends
