"""``pbench report`` as a frozen plan: the input files, where the report goes, and in
which format.

The format is ``--format`` when given, else that of the output's extension (``.md``
and ``.markdown``: Markdown, ``.html``/``.htm``: HTML, ``.svg``: an SVG chart), else
Markdown on stdout. An SVG is one chart, named by ``--chart``; ``--chart`` asks for
SVG.

History input (:class:`HistorySource`): ``--store``, ``--since``, ``--branch``,
``--machine``, ``--benchmark`` and ``--last``; any of them reads the store (the
default one without ``--store``). Its trends join the result files' report (of the
benchmarks in the files, unless ``--benchmark`` names others), or are the report when
no file is given. A report needs files or history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal, cast, get_args

from pbench.errors import UsageError

ReportFormat = Literal["md", "html", "svg"]
Chart = Literal["whisker", "histogram", "progression", "scan", "percentiles", "trend"]
FORMATS: tuple[str, ...] = get_args(ReportFormat)
CHARTS: tuple[str, ...] = get_args(Chart)
EXTENSIONS: dict[str, ReportFormat] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".svg": "svg",
}


LAST = 100  # runs of each benchmark and machine a report shows by default


@dataclass(frozen=True)
class HistorySource:
    """Which saved runs a report shows: ``store`` (None: ``$PBENCH_STORE`` or the
    default), benchmark ``names`` (empty: those of the files, or all without files),
    the filters of ``pbench history``, and the ``last`` runs of each series."""

    store: str | None = None
    names: tuple[str, ...] = ()
    since: datetime | None = None
    branch: str | None = None
    machine: str | None = None
    last: int = LAST


@dataclass(frozen=True)
class ReportPlan:
    """What to read, what to make, where to write it (``output`` None: stdout)."""

    files: tuple[str, ...]
    format: ReportFormat
    output: str | None = None
    chart: Chart | None = None
    history: HistorySource | None = None


def plan_report(
    files: Sequence[str],
    output: str | None,
    format: str | None,
    chart: str | None,
    history: HistorySource | None = None,
) -> ReportPlan:
    """Check the options together; a :class:`UsageError` says what to change."""
    if not files and history is None:
        raise UsageError(
            "report needs at least one file, or saved runs (--store)",
            hint="pass result files (pbench or hyperfine --export-json) or a 'pbench compare' "
            "--export-json file, or read the history store with --store URL",
        )
    chosen = _format(output, format, chart)
    if chosen == "svg" and chart is None:
        raise UsageError(
            "an SVG report is one chart: name it with --chart",
            hint=f"--chart {'|'.join(CHARTS)}",
        )
    if chart is not None and chosen != "svg":
        raise UsageError(
            f"--chart makes an SVG, not {chosen}",
            hint="write it to FILE.svg, or leave --chart out for the whole report",
        )
    return ReportPlan(
        files=tuple(files),
        format=chosen,
        output=None if output in (None, "-") else output,
        chart=cast(Chart, chart) if chart is not None else None,
        history=history,
    )


def _format(output: str | None, format: str | None, chart: str | None) -> ReportFormat:
    if format is not None:
        if format not in FORMATS:
            raise UsageError(f"unknown report format '{format}'", hint=_formats())
        return cast(ReportFormat, format)
    if output is None or output == "-":
        return "svg" if chart is not None else "md"
    suffix = Path(output).suffix.lower()
    if suffix not in EXTENSIONS:
        raise UsageError(
            f"cannot tell the report's format from '{output}'"
            + (f" (extension '{suffix}')" if suffix else " (no extension)"),
            hint=_formats() + "; or give --format",
        )
    return EXTENSIONS[suffix]


def _formats() -> str:
    return "formats: md (.md, .markdown), html (.html, .htm), svg (.svg, with --chart)"
