"""Result files of harnesses this machine cannot install (a JVM with JMH, Rust with
Criterion.rs), shaped as their documentation and their own writers show them; each
test names the version of the format it follows."""

from __future__ import annotations

import json
import math
from pathlib import Path

from pbench.results.read import read_results
from support.cli import run_pbench


def _jmh(mode: str, unit: str, raw: list[list[float]]) -> list[dict[str, object]]:
    """A JMH 1.37 ``-rf json`` file: one benchmark with a parameter."""
    return [{
        "jmhVersion": "1.37", "benchmark": "org.example.ParseBench.parse", "mode": mode,
        "threads": 1, "forks": len(raw), "jvm": "/usr/bin/java", "jvmArgs": [],
        "jdkVersion": "21", "vmName": "OpenJDK 64-Bit Server VM", "vmVersion": "21+35",
        "warmupIterations": 2, "warmupTime": "1 s", "warmupBatchSize": 1,
        "measurementIterations": len(raw[0]), "measurementTime": "1 s",
        "measurementBatchSize": 1, "params": {"size": "100"},
        "primaryMetric": {
            "score": 1.0, "scoreError": 0.1, "scoreConfidence": [0.9, 1.1],
            "scorePercentiles": {"0.0": 0.9, "50.0": 1.0, "100.0": 1.1},
            "scoreUnit": unit, "rawData": raw,
        },
        "secondaryMetrics": {},
    }]  # fmt: skip


def test_jmh_1_37_average_time_values_per_fork_in_seconds(tmp_path: Path) -> None:
    path = tmp_path / "jmh.json"
    path.write_text(json.dumps(_jmh("avgt", "us/op", [[10.0, 11.0, 12.0], [10.5, 11.5, 9.5]])))
    found = read_results(str(path), "baseline")
    bench = found.benchmarks["org.example.ParseBench.parse:size=100"]
    expected = (10e-6, 11e-6, 12e-6, 10.5e-6, 11.5e-6, 9.5e-6)
    assert all(map(math.isclose, bench.times, expected)) and len(bench.times) == 6
    assert len(bench.values) == 2  # one slice per fork
    assert run_pbench("compare", str(path), str(path)).code == 0


def test_jmh_1_37_throughput_is_higher_is_better_taken_as_time_per_op(tmp_path: Path) -> None:
    path = tmp_path / "jmh.json"
    path.write_text(json.dumps(_jmh("thrpt", "ops/ms", [[2000.0, 4000.0]])))
    bench = read_results(str(path), "baseline").benchmarks["org.example.ParseBench.parse:size=100"]
    assert all(map(math.isclose, bench.times, (0.5e-6, 0.25e-6))) and len(bench.times) == 2
    assert bench.info["jmh_unit"] == "ops/ms" and "higher is better" in bench.info["throughput"]


def test_jmh_sample_mode_without_raw_values_is_its_mean_alone(tmp_path: Path) -> None:
    """JMH 1.37 sample mode without rawData: the score (mean time per op) and no sd or
    n, so a comparison has no test and is inconclusive, never made-up values."""
    document = _jmh("sample", "ns/op", [[1.0]])
    del document[0]["primaryMetric"]["rawData"]  # type: ignore[attr-defined]
    path = tmp_path / "jmh.json"
    path.write_text(json.dumps(document))
    bench = read_results(str(path), "baseline").benchmarks["org.example.ParseBench.parse:size=100"]
    assert bench.times == () and bench.aggregate is not None
    assert math.isclose(bench.aggregate.mean, 1e-9) and bench.aggregate.n is None
    out = tmp_path / "cmp.json"
    result = run_pbench("compare", str(path), str(path), "--export-json", str(out))
    assert result.code == 0, result.err
    assert "holds only aggregates" in result.err or "hold only aggregates" in result.err
    comparison = json.loads(out.read_text())["benchmarks"][0]["comparison"]
    assert comparison["verdict"] == "inconclusive" and "no test" in comparison["advice"]


def test_jmh_throughput_without_raw_values_is_refused(tmp_path: Path) -> None:
    document = _jmh("thrpt", "ops/ms", [[1.0]])
    del document[0]["primaryMetric"]["rawData"]  # type: ignore[attr-defined]
    path = tmp_path / "jmh.json"
    path.write_text(json.dumps(document))
    result = run_pbench("compare", str(path), str(path))
    assert result.code == 2 and "rawData" in result.err and "Traceback" not in result.err


def _criterion(tmp_path: Path) -> Path:
    """Criterion.rs 0.5's target/criterion/parse/small/new/: sample.json, benchmark.json."""
    folder = tmp_path / "criterion" / "parse" / "small" / "new"
    folder.mkdir(parents=True)
    (folder / "benchmark.json").write_text(json.dumps({
        "group_id": "parse", "function_id": None, "value_str": "small",
        "throughput": None, "full_id": "parse/small", "directory_name": "parse/small",
        "title": "parse/small",
    }))  # fmt: skip
    (folder / "sample.json").write_text(json.dumps({
        "sampling_mode": "Linear", "iters": [10.0, 20.0, 30.0, 40.0, 50.0],
        "times": [1000.0, 2100.0, 2900.0, 4000.0, 5000.0],
    }))  # fmt: skip
    (folder / "estimates.json").write_text(json.dumps({
        key: {"confidence_interval": {"confidence_level": 0.95, "lower_bound": 99.0,
              "upper_bound": 101.0}, "point_estimate": 100.0, "standard_error": 0.5}
        for key in ("mean", "median", "median_abs_dev", "slope", "std_dev")
    }))  # fmt: skip
    return folder


def test_criterion_0_5_sample_json_is_time_per_iteration_named_by_full_id(
    tmp_path: Path,
) -> None:
    folder = _criterion(tmp_path)
    found = read_results(str(folder / "sample.json"), "baseline")
    bench = found.benchmarks["parse/small"]
    expected = (100e-9, 105e-9, 2900 / 30 * 1e-9, 100e-9, 100e-9)
    assert all(map(math.isclose, bench.times, expected)) and len(bench.times) == 5
    sample = str(folder / "sample.json")
    assert run_pbench("compare", sample, sample).code == 0


def test_criterion_estimates_json_is_its_mean_and_sd_without_n(tmp_path: Path) -> None:
    """Criterion.rs 0.5's estimates.json: mean and std_dev point estimates (ns), no count."""
    folder = _criterion(tmp_path)
    estimates = str(folder / "estimates.json")
    bench = read_results(estimates, "baseline").benchmarks["parse/small"]
    assert bench.aggregate is not None and bench.aggregate.n is None
    assert math.isclose(bench.aggregate.mean, 100e-9)
    assert bench.aggregate.stddev is not None and math.isclose(bench.aggregate.stddev, 100e-9)
    result = run_pbench("compare", estimates, estimates)
    assert result.code == 0 and "inconclusive" in result.out


def _dotnet(measurements: bool) -> dict[str, object]:
    """A BenchmarkDotNet 0.13.12 full JSON export (brief without ``Measurements``)."""
    runs = [
        {"IterationMode": mode, "IterationStage": stage, "LaunchIndex": launch,
         "IterationIndex": i, "Operations": 1000, "Nanoseconds": ns}
        for launch in (1, 2)
        for i, (mode, stage, ns) in enumerate([
            ("Overhead", "Actual", 500.0), ("Workload", "Warmup", 9000.0),
            ("Workload", "Actual", 20500.0 + launch), ("Workload", "Result", 20000.0 + launch),
            ("Workload", "Result", 21000.0 + launch),
        ])
    ]  # fmt: skip
    bench: dict[str, object] = {
        "DisplayInfo": "ParseBench.Parse: DefaultJob [N=10]", "Namespace": "Example",
        "Type": "ParseBench", "Method": "Parse", "MethodTitle": "Parse", "Parameters": "N=10",
        "FullName": "Example.ParseBench.Parse(N: 10)",
        "Statistics": {"N": 4, "Mean": 20.5, "StandardDeviation": 0.5},
        "Memory": {"Gen0Collections": 0, "BytesAllocatedPerOperation": 48, "TotalOperations": 4000},
    }  # fmt: skip
    if measurements:
        bench["Measurements"] = runs
    return {"Title": "Example.ParseBench-20260101-120000", "HostEnvironmentInfo": {
        "BenchmarkDotNetVersion": "0.13.12"}, "Benchmarks": [bench]}  # fmt: skip


def test_benchmarkdotnet_0_13_result_measurements_per_launch_in_seconds(tmp_path: Path) -> None:
    path = tmp_path / "report-full.json"
    path.write_text(json.dumps(_dotnet(measurements=True)))
    bench = read_results(str(path), "baseline").benchmarks["Example.ParseBench.Parse(N: 10)"]
    expected = (20.001e-9, 21.001e-9, 20.002e-9, 21.002e-9)  # ns / ops
    assert all(map(math.isclose, bench.times, expected)) and len(bench.times) == 4
    assert len(bench.values) == 2  # one slice per launch
    assert bench.info["counters"]["bytes_allocated_per_op"]["value"] == 48
    assert run_pbench("compare", str(path), str(path)).code == 0


def test_benchmarkdotnet_brief_export_is_its_statistics(tmp_path: Path) -> None:
    """BenchmarkDotNet 0.13.12's brief JSON: Statistics N, Mean, StandardDeviation (ns)."""
    path = tmp_path / "report-brief.json"
    path.write_text(json.dumps(_dotnet(measurements=False)))
    bench = read_results(str(path), "baseline").benchmarks["Example.ParseBench.Parse(N: 10)"]
    found = bench.aggregate
    assert found is not None and found.n == 4
    assert math.isclose(found.mean, 20.5e-9) and math.isclose(found.stddev or 0, 0.5e-9)


BMF = {"parse": {"latency": {"value": 88.0, "lower_value": 87.4, "upper_value": 88.6}}}
LOCUST_STATS = (  # locust 2.x --csv: the header of *_stats.csv and two rows
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
    "GET,/,120,0,3,3.4,1.2,20.1,612,12.0,0.0,3,4,4,4,5,6,8,9,20,20,20\n"
    ",Aggregated,120,0,3,3.4,1.2,20.1,612,12.0,0.0,3,4,4,4,5,6,8,9,20,20,20\n"
)
CATCH2_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Catch2TestRun name="bench" rng-seed="1" catch2-version="3.4.0">
  <TestCase name="parse" tags="[!benchmark]" filename="bench.cpp" line="5">
    <BenchmarkResults name="parse 100" samples="100" resamples="100000" iterations="1"
        clockResolution="18.1" estimatedDuration="1200">
      <mean value="880.1" lowerBound="870.2" upperBound="890.3" ci="0.95"/>
      <standardDeviation value="20.4" lowerBound="15.0" upperBound="30.0" ci="0.95"/>
      <outliers variance="0.1" lowMild="0" lowSevere="0" highMild="1" highSevere="0"/>
    </BenchmarkResults>
    <OverallResult success="true"/>
  </TestCase>
  <OverallResults successes="0" failures="0" expectedFailures="0"/>
</Catch2TestRun>
"""


def test_aggregate_only_formats_are_read_as_their_aggregates(tmp_path: Path) -> None:
    """Bencher Metric Format (as Bencher documents it), locust 2.x's --csv stats and
    Catch2 v3's XML reporter: each benchmark's mean, and sd and n where kept."""
    files = {"bmf.json": json.dumps(BMF), "run_stats.csv": LOCUST_STATS,
             "catch2.xml": CATCH2_XML}  # fmt: skip
    found = {}
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text)
        found[name] = read_results(str(path), "baseline").benchmarks
        result = run_pbench("compare", str(path), str(path))
        assert result.code == 0, (name, result.err)
        assert "only aggregates" in result.err
    bmf = found["bmf.json"]["parse"].aggregate
    assert bmf is not None and math.isclose(bmf.mean, 88e-9) and bmf.n is None
    locust = found["run_stats.csv"]
    assert list(locust) == ["GET /", "Aggregated"]
    get = locust["GET /"]
    assert get.aggregate is not None and get.aggregate.n == 120
    assert math.isclose(get.aggregate.mean, 3.4e-3) and get.aggregate.stddev is None
    assert get.info["locust"]["failures"] == 0
    assert math.isclose(get.info["locust"]["percentiles_s"]["95%"], 6e-3)
    catch2 = found["catch2.xml"]["parse 100"].aggregate
    assert catch2 is not None and catch2.n == 100
    assert math.isclose(catch2.mean, 880.1e-9) and math.isclose(catch2.stddev or 0, 20.4e-9)


def test_an_aggregate_only_file_never_gets_made_up_values(tmp_path: Path) -> None:
    """The report and the history keep what the file holds: mean, sd, n, no times."""
    import sqlite3

    path = tmp_path / "catch2.xml"
    path.write_text(CATCH2_XML)
    report = run_pbench("report", str(path), "-o", str(tmp_path / "r.md"))
    assert report.code == 0, report.err
    text = (tmp_path / "r.md").read_text()
    assert "only aggregates kept" in text and "880.1 ns ± 20.4 ns" in text
    store = tmp_path / "h.db"
    imported = run_pbench("history", "import", "--store", str(store), "--commit", "a", str(path))
    assert imported.code == 0, imported.err
    with sqlite3.connect(store) as db:
        row = db.execute("select n, mean, stddev, median from results").fetchone()
        times = db.execute("select times from samples").fetchone()[0]
    assert row[0] == 100 and math.isclose(row[1], 880.1e-9) and math.isclose(row[2], 20.4e-9)
    assert row[3] is None and json.loads(times) == []
