"""Scales, ticks and axis labels, in the units of what is shown.

A :class:`Scale` maps data values to pixels: linear, logarithmic, or the "nines" scale
of latency percentiles (x = −log10(1 − q), so 90, 99, 99.9 and 99.99 sit an equal
step apart, as in HdrHistogram's plots). Ticks are "nice" numbers (1, 2, 5 × 10^k).
Tick labels are plain numbers; the unit goes into the axis title ("time [ms]"), chosen
with :mod:`pbench.report.units` for the largest tick, so an axis reads as one scale.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pbench.report.charts.svg import Frame, line, text
from pbench.report.units import (
    SCALE,
    SYMBOL,
    count_unit,
    format_bytes,
    format_duration,
    unit_for,
)

Quantity = Literal[
    "time", "bytes", "rate", "count", "ratio", "number", "instructions", "cycles"
]  # instructions, cycles: --measure counts, in prefixed units ("M instr")


def quantity_of(measure: str) -> Quantity:
    """The chart quantity of a benchmark's figures: time, or the count it measures."""
    if measure == "instructions":
        return "instructions"
    return "cycles" if measure == "cycles" else "time"


ScaleKind = Literal["linear", "log", "nines"]
NINES_LIMIT = 0.99999  # the nines axis ends at 99.999%
NINES_TICKS = (0.0, 0.9, 0.99, 0.999, 0.9999, 0.99999)


@dataclass(frozen=True)
class Scale:
    """Data values in [lo, hi] to pixels in [start, end] (end < start for y)."""

    lo: float
    hi: float
    start: float
    end: float
    kind: ScaleKind = "linear"

    def _t(self, value: float) -> float:
        if self.kind == "log":
            return math.log10(max(value, 1e-300))
        if self.kind == "nines":
            return -math.log10(1.0 - min(max(value, 0.0), NINES_LIMIT))
        return value

    def __call__(self, value: float) -> float:
        lo, hi = self._t(self.lo), self._t(self.hi)
        if hi == lo:
            return (self.start + self.end) / 2
        return self.start + (self._t(value) - lo) / (hi - lo) * (self.end - self.start)


def bounds(
    values: Sequence[float], include_zero: bool = False, pad: float = 0.05
) -> tuple[float, float]:
    """A padded data range; a single value gets a range around it."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return 0.0, 1.0
    lo, hi = min(finite), max(finite)
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi == lo:
        spread = abs(hi) * 0.1 or 1.0
        return lo - spread, hi + spread
    span = hi - lo
    low = lo if include_zero and lo == 0.0 else lo - span * pad
    if lo >= 0 and low < 0:
        low = 0.0
    return low, hi + span * pad


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round values from 1, 2 or 5 × 10^k covering [lo, hi] with about ``count`` ticks."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = []
    value = first
    while value <= hi + step * 1e-9:
        ticks.append(0.0 if abs(value) < step * 1e-9 else value)
        value = first + len(ticks) * step
    return ticks


def log_ticks(lo: float, hi: float) -> list[float]:
    """Powers of ten within [lo, hi] (with 2 and 5 between them when few)."""
    low, high = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    ticks = [10.0**k for k in range(low, high + 1) if lo <= 10.0**k <= hi]
    if len(ticks) < 3:
        ticks = sorted(
            m * 10.0**k for k in range(low, high + 1) for m in (1, 2, 5) if lo <= m * 10.0**k <= hi
        )
    return ticks


def tick_labels(ticks: Sequence[float], quantity: Quantity) -> tuple[list[str], str]:
    """Labels for ``ticks`` and the unit for the axis title ("ms", "MiB", "/s", ...)."""
    largest = max((abs(t) for t in ticks), default=0.0)
    factor, unit = 1.0, ""
    if quantity == "time":
        chosen = unit_for(largest or 1.0)
        factor, unit = SCALE[chosen], SYMBOL[chosen]
    elif quantity in ("instructions", "cycles"):
        counted = count_unit(largest, quantity)
        factor, unit = SCALE[counted], SYMBOL[counted]
    elif quantity == "bytes":
        for suffix, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10), ("B", 1)):
            if largest >= size or suffix == "B":
                factor, unit = 1.0 / size, suffix
                break
    elif quantity in ("rate", "count", "number") and largest >= 10_000:
        factor, unit = (1e-6, "M") if largest >= 10_000_000 else (1e-3, "k")
    if quantity == "rate":
        unit += "/s"
    elif quantity == "ratio":
        unit = "×"
    scaled = [t * factor for t in ticks]
    steps = [abs(b - a) for a, b in itertools.pairwise(scaled) if b != a]
    step = min(steps, default=abs(scaled[0]) if scaled else 1.0) or 1.0
    decimals = min(max(0, -math.floor(math.log10(step) + 1e-9)), 6)
    return [f"{v:,.{decimals}f}" for v in scaled], unit


def value_text(value: float, quantity: Quantity) -> str:
    """One value for a tooltip or a table, with its unit."""
    if not math.isfinite(value):
        return "n/a"
    if quantity in ("time", "instructions", "cycles"):
        return format_duration(value, "wall" if quantity == "time" else quantity)
    if quantity == "bytes":
        return format_bytes(value)
    if quantity == "rate":
        return f"{value:,.1f}/s"
    if quantity == "ratio":
        return f"{value:.3f}×"
    if quantity == "count":
        return f"{value:,.0f}"
    return f"{value:,.4g}"


def nines_label(q: float) -> str:
    """0.999 → "99.9" (the percentile, without a trailing %)."""
    return f"{q * 100:.4f}".rstrip("0").rstrip(".")


def x_axis(
    frame: Frame, scale: Scale, ticks: Sequence[float], labels: Sequence[str], title: str
) -> str:
    parts = [line(frame.x0, frame.y0, frame.x1, frame.y0, "axis")]
    for tick, label in zip(ticks, labels, strict=True):
        x = scale(tick)
        parts.append(line(x, frame.y0, x, frame.y0 + 4, "axis"))
        parts.append(text(x, frame.y0 + 16, label, anchor="middle", class_="tick"))
    parts.append(
        text(
            (frame.x0 + frame.x1) / 2, frame.height - 8, title, anchor="middle", class_="axis-title"
        )
    )
    return "".join(parts)


def y_axis(
    frame: Frame, scale: Scale, ticks: Sequence[float], labels: Sequence[str], title: str
) -> str:
    parts = [line(frame.x0, frame.y0, frame.x0, frame.y1, "axis")]
    for tick, label in zip(ticks, labels, strict=True):
        y = scale(tick)
        parts.append(line(frame.x0, y, frame.x1, y, "grid"))
        parts.append(text(frame.x0 - 6, y + 4, label, anchor="end", class_="tick"))
    middle = (frame.y0 + frame.y1) / 2
    parts.append(
        text(
            14,
            middle,
            title,
            anchor="middle",
            class_="axis-title",
            transform=f"rotate(-90 14 {middle:.1f})",
        )
    )
    return "".join(parts)


def titled_unit(name: str, unit: str) -> str:
    return f"{name} [{unit}]" if unit else name


def value_axis(
    frame: Frame, lo: float, hi: float, quantity: Quantity, name: str, vertical: bool = True
) -> tuple[Scale, str]:
    """A linear axis for values of ``quantity``: its scale and its drawing."""
    ticks = [t for t in nice_ticks(lo, hi) if lo <= t <= hi] or [lo]
    labels, unit = tick_labels(ticks, quantity)
    if vertical:
        scale = Scale(lo, hi, frame.y0, frame.y1)
        return scale, y_axis(frame, scale, ticks, labels, titled_unit(name, unit))
    scale = Scale(lo, hi, frame.x0, frame.x1)
    return scale, x_axis(frame, scale, ticks, labels, titled_unit(name, unit))
