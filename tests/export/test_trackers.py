"""github-action-benchmark JSON and Bencher Metric Format on known results, field by
field against the JSON export's own figures (mean, its interval, peak memory)."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import pytest
from scipy import stats

from pbench.export import bmf, github_benchmark, parse_export_spec, render
from pbench.export import json as json_export
from pbench.models import BenchmarkResult, RunResults


def figures(report: RunResults) -> dict[str, dict[str, Any]]:
    """The JSON export's entries by name."""
    return {e["name"]: e for e in json_export.document(report)["results"]}


def with_rates(make_runs: Any, make_summary: Any, rates: list[float]) -> BenchmarkResult:
    """A load run whose slices ran at ``rates`` requests/s, 2480/s over the whole run."""
    measurements = [
        dataclasses.replace(m, metrics={"requests_per_s": rate})
        for m, rate in zip(make_runs([0.0004] * len(rates), rss=None), rates, strict=True)
    ]
    return BenchmarkResult(
        name="GET /load",
        command="GET http://127.0.0.1:1/load",
        parameters={},
        info={"kind": "http"},
        measurements=measurements,
        sections={"load": {"throughput": {"requests_per_s": 2480.0}, "failed": 0}},
        summary_override=make_summary(),
    )


def t_half(values: list[float]) -> float:
    n = len(values)
    sd = math.sqrt(sum((v - sum(values) / n) ** 2 for v in values) / (n - 1))
    return float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)


def test_smaller_is_better_holds_mean_latency_with_its_interval_and_peak_memory(
    report: RunResults,
) -> None:
    entries = json.loads(github_benchmark.render(report))
    by_name = {e["name"]: e for e in entries}
    expected = figures(report)
    fast, stat = by_name["sleep 0.1"], expected["sleep 0.1"]["statistics"]
    assert set(fast) == {"name", "unit", "value", "range", "extra"}
    assert fast["unit"] == "ms"
    assert fast["value"] == pytest.approx(expected["sleep 0.1"]["mean"] * 1e3)
    low, high = stat["mean_ci"]
    half = max(stat["mean"] - low, high - stat["mean"]) * 1e3
    assert fast["range"].startswith("± ")
    assert float(fast["range"][2:]) == pytest.approx(half, rel=1e-5)
    assert "mean time of one run" in fast["extra"]
    memory = by_name["sleep 0.1 (peak memory)"]
    assert memory["unit"] == "MiB"
    assert memory["value"] == max(expected["sleep 0.1"]["memory_usage_byte"]) / 2**20
    # A load run's summary comes from its histogram: 0.4 ms is 400 us.
    http = by_name["GET /"]
    assert (http["unit"], http["value"], http["range"]) == ("us", pytest.approx(400.0), "± 2")
    # One run has no interval; no memory measured, no memory entry; no run, no entry.
    assert "range" not in by_name["partial"]
    assert "sleep t=0.05 (peak memory)" not in by_name
    assert "never ran" not in by_name
    assert all(isinstance(e["value"], float) for e in entries)


def test_bigger_is_better_holds_runs_per_second_and_a_load_runs_rate(
    report: RunResults, make_runs: Any, make_summary: Any
) -> None:
    rates = [2400.0, 2600.0, 2500.0, 2500.0]
    results = dataclasses.replace(
        report, results=[report.results[0], with_rates(make_runs, make_summary, rates)]
    )
    by_name = {e["name"]: e for e in json.loads(github_benchmark.render_bigger(results))}
    fast, stat = by_name["sleep 0.1"], figures(results)["sleep 0.1"]["statistics"]
    assert fast["unit"] == "runs/s"
    assert fast["value"] == pytest.approx(1 / stat["mean"])
    low, high = 1 / stat["mean_ci"][1], 1 / stat["mean_ci"][0]
    half = max(1 / stat["mean"] - low, high - 1 / stat["mean"])
    assert float(fast["range"][2:]) == pytest.approx(half, rel=1e-5)
    load = by_name["GET /load"]
    assert load["unit"] == "requests/s"
    assert load["value"] == 2480.0  # the whole run's rate, not the slices' mean
    assert float(load["range"][2:]) == pytest.approx(t_half(rates), rel=1e-5)
    assert render("github-benchmark-bigger", results) == github_benchmark.render_bigger(results)


def test_bmf_latency_in_nanoseconds_bounded_by_the_interval(
    report: RunResults, make_runs: Any, make_summary: Any
) -> None:
    rates = [2400.0, 2600.0, 2500.0, 2500.0]
    results = dataclasses.replace(
        report, results=[*report.results, with_rates(make_runs, make_summary, rates)]
    )
    document = json.loads(bmf.render(results))
    expected = figures(results)
    fast = document["sleep 0.1"]
    stat = expected["sleep 0.1"]["statistics"]
    assert set(fast) == {"latency", "peak-memory"}
    assert fast["latency"] == {
        "value": pytest.approx(stat["mean"] * 1e9),
        "lower_value": pytest.approx(stat["mean_ci"][0] * 1e9),
        "upper_value": pytest.approx(stat["mean_ci"][1] * 1e9),
    }
    assert fast["peak-memory"] == {"value": max(expected["sleep 0.1"]["memory_usage_byte"])}
    assert document["partial"]["latency"] == {"value": pytest.approx(1.002e9)}  # one run
    assert "peak-memory" not in document["sleep t=0.05"]  # memory not measured
    assert "never ran" not in document
    assert "throughput" not in document["GET /"]  # not a load run: no throughput
    load = document["GET /load"]
    half = t_half(rates)
    assert load["throughput"] == {
        "value": 2480.0,
        "lower_value": pytest.approx(2480.0 - half),
        "upper_value": pytest.approx(2480.0 + half),
    }
    assert load["latency"]["value"] == pytest.approx(400_000.0)
    assert parse_export_spec("bmf", "out.json").format == "bmf"
    assert parse_export_spec(None, "out.json").format == "json"  # .json alone stays JSON


def test_user_names_survive_both_formats(report: RunResults) -> None:
    name = "a<b & \"c\" 'd'\x1b"
    first = dataclasses.replace(report.results[0], name=name)
    results = dataclasses.replace(report, results=[first], summaries={})
    assert json.loads(github_benchmark.render(results))[0]["name"] == name
    assert list(json.loads(bmf.render(results))) == [name]
