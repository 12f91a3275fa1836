"""The score lines and the Recommendations block, as plain text."""

from __future__ import annotations

from pbench.report.recommendations import render_recommendations
from pbench.report.score import render_scores, score_line, suite_line
from pbench.stats.budget import BudgetCheck
from pbench.stats.score import NO_BUDGETS, MetricScore, Score, benchmark_score


def metric(name: str, score: float | None) -> MetricScore:
    return MetricScore(name, None, 1.0, 0.5, False, score)


def test_score_lines() -> None:
    assert score_line(Score("a", 83.4, (metric("p95", 83.4),))) == "Score: 83 (good)"
    two = Score("a", 57.0, (metric("mean", 90.0), metric("p95", 57.0), metric("rss", None)))
    assert score_line(two) == "Score: 57 (poor), weakest budget: p95"
    assert score_line(Score("b", None, reason=NO_BUDGETS)) == (
        "No score: no budgets: add budgets to get a score"
    )
    assert score_line(Score("c", 39.6)) == "Score: 40 (poor)"


def test_suite_line_and_the_whole_block() -> None:
    scores = [Score("a", 100.0), Score("b", 42.0), Score("c", None, reason=NO_BUDGETS)]
    assert suite_line(scores) == "Suite score: 71 (average)"
    assert suite_line(scores[2:]) == "Suite score: none (no benchmark has a score)"
    assert render_scores(scores) == (
        "a: Score: 100 (excellent)\n"
        "b: Score: 42 (poor)\n"
        "c: No score: no budgets: add budgets to get a score\n"
        "Suite score: 71 (average)"
    )
    assert render_scores(scores[:1]) == "a: Score: 100 (excellent)"
    assert render_scores([]) == ""


def test_scores_from_checks_to_text() -> None:
    check = BudgetCheck("a", "p95", "error", 0.2, "time", False, "broken", 0.3, 0.28, 0.33)
    assert score_line(benchmark_score("a", [check])) == "Score: 20 (critical)"


def test_recommendations_block() -> None:
    text = render_recommendations({"a": ["mostly waiting: CPU time is 2%", "x"], "b": []})
    assert text == ("Recommendations:\n  a:\n    - mostly waiting: CPU time is 2%\n    - x")
    assert render_recommendations({"a": [], "b": []}) == ""
    assert render_recommendations({}) == ""


def test_recommendations_wrap_under_their_text() -> None:
    long = "CPU-bound: CPU time is 97% of wall time (median 48.10 ms of 49.60 ms): " * 2
    lines = render_recommendations({"a": [long.strip()]}, width=60).splitlines()
    assert lines[:2] == ["Recommendations:", "  a:"]
    assert lines[2].startswith("    - CPU-bound:") and len(lines) > 3
    assert all(len(line) <= 60 for line in lines)
    assert all(line.startswith("      ") for line in lines[3:])
    assert " ".join(line.strip() for line in lines[2:]) == "- " + long.strip()
