"""The Markdown report (``pbench report``): for a pull-request comment or a job summary,
in GitHub- and GitLab-flavoured Markdown.

Order: a title and where the figures come from; the executive summary (what changed,
what is at risk, what to do: :mod:`pbench.report.markdown_summary`); then the results,
the comparisons (those within the run, then each compare file's), the budgets and
scores, and the trends when history is given. A report longer than ``limit`` (a
comment's 65,536 characters by default) is cut from its least important parts, and
ends with what was left out (:mod:`pbench.report.markdown_fit`). Importance, most
first: the summary, comparisons, budgets, results, scores, trends.

No user-supplied text can break the Markdown: names are code spans and free text is
made inert (:mod:`pbench.report.markdown_text`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pbench.models import RunResults
from pbench.report.markdown_fit import COMMENT_LIMIT, Section, fit
from pbench.report.markdown_summary import summary_sections
from pbench.report.markdown_tables import (
    budgets_section,
    comparisons_section,
    results_section,
    scores_section,
)
from pbench.report.markdown_text import code_span, prose
from pbench.report.markdown_trends import History, changes_summary, trend_sections

if TYPE_CHECKING:
    from pbench.results.report_files import SavedCompare

# Rank of each part: the lower, the longer it survives a cut (the summary is 0).
_COMPARISONS, _BUDGETS, _RESULTS, _SCORES, _TRENDS = 1, 2, 3, 4, 5


def render_markdown_report(
    run_results: RunResults,
    *,
    comparisons: Sequence[SavedCompare] = (),
    history: History | None = None,
    sources: Sequence[str] = (),
    limit: int = COMMENT_LIMIT,
) -> str:
    """The report of ``run_results`` (may hold no result), the compare files'
    ``comparisons`` and the ``history`` of each benchmark; ``sources`` names the files
    it was made from."""
    every = [*run_results.comparisons, *(c for s in comparisons for c in s.comparisons)]
    warnings = [w for s in comparisons for w in s.warnings]
    changes = changes_summary(history) if history else []
    sections = summary_sections(run_results, every, warnings, changes)
    if run_results.results:
        sections.append(results_section(run_results, _RESULTS))
    if run_results.comparisons:
        sections.append(
            comparisons_section("## Comparisons", run_results.comparisons, _COMPARISONS)
        )
    for saved in comparisons:
        sections.append(
            comparisons_section(
                f"## Comparison: {code_span(saved.baseline)} → {code_span(saved.candidate)}",
                saved.comparisons,
                _COMPARISONS,
                intro=f"From {code_span(saved.path)} (pbench compare).\n\n",
            )
        )
    if run_results.budgets:
        sections.append(budgets_section(run_results, _BUDGETS))
    if run_results.scores:
        sections.append(scores_section(run_results, _SCORES))
    if history:
        sections.extend(trend_sections(history, _TRENDS))
    return fit(_head(run_results.metadata, sources), _ordered(sections), limit)


def _ordered(sections: list[Section]) -> list[Section]:
    """The summary, results and comparisons, budgets, scores, trends: as the document
    reads (the ranks say what survives a cut, not where a part is shown)."""
    reading = {0: 0, _RESULTS: 1, _COMPARISONS: 2, _BUDGETS: 3, _SCORES: 4, _TRENDS: 5}
    return sorted(sections, key=lambda s: reading[s.rank])


def _head(metadata: Mapping[str, Any], sources: Sequence[str]) -> str:
    lines = ["# pbench report", ""]
    facts = []
    if sources:
        facts.append("from " + ", ".join(code_span(s) for s in sources))
    git = metadata.get("git")
    if isinstance(git, dict) and git.get("commit"):
        commit = prose(str(git["commit"])[:12])
        branch = f" on {code_span(str(git['branch']))}" if git.get("branch") else ""
        dirty = " (uncommitted changes)" if git.get("dirty") else ""
        facts.append(f"commit {commit}{branch}{dirty}")
    cpu = metadata.get("cpu")
    if isinstance(cpu, dict) and cpu.get("model"):
        facts.append(f"CPU {prose(str(cpu['model']))}")
    if metadata.get("start_time"):
        facts.append(f"started {prose(str(metadata['start_time']))}")
    if facts:
        said = "; ".join(facts)
        lines += [said[:1].upper() + said[1:] + ".", ""]
    return "\n".join(lines)
