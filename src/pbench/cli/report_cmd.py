"""``pbench report FILE...``: a report for people from saved results.

Inputs are result files (pbench's or hyperfine's ``--export-json``) and ``pbench
compare --export-json`` files, in any mix (:mod:`pbench.results.report_files`), and the
history store's trends (``--store`` and its filters: :mod:`pbench.history.trend`,
shown through :mod:`pbench.report.saved_trends`). The report is Markdown
(:mod:`pbench.report.markdown_report`), HTML (``pbench.report.html``) or one SVG chart
(``pbench.report.charts``), chosen by :mod:`pbench.plan.report` and made by
:mod:`pbench.session.report`.
"""

from __future__ import annotations

import click

from pbench.cli.common import guarded
from pbench.cli.options import input_format_option
from pbench.cli.output import ECHO
from pbench.plan.report import CHARTS, FORMATS, LAST, HistorySource

EPILOG = """\b
Examples:
  pbench report results.json                    Markdown on stdout
  pbench report base.json new.json -o report.md several runs in one report
  pbench report compare.json -o comment.md      a 'pbench compare --export-json' file
  pbench report results.json -o report.html
  pbench report results.json --chart whisker -o times.svg
  pbench report --store history.db -o trends.html  the saved runs alone
  pbench report results.json --store h.db --since 30d -o pr.md
  pbench report --store h.db -b parse --chart trend -o parse.svg

\b
History: --store, --since, --branch, --machine, --benchmark or --last read the
history store (the default one without --store): the change points of the last
--last runs of each benchmark (those of the files, else all) and machine, with the
runs a stored baseline names.

\b
The Markdown report fits a pull-request comment (65,536 characters): when longer, the
least important rows and sections are left out, and its end says which.

\b
Exit codes:
  0  the report was written
  1  the history store could not be read
  2  an unreadable or malformed file, an unknown format or extension, a benchmark
     or machine the store does not hold
"""


@click.command("report", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("files", metavar="FILE...", nargs=-1)
@input_format_option
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
@click.option(
    "--store",
    metavar="URL",
    default=None,
    help="Add the history of saved runs from this store (a file, sqlite:///path "
    "or postgresql://user@host/db).",
)
@click.option(
    "--since",
    default=None,
    metavar="WHEN",
    help="History: only runs since a date (2026-01-31), a time, or a duration ago (7d, 12h).",
)
@click.option("--branch", default=None, help="History: only runs on this git branch.")
@click.option(
    "--machine",
    default=None,
    metavar="ID",
    help="History: only runs on this machine (a fingerprint, its start, or a host).",
)
@click.option(
    "-b",
    "--benchmark",
    "benchmarks",
    multiple=True,
    metavar="NAME",
    help="History: this benchmark (default: those of the files, else all); repeatable.",
)
@click.option(
    "--last",
    type=click.IntRange(min=2),
    default=None,
    metavar="N",
    help=f"History: the last N runs of each benchmark and machine [default: {LAST}].",
)
@guarded
def report(
    files: tuple[str, ...],
    input_format: str | None,
    output: str | None,
    format_: str | None,
    chart: str | None,
    store: str | None,
    since: str | None,
    branch: str | None,
    machine: str | None,
    benchmarks: tuple[str, ...],
    last: int | None,
) -> int:
    """Make a report from result files, compare files and saved runs.

    FILE is a JSON export of pbench or hyperfine, or of 'pbench compare'. Several
    result files make one report; a name found in several files is prefixed by its
    file's name. With --store (or another history option) the report shows the
    history of saved runs too, or alone without files.
    """
    from pbench.plan.report import plan_report
    from pbench.session.report import make_report

    history = None
    if any(v is not None for v in (store, since, branch, machine, last)) or benchmarks:
        history = _history_source(store, since, branch, machine, benchmarks, last)
    plan = plan_report(files, output, format_, chart, history)
    return make_report(plan, input_format, ECHO)


def _history_source(
    store: str | None,
    since: str | None,
    branch: str | None,
    machine: str | None,
    benchmarks: tuple[str, ...],
    last: int | None,
) -> HistorySource:
    from pbench.plan.history import parse_since

    return HistorySource(
        store=store,
        names=benchmarks,
        since=None if since is None else parse_since(since),
        branch=branch,
        machine=machine,
        last=last or LAST,
    )
