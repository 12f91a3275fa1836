"""Values in order: the progression of runs, load over time, and trends over runs.

- :func:`progression`: each run's time in execution order, so that warm-up (the first
  runs slower) and drift (a slope, steps) show; the median is a dashed line.
- :func:`time_series`: several series over time sharing one axis (a load run's
  requests/s and errors/s per slice); a legend entry toggles each series.
- :func:`trend`: one figure over successive runs (from the history store, passed in as
  plain lists), change points as dashed verticals, each segment's baseline as a
  horizontal line, and runs a stored baseline names as dotted verticals with the name.

Lines draw at most :data:`pbench.report.charts.sampling.MAX_POINTS` points per series;
``data-x``/``data-y`` attributes give the script the scales' ends so that it can show
the value under the pointer of any line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pbench.report.charts.axes import Quantity, Scale, bounds, value_axis, value_text
from pbench.report.charts.sampling import decimate
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
    text,
    titled,
)

MAX_MARKED = 500  # trend points drawn as dots with their own tooltip
NAMED_COLOR = "#cc79a7"  # runs a baseline names: dotted verticals with the name


@dataclass(frozen=True)
class Series:
    """One named line: (x, y) points in data units, in x order."""

    label: str
    points: Sequence[tuple[float, float]]
    quantity: Quantity = "time"


@dataclass(frozen=True)
class Baseline:
    """A segment's level: from index ``start`` to index ``end`` (into the values) at ``value``."""

    start: float
    end: float
    value: float


@dataclass(frozen=True)
class TrendData:
    """A figure over successive runs; ``labels`` name the runs (a commit, a date) and
    ``change_points`` are indices into ``values`` where a new level starts;
    ``named`` marks runs that a name points at (a history store's baselines:
    ``(index, "release-1.2")``)."""

    title: str
    values: Sequence[float]
    labels: Sequence[str] = ()
    change_points: Sequence[int] = ()
    baselines: Sequence[Baseline] = field(default_factory=tuple)
    quantity: Quantity = "time"
    named: Sequence[tuple[int, str]] = ()


@dataclass(frozen=True)
class _Axes:
    frame: Frame
    x: Scale
    y: Scale
    drawing: str
    hover: dict[str, object]


def _axes(
    series: Sequence[Series],
    x_name: str,
    x_quantity: Quantity,
    y_name: str,
    more_y: Sequence[float] = (),
) -> _Axes:
    frame = Frame()
    quantity = series[0].quantity if series else "number"
    xs = [x for s in series for x, _ in s.points]
    ys = [y for s in series for _, y in s.points] + list(more_y)
    x_lo, x_hi = bounds(xs, pad=0.0)
    y_lo, y_hi = bounds(ys, include_zero=quantity in ("rate", "count"))
    y, y_drawing = value_axis(frame, y_lo, y_hi, quantity, y_name)
    x, x_drawing = value_axis(frame, x_lo, x_hi, x_quantity, x_name, vertical=False)
    hover: dict[str, object] = {
        "x": f"{num(frame.x0)} {num(frame.x1)} {x_lo!r} {x_hi!r} {x_quantity}",
        "y": f"{num(frame.y0)} {num(frame.y1)} {y_lo!r} {y_hi!r} {quantity}",
    }
    return _Axes(frame, x, y, y_drawing + x_drawing, hover)


def _chart(
    kind: str, title: str, series: Sequence[Series], axes: _Axes, extra: Sequence[str] = ()
) -> str:
    parts = [axes.drawing]
    for index, s in enumerate(series):
        drawn = decimate(s.points)
        pixels = [(axes.x(a), axes.y(b)) for a, b in drawn]
        body = polyline(pixels, "line", stroke=color(index))
        if len(pixels) == 1:
            body += element(
                "circle",
                {"cx": num(pixels[0][0]), "cy": num(pixels[0][1]), "r": 3, "fill": color(index)},
            )
        tip = f"{s.label}: {len(s.points):,} points"
        if len(drawn) < len(s.points):
            tip += f" ({len(drawn):,} drawn: each stretch's lowest and highest)"
        parts.append(
            element(
                "g", {"class": "series", "data-series": index}, f"<title>{esc(tip)}</title>{body}"
            )
        )
    parts.extend(extra)
    parts.append(legend(axes.frame, [s.label for s in series]))
    return document(kind, title, axes.frame, parts, axes.hover)


def progression(
    title: str, times: Sequence[float], median: float | None = None, quantity: Quantity = "time"
) -> str:
    """Each run's figure (time, or a --measure count) against its position in execution
    order (run 1, 2, ...)."""
    label = "run time" if quantity == "time" else f"run's {quantity}"
    series = [Series(label, [(float(i + 1), t) for i, t in enumerate(times)], quantity)]
    axes = _axes(series, "run", "count", quantity)
    extra = []
    if median is not None and times:
        frame, at = axes.frame, axes.y(median)
        extra.append(line(frame.x0, at, frame.x1, at, "median-line"))
        extra.append(
            text(
                frame.x1 - 4,
                at - 4,
                f"median {value_text(median, quantity)}",
                anchor="end",
                class_="note",
            )
        )
    return _chart("progression", title, series, axes, extra)


def time_series(title: str, series: Sequence[Series], y_name: str) -> str:
    """Series over elapsed time in seconds (x), e.g. requests/s and errors/s."""
    return _chart("timeseries", title, series, _axes(series, "elapsed time", "time", y_name))


def trend(data: TrendData) -> str:
    """A figure over runs with its change points and baselines marked."""
    series = [
        Series(data.title, [(float(i + 1), v) for i, v in enumerate(data.values)], data.quantity)
    ]
    axes = _axes(series, "run", "count", "value", [b.value for b in data.baselines])
    frame, x, y = axes.frame, axes.x, axes.y
    extra = []
    for index in data.change_points:
        if 0 < index < len(data.values):
            at = x(index + 0.5)
            name = data.labels[index] if index < len(data.labels) else f"run {index + 1}"
            extra.append(
                element(
                    "g",
                    {"class": "change-point"},
                    f"<title>change point: a new level from {esc(name)}</title>"
                    + line(
                        at,
                        frame.y1,
                        at,
                        frame.y0,
                        "change",
                        stroke="#d55e00",
                        stroke_dasharray="5 3",
                    ),
                )
            )
    for base in data.baselines:
        extra.append(
            element(
                "g",
                {"class": "baseline"},
                f"<title>baseline {esc(value_text(base.value, data.quantity))}</title>"
                + line(
                    x(base.start + 1),
                    y(base.value),
                    x(base.end + 1),
                    y(base.value),
                    "baseline",
                    stroke="#009e73",
                    stroke_width=2,
                ),
            )
        )
    for index, name in data.named:
        if 0 <= index < len(data.values):
            at = x(index + 1)
            run = data.labels[index] if index < len(data.labels) else f"run {index + 1}"
            extra.append(
                element(
                    "g",
                    {"class": "named-run"},
                    f"<title>baseline {esc(name)}: {esc(run)}</title>"
                    + line(at, frame.y1, at, frame.y0, "named", stroke=NAMED_COLOR,
                           stroke_dasharray="2 2")
                    + text(at + 3, frame.y1 + 10, name, fill=NAMED_COLOR),
                )
            )  # fmt: skip
    step = max(1, len(data.values) // MAX_MARKED + (len(data.values) % MAX_MARKED > 0))
    dots = []
    for i in range(0, len(data.values), step):
        name = data.labels[i] if i < len(data.labels) else f"run {i + 1}"
        tip = f"{name}: {value_text(data.values[i], data.quantity)}"
        dots.append(
            titled("circle", {"cx": num(x(i + 1)), "cy": num(y(data.values[i])), "r": 2.5}, tip)
        )
    extra.append(element("g", {"class": "points", "fill": color(0)}, "".join(dots)))
    return _chart("trend", data.title, series, axes, extra)
