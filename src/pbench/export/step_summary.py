"""The Markdown that ``pbench`` appends to GitHub Actions' job summary
(``$GITHUB_STEP_SUMMARY``) at the end of ``run``, ``http``, ``sql`` and ``compare``.

Built from the Markdown export's pieces (:mod:`pbench.export.markdown`'s table and
cell writers, :mod:`pbench.export.compare`'s comparison) so the summary and the
exports cannot drift apart: a heading, the results table, the comparisons with the
reference, and the budget checks when there are any. Each part ends with a blank line,
so summaries of several steps (or of several pbench calls in one step) follow one
another cleanly in the file.
"""

from __future__ import annotations

from pbench.export.budget_text import limit_text, measured_text
from pbench.export.markdown import render as results_table
from pbench.models import RunResults
from pbench.report.compare import ratio_text
from pbench.report.markdown_text import cell, code_span, table_head, table_row
from pbench.results.pairing import FileComparison

_STATUS = {"met": "✅ met", "at_risk": "⚠️ at risk", "broken": "❌ broken", "no_data": "no data"}


def render_run(results: RunResults, command: str, outcome: str | None = None) -> str:
    """``command`` is the subcommand ("run", "http", "sql"); ``outcome`` one line on
    how it ended when it did not end well (a failure, an interruption)."""
    count = len(results.results)
    parts = [f"### pbench {command}: {count} benchmark{'s' if count != 1 else ''}\n"]
    if outcome:
        parts.append(f"**{cell(outcome)}**\n")
    if results.results:
        parts.append(results_table(results))
    if results.comparisons:
        parts.append(_comparisons(results))
    if results.budgets:
        parts.append(_budgets(results))
    return "\n".join(parts) + "\n"


def _comparisons(results: RunResults) -> str:
    head = table_head(["Benchmark", "Compared with", "Ratio [CI]", "Verdict"])
    rows = [
        table_row([code_span(c.name), code_span(c.reference), ratio_text(c), cell(c.verdict)])
        for c in results.comparisons
    ]
    return "#### Comparisons\n\n" + head + "".join(rows)


def _budgets(results: RunResults) -> str:
    head = table_head(["Benchmark", "Budget", "Level", "Measured [interval]", "Status"])
    rows = [
        table_row(
            [
                code_span(check.benchmark),
                cell(f"{check.metric} {limit_text(check)}"),
                check.level,
                cell(measured_text(check)),
                _STATUS[check.status],
            ]
        )
        for check in results.budgets
    ]
    return "#### Budgets\n\n" + head + "".join(rows)


def render_compare(result: FileComparison) -> str:
    """``pbench compare``'s Markdown export, as one part of the summary."""
    from pbench.export.compare import render_markdown

    return render_markdown(result) + "\n"
