"""The JSON export: hyperfine's keys and types, pbench's additions, safe values."""

from __future__ import annotations

import json
import math
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from pbench.export import render
from pbench.models import BenchmarkResult, RunResults
from pbench.results.schema import RESULT_FILE_SCHEMA_VERSION

HYPERFINE_KEYS = (
    "command",
    "mean",
    "stddev",
    "median",
    "user",
    "system",
    "min",
    "max",
    "times",
    "memory_usage_byte",
    "exit_codes",
)


def _strict_loads(text: str) -> Any:
    """Parse as a strict reader would: NaN / Infinity are not JSON."""

    def reject(constant: str) -> None:
        raise ValueError(f"non-standard JSON constant {constant}")

    return json.loads(text, parse_constant=reject)


def _result(name: str, runs: Any, **kwargs: Any) -> BenchmarkResult:
    return BenchmarkResult(
        name=name, command=name, parameters={}, info={}, measurements=runs, **kwargs
    )


def test_every_result_has_hyperfine_keys_with_hyperfine_types(report: RunResults) -> None:
    doc = _strict_loads(render("json", report))
    assert [r["name"] for r in doc["results"]] == [r.name for r in report.results]
    for entry in doc["results"]:
        assert list(entry)[: len(HYPERFINE_KEYS)] == list(HYPERFINE_KEYS)
        assert isinstance(entry["command"], str)
        if entry["statistics"] is None:  # no run yet
            continue
        for key in ("mean", "median", "min", "max"):
            assert isinstance(entry[key], float)
        assert entry["stddev"] is None or isinstance(entry["stddev"], float)
        assert all(isinstance(t, float) for t in entry["times"])
        assert len(entry["times"]) == len(entry["exit_codes"]) == len(entry["memory_usage_byte"])
        assert all(c is None or isinstance(c, int) for c in entry["exit_codes"])
        assert all(m is None or isinstance(m, int) for m in entry["memory_usage_byte"])


def test_values_of_a_plain_benchmark(report: RunResults) -> None:
    entry = _strict_loads(render("json", report))["results"][0]
    assert entry["times"] == [0.1012, 0.1009, 0.1021, 0.1011, 0.1015]  # execution order
    assert entry["mean"] == pytest.approx(0.10136)
    assert entry["median"] == 0.1012
    assert (entry["min"], entry["max"]) == (0.1009, 0.1021)
    assert entry["user"] == pytest.approx(0.001)
    assert entry["system"] == pytest.approx(0.0005)
    assert entry["memory_usage_byte"][0] == 1_048_576
    assert "parameters" not in entry
    assert entry["statistics"]["n"] == 5
    assert entry["statistics"]["mean_ci"][0] < entry["mean"] < entry["statistics"]["mean_ci"][1]
    assert [m["position"] for m in entry["measurements"]] == [1, 0, 1, 0, 1]
    assert [m["round"] for m in entry["measurements"]] == [0, 1, 2, 3, 4]
    assert entry["warmups"] == 2
    assert entry["stop_reason"] == "runs"
    assert entry["info"] == {"shell": "none"}


def test_top_level_shape(report: RunResults) -> None:
    doc = _strict_loads(render("json", report))
    assert list(doc) == ["schema_version", "metadata", "reference", "results", "comparisons"]
    assert doc["schema_version"] == RESULT_FILE_SCHEMA_VERSION == 2
    assert doc["reference"] == "sleep 0.1"
    assert doc["metadata"]["git"]["branch"] == "main"
    assert doc["comparisons"] == [{"name": "GET /", "ratio": 0.004, "ci": [0.0039, None]}]


def test_outliers_failures_warnings_and_notes(report: RunResults) -> None:
    entry = _strict_loads(render("json", report))["results"][1]
    assert entry["statistics"]["outliers"]["modified_z"] == [3]
    assert entry["statistics"]["outliers"]["tukey"] == [3]
    assert entry["exit_codes"] == [0, 1, 0, None, 0]
    timed_out = entry["measurements"][3]
    assert (timed_out["timed_out"], timed_out["signal"], timed_out["exit_code"]) == (True, 9, None)
    assert entry["warnings"] == ["1 run ignored with exit code 1 (-i)"]
    assert entry["notes"] == ["shell spawn time 0.8 ms subtracted"]


def test_parameters_are_strings_and_only_present_when_used(report: RunResults) -> None:
    results = _strict_loads(render("json", report))["results"]
    with_parameters = {r["name"]: r["parameters"] for r in results if "parameters" in r}
    assert with_parameters == {
        "sleep t=0.05": {"t": "0.05", "mode": 'fast, quoted "yes"'},
        "partial": {"t": "1"},
    }


def test_summary_override_supplies_statistics(report: RunResults) -> None:
    entry = _strict_loads(render("json", report))["results"][3]
    # The three sampled times would give mean 0.0004 too, but n, median and max only
    # come from the override.
    assert entry["statistics"]["n"] == 10_000
    assert (entry["median"], entry["max"], entry["stddev"]) == (0.00038, 0.003, 0.0001)
    assert entry["times"] == [0.0004, 0.0003, 0.0005]
    assert entry["user"] is None and entry["system"] is None
    assert entry["http"] == {"requests": 10_000, "errors": 0, "rps": 2500.5}
    assert entry["section_name"] == "clash"  # a section never overwrites a standard key
    assert entry["name"] == "GET /"
    first = entry["measurements"][0]
    assert (first["bytes"], first["status"], first["metric_wall"]) == (512.0, 200.0, 1.0)
    assert first["wall"] == 0.0004


def test_nan_and_infinity_become_null(report: RunResults, make_runs: Any) -> None:
    text = render("json", report)
    assert "NaN" not in text and "Infinity" not in text
    doc = _strict_loads(text)
    assert doc["results"][3]["info"]["limit"] is None
    assert doc["results"][3]["measurements"][0]["ratio"] is None

    weird = RunResults(
        results=[_result("nan", make_runs([math.nan, 0.1, 0.2]))],
        metadata={"load": math.inf},
    )
    doc = _strict_loads(render("json", weird))
    assert doc["metadata"]["load"] is None
    assert doc["results"][0]["times"] == [None, 0.1, 0.2]
    assert doc["results"][0]["mean"] is None


def test_partial_and_empty_results(report: RunResults) -> None:
    results = _strict_loads(render("json", report))["results"]
    partial, empty = results[4], results[5]
    assert partial["stop_reason"] is None
    assert partial["stddev"] is None  # hyperfine: no stddev from one run
    assert partial["mean"] == partial["median"] == 1.002
    assert empty["stop_reason"] == "interrupted"
    assert empty["times"] == [] and empty["measurements"] == []
    assert empty["mean"] is None and empty["statistics"] is None


def test_empty_report_is_valid() -> None:
    doc = _strict_loads(render("json", RunResults(results=[], metadata={})))
    assert doc["results"] == [] and doc["comparisons"] == []


def test_other_value_types_are_made_json_safe(make_runs: Any) -> None:
    result = _result("x", make_runs([0.1]))
    result.sections["odd"] = {"path": Path("/tmp/a"), "set": {"b", "a"}, "tuple": (1, 2)}
    result.sections["keys"] = {(1, 2): "tuple key"}
    doc = _strict_loads(render("json", RunResults(results=[result], metadata={})))
    assert doc["results"][0]["odd"] == {"path": "/tmp/a", "set": ["a", "b"], "tuple": [1, 2]}
    assert doc["results"][0]["keys"] == {"(1, 2)": "tuple key"}


def test_ten_benchmarks_of_a_thousand_runs_render_quickly(make_runs: Any) -> None:
    results = [
        _result(f"b{i}", make_runs([0.01 + 1e-6 * (j % 97) for j in range(1000)]))
        for i in range(10)
    ]
    report = RunResults(results=results, metadata={})
    render("json", report)  # warm caches (t quantiles)
    start = time.perf_counter()
    text = render("json", report)
    elapsed = time.perf_counter() - start
    assert len(_strict_loads(text)["results"][9]["measurements"]) == 1000
    assert elapsed < 2.0  # ~0.07 s on a 2-core machine; generous for a loaded one


def test_reads_like_real_hyperfine_output(tmp_path: Path, make_runs: Any, hyperfine: str) -> None:
    """Every key hyperfine itself writes exists in ours, with the same JSON type."""
    exported = tmp_path / "hyperfine.json"
    subprocess.run(
        [hyperfine, "-N", "-r", "2", "-L", "t", "1", "--export-json", str(exported), "true {t}"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    theirs = json.loads(exported.read_text())["results"][0]
    ours_report = RunResults(
        results=[
            BenchmarkResult(
                name="true 1",
                command="true 1",
                parameters={"t": "1"},
                info={},
                measurements=make_runs([0.001, 0.002]),
            )
        ],
        metadata={},
    )
    ours = _strict_loads(render("json", ours_report))["results"][0]
    for key, value in theirs.items():
        assert key in ours, key
        assert _json_type(ours[key]) == _json_type(value), key
    assert [k for k in ours if k in theirs] == list(theirs)  # same order too


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "list[" + ",".join(sorted({_json_type(v) for v in value})) + "]"
    if isinstance(value, dict):
        return "dict[" + ",".join(sorted({_json_type(v) for v in value.values()})) + "]"
    return type(value).__name__
