"""Putting the report's sections together, in reading order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pbench.models import BenchmarkResult, RunResults
from pbench.report.charts.axes import quantity_of
from pbench.report.charts.distribution import box_plot, box_stats
from pbench.report.charts.lines import TrendData, trend
from pbench.report.charts.svg import esc
from pbench.report.html import comparisons as compared
from pbench.report.html.benchmark import benchmark_section
from pbench.report.html.markup import Cell, Markup, anchor, details, figure, section, table
from pbench.report.html.overview import (
    at_a_glance,
    budgets_section,
    facts,
    findings_section,
    fitness_section,
    scores_section,
)
from pbench.report.html.page import page
from pbench.report.html.scans import scan_section
from pbench.stats.summary import Summary

if TYPE_CHECKING:
    from pbench.report.html import Reuse
    from pbench.results.pairing import FileComparison


def build(
    run_results: RunResults | None,
    comparisons: FileComparison | None,
    history: Sequence[TrendData],
    fitness: Mapping[str, Any] | None,
    reuse: Reuse | None,
) -> str:
    nav: list[tuple[str, str]] = [("summary", "Summary")]
    body: list[str] = []
    results: Sequence[BenchmarkResult] = run_results.results if run_results else ()
    metadata = run_results.metadata if run_results else {}
    summaries = {r.name: run_results.summary(r) for r in results} if run_results else {}
    links = {r.name: anchor("bench", i + 1) for i, r in enumerate(results)}
    intro = [facts(metadata, _what_ran(results, comparisons))]
    if run_results is not None and results:
        intro.append(at_a_glance(run_results, summaries, links))
        if run_results.scores:
            from pbench.stats.score import band, shown, suite_score

            suite = suite_score(list(run_results.scores.values()))
            if suite is not None:
                intro.append(
                    f'<p>Suite score: <span class="score">{shown(suite)}</span> ({band(suite)})</p>'
                )
    body.append(section("summary", "Summary", "".join(intro)))
    boxes = [
        box_stats(r.name, r.times, (s.median_ci.low, s.median_ci.high))
        for r in results
        if (s := summaries.get(r.name)) is not None and r.times
    ]
    if boxes:
        measures = {r.measure for r in results}
        quantity = quantity_of(measures.pop()) if len(measures) == 1 else "number"
        chart = box_plot("Distributions of all benchmarks", boxes, quantity)
        body.append(section("distributions", "Distributions", figure(chart, _BOX_CAPTION)))
        nav.append(("distributions", "Distributions"))
    optional = [
        ("scan", "Parameter scan", scan_section(results, summaries)),
        (
            "comparisons",
            "Comparisons",
            compared.file_comparison(comparisons)
            if comparisons is not None
            else compared.run_comparisons(run_results.comparisons if run_results else ()),
        ),
        (
            "budgets",
            "Budgets",
            budgets_section(run_results.budgets) if run_results and run_results.budgets else "",
        ),
        (
            "scores",
            "Scores",
            scores_section(run_results) if run_results and run_results.scores else "",
        ),
        ("findings", "Warnings", findings_section(run_results) if run_results else ""),
        ("history", "History", _history(history)),
        ("fitness", "Machine fitness", fitness_section(fitness) if fitness else ""),
    ]
    for ident, title, html in optional:
        if html:
            body.append(html)
            nav.append((ident, title))
    sections = []
    for result in results:
        make = _section_maker(links[result.name], result, summaries.get(result.name))
        sections.append(reuse(result, make) if reuse is not None else make())
    if sections:
        body.append(section("benchmarks", "Benchmarks", "".join(sections)))
        nav.append(("benchmarks", "Benchmarks"))
    title = "pbench report" if comparisons is None else "pbench compare"
    header = f"<header><h1>{esc(title)}</h1></header>"
    return page(title, nav, header + "".join(body))


_BOX_CAPTION = (
    "box: 25th to 75th percentile; whiskers: 1.5 × IQR; bold line: median, shaded: its 95% "
    "interval; diamond: mean; dots: values beyond the whiskers (load runs: slice medians)"
)


def _section_maker(ident: str, result: BenchmarkResult, summary: Summary | None) -> Any:
    return lambda: benchmark_section(ident, result, summary)


def _what_ran(
    results: Sequence[BenchmarkResult], comparisons: FileComparison | None
) -> list[tuple[str, str]]:
    rows = []
    if results:
        kinds = sorted({_kind(r) for r in results})
        rows.append(("benchmarks", f"{len(results):,} ({', '.join(kinds)})"))
    if comparisons is not None:
        rows.append(("baseline", ", ".join(comparisons.baseline.paths)))
        rows.append(("candidate", ", ".join(comparisons.candidate.paths)))
    return rows


def _kind(result: BenchmarkResult) -> str:
    if "load" in result.sections:
        return "load"
    if "sql" in result.sections or "dsn" in result.info:
        return "SQL"
    if "url" in result.info or "method" in result.info:
        return "HTTP"
    return "commands"


def _history(history: Sequence[TrendData]) -> str:
    """Trends over earlier runs, each with its values in a table."""
    parts = []
    for data in history:
        if not data.values:
            continue
        from pbench.report.charts.axes import value_text

        rows: list[list[str | Markup | Cell]] = [
            [
                data.labels[i] if i < len(data.labels) else f"run {i + 1}",
                Cell(value_text(v, data.quantity), v),
                "; ".join(
                    (["change point"] if i in data.change_points else [])
                    + [f"baseline {name}" for at, name in data.named if at == i]
                ),
            ]
            for i, v in enumerate(data.values)
        ]
        caption = "dashed: change points; green: each segment's baseline"
        if data.named:
            caption += "; dotted: runs a stored baseline names"
        parts.append(figure(trend(data), caption))
        parts.append(details(f"Values: {data.title}", table(["run", "value", ""], rows)))
    return section("history", "History", "".join(parts)) if parts else ""
