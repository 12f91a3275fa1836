"""The budgets' compliance table at the end of the terminal report, and the words and
units that every output of budgets shares (the Markdown export uses them too).

Returns strings; only the CLI prints them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pbench.report.terminal import Style
from pbench.report.units import format_figures, format_times, unit_for
from pbench.results.escape import printable
from pbench.stats.budget import BudgetCheck, Quantity, Status

STATUS_TEXT: dict[Status, str] = {
    "met": "met",
    "at_risk": "at risk",
    "broken": "broken",
    "no_data": "no data",
}
_COLOURS: dict[Status, str] = {
    "met": "green",
    "at_risk": "yellow",
    "broken": "red",
    "no_data": "bright_black",
}
LEGEND = (
    "met: the whole 95% interval is within the limit · at risk: the limit lies inside it",
    "broken: the whole interval is past the limit (exit 4 at the error level; a warn level"
    " never fails) · no data: not measured",
)
HEADERS = ("Benchmark", "Metric", "Level", "Limit", "Measured [95% interval]", "Status")


def format_values(values: Sequence[float], quantity: Quantity) -> list[str]:
    """Values of one quantity shown alike: times in one automatic unit (that of the
    first), sizes in KiB/MiB/GiB, fractions in %, rates per second."""
    if quantity == "time":
        return [text.strip() for text in format_times(values, unit_for(values[0]))]
    if quantity in ("instructions", "cycles"):
        return [text.strip() for text in format_figures(values, quantity)]
    if quantity == "bytes":
        return [_size(v) for v in values]
    if quantity == "fraction":
        return [f"{v:.2%}" for v in values]
    return ["∞/s" if math.isinf(v) else f"{v:,.1f}/s" for v in values]


def _size(count: float) -> str:
    """Bytes in the decimal units limits are written in (200MB is 200 × 10^6 bytes)."""
    for suffix, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= size:
            return f"{count / size:.1f} {suffix}"
    return f"{count:.0f} B"


def limit_text(check: BudgetCheck) -> str:
    """``≤ 250.0 ms`` for a ceiling, ``≥ 1,000.0/s`` for a floor."""
    sign = "≥" if check.bigger_is_better else "≤"
    return f"{sign} {format_values([check.limit], check.quantity)[0]}"


def measured_text(check: BudgetCheck) -> str:
    """``52.1 ms [51.8 ms, 52.6 ms]``, or ``n/a`` without data."""
    if check.measured is None or check.low is None or check.high is None:
        return "n/a"
    value, low, high = format_values([check.measured, check.low, check.high], check.quantity)
    return f"{value} [{low}, {high}]"


def broken_line(check: BudgetCheck) -> str:
    """One line saying which limit a broken check is past, for stderr."""
    side = "below" if check.bigger_is_better else "above"
    limit = format_values([check.limit], check.quantity)[0]
    return (
        f"budget broken: {check.metric} of {printable(check.benchmark)!r} is "
        f"{measured_text(check)} (95% interval), all {side} its limit of {limit}"
    )


def render_budgets(checks: Sequence[BudgetCheck], style: Style) -> str:
    """The compliance table: one row per check, then the legend and why some checks
    have no data."""
    rows = [
        (
            printable(c.benchmark),
            c.metric,
            c.level,
            limit_text(c),
            measured_text(c),
            STATUS_TEXT[c.status],
        )
        for c in checks
    ]
    widths = [max(len(row[i]) for row in [HEADERS, *rows]) for i in range(len(HEADERS))]

    def line(cells: Sequence[str]) -> str:
        return "  " + "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=False))

    lines = [style.paint("Budgets", bold=True), line(HEADERS).rstrip()]
    for check, row in zip(checks, rows, strict=True):
        text = line(row[:-1]) + "  " + style.paint(row[-1], fg=_COLOURS[check.status])
        lines.append(text.rstrip())
    lines.extend("  " + part for part in LEGEND)
    missing = {
        f"  no data for {c.metric} of {printable(c.benchmark)!r}: {c.note}"
        for c in checks
        if c.status == "no_data" and c.note
    }
    lines.extend(sorted(missing))
    return "\n".join(lines)
