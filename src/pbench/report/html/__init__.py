"""The HTML report: one self-contained file, charts drawn by pbench, readable offline,
without JavaScript and on paper.

:func:`render_html` builds it from a run's :class:`pbench.models.RunResults`;
``comparisons`` adds ``pbench compare``'s pairs (:func:`render_comparison_html` is the
report of a comparison alone), ``history`` trends over earlier runs (plain
:class:`pbench.report.charts.lines.TrendData`) and ``fitness`` the machine fitness
check (its JSON form). Sections appear only when they have data: summary and results
at a glance, distributions of all benchmarks, parameter scan, comparisons, budgets,
scores, warnings and recommendations, history, machine fitness, then one section per
benchmark. Every text from the user is escaped (see :mod:`.markup`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pbench.models import BenchmarkResult, RunResults
from pbench.report.charts.lines import TrendData
from pbench.results.pairing import FileComparison

# How a benchmark's section may be reused while its result is unchanged (checkpoints):
# ``reuse(result, make)`` returns make() or what it returned before for that result.
Reuse = Callable[[BenchmarkResult, Callable[[], str]], str]


def render_html(
    run_results: RunResults | None,
    *,
    comparisons: FileComparison | None = None,
    history: Sequence[TrendData] | None = None,
    fitness: Mapping[str, Any] | None = None,
    reuse: Reuse | None = None,
) -> str:
    """The report as one HTML document."""
    from pbench.report.html.document import build

    return build(run_results, comparisons, history or (), fitness, reuse)


def render_comparison_html(result: FileComparison) -> str:
    """``pbench compare --export-html``: the comparison of two sets of result files."""
    return render_html(None, comparisons=result)
