"""The job summary's Markdown: the results table of the Markdown export, the
comparisons, and a table of budget checks, with user text made safe for tables."""

from __future__ import annotations

import dataclasses

from pbench.export.markdown import render as markdown_table
from pbench.export.step_summary import render_run
from pbench.models import RunResults
from pbench.stats.budget import BudgetCheck


def test_budget_checks_get_a_table(report: RunResults) -> None:
    checks = [
        BudgetCheck("sleep 0.1", "p95", "error", 0.25, "time", False, "broken", 0.312, 0.298, 0.33),
        BudgetCheck("a|b", "rss", "warn", 2**20, "bytes", False, "no_data", None, None, None),
    ]
    results = dataclasses.replace(report, budgets=checks, comparisons=())
    text = render_run(results, "run")
    assert markdown_table(results) in text  # the export's own table, not a copy
    table = text[text.index("#### Budgets") :]
    assert (
        "| `sleep 0.1` | p95 ≤ 250.0 ms | error | 312.0 ms [298.0 ms, 330.0 ms] | ❌ broken |"
        in table
    )
    assert "| `a\\|b` | rss ≤ 1.0 MB | warn | n/a | no data |" in table
    assert text.endswith("\n\n")  # the next summary starts on a fresh paragraph
