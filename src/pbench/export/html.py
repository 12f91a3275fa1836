"""The HTML export: the self-contained report of :mod:`pbench.report.html` as a file.

``--export-html FILE`` (``--html FILE``), or ``--export FILE.html``. Rewritten after
each finished benchmark like every export; with a memo, each benchmark's section is
reused while its result is unchanged. ``pbench compare --export-html`` writes
:func:`render_comparison`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pbench.export.memo import ResultMemo, memoised
from pbench.models import BenchmarkResult, RunResults
from pbench.results.pairing import FileComparison


def render(results: RunResults, memo: ResultMemo | None = None) -> str:
    from pbench.report.html import render_html

    def reuse(result: BenchmarkResult, make: Callable[[], str]) -> str:
        return memoised(memo, result, "html section", make)

    fitness = results.metadata.get("fitness")  # a saved suite run checks the machine
    return render_html(
        results,
        fitness=fitness if isinstance(fitness, Mapping) else None,
        reuse=reuse if memo is not None else None,
    )


def render_comparison(result: FileComparison) -> str:
    from pbench.report.html import render_comparison_html

    return render_comparison_html(result)
