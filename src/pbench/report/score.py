"""Score lines for the terminal: "Score: 83 (good)" per benchmark and "Suite score: 71
(average)", from :mod:`pbench.stats.score`. Plain text, returned, not printed."""

from __future__ import annotations

from collections.abc import Sequence

from pbench.stats.score import Score, band, shown, suite_score

NO_SCORE_IN_SUITE = "no benchmark has a score"


def score_line(score: Score) -> str:
    """``Score: 57 (poor), weakest budget: p95`` (the weakest budget is named when more
    than one metric was scored); ``No score: no budgets: add budgets to get a score``."""
    if score.value is None:
        return f"No score: {score.reason or 'nothing to score'}"
    line = f"Score: {shown(score.value)} ({band(score.value)})"
    weakest = score.weakest
    if weakest is not None and sum(m.score is not None for m in score.metrics) > 1:
        line += f", weakest budget: {weakest.metric}"
    return line


def suite_line(scores: Sequence[Score]) -> str:
    """``Suite score: 71 (average)``: the mean of the benchmarks' scores that exist."""
    value = suite_score(scores)
    if value is None:
        return f"Suite score: none ({NO_SCORE_IN_SUITE})"
    return f"Suite score: {shown(value)} ({band(value)})"


def render_scores(scores: Sequence[Score]) -> str:
    """One line per benchmark (``name: Score: 83 (good)``), then the suite's line when
    there is more than one benchmark; "" without benchmarks. Names are shown as given."""
    if not scores:
        return ""
    lines = [f"{s.benchmark}: {score_line(s)}" for s in scores]
    if len(scores) > 1:
        lines.append(suite_line(scores))
    return "\n".join(lines)
