"""Latency by percentile on a "nines" axis (HdrHistogram's percentile plot).

x is the percentile on a scale where 90, 99, 99.9 and 99.99 sit an equal step apart
(x = −log10(1 − q)), so the tail, where queueing and stalls show, gets as much room as
the body; y is the latency at that percentile. One line per benchmark.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pbench.report.charts.axes import (
    NINES_LIMIT,
    NINES_TICKS,
    Scale,
    bounds,
    nines_label,
    value_axis,
    value_text,
    x_axis,
)
from pbench.report.charts.svg import Frame, color, document, element, esc, legend, num, polyline


@dataclass(frozen=True)
class PercentileSeries:
    """``points`` are (q, latency in seconds), q in [0, 1) (0 = the minimum)."""

    label: str
    points: Sequence[tuple[float, float]]


def percentile_chart(title: str, series: Sequence[PercentileSeries]) -> str:
    frame = Frame()
    top = max((min(q, NINES_LIMIT) for s in series for q, _ in s.points), default=0.99)
    ticks = [t for t in NINES_TICKS if t <= max(top, 0.99) + 1e-12]
    x = Scale(0.0, ticks[-1], frame.x0, frame.x1, "nines")
    axis_x = x_axis(frame, x, ticks, [nines_label(t) for t in ticks], "percentile [%]")
    y_lo, y_hi = bounds([v for s in series for _, v in s.points], include_zero=True)
    y, axis_y = value_axis(frame, y_lo, y_hi, "time", "latency")
    parts = [axis_y, axis_x]
    for index, s in enumerate(series):
        hue = color(index)
        points = sorted(s.points)
        body = [polyline([(x(q), y(v)) for q, v in points], "line", stroke=hue)]
        for q, v in points:
            tip = f"{s.label}: p{nines_label(q)} = {value_text(v, 'time')}"
            body.append(
                element(
                    "circle",
                    {"cx": num(x(q)), "cy": num(y(v)), "r": 3, "fill": hue},
                    f"<title>{esc(tip)}</title>",
                )
            )
        parts.append(element("g", {"class": "series", "data-series": index}, "".join(body)))
    parts.append(legend(frame, [s.label for s in series]))
    return document("percentiles", title, frame, parts)
