"""What ``pbench history`` lists: each benchmark's points with the change from the
point before it on the same machine. Pure: the rows are rendered by
:mod:`pbench.report.history` (for people) and :mod:`pbench.export.history` (CSV, JSON)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pbench.history.records import Point


@dataclass(frozen=True)
class Row:
    """One point and its ``change`` from the previous point of its benchmark on its
    machine, as a fraction (+0.05: 5% slower); None for the first or without medians."""

    point: Point
    change: float | None


@dataclass(frozen=True)
class Listing:
    """The rows of one benchmark, oldest first."""

    benchmark: str
    rows: tuple[Row, ...]

    @property
    def machines(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(row.point.machine for row in self.rows))


def listing(benchmark: str, points: Sequence[Point]) -> Listing:
    """``points`` (one benchmark's, oldest first) with their changes (from the point
    before of the same machine and the same measure: wall time is not compared with
    instructions)."""
    previous: dict[tuple[str, str], float | None] = {}
    rows = []
    for point in points:
        before = previous.get((point.machine, point.measure))
        change = None
        if before is not None and point.median is not None and before > 0:
            change = point.median / before - 1
        rows.append(Row(point, change))
        previous[(point.machine, point.measure)] = point.median
    return Listing(benchmark, tuple(rows))
