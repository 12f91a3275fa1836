"""Units for people: times in the unit hyperfine would choose, counts of instructions
and estimated cycles (``--measure``) with a decimal prefix ("1.23 G instr"), and byte
counts. Every figure-formatting function takes the measure of the figures (wall time
by default); CPU time is a time like wall time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from pbench.models import TimeUnit, is_count

CountUnit = Literal[
    "instruction", "kilo-instruction", "mega-instruction", "giga-instruction",
    "tera-instruction", "cycle", "kilo-cycle", "mega-cycle", "giga-cycle", "tera-cycle",
]  # fmt: skip
Unit = TimeUnit | CountUnit

SCALE: dict[Unit, float] = {
    "second": 1.0,
    "millisecond": 1e3,
    "microsecond": 1e6,
    "nanosecond": 1e9,
    "instruction": 1.0,
    "kilo-instruction": 1e-3,
    "mega-instruction": 1e-6,
    "giga-instruction": 1e-9,
    "tera-instruction": 1e-12,
    "cycle": 1.0,
    "kilo-cycle": 1e-3,
    "mega-cycle": 1e-6,
    "giga-cycle": 1e-9,
    "tera-cycle": 1e-12,
}
SYMBOL: dict[Unit, str] = {
    "second": "s",
    "millisecond": "ms",
    "microsecond": "µs",
    "nanosecond": "ns",
    "instruction": "instr",
    "kilo-instruction": "k instr",
    "mega-instruction": "M instr",
    "giga-instruction": "G instr",
    "tera-instruction": "T instr",
    "cycle": "cycles",
    "kilo-cycle": "k cycles",
    "mega-cycle": "M cycles",
    "giga-cycle": "G cycles",
    "tera-cycle": "T cycles",
}
# hyperfine prints seconds with three decimals and smaller units with one; counts
# with a prefix get three, whole counts none.
DECIMALS: dict[Unit, int] = {
    "second": 3,
    "millisecond": 1,
    "microsecond": 1,
    "nanosecond": 1,
    **{unit: 3 for unit in SCALE if "-" in unit},
    "instruction": 0,
    "cycle": 0,
}
_PREFIXES = (("tera-", 1e12), ("giga-", 1e9), ("mega-", 1e6), ("kilo-", 1e3))


def count_unit(count: float, measure: str) -> CountUnit:
    """The largest prefixed unit of ``measure`` (instructions, cycles) in which
    ``count`` is at least 1."""
    base = "instruction" if measure == "instructions" else "cycle"
    for prefix, size in _PREFIXES:
        if abs(count) >= size:
            return f"{prefix}{base}"  # type: ignore[return-value]
    return base  # type: ignore[return-value]


def measure_unit(value: float, measure: str, requested: TimeUnit | None = None) -> Unit:
    """The unit to show ``value`` of ``measure`` in: ``requested`` (--time-unit) or the
    one that suits a time; the prefixed count unit for instructions and cycles."""
    if is_count(measure):
        return count_unit(value, measure)
    return requested if requested is not None else unit_for(value)


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


def common_unit(
    means: Iterable[float], requested: TimeUnit | None = None, measure: str = "wall"
) -> Unit:
    """``requested`` if given, else the unit of the smallest mean (seconds if none); for
    counts, the prefixed unit of the smallest mean (``requested`` is for times)."""
    if requested is not None and not is_count(measure):
        return requested
    smallest = min(means, default=None)
    if smallest is None:
        return count_unit(0, measure) if is_count(measure) else "second"
    return measure_unit(smallest, measure)


def format_in(seconds: float, unit: Unit) -> str:
    """``seconds`` (or a count) as a number in ``unit``, without the unit symbol."""
    return f"{seconds * SCALE[unit]:.{DECIMALS[unit]}f}"


def format_time(seconds: float, unit: Unit, width: int = 0) -> str:
    """``seconds`` (or a count) in ``unit`` with its symbol, to about four significant
    digits."""
    return format_times([seconds], unit, width)[0]


def format_times(values: Sequence[float], unit: Unit, width: int = 0) -> list[str]:
    """Several times shown on one line: one unit and one number of decimals for all,
    chosen for the largest, so that "27.5 µs … 14216.3 µs" reads as one scale."""
    scaled = [v * SCALE[unit] for v in values]
    largest = max((abs(v) for v in scaled), default=0.0)
    digits = 1 if largest >= 100 or unit == "nanosecond" else (2 if largest >= 10 else 3)
    if unit == "second":
        digits = 3
    elif DECIMALS[unit] == 0:  # whole instructions or cycles
        digits = 0
    return [f"{v:{width}.{digits}f} {SYMBOL[unit]}" for v in scaled]


def format_figures(values: Sequence[float], measure: str, width: int = 0) -> list[str]:
    """Figures of ``measure`` in the unit that suits the first (as times or counts)."""
    if not values:
        return []
    return format_times(values, measure_unit(values[0], measure), width)


def format_duration(seconds: float, measure: str = "wall") -> str:
    """A span of time in the unit that suits it: "13.204 s", "544.0 µs", "1.0 ns"; a
    count of instructions or cycles: "1.234 G instr"."""
    return format_time(seconds, measure_unit(seconds, measure))


def format_bytes(count: float) -> str:
    """A byte count in B, KiB, MiB or GiB."""
    for suffix, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= size:
            return f"{count / size:.1f} {suffix}"
    return f"{count:.0f} B"
