"""Distributions: box-and-whisker plots (one box per benchmark) and histograms.

Boxes are Tukey's: the box from the 25th to the 75th percentile, whiskers to the
furthest value within 1.5 × IQR of it, values beyond drawn as points (at most
:data:`MAX_OUTLIERS` per box; the tooltip says how many there are). The median is a
bold line with its confidence interval as a shaded band around it (the notch), and the
mean a small diamond. Histogram bins come from every value; a long tail beyond
Q3 + 3 × IQR is gathered into one last bar ("≥ x"), so that one slow run cannot squash
every other bar into the first bin.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from pbench.report.charts.axes import Quantity, bounds, value_axis, value_text
from pbench.report.charts.sampling import spread_evenly
from pbench.report.charts.svg import Frame, color, document, element, esc, line, num, rect, text

MAX_OUTLIERS = 100
MAX_BINS = 60
MIN_BINS = 5


@dataclass(frozen=True)
class BoxStats:
    """One box: Tukey's five numbers, the median's interval, the mean and the values
    beyond the whiskers. Build it with :func:`box_stats`."""

    label: str
    low: float  # lower whisker
    q1: float
    median: float
    q3: float
    high: float  # upper whisker
    median_ci: tuple[float, float]
    mean: float
    n: int
    outliers: Sequence[float] = field(default_factory=tuple)


def box_stats(label: str, values: Sequence[float], median_ci: tuple[float, float]) -> BoxStats:
    """The box of a non-empty sample (percentiles interpolated as numpy does)."""
    import numpy as np

    x = np.sort(np.asarray(values, dtype=np.float64))
    q1, median, q3 = (float(v) for v in np.percentile(x, [25, 50, 75]))
    reach = 1.5 * (q3 - q1)
    inside = x[(x >= q1 - reach) & (x <= q3 + reach)]
    low = float(inside[0]) if inside.size else q1
    high = float(inside[-1]) if inside.size else q3
    outside = x[(x < low) | (x > high)]
    return BoxStats(
        label,
        low,
        q1,
        median,
        q3,
        high,
        median_ci,
        float(x.mean()),
        int(x.size),
        tuple(float(v) for v in outside),
    )


def box_plot(title: str, boxes: Sequence[BoxStats], quantity: Quantity = "time") -> str:
    """Horizontal boxes, one row per benchmark, on one shared value axis."""
    row = 34
    label_width = min(max((len(b.label) for b in boxes), default=4) * 6.5 + 16, 220)
    frame = Frame(height=76 + row * len(boxes), left=int(label_width))
    values = [v for b in boxes for v in (b.low, b.high, *b.median_ci, *b.outliers)]
    lo, hi = bounds(values, include_zero=False)
    scale, axis = value_axis(
        frame, lo, hi, quantity, "time" if quantity == "time" else "value", vertical=False
    )
    parts = [axis]
    for index, box in enumerate(boxes):
        middle = frame.y1 + row * index + row / 2 + 4
        hue = color(index)
        name = box.label if len(box.label) <= 32 else box.label[:31] + "…"
        parts.append(text(frame.x0 - 8, middle + 4, name, anchor="end", class_="row-label"))
        group = [
            line(scale(box.low), middle, scale(box.q1), middle, "whisker"),
            line(scale(box.q3), middle, scale(box.high), middle, "whisker"),
            line(scale(box.low), middle - 6, scale(box.low), middle + 6, "whisker"),
            line(scale(box.high), middle - 6, scale(box.high), middle + 6, "whisker"),
        ]
        tip = (
            f"{box.label}: median {value_text(box.median, quantity)} "
            f"[{value_text(box.median_ci[0], quantity)} … {value_text(box.median_ci[1], quantity)}"
            f"], Q1 {value_text(box.q1, quantity)}, Q3 {value_text(box.q3, quantity)}, "
            f"whiskers {value_text(box.low, quantity)} … {value_text(box.high, quantity)}, "
            f"mean {value_text(box.mean, quantity)}, n = {box.n:,}"
        )
        group.append(
            rect(
                scale(box.q1), middle - 10, scale(box.q3) - scale(box.q1), 20, "box", tip, fill=hue
            )
        )
        ci_low, ci_high = scale(box.median_ci[0]), scale(box.median_ci[1])
        group.append(
            rect(
                ci_low,
                middle - 12,
                max(ci_high - ci_low, 1.0),
                24,
                "median-ci",
                f"95% interval of the median: {value_text(box.median_ci[0], quantity)} "
                f"… {value_text(box.median_ci[1], quantity)}",
            )
        )
        group.append(line(scale(box.median), middle - 12, scale(box.median), middle + 12, "median"))
        x = scale(box.mean)
        group.append(
            element(
                "path",
                {"d": f"M{num(x)} {num(middle - 4)}l4 4l-4 4l-4 -4z", "class": "mean"},
                f"<title>mean {esc(value_text(box.mean, quantity))}</title>",
            )
        )
        shown = spread_evenly(sorted(box.outliers), MAX_OUTLIERS)
        if shown:
            dots = "".join(
                f'<circle cx="{num(scale(v))}" cy="{num(middle)}" r="2"/>' for v in shown
            )
            group.append(
                element(
                    "g",
                    {"class": "outliers"},
                    f"<title>{len(box.outliers):,} values beyond the whiskers"
                    f"{'' if len(shown) == len(box.outliers) else f' ({len(shown)} drawn)'}"
                    f"</title>{dots}",
                )
            )
        parts.append(element("g", {"class": "series", "data-series": index}, "".join(group)))
    return document("box", title, frame, parts)


@dataclass(frozen=True)
class Bins:
    """Histogram bins: ``edges`` has one more entry than ``counts``; ``overflow`` counts
    the values at or above the last edge (the gathered tail)."""

    edges: tuple[float, ...]
    counts: tuple[int, ...]
    overflow: int
    maximum: float


def histogram_bins(values: Sequence[float]) -> Bins:
    """Bins of every value: Freedman–Diaconis width (2·IQR·n^(−1/3)), between
    :data:`MIN_BINS` and :data:`MAX_BINS` bins, the tail past Q3 + 3·IQR gathered."""
    import numpy as np

    x = np.asarray(values, dtype=np.float64)
    q1, q3 = (float(v) for v in np.percentile(x, [25, 75]))
    lo, top = float(x.min()), float(x.max())
    iqr = q3 - q1
    hi = min(top, q3 + 3 * iqr) if iqr > 0 else top
    if hi <= lo:
        hi = lo + (abs(lo) * 0.01 or 1e-9)
    width = 2 * iqr * x.size ** (-1 / 3) if iqr > 0 else (hi - lo) / MIN_BINS
    count = min(max(math.ceil((hi - lo) / width), MIN_BINS), MAX_BINS)
    inside = x[x <= hi] if hi < top else x
    counts, edges = np.histogram(inside, bins=count, range=(lo, hi))
    return Bins(
        tuple(float(e) for e in edges),
        tuple(int(c) for c in counts),
        int(x.size - inside.size),
        top,
    )


def histogram(
    title: str,
    bins: Bins,
    quantity: Quantity = "time",
    median: float | None = None,
    median_ci: tuple[float, float] | None = None,
) -> str:
    """Bars of ``bins`` (count per bin), the median and its interval marked."""
    frame = Frame()
    edges, counts = list(bins.edges), list(bins.counts)
    step = edges[1] - edges[0] if len(edges) > 1 else 1.0
    right = edges[-1] + (step if bins.overflow else 0.0)
    _, top = bounds([0.0, float(max([*counts, bins.overflow, 1]))], include_zero=True)
    y, y_axis = value_axis(frame, 0.0, top, "count", "runs")
    x, x_axis = value_axis(
        frame, edges[0], right, quantity, "time" if quantity == "time" else "value", vertical=False
    )
    parts = [y_axis, x_axis]
    if median_ci is not None:
        low, high = x(max(median_ci[0], edges[0])), x(min(median_ci[1], right))
        parts.append(
            rect(
                low,
                frame.y1,
                max(high - low, 1.0),
                frame.y0 - frame.y1,
                "median-ci",
                f"95% interval of the median: {value_text(median_ci[0], quantity)} … "
                f"{value_text(median_ci[1], quantity)}",
            )
        )
    bars = []
    for index, count in enumerate(counts):
        tip = (
            f"{value_text(edges[index], quantity)} … {value_text(edges[index + 1], quantity)}:"
            f" {count:,}"
        )
        bars.append(
            rect(
                x(edges[index]),
                y(count),
                x(edges[index + 1]) - x(edges[index]),
                frame.y0 - y(count),
                "bar",
                tip,
            )
        )
    if bins.overflow:
        tip = (
            f"≥ {value_text(edges[-1], quantity)} (up to {value_text(bins.maximum, quantity)})"
            f": {bins.overflow:,}"
        )
        bars.append(
            rect(
                x(edges[-1]),
                y(bins.overflow),
                x(right) - x(edges[-1]),
                frame.y0 - y(bins.overflow),
                "bar overflow",
                tip,
            )
        )
    parts.append(
        element("g", {"class": "series", "data-series": 0, "fill": color(0)}, "".join(bars))
    )
    if median is not None:
        parts.append(line(x(median), frame.y1, x(median), frame.y0, "median", stroke=color(1)))
        parts.append(
            text(
                x(median) + 4,
                frame.y1 + 10,
                f"median {value_text(median, quantity)}",
                class_="note",
            )
        )
    return document("histogram", title, frame, parts)
