"""Estimates with their intervals: a parameter scan and ratios against the noise band.

- :func:`scan`: time against a parameter (``-P``/``-L``), the median of each benchmark
  with its 95% interval as an error bar; one line per combination of the other
  parameters. Numeric parameter values sit at their value; others are evenly spaced
  in the order given.
- :func:`ratios`: one row per comparison, the ratio (candidate / reference) and its
  interval against the shaded noise band [1 − t, 1 + t]; the colour says the verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pbench.report.charts.axes import (
    Quantity,
    Scale,
    bounds,
    value_axis,
    value_text,
    x_axis,
)
from pbench.report.charts.svg import (
    Frame,
    color,
    document,
    element,
    esc,
    legend,
    line,
    num,
    polyline,
    rect,
    text,
)


@dataclass(frozen=True)
class ScanPoint:
    """One benchmark of a scan: the parameter's value, the estimate and its interval."""

    parameter: str
    value: float
    low: float
    high: float
    name: str


@dataclass(frozen=True)
class ScanSeries:
    label: str
    points: Sequence[ScanPoint]


def _numeric(text_value: str) -> float | None:
    try:
        return float(text_value)
    except ValueError:
        return None


def scan(
    title: str, parameter: str, series: Sequence[ScanSeries], quantity: Quantity = "time"
) -> str:
    """Estimates against the values of ``parameter``, with error bars."""
    frame = Frame()
    values = [p.parameter for s in series for p in s.points]
    numbers = [_numeric(v) for v in values]
    if all(n is not None for n in numbers):
        at = {v: n for v, n in zip(values, numbers, strict=True) if n is not None}
    else:
        order = list(dict.fromkeys(values))
        at = {v: float(i) for i, v in enumerate(order)}
    lo, hi = min(at.values()), max(at.values())
    pad = (hi - lo) * 0.05 or 0.5
    x = Scale(lo - pad, hi + pad, frame.x0, frame.x1)
    ticks = sorted(set(at.values()))
    names = {n: v for v, n in at.items()}
    if len(ticks) > 12:  # too many to label: every k-th
        ticks = ticks[:: -(-len(ticks) // 12)]
    axis_x = x_axis(frame, x, ticks, [names[t] for t in ticks], parameter)
    lows = [p.low for s in series for p in s.points]
    highs = [p.high for s in series for p in s.points]
    y_lo, y_hi = bounds([*lows, *highs], include_zero=True)
    y, axis_y = value_axis(frame, y_lo, y_hi, quantity, "median")
    parts = [axis_y, axis_x]
    for index, s in enumerate(series):
        hue = color(index)
        points = sorted(s.points, key=lambda p: at[p.parameter])
        body = [polyline([(x(at[p.parameter]), y(p.value)) for p in points], "line", stroke=hue)]
        for p in points:
            cx = x(at[p.parameter])
            tip = (
                f"{p.name}: {parameter} = {p.parameter}, {value_text(p.value, quantity)} "
                f"[{value_text(p.low, quantity)} … {value_text(p.high, quantity)}]"
            )
            bar = (
                line(cx, y(p.low), cx, y(p.high), "error-bar", stroke=hue)
                + line(cx - 4, y(p.low), cx + 4, y(p.low), "error-bar", stroke=hue)
                + line(cx - 4, y(p.high), cx + 4, y(p.high), "error-bar", stroke=hue)
            )
            dot = element("circle", {"cx": num(cx), "cy": num(y(p.value)), "r": 3.5, "fill": hue})
            body.append(element("g", {"class": "point"}, f"<title>{esc(tip)}</title>{bar}{dot}"))
        parts.append(element("g", {"class": "series", "data-series": index}, "".join(body)))
    parts.append(legend(frame, [s.label for s in series]))
    return document("scan", title, frame, parts)


@dataclass(frozen=True)
class RatioRow:
    """One comparison: ``ratio`` = candidate / reference with its interval."""

    label: str
    ratio: float
    low: float
    high: float
    verdict: str
    detail: str = ""


VERDICT_COLOURS = {"slower": "#d55e00", "faster": "#009e73", "same": "#0072b2"}


def ratios(title: str, rows: Sequence[RatioRow], threshold: float) -> str:
    """Each ratio and its interval as a bar across the noise band around 1."""
    row_height = 30
    label_width = min(max((len(r.label) for r in rows), default=4) * 6.5 + 16, 240)
    frame = Frame(height=80 + row_height * len(rows), left=int(label_width), right=90)
    ends = [v for r in rows for v in (r.low, r.high) if v > 0] + [1 - threshold, 1 + threshold]
    lo, hi = bounds(ends, pad=0.08)
    span = max(1 - lo, hi - 1)
    lo, hi = max(1 - span, 1e-6), 1 + span  # 1 in the middle
    x, axis = value_axis(frame, lo, hi, "ratio", "ratio candidate / reference", vertical=False)
    band_low, band_high = x(1 - threshold), x(1 + threshold)
    parts = [
        axis,
        rect(
            band_low,
            frame.y1,
            band_high - band_low,
            frame.y0 - frame.y1,
            "noise-band",
            f"noise threshold ±{threshold:.1%}: changes within it count as the same",
        ),
        line(x(1.0), frame.y1, x(1.0), frame.y0, "unity"),
    ]
    for index, row in enumerate(rows):
        middle = frame.y1 + row_height * index + row_height / 2 + 4
        hue = VERDICT_COLOURS.get(row.verdict, "#666666")
        name = row.label if len(row.label) <= 34 else row.label[:33] + "…"
        tip = (
            f"{row.label}: ratio {row.ratio:.3f} [{row.low:.3f} … {row.high:.3f}], "
            f"{row.verdict}{'; ' + row.detail if row.detail else ''}"
        )
        low, high = x(max(row.low, lo)), x(min(row.high, hi))
        body = (
            line(low, middle, high, middle, "interval", stroke=hue)
            + line(low, middle - 6, low, middle + 6, "interval", stroke=hue)
            + line(high, middle - 6, high, middle + 6, "interval", stroke=hue)
            + element(
                "circle",
                {"cx": num(x(min(max(row.ratio, lo), hi))), "cy": num(middle), "r": 4, "fill": hue},
            )
        )
        parts.append(text(frame.x0 - 8, middle + 4, name, anchor="end", class_="row-label"))
        parts.append(
            element(
                "g",
                {"class": f"series verdict-{row.verdict}", "data-series": index},
                f"<title>{esc(tip)}</title>{body}",
            )
        )
        parts.append(text(frame.x1 + 8, middle + 4, row.verdict, class_="note", fill=hue))
    return document("ratio", title, frame, parts)
