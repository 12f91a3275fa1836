"""HTML pieces of the report: escaped text, tables, sections.

Cells and texts are plain strings and are escaped here; only :class:`Markup` (markup
pbench built itself, such as a chart) passes through as it is. Numeric cells carry
their value in ``data-sort`` so that the report's script can sort a table by it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pbench.report.charts.svg import esc


class Markup(str):
    """HTML that pbench produced itself and that must not be escaped again."""

    __slots__ = ()


def html(text: str | Markup) -> str:
    """``text`` escaped, unless it is :class:`Markup` already."""
    return text if isinstance(text, Markup) else esc(text)


@dataclass(frozen=True)
class Cell:
    """A table cell: what is shown, and the number it sorts by."""

    shown: str | Markup
    sort: float | None = None


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str | Markup | Cell]],
    caption: str | None = None,
    cls: str = "sortable",
) -> str:
    """A table; click a heading to sort (with the script), readable without."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    lines = []
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, Cell):
                sort = ""
                if value.sort is not None and math.isfinite(value.sort):
                    sort = f' data-sort="{value.sort!r}"'
                cells.append(f'<td class="num"{sort}>{html(value.shown)}</td>')
            else:
                cells.append(f"<td>{html(value)}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    title = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<table class="{cls}">{title}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(lines)}</tbody></table>"
    )


def section(ident: str, title: str, body: str, level: int = 2) -> str:
    """A ``<section>`` with an id (for the navigation) and a heading."""
    return f'<section id="{esc(ident)}"><h{level}>{esc(title)}</h{level}>{body}</section>'


def details(summary: str, body: str) -> str:
    """Folded content: open by default when printed (see the print style)."""
    return f"<details><summary>{esc(summary)}</summary>{body}</details>"


def figure(chart: str, caption: str | None = None) -> str:
    """A chart (SVG markup from :mod:`pbench.report.charts`) with an optional caption."""
    under = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f'<figure class="chart-box">{chart}{under}</figure>'


def paragraph(text: str, cls: str | None = None) -> str:
    return f'<p class="{esc(cls)}">{esc(text)}</p>' if cls else f"<p>{esc(text)}</p>"


def items(texts: Sequence[str], cls: str | None = None) -> str:
    """An unordered list of plain texts."""
    attr = f' class="{esc(cls)}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{esc(t)}</li>" for t in texts) + "</ul>"


def anchor(prefix: str, index: int) -> str:
    """An element id that no user text can shape: ``bench-3``."""
    return f"{prefix}-{index}"
