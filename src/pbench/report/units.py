"""Units for people: times in the unit hyperfine would choose, and byte counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pbench.models import TimeUnit

SCALE: dict[TimeUnit, float] = {
    "second": 1.0,
    "millisecond": 1e3,
    "microsecond": 1e6,
    "nanosecond": 1e9,
}
SYMBOL: dict[TimeUnit, str] = {
    "second": "s",
    "millisecond": "ms",
    "microsecond": "µs",
    "nanosecond": "ns",
}
# hyperfine prints seconds with three decimals and smaller units with one.
DECIMALS: dict[TimeUnit, int] = {
    "second": 3,
    "millisecond": 1,
    "microsecond": 1,
    "nanosecond": 1,
}


def unit_for(seconds: float) -> TimeUnit:
    """The largest unit in which ``seconds`` is at least 1 (nanoseconds at the bottom)."""
    magnitude = abs(seconds)
    if magnitude >= 1.0:
        return "second"
    if magnitude >= 1e-3:
        return "millisecond"
    if magnitude >= 1e-6:
        return "microsecond"
    return "nanosecond"


def common_unit(means: Iterable[float], requested: TimeUnit | None = None) -> TimeUnit:
    """``requested`` if given, else the unit of the smallest mean (seconds if none)."""
    if requested is not None:
        return requested
    smallest = min(means, default=None)
    return "second" if smallest is None else unit_for(smallest)


def format_in(seconds: float, unit: TimeUnit) -> str:
    """``seconds`` as a number in ``unit``, without the unit symbol."""
    return f"{seconds * SCALE[unit]:.{DECIMALS[unit]}f}"


def format_time(seconds: float, unit: TimeUnit, width: int = 0) -> str:
    """``seconds`` in ``unit`` with its symbol, to about four significant digits."""
    return format_times([seconds], unit, width)[0]


def format_times(values: Sequence[float], unit: TimeUnit, width: int = 0) -> list[str]:
    """Several times shown on one line: one unit and one number of decimals for all,
    chosen for the largest, so that "27.5 µs … 14216.3 µs" reads as one scale."""
    scaled = [v * SCALE[unit] for v in values]
    largest = max((abs(v) for v in scaled), default=0.0)
    digits = 1 if largest >= 100 or unit == "nanosecond" else (2 if largest >= 10 else 3)
    if unit == "second":
        digits = 3
    return [f"{v:{width}.{digits}f} {SYMBOL[unit]}" for v in scaled]


def format_duration(seconds: float) -> str:
    """A span of time in the unit that suits it: "13.204 s", "544.0 µs", "1.0 ns"."""
    return format_time(seconds, unit_for(seconds))


def format_bytes(count: float) -> str:
    """A byte count in B, KiB, MiB or GiB."""
    for suffix, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= size:
            return f"{count / size:.1f} {suffix}"
    return f"{count:.0f} B"
