"""Advice must be true where it is shown: the flags it names exist in the subcommand
that measured the result, and its numbers point in the right direction."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from pbench.models import BenchmarkResult, Measurement
from pbench.run.results import build_results
from pbench.run.warnings import warnings_for
from pbench.stats.advice import remedies_for
from pbench.stats.comparison import Comparison, verdict_for
from pbench.stats.summary import summarize


def _comparison(**changes: Any) -> Comparison:
    base = Comparison(
        name="b", reference="a", ratio_median=0.85, ratio_median_ci=(0.70, 1.10),
        ratio_mean=0.85, ratio_mean_ci=(0.70, 1.10), p_value=0.2, p_adjusted=0.2,
        verdict="inconclusive", statistic="median", threshold=0.10, alpha=0.05,
        n_reference=20, n_candidate=20, advice=None,
    )  # fmt: skip
    return dataclasses.replace(base, **changes)


def _measurement(wall: float, i: int, *, exit_code: int | None = 0, signal: int | None = None,
                 ) -> Measurement:  # fmt: skip
    return Measurement(
        wall_s=wall, user_s=None, system_s=None, peak_rss_bytes=None, exit_code=exit_code,
        signal=signal, timed_out=False, error=None, round=i, position=0, iteration=i,
    )  # fmt: skip


def _result(name: str, times: list[float], info: dict[str, Any], **kw: Any) -> BenchmarkResult:
    return BenchmarkResult(
        name=name,
        command=name,
        parameters={},
        info=info,
        measurements=[_measurement(t, i) for i, t in enumerate(times)],
        stop_reason=kw.pop("stop_reason", "runs"),
        **kw,
    )


def _lognormal(seed: int, median: float, spread: float, n: int) -> list[float]:
    rng = np.random.default_rng(seed)
    return [float(v) for v in median * rng.lognormal(0.0, spread, n)]


def test_threshold_advice_uses_the_estimate_not_the_interval_midpoint() -> None:
    # The interval [0.70, 1.10] has its midpoint 0.90 right on the -10% threshold, but
    # the estimate, 0.85, is 5 points beyond it: more runs can decide.
    _, advice = verdict_for(_comparison())
    assert advice is not None
    assert "sits right at the threshold" not in advice
    assert "runs per command should decide it" in advice


def test_an_estimate_on_the_threshold_is_said_to_sit_there() -> None:
    _, advice = verdict_for(_comparison(ratio_median=0.901, ratio_median_ci=(0.80, 1.05)))
    assert advice is not None and "sits right at the threshold" in advice


def test_spent_budget_asks_for_more_time_or_a_looser_threshold_never_a_looser_precision() -> None:
    c = _comparison(threshold=0.01, ratio_median=1.02, ratio_median_ci=(0.995, 1.04))
    _, advice = verdict_for(c, budget_spent=True)
    assert advice is not None
    assert "--max-time" in advice and "more time" in advice
    assert "--precision" not in advice.replace("before --precision was met", "")
    # A threshold that covers the whole interval: looser than the 1% asked for.
    assert "a looser --threshold 4%" in advice


def test_spent_budget_at_the_threshold_also_asks_for_time() -> None:
    c = _comparison(threshold=0.01, ratio_median=1.0101, ratio_median_ci=(0.98, 1.04))
    _, advice = verdict_for(c, budget_spent=True)
    assert advice is not None and "--max-time ran out" in advice
    assert "--precision 0.5%" not in advice


def _inconclusive_pair(info: dict[str, Any], **kw: Any) -> list[BenchmarkResult]:
    ref = _result("a", _lognormal(2, 0.100, 0.05, 15), info, **kw)
    cand = _result("b", _lognormal(3, 0.104, 0.05, 15), info, **kw)
    return [ref, cand]


def _advice(results: list[BenchmarkResult]) -> str:
    report = build_results(results, {}, reference="a", time_unit=None, compare=True)
    (c,) = report.comparisons
    assert c.verdict == "inconclusive" and c.advice is not None
    return str(c.advice)


def test_run_advice_names_runs_and_precision() -> None:
    advice = _advice(_inconclusive_pair({"type": "command"}))
    assert "--runs" in advice and "--precision" in advice


def test_sql_advice_names_the_flags_sql_has() -> None:
    advice = _advice(_inconclusive_pair({"type": "sql"}))
    assert "--runs" in advice and "--precision" in advice and "--prepare " not in advice


def test_http_load_advice_asks_for_a_longer_duration() -> None:
    load = {"load": {"warnings": []}}
    advice = _advice(_inconclusive_pair({"kind": "http"}, sections=load))
    assert "a longer -d" in advice
    assert "--runs" not in advice


def test_budget_stop_reaches_the_run_advice() -> None:
    advice = _advice(_inconclusive_pair({"type": "command"}, stop_reason="budget"))
    assert "--max-time" in advice


def test_first_run_advice_names_the_hook_of_each_subcommand() -> None:
    times = [0.5] + [0.1] * 9

    def text(info: dict[str, Any]) -> str:
        result = _result("q", times, info)
        return " ".join(warnings_for(result, summarize(times)))

    assert "--prepare to clear them" in text({"type": "command"})
    assert "--prepare-sql to clear them" in text({"type": "sql"})
    assert "--prepare " not in text({"type": "sql"})


def test_noisy_runs_are_told_to_use_precision_where_it_exists() -> None:
    times = [0.1, 0.2, 0.1, 0.3, 0.1, 0.25, 0.12, 0.1, 0.2, 0.15]
    sql = " ".join(warnings_for(_result("q", times, {"type": "sql"}), summarize(times)))
    command = " ".join(warnings_for(_result("c", times, {"type": "command"}), summarize(times)))
    other = " ".join(warnings_for(_result("x", times, {"type": "future"}), summarize(times)))
    assert "vary a lot" in sql and "--precision" in sql
    assert "--precision" in command
    assert "vary a lot" in other and "--precision" not in other


def test_remedies_by_kind() -> None:
    assert remedies_for(_result("c", [0.1], {"type": "command"})).prepare == "--prepare"
    assert remedies_for(_result("q", [0.1], {"type": "sql"})).prepare == "--prepare-sql"
    http = remedies_for(_result("h", [0.1], {"kind": "http"}, sections={"load": {}}))
    assert http.prepare is None and http.load and http.noun == "requests"
