"""``pbench report`` below click: a :class:`~pbench.plan.report.ReportPlan` made into
one text. Inputs are result files (pbench's or hyperfine's ``--export-json``) and
``pbench compare --export-json`` files, in any mix (:mod:`pbench.results.report_files`),
and the history store's trends (:mod:`pbench.history.trend`, shown through
:mod:`pbench.report.saved_trends`). The report is Markdown
(:mod:`pbench.report.markdown_report`), HTML (``pbench.report.html``) or one SVG chart
(``pbench.report.charts``): one renderer per format in :data:`RENDERERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pbench.plan.report import HistorySource, ReportPlan
from pbench.results.report_files import ReportFiles

if TYPE_CHECKING:
    from pbench.history.trend import Trend
    from pbench.session.output import Output


@dataclass(frozen=True)
class Inputs:
    """What a report is made from: the files, and the store's trends with the names
    of the stored baselines by run id."""

    loaded: ReportFiles
    trends: Sequence[Trend] = ()
    baselines: Mapping[int, Sequence[str]] = field(default_factory=dict)


def make_report(plan: ReportPlan, input_format: str | None, output: Output) -> int:
    """Read the plan's files (and the store's history), render, write: exit 0."""
    from pbench.results.report_files import read_report_files
    from pbench.session.exports import probe_export, write_export

    if plan.output is not None:
        probe_export(plan.output, "the report")
    inputs = Inputs(read_report_files(plan.files, input_format))
    if plan.history is not None:
        inputs = _with_history(inputs, plan.history, output)
    write_export(plan.output, RENDERERS[plan.format](plan, inputs), output, "the report")
    return 0


def _with_history(inputs: Inputs, source: HistorySource, output: Output) -> Inputs:
    """The store's trends of the benchmarks asked for (or the files', or all)."""
    from pbench.history.trend import read_trends
    from pbench.session.stores import reading
    from pbench.session.trend import benchmark_names, machines_matching

    in_files = [r.name for r in inputs.loaded.results.results]
    with reading(source.store) as (store, address):
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
        output.echo(f"pbench: note: no saved runs match in {address.shown}", err=True)
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
