"""``pbench history`` for people: per benchmark a sparkline of its medians, then one
line per run (time, short commit, branch, median with its interval, change)."""

from __future__ import annotations

from collections.abc import Sequence

from pbench.history.listing import Listing, Row
from pbench.report.units import Unit, format_time, format_times, measure_unit

BARS = "▁▂▃▄▅▆▇█"
SHORT_COMMIT = 8


def sparkline(values: Sequence[float | None]) -> str:
    """One bar per value, scaled from the lowest to the highest (a gap for None)."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = high - low
    top = len(BARS) - 1
    return "".join(
        " " if v is None else BARS[round((v - low) / span * top) if span > 0 else top // 2]
        for v in values
    )


def render_history(listings: Sequence[Listing]) -> str:
    """Every benchmark's block, separated by blank lines."""
    return "\n\n".join(_block(found) for found in listings if found.rows)


def _block(found: Listing) -> str:
    medians = [row.point.median for row in found.rows]
    units: dict[str, Unit] = {}  # by measure: a listing may hold several
    for measure in dict.fromkeys(row.point.measure for row in found.rows):
        known = sorted(
            m for row in found.rows if row.point.measure == measure and (m := row.point.median)
        )
        units[measure] = measure_unit(known[len(known) // 2], measure) if known else "second"
    count = len(found.rows)
    machines = found.machines
    where = f"machine {machines[0]}" if len(machines) == 1 else f"{len(machines)} machines"
    heading = f"{found.benchmark}  {sparkline(medians)}  {count} run{'s' * (count != 1)}, {where}"
    table = [_cells(row, units[row.point.measure], len(machines) > 1) for row in found.rows]
    widths = [max(len(cells[i]) for cells in table) for i in range(len(table[0]))]
    lines = [
        "  " + "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        for cells in table
    ]
    return "\n".join([heading, *(line.rstrip() for line in lines)])


def _cells(row: Row, unit: Unit, machine: bool) -> list[str]:
    point = row.point
    median = "—" if point.median is None else format_time(point.median, unit)
    interval = ""
    if point.median_low is not None and point.median_high is not None:
        low, high = format_times([point.median_low, point.median_high], unit)
        interval = f"[{low.split(' ')[0]}, {high}]"
    change = "" if row.change is None else f"{row.change:+.1%}"
    cells = [
        f"#{point.run_id}",
        point.time.strftime("%Y-%m-%d %H:%M"),
        (point.commit or "—")[:SHORT_COMMIT],
        point.branch or "—",
        median,
        interval,
        f"n={point.n} {point.unit}",
        change,
    ]
    return [*cells[:4], point.machine[:SHORT_COMMIT], *cells[4:]] if machine else cells
