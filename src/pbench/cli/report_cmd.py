"""``pbench report FILE...``: a report for people from saved results.

Inputs are result files (pbench's or hyperfine's ``--export-json``) and ``pbench
compare --export-json`` files, in any mix (:mod:`pbench.results.report_files`), and the
history store's trends (``--store`` and its filters: :mod:`pbench.history.trend`,
shown through :mod:`pbench.report.saved_trends`). The report is Markdown
(:mod:`pbench.report.markdown_report`), HTML (``pbench.report.html``) or one SVG chart
(``pbench.report.charts``), chosen by :mod:`pbench.plan.report`: one renderer per
format in :data:`RENDERERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from pbench.cli.common import guarded
from pbench.cli.options import input_format_option
from pbench.plan.report import CHARTS, FORMATS, LAST, HistorySource, ReportPlan
from pbench.results.report_files import ReportFiles

if TYPE_CHECKING:
    from pbench.history.trend import Trend


@dataclass(frozen=True)
class Inputs:
    """What a report is made from: the files, and the store's trends with the names
    of the stored baselines by run id."""

    loaded: ReportFiles
    trends: Sequence[Trend] = ()
    baselines: Mapping[int, Sequence[str]] = field(default_factory=dict)


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
def report(**options: Any) -> int:  # fmt: skip
    """Make a report from result files, compare files and saved runs.

    FILE is a JSON export of pbench or hyperfine, or of 'pbench compare'. Several
    result files make one report; a name found in several files is prefixed by its
    file's name. With --store (or another history option) the report shows the
    history of saved runs too, or alone without files.
    """
    from pbench.plan.report import plan_report
    from pbench.results.report_files import read_report_files

    plan = plan_report(
        options["files"], options["output"], options["format_"], options["chart"],
        _history_source(options),
    )  # fmt: skip
    if plan.output is not None:
        _probe(plan.output)
    inputs = Inputs(read_report_files(plan.files, options["input_format"]))
    if plan.history is not None:
        inputs = _with_history(inputs, plan.history)
    _write(plan.output, RENDERERS[plan.format](plan, inputs))
    return 0


def _history_source(options: Mapping[str, Any]) -> HistorySource | None:
    keys = ("store", "since", "branch", "machine", "last")
    if all(options[key] is None for key in keys) and not options["benchmarks"]:
        return None
    from pbench.plan.history import parse_since

    since = options["since"]
    return HistorySource(
        store=options["store"],
        names=tuple(options["benchmarks"]),
        since=None if since is None else parse_since(since),
        branch=options["branch"],
        machine=options["machine"],
        last=options["last"] or LAST,
    )


def _with_history(inputs: Inputs, source: HistorySource) -> Inputs:
    """The store's trends of the benchmarks asked for (or the files', or all)."""
    from pbench.history.backends import open_store
    from pbench.history.trend import read_trends
    from pbench.plan.store import store_address
    from pbench.session.trend import benchmark_names, machines_matching

    address = store_address(source.store)
    in_files = [r.name for r in inputs.loaded.results.results]
    with open_store(address, create=False) as store:
        machines = machines_matching(store, source.machine, address.shown)
        if source.names or not in_files:
            names = benchmark_names(store, source.names, address.shown)
        else:
            saved = set(store.benchmarks())
            names = [name for name in in_files if name in saved]
        trends = read_trends(
            store, names, machines, branch=source.branch, since=source.since, last=source.last
        )
        named: dict[int, list[str]] = {}
        for name, run_id in store.baselines().items():
            named.setdefault(run_id, []).append(name)
    if not trends:
        click.echo(f"pbench: note: no saved runs match in {address.shown}", err=True)
    return Inputs(inputs.loaded, trends, named)


def _markdown(plan: ReportPlan, inputs: Inputs) -> str:
    from pbench.report.markdown_report import render_markdown_report

    history = None
    if inputs.trends:
        from pbench.report.saved_trends import markdown_history

        history = markdown_history(inputs.trends, inputs.baselines)
    loaded = inputs.loaded
    return render_markdown_report(
        loaded.results, comparisons=loaded.compares, history=history, sources=plan.files
    )


def _html(plan: ReportPlan, inputs: Inputs) -> str:
    import dataclasses

    from pbench.report.html import render_html
    from pbench.report.saved_trends import trend_charts

    loaded = inputs.loaded
    # The comparisons of compare files join the run's own in the comparisons section.
    results = dataclasses.replace(loaded.results, comparisons=list(loaded.comparisons))
    fitness = results.metadata.get("fitness")
    return render_html(
        results if plan.files else None,
        history=trend_charts(inputs.trends, inputs.baselines),
        fitness=fitness if isinstance(fitness, Mapping) else None,
    )


def _svg(plan: ReportPlan, inputs: Inputs) -> str:
    from pbench.report.chart_files import render_chart
    from pbench.report.saved_trends import trend_charts

    assert plan.chart is not None  # plan_report asks for --chart with svg
    history = trend_charts(inputs.trends, inputs.baselines)
    return render_chart(plan.chart, inputs.loaded.results, history)


Renderer = Callable[[ReportPlan, Inputs], str]
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
