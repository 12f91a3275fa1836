"""``pbench report FILE...``: a report for people from saved results.

Inputs are result files (pbench's or hyperfine's ``--export-json``) and ``pbench
compare --export-json`` files, in any mix (:mod:`pbench.results.load`). The report is
Markdown (:mod:`pbench.report.markdown_report`), HTML (``pbench.report.html``) or one
SVG chart (``pbench.report.charts``), chosen by :mod:`pbench.plan.report`: one renderer
per format in :data:`RENDERERS`.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from pbench.cli.common import guarded
from pbench.plan.report import CHARTS, FORMATS, ReportPlan
from pbench.results.load import Loaded

EPILOG = """\b
Examples:
  pbench report results.json                    Markdown on stdout
  pbench report base.json new.json -o report.md several runs in one report
  pbench report compare.json -o comment.md      a 'pbench compare --export-json' file
  pbench report results.json -o report.html
  pbench report results.json --chart whisker -o times.svg

\b
The Markdown report fits a pull-request comment (65,536 characters): when longer, the
least important rows and sections are left out, and its end says which.

\b
Exit codes:
  0  the report was written
  2  an unreadable or malformed file, an unknown format or extension
"""


@click.command("report", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("files", metavar="FILE...", nargs=-1)
@click.option(
    "-o",
    "--output",
    metavar="OUT",
    help="Write the report to OUT ('-' = stdout); its extension gives the format.",
)
@click.option(
    "--format",
    "format_",
    type=click.Choice(FORMATS),
    help="md, html or svg (default: from OUT's extension, else md).",
)
@click.option("--chart", type=click.Choice(CHARTS), help="The chart of an SVG report.")
@guarded
def report(
    files: tuple[str, ...], output: str | None, format_: str | None, chart: str | None
) -> int:
    """Make a report from result files and compare files.

    FILE is a JSON export of pbench or hyperfine, or of 'pbench compare'. Several
    result files make one report; a name found in several files is prefixed by its
    file's name.
    """
    from pbench.plan.report import plan_report
    from pbench.results.load import load

    plan = plan_report(files, output, format_, chart)
    if plan.output is not None:
        _probe(plan.output)
    loaded = load(plan.files)
    _write(plan.output, RENDERERS[plan.format](plan, loaded))
    return 0


def _markdown(plan: ReportPlan, loaded: Loaded) -> str:
    from pbench.report.markdown_report import render_markdown_report

    return render_markdown_report(loaded.results, comparisons=loaded.compares, sources=plan.files)


def _html(plan: ReportPlan, loaded: Loaded) -> str:
    import dataclasses

    from pbench.report.html import render_html

    # The comparisons of compare files join the run's own in the comparisons section.
    results = dataclasses.replace(loaded.results, comparisons=list(loaded.comparisons))
    return render_html(results)


def _svg(plan: ReportPlan, loaded: Loaded) -> str:
    from pbench.report.chart_files import render_chart

    assert plan.chart is not None  # plan_report asks for --chart with svg
    return render_chart(plan.chart, loaded.results)


Renderer = Callable[[ReportPlan, Loaded], str]
# One renderer per format of pbench.plan.report.
RENDERERS: dict[str, Renderer] = {"md": _markdown, "html": _html, "svg": _svg}


def _probe(path: str) -> None:
    """Fail before reading anything when the report cannot be written."""
    from pbench.export import export_error
    from pbench.export.atomic import probe_writable

    try:
        probe_writable(path)
    except OSError as exc:
        raise export_error(path, exc, "the report") from None


def _write(path: str | None, text: str) -> None:
    if path is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from pbench.export import export_error
    from pbench.export.atomic import write_to

    try:
        write_to(path, text)
    except OSError as exc:
        raise export_error(path, exc, "the report") from None
