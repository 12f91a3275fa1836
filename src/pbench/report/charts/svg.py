"""SVG text for pbench's charts: escaping, numbers, elements and the chart frame.

Everything a chart shows that came from the user (names, commands, URLs, parameter
values) passes through :func:`esc`, in element text and in attribute values alike.
Numbers are written with a fixed number of decimals (:func:`num`), so the same data
always gives the same bytes. Drawing coordinates carry one decimal: a tenth of a
pixel is below what a screen or printer shows, and keeps 2,000-point lines small.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Okabe & Ito's palette: told apart with the common colour-vision deficiencies, and in
# grey when printed.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")

# What esc shows as \xNN: one regular-expression scan (a report escapes thousands of
# labels; a Python-level loop over every character was a tenth of its render time).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})


def esc(text: object) -> str:
    """Text made safe for XML and HTML, in element content and quoted attributes.

    Characters XML 1.0 does not allow (control characters other than tab, newline and
    carriage return) are shown as ``\\xNN`` instead of making the file unreadable."""
    raw = str(text)
    if _NOT_XML.search(raw):
        raw = "".join(f"\\x{ord(c):02x}" if ord(c) < 32 and c not in "\t\n\r" else c for c in raw)
    return raw.translate(_ESCAPES)


def num(value: float, decimals: int = 1) -> str:
    """A coordinate: fixed decimals, trailing zeros dropped, never ``-0`` or NaN."""
    if value - value != 0.0:  # inf or NaN (math.isfinite, without the call)
        return "0"
    text = f"{value:.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def element(name: str, attrs: Mapping[str, object], content: str | None = None) -> str:
    """``<name a="v"…>content</name>``, or self-closed without content. Attribute
    values are escaped; ``content`` must already be markup (use :func:`esc` for text)."""
    parts = [name] + [f'{key}="{esc(value)}"' for key, value in attrs.items() if value is not None]
    head = " ".join(parts)
    if content is None:
        return f"<{head}/>"
    return f"<{head}>{content}</{name}>"


def titled(name: str, attrs: Mapping[str, object], tooltip: str | None) -> str:
    """An element with a ``<title>`` child: the value a pointer hovering on it shows."""
    if tooltip is None:
        return element(name, attrs)
    return element(name, attrs, f"<title>{esc(tooltip)}</title>")


def text(x: float, y: float, content: str, **attrs: object) -> str:
    """A text label (``content`` is escaped here); ``anchor`` = start|middle|end."""
    anchor = attrs.pop("anchor", None)
    base: dict[str, object] = {"x": num(x), "y": num(y)}
    if anchor is not None:
        base["text-anchor"] = anchor
    base.update({key.replace("_", "-"): value for key, value in attrs.items()})
    return element("text", base, esc(content))


def line(x1: float, y1: float, x2: float, y2: float, cls: str, **attrs: object) -> str:
    base: dict[str, object] = {"x1": num(x1), "y1": num(y1), "x2": num(x2), "y2": num(y2)}
    base["class"] = cls
    base.update({key.replace("_", "-"): value for key, value in attrs.items()})
    return element("line", base)


def rect(
    x: float,
    y: float,
    width: float,
    height: float,
    cls: str,
    tooltip: str | None = None,
    **attrs: object,
) -> str:
    base: dict[str, object] = {
        "x": num(x),
        "y": num(y),
        "width": num(max(width, 0.0)),
        "height": num(max(height, 0.0)),
        "class": cls,
    }
    base.update({key.replace("_", "-"): value for key, value in attrs.items()})
    return titled("rect", base, tooltip)


def polyline(points: Sequence[tuple[float, float]], cls: str, **attrs: object) -> str:
    """One line through ``points`` (pixels)."""
    base: dict[str, object] = {
        "points": " ".join(f"{num(x)},{num(y)}" for x, y in points),
        "class": cls,
        "fill": "none",
    }
    base.update({key.replace("_", "-"): value for key, value in attrs.items()})
    return element("polyline", base)


@dataclass(frozen=True)
class Frame:
    """A chart's size (SVG user units; CSS scales it to the page) and the plot area
    inside its margins."""

    width: int = 640
    height: int = 260
    left: int = 70
    right: int = 20
    top: int = 30
    bottom: int = 46

    @property
    def x0(self) -> float:
        return float(self.left)

    @property
    def x1(self) -> float:
        return float(self.width - self.right)

    @property
    def y0(self) -> float:  # the bottom of the plot area (y grows downwards)
        return float(self.height - self.bottom)

    @property
    def y1(self) -> float:
        return float(self.top)


def document(
    kind: str,
    title: str,
    frame: Frame,
    body: Sequence[str],
    data: Mapping[str, object] | None = None,
) -> str:
    """The ``<svg>`` element of one chart: its title (the accessible name, and the
    heading drawn at its top), ``class="chart chart-KIND"`` and ``data-*`` attributes
    that the report's script reads (none is needed to see the chart)."""
    attrs: dict[str, object] = {
        "xmlns": "http://www.w3.org/2000/svg",
        "class": f"chart chart-{kind}",
        "viewBox": f"0 0 {frame.width} {frame.height}",
        "width": frame.width,
        "height": frame.height,
        "role": "img",
        "aria-label": title,
        "font-family": "system-ui, sans-serif",
        "font-size": 11,
    }
    for key, value in (data or {}).items():
        attrs[f"data-{key}"] = value
    heading = text(frame.left, 18, title, class_="chart-title", font_weight="bold", font_size=12)
    return element("svg", attrs, f"<title>{esc(title)}</title>{heading}{''.join(body)}")


def legend(frame: Frame, labels: Sequence[str], y: float | None = None) -> str:
    """Swatches and names in a row under the title; each is a ``g.series-toggle``
    whose ``data-series`` index the script uses to hide and show that series."""
    if len(labels) < 2:
        return ""
    parts = []
    x = frame.x1
    placed = []
    for index, label in reversed(list(enumerate(labels))):
        shown = label if len(label) <= 28 else label[:27] + "…"
        x -= 18 + 6.2 * len(shown)
        placed.append((index, x, shown, label))
    row = frame.top - 14 if y is None else y
    for index, x_at, shown, label in reversed(placed):
        swatch = rect(x_at, row - 8, 10, 10, "swatch", fill=color(index))
        name = text(x_at + 14, row + 1, shown)
        parts.append(
            element(
                "g",
                {"class": "series-toggle", "data-series": index, "tabindex": 0},
                f"<title>{esc(label)} (click to hide or show)</title>{swatch}{name}",
            )
        )
    return "".join(parts)
