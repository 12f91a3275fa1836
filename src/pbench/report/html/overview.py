"""The report's first sections: what was run, where and when, and the results at a
glance (verdicts, budget statuses, scores), then budgets, scores, warnings and
recommendations, and the machine fitness check when it is given."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pbench.models import BenchmarkResult, RunResults
from pbench.report.charts.axes import Quantity, quantity_of, value_text
from pbench.report.charts.svg import esc
from pbench.report.html.markup import Cell, Markup, items, section, table
from pbench.report.units import format_bytes
from pbench.stats.budget import BudgetCheck
from pbench.stats.summary import Summary

_WORST = ("broken", "at_risk", "met", "no_data")


def facts(metadata: Mapping[str, Any], extra: Sequence[tuple[str, str]] = ()) -> str:
    """Where and when: pbench version, time, commit, machine, Python (from metadata)."""
    rows: list[tuple[str, str]] = list(extra)
    if metadata.get("start_time"):
        rows.append(("started", str(metadata["start_time"])))
    git = metadata.get("git")
    if isinstance(git, Mapping) and git.get("commit"):
        commit = str(git["commit"])[:12]
        if git.get("branch"):
            commit += f" on {git['branch']}"
        if git.get("dirty"):
            commit += " (uncommitted changes)"
        rows.append(("commit", commit))
    system = metadata.get("os")
    if isinstance(system, Mapping) and system.get("platform"):
        rows.append(("system", str(system["platform"])))
    cpu = metadata.get("cpu")
    if isinstance(cpu, Mapping) and cpu.get("model"):
        cores = cpu.get("logical_count")
        rows.append(("CPU", f"{cpu['model']}" + (f", {cores} logical cores" if cores else "")))
    memory = metadata.get("memory")
    if isinstance(memory, Mapping) and memory.get("total_bytes"):
        rows.append(("memory", format_bytes(float(memory["total_bytes"]))))
    python = metadata.get("python")
    if isinstance(python, Mapping) and python.get("version"):
        rows.append(("Python", f"{python.get('implementation', '')} {python['version']}".strip()))
    if metadata.get("pbench_version"):
        rows.append(("pbench", str(metadata["pbench_version"])))
    body = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    return f'<dl class="facts">{body}</dl>'


def _median_cell(summary: Summary | None, quantity: Quantity = "time") -> Cell:
    if summary is None:
        return Cell("n/a")
    low, high = summary.median_ci.low, summary.median_ci.high
    return Cell(
        f"{value_text(summary.median, quantity)} [{value_text(low, quantity)} … "
        f"{value_text(high, quantity)}]",
        summary.median,
    )


def _worst_status(checks: Sequence[BudgetCheck]) -> str | None:
    statuses = {c.status for c in checks}
    return next((s for s in _WORST if s in statuses), None)


def at_a_glance(
    run_results: RunResults, summaries: Mapping[str, Summary | None], links: Mapping[str, str]
) -> str:
    """One row per benchmark: median [95% CI], mean ± σ, runs, verdict, budgets, score."""
    verdicts = {c.name: c for c in run_results.comparisons}
    budgets: dict[str, list[BudgetCheck]] = {}
    for check in run_results.budgets:
        budgets.setdefault(check.benchmark, []).append(check)
    headers = ["benchmark", "median [95% CI]", "mean ± σ", "n", "vs reference"]
    if run_results.budgets:
        headers += ["budgets", "score"]
    rows: list[list[str | Markup | Cell]] = []
    for result in run_results.results:
        summary = summaries.get(result.name)
        link = Markup(f'<a href="#{links[result.name]}">{_name(result)}</a>')
        quantity = quantity_of(result.measure)
        spread = (
            Cell(
                f"{value_text(summary.mean, quantity)} ± {value_text(summary.stddev, quantity)}",
                summary.mean,
            )
            if summary
            else Cell("n/a")
        )
        comparison = verdicts.get(result.name)
        if result.name == run_results.reference and len(run_results.results) > 1:
            verdict: str | Markup = "reference"
        elif comparison is not None:
            verdict = Markup(
                f'<span class="verdict-{comparison.verdict}">{comparison.verdict}</span> '
                f"({comparison.ratio:.3f}×)"
            )
        else:
            verdict = ""
        row: list[str | Markup | Cell] = [
            link,
            _median_cell(summary, quantity),
            spread,
            Cell(f"{summary.n:,}" if summary else "0", summary.n if summary else 0),
            verdict,
        ]
        if run_results.budgets:
            worst = _worst_status(budgets.get(result.name, []))
            row.append(
                Markup(f'<span class="status-{worst}">{worst.replace("_", " ")}</span>')
                if worst
                else ""
            )
            score = run_results.scores.get(result.name)
            row.append(
                Cell(f"{score.shown} ({score.band})", score.value)
                if score is not None and score.value is not None
                else Cell("none")
            )
        rows.append(row)
    return table(headers, rows)


def _name(result: BenchmarkResult) -> str:
    return esc(result.name)


def budgets_section(checks: Sequence[BudgetCheck]) -> str:
    from pbench.report.budgets import HEADERS, LEGEND, STATUS_TEXT, limit_text, measured_text

    rows: list[list[str | Markup | Cell]] = [
        [
            c.benchmark,
            c.metric,
            c.level,
            limit_text(c),
            measured_text(c),
            Markup(f'<span class="status-{c.status}">{STATUS_TEXT[c.status]}</span>'),
        ]
        for c in checks
    ]
    notes = sorted({f"{c.benchmark}: {c.metric}: {c.note}" for c in checks if c.note})
    body = table(list(HEADERS), rows) + items(list(LEGEND), "muted")
    if notes:
        body += items(notes, "muted")
    return section("budgets", "Budgets", body)


def scores_section(run_results: RunResults) -> str:
    from pbench.stats.score import band, shown, suite_score

    scores = list(run_results.scores.values())
    suite = suite_score(scores)
    head = (
        f'<p>Suite score: <span class="score">{shown(suite)}</span> ({band(suite)})</p>'
        if suite is not None
        else "<p>Suite score: none (no benchmark has a score)</p>"
    )
    rows: list[list[str | Markup | Cell]] = [
        [
            s.benchmark,
            Cell(str(s.shown) if s.shown is not None else "none", s.value),
            s.band or "",
            s.weakest.metric if s.weakest is not None else "",
            s.reason or "",
        ]
        for s in scores
    ]
    return section(
        "scores",
        "Scores",
        head + table(["benchmark", "score", "band", "weakest budget", "why none"], rows),
    )


def findings_section(run_results: RunResults) -> str:
    """Warnings and recommendations, by benchmark ("" when there are none)."""
    parts = []
    for title, found, cls in (
        ("Warnings", run_results.warnings, "warnings"),
        ("Recommendations", run_results.recommendations, "recommendations"),
    ):
        texts = [f"{name}: {text}" for name, lines in found.items() for text in lines]
        if texts:
            parts.append(f"<h3>{title}</h3>" + items(texts, cls))
    return section("findings", "Warnings and recommendations", "".join(parts)) if parts else ""


def fitness_section(fitness: Mapping[str, Any]) -> str:
    """The machine fitness check, from its JSON form ``{"fit", "summary", "checks":
    [{"name", "status", "value", "meaning", "fix"}]}``."""
    checks = fitness.get("checks") or []
    rows: list[list[str | Markup | Cell]] = [
        [
            _plain(c.get("name")),
            _fitness_status(_plain(c.get("status"))),
            _plain(c.get("value")),
            _plain(c.get("meaning")),
            _plain(c.get("fix")),
        ]
        for c in checks
        if isinstance(c, Mapping)
    ]
    head = f"<p>{_plain_html(fitness.get('summary'))}</p>" if fitness.get("summary") else ""
    return section(
        "fitness",
        "Machine fitness",
        head + table(["check", "status", "value", "meaning", "fix"], rows),
    )


_FITNESS_CLASS = {"ok": "met", "warn": "at_risk", "bad": "broken"}


def _fitness_status(status: str) -> Markup:
    cls = _FITNESS_CLASS.get(status, "no_data")
    return Markup(f'<span class="status-{cls}">{esc(status)}</span>')


def _plain(value: object) -> str:
    return "" if value is None else str(value)


def _plain_html(value: object) -> str:
    return esc(_plain(value))
