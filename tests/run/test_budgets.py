"""Estimates of every budget metric: constructed command results (known values), a real
`pbench http`-style load run against the loopback test server, and real SQLite runs."""

from __future__ import annotations

import dataclasses
import math
import statistics
from pathlib import Path

import numpy as np
import pytest

from pbench.load.schedule import LoadPlan
from pbench.models import BenchmarkResult, Measurement, summary_of
from pbench.run.budgets import checks_for, effective_count, estimates_for, why_missing
from pbench.run.load import LoadBenchmark, LoadRunner, SlicePlan
from pbench.stats.budget import Budget
from pbench.stats.intervals import wilson_interval
from pbench.stats.summary import median_interval, quantile_ci_ranks
from pbench.targets.http.pool import HttpPool
from pbench.targets.http.spec import HttpRequestSpec
from support.httpserver import HttpTestServer


def run(
    wall: float, i: int, *, round_no: int | None = None, exit_code: int = 0, rss: int = 1000
) -> Measurement:
    return Measurement(
        wall_s=wall,
        user_s=wall / 4,
        system_s=wall / 4,
        peak_rss_bytes=rss + i,
        exit_code=exit_code,
        signal=None,
        timed_out=False,
        error=None,
        round=i if round_no is None else round_no,
        position=0,
        iteration=i,
    )


def command_result(walls: list[float], failed: int = 0) -> BenchmarkResult:
    runs = [run(w, i, exit_code=1 if i < failed else 0) for i, w in enumerate(walls)]
    return BenchmarkResult("cmd", "cmd", {}, {}, measurements=runs, stop_reason="runs")


def test_every_metric_of_a_command_result() -> None:
    walls = [0.010 + 0.0001 * ((i * 37) % 50) for i in range(50)]
    result = command_result(walls, failed=5)
    summary = summary_of(result)
    assert summary is not None
    found = estimates_for(result, summary)
    assert set(found) == {
        "mean", "median", "min", "max", "rss", "cpu", "cpu_util", "error_rate", "throughput",
        "p50", "p90", "p95", "p99",
    }  # fmt: skip
    assert (found["mean"].low, found["mean"].high) == (summary.mean_ci.low, summary.mean_ci.high)
    assert found["median"].value == summary.median
    assert found["min"].low == found["min"].high == min(walls)
    assert found["max"].value == max(walls)
    ordered = sorted(walls)
    j, k = quantile_ci_ranks(50, 0.9)
    p90 = found["p90"]
    assert p90.value == pytest.approx(float(np.percentile(walls, 90)))
    assert (p90.low, p90.high) == (ordered[j], ordered[k])
    assert "too few runs" not in (p90.note or "")
    assert "too few runs" in (found["p99"].note or "")  # 50 runs cannot bound p99 at 95%
    # rss: the median of per-run peaks with the order-statistic interval.
    rss = sorted(1000.0 + i for i in range(50))
    assert found["rss"].value == statistics.median(rss)
    assert found["rss"].quantity == "bytes"
    assert (found["rss"].low, found["rss"].high) == (
        median_interval(rss).low,
        median_interval(rss).high,
    )
    assert found["cpu"].value == pytest.approx(statistics.median(walls) / 2)
    assert found["cpu_util"].value == pytest.approx(0.5)
    assert found["error_rate"].value == 0.1
    wilson = wilson_interval(0.1, 50)
    assert (found["error_rate"].low, found["error_rate"].high) == (wilson.low, wilson.high)
    rate = found["throughput"]
    assert rate.value == pytest.approx(1 / summary.mean)
    assert rate.low == pytest.approx(1 / summary.mean_ci.high)
    assert rate.high == pytest.approx(1 / summary.mean_ci.low)


def test_percentiles_of_runs_in_slices_take_the_slices_spread() -> None:
    # 10 slices of 5 runs (as SQL runs come): slice s runs at 1 + s/100 ms.
    runs = [
        run(0.001 * (1 + s / 100) + 1e-6 * r, s * 5 + r, round_no=s)
        for s in range(10)
        for r in range(5)
    ]
    result = BenchmarkResult("q", "q", {}, {}, measurements=runs)
    summary = summary_of(result)
    found = estimates_for(result, summary, ["p90", "error_rate"])
    p90 = found["p90"]
    per_slice = sorted(float(np.percentile([m.wall_s for m in runs[s * 5 : s * 5 + 5]], 90))
                       for s in range(10))  # fmt: skip
    centre = statistics.median(per_slice)
    ci = median_interval(per_slice)
    assert p90.value == pytest.approx(float(np.percentile(result.times, 90)))
    assert p90.low == pytest.approx(p90.value * ci.low / centre)
    assert p90.high == pytest.approx(p90.value * ci.high / centre)
    assert "10 slices" in (p90.note or "") and "not independent" in (p90.note or "")
    # Failures count slices, not runs: 0 of 50 over 10 slices.
    assert found["error_rate"].high == pytest.approx(wilson_interval(0.0, 10).high)


def test_checks_in_budget_order_and_no_data_says_why() -> None:
    result = command_result([0.05] * 10)
    budgets = [Budget("mean", error=0.001), Budget("throughput", warn=10, error=1)]
    checks = checks_for(result, summary_of(result), budgets)
    assert [(c.metric, c.level, c.status) for c in checks] == [
        ("mean", "error", "broken"),
        ("throughput", "warn", "met"),
        ("throughput", "error", "met"),
    ]
    empty = BenchmarkResult("none", "none", {}, {})
    [check] = checks_for(empty, None, [Budget("p95", error=1.0)])
    assert check.status == "no_data"
    assert check.note == why_missing(empty, None, "p95")
    assert "nothing was measured" in (check.note or "")


def test_a_real_http_load_run(server: HttpTestServer) -> None:
    plan = LoadPlan(concurrency=2, runs=400, seed=1)
    urls = [server.base_url + "/fast", server.base_url + "/flaky?every=10"]
    pool = HttpPool([HttpRequestSpec(url) for url in urls], plan)
    runner = LoadRunner(pool, [LoadBenchmark(url, url) for url in urls], SlicePlan(plan, seed=1))
    fast, flaky = runner.run()
    load = fast.sections["load"]
    assert all({"p90_s", "p95_s", "p99_s", "p99_9_s"} <= set(m.metrics) for m in fast.measurements)
    found = estimates_for(fast, summary_of(fast))
    assert set(found) == {
        "mean", "median", "min", "max", "error_rate", "throughput",
        "p50", "p90", "p95", "p99", "p99.9",
    }  # fmt: skip
    p95 = found["p95"]
    assert p95.value == load["latency"]["p95"]
    per_slice = sorted(m.metrics["p95_s"] for m in fast.measurements)
    ci = median_interval(per_slice)
    centre = statistics.median(per_slice)
    assert p95.low == pytest.approx(p95.value * ci.low / centre)
    assert p95.high == pytest.approx(p95.value * ci.high / centre)
    assert found["p99.9"].value == load["latency"]["p99_9"]
    assert found["max"].value == load["latency"]["max"]
    rate = found["throughput"]
    assert rate.value == load["throughput"]["requests_per_s"]
    assert rate.low < rate.value < rate.high
    assert found["error_rate"].value == 0.0
    # No error in 400 requests: the interval is that of 400 requests (nothing clusters).
    assert found["error_rate"].high == pytest.approx(wilson_interval(0.0, 400).high)
    # Every 10th request to /flaky fails: 10% of requests, spread evenly over the
    # slices, so they count nearly as independent requests.
    errors = estimates_for(flaky, summary_of(flaky), ["error_rate", "rss", "p75"])
    requests = flaky.sections["load"]["requests"]
    share = flaky.sections["load"]["failed"] / requests
    assert share == pytest.approx(0.1, abs=0.02)
    assert errors["error_rate"].value == share
    rows = [(m.metrics["requests"], m.metrics["failed"]) for m in flaky.measurements]
    effective = effective_count(share, requests, rows, 0)
    assert effective > requests / 3
    assert errors["error_rate"].high == pytest.approx(wilson_interval(share, effective).high)
    assert "rss" not in errors
    assert "pbench's own" in why_missing(flaky, None, "rss")
    # Any percentile comes from the exact histogram the load section carries; its
    # interval from the nearest percentile kept per slice (p90's for p75).
    from pbench.load.histogram import from_document

    p75 = errors["p75"]
    histogram = from_document(flaky.sections["load"]["histogram"])
    assert p75.value == pytest.approx(histogram.quantiles([0.75])[0] * 1e-9)
    assert p75.low <= p75.value <= p75.high and "p90 of each" in (p75.note or "")
    old = dataclasses.replace(
        flaky, sections={"load": {**flaky.sections["load"], "histogram": None}}
    )
    assert "p75" not in estimates_for(old, summary_of(old), ["p75"])
    assert "no exact histogram" in why_missing(old, None, "p75")


def test_single_client_sqlite_runs(tmp_path: Path) -> None:
    from support.cli import sql_json

    status, data, _, err = sql_json(
        tmp_path, "-r", "200", "--budget", "p95:1s", "--budget", "rss:1GB:warn", "SELECT 1"
    )
    assert status == 2 and "does not measure rss" in err  # refused at plan time
    status, data, _, err = sql_json(
        tmp_path, "-r", "200", "--budget", "p95:1s", "--budget", "throughput:1/s", "SELECT 1"
    )
    assert status == 0, err
    p95, rate = data["budgets"]
    assert p95["status"] == "met" and p95["low"] <= p95["measured"] <= p95["high"] < 1
    assert "slices" in p95["note"]
    assert rate["status"] == "met" and rate["bigger_is_better"]
    assert math.isclose(rate["measured"], 1 / data["results"][0]["mean"])


def test_effective_count_of_clustered_errors() -> None:
    # 20 slices of 100 requests. Errors spread evenly: about every request counts.
    even = [(100.0, 5.0)] * 20
    assert effective_count(0.05, 2000, even, 0) == 2000
    # The same 100 errors in one slice that failed whole: worth about one per slice
    # (19 by Kish's design effect, times (z / t with 19 degrees of freedom)^2, as the
    # effect is itself estimated from 20 slices).
    burst = [(100.0, 100.0)] + [(100.0, 0.0)] * 19
    widen = (1.959964 / 2.093024) ** 2
    assert effective_count(0.05, 2000, burst, 0) == pytest.approx(19 * widen, rel=0.01)
    # A slice without any success counts as one that failed whole.
    assert effective_count(0.05, 2000, [(100.0, 0.0)] * 19, 1) == pytest.approx(
        19 * widen, rel=0.01
    )
    # No error at all: every request; one slice only: no spread to estimate, 1.
    assert effective_count(0.0, 2000, [(100.0, 0.0)] * 20, 0) == 2000
    assert effective_count(0.05, 100, [(100.0, 5.0)], 0) == 1
