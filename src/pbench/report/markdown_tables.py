"""The tables of the Markdown report: results, comparisons, budgets and scores, each a
:class:`~pbench.report.markdown_fit.Section` whose rows can be cut to fit a comment.

Names are code spans (:func:`~pbench.report.markdown_text.name_span`), free text is
made inert (:func:`~pbench.report.markdown_text.prose`); figures carry their unit in
each cell, chosen per row, so a row reads alone. Comparison rows come in the order
that matters (slower, inconclusive, faster, same) and budget rows by status (broken,
at risk, no data, met), so that a cut keeps what needs attention.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from pbench.models import BenchmarkResult, RunResults
from pbench.report.budgets import HEADERS, LEGEND, STATUS_TEXT, limit_text, measured_text
from pbench.report.markdown_fit import Section
from pbench.report.markdown_text import cell, name_span, prose, table_head, table_row
from pbench.report.score import suite_line
from pbench.report.units import format_bytes, format_times, measure_unit, unit_for
from pbench.stats.aggregate import of_info

if TYPE_CHECKING:
    from pbench.stats.comparison import Comparison
    from pbench.stats.score import Score

MISSING = "n/a"
VERDICT_ORDER = {"slower": 0, "inconclusive": 1, "faster": 2, "same": 3}
STATUS_ORDER = {"broken": 0, "at_risk": 1, "no_data": 2, "met": 3}
RESULT_HEADERS = ("Benchmark", "Median [95% CI]", "Mean ± σ", "p95", "Min … Max", "n",
                  "Peak memory")  # fmt: skip


def results_section(run: RunResults, rank: int) -> Section:
    rows = [_result_row(run, r) for r in run.results]
    return Section(
        "## Results",
        rows,
        head=table_head(RESULT_HEADERS, ":---", "---:"),
        after="\nn: runs (or requests of a load run); times over all of them.\n",
        noun="benchmarks",
        rank=rank,
    )


def _result_row(run: RunResults, result: BenchmarkResult) -> str:
    summary = run.summary(result)
    peaks = [m.peak_rss_bytes for m in result.measurements if m.peak_rss_bytes]
    memory = format_bytes(max(peaks)) if peaks else MISSING
    found = of_info(result.info) if summary is None and not result.measurements else None
    if found is not None:  # a harness kept only mean, sd and n
        mean, sigma = (t.strip() for t in format_times([found.mean, found.stddev or 0.0],
                                                       unit_for(found.mean)))  # fmt: skip
        spread = f"{mean} ± {sigma}" if found.stddev is not None else mean
        n = f"{found.n:,}" if found.n is not None else MISSING
        return table_row([name_span(result.name), prose("only aggregates kept"), spread,
                          MISSING, MISSING, n, memory])  # fmt: skip
    if summary is None or result.stop_reason == "failed":
        why = "failed: " + _why_failed(result) if result.stop_reason == "failed" else "not run"
        return table_row([name_span(result.name), prose(why), *[MISSING] * 3,
                          str(len(result.measurements)), memory])  # fmt: skip
    unit = measure_unit(summary.median, result.measure)
    median, low, high, mean, sigma, p95, least, most = (
        t.strip()
        for t in format_times(
            [summary.median, summary.median_ci.low, summary.median_ci.high, summary.mean,
             summary.stddev, summary.p95, summary.min, summary.max], unit,
        )
    )  # fmt: skip
    return table_row(
        [name_span(result.name), f"{median} [{low}, {high}]", f"{mean} ± {sigma}", p95,
         f"{least} … {most}", f"{summary.n:,}", memory]
    )  # fmt: skip


def _why_failed(result: BenchmarkResult) -> str:
    last = next((m for m in reversed(result.measurements) if m.failed), None)
    return (last.why_failed or "failed") if last is not None else "in a warmup run"


def comparisons_section(
    title: str, comparisons: Sequence[Comparison], rank: int, intro: str = ""
) -> Section:
    ordered = sorted(comparisons, key=lambda c: VERDICT_ORDER.get(c.verdict, 9))
    headers = ("Benchmark", "Compared with", "Ratio [CI]", "p (Holm)", "Verdict")
    return Section(
        title,
        [_comparison_row(c) for c in ordered],
        intro=intro,
        head=table_head(headers),
        after="\nRatio = benchmark / compared-with of the median (or mean, where said), "
        "with its bootstrap interval; above 1 is slower.\n",
        noun="comparisons",
        rank=rank,
    )


def _comparison_row(c: Comparison) -> str:
    verdict = f"**{c.verdict}**" if c.verdict in ("slower", "faster") else c.verdict
    return table_row(
        [name_span(c.name), name_span(c.reference), cell(ratio_text(c)),
         p_text(c.p_adjusted), verdict]
    )  # fmt: skip


def ratio_text(c: Comparison) -> str:
    """``1.523 [1.490, 1.551]`` (``mean 1.5 …`` when the mean decides)."""
    low, high = c.ratio_ci
    text = f"{_num(c.ratio)} [{_num(low)}, {_num(high)}]"
    return text if c.statistic == "median" else f"mean {text}"


def p_text(p: float) -> str:
    if math.isnan(p):
        return MISSING
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _num(value: float) -> str:
    return MISSING if not math.isfinite(value) else f"{value:.3f}"


def budgets_section(run: RunResults, rank: int) -> Section:
    checks = sorted(run.budgets, key=lambda c: STATUS_ORDER[c.status])
    rows = [
        table_row(
            [name_span(c.benchmark), cell(c.metric), c.level, cell(limit_text(c)),
             cell(measured_text(c)), _status(c.status, c.level)]
        )
        for c in checks
    ]  # fmt: skip
    return Section(
        "## Budgets",
        rows,
        head=table_head(HEADERS),
        after=f"\n{'; '.join(LEGEND)}.\n",
        noun="budget checks",
        rank=rank,
    )


def _status(status: str, level: str) -> str:
    text = STATUS_TEXT[status]  # type: ignore[index]
    return f"**{text}**" if status == "broken" and level == "error" else text


def scores_section(run: RunResults, rank: int) -> Section:
    scores = list(run.scores.values())
    rows = [
        table_row(
            [name_span(s.benchmark), "–" if s.shown is None else str(s.shown), s.band or "–",
             cell(_weakest(s))]
        )
        for s in scores
    ]  # fmt: skip
    return Section(
        "## Scores",
        rows,
        intro=f"{suite_line(scores)}: the mean of the benchmarks' scores, each from 0 to "
        "100 by how far its weakest budget sits from its limits.\n\n",
        head=table_head(("Benchmark", "Score", "Band", "Weakest budget"), ":---", "---:"),
        noun="scores",
        rank=rank,
    )


def _weakest(score: Score) -> str:
    """The metric that decided the score, or why there is no score."""
    if score.value is None:
        return score.reason or "nothing to score"
    weakest = score.weakest
    return weakest.metric if weakest is not None else ""


def bullets(items: Mapping[str, Sequence[str]]) -> list[str]:
    """``- `name`: text`` per text, names as code spans and texts inert."""
    return [f"- {name_span(name)}: {prose(text)}\n" for name, texts in items.items()
            for text in texts]  # fmt: skip
