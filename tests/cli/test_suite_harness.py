"""``pbench suite`` with entries that run another harness (``harness = "..."``): the real
pytest-benchmark (and Google Benchmark, compiled with g++) in a temporary project, their
benchmarks judged with pbench's own in one run, score, history and report; a harness's
failure as a failed benchmark (exit 1); the suite file's mistakes (exit 2); Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from support.cli import Result, run_pbench
from support.harnesses import ensure_debian, ensure_python_package

BENCHMARKS = """
def test_sort(benchmark):
    benchmark(sorted, list(range(200, 0, -1)))

def test_sum(benchmark):
    benchmark(sum, range(300))
"""
# Small and fast: a few hundredths of a second per test.
PYTEST = (
    f"{sys.executable} -m pytest -q -p no:cacheprovider -c /dev/null benchmarks/ "
    "--benchmark-max-time=0.02 --benchmark-min-rounds=8 --benchmark-warmup=off"
)

SUITE = f"""
[[benchmark]]
name = "parser"
harness = "pytest-benchmark"
command = "{PYTEST} --benchmark-json={{output}}"
budget = {{ mean = "50ms" }}
tags = ["py"]

[[benchmark]]
name = "true"
command = "true"
runs = 5
budgets = {{ mean = "5s" }}
"""

NAMES = ["parser/test_b.py::test_sort", "parser/test_b.py::test_sum"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with a pytest-benchmark suite in benchmarks/."""
    ensure_python_package("pytest_benchmark", "pytest-benchmark")
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "test_b.py").write_text(BENCHMARKS)
    return tmp_path


def suite(folder: Path, text: str, *args: str) -> Result:
    path = folder / "benchmarks.toml"
    path.write_text(text)
    return run_pbench("suite", str(path), "--style", "basic", *args)


def exported(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def test_pytest_benchmark_entries_are_benchmarks_of_the_suite(project: Path) -> None:
    out, store = project / "out.json", project / "h.db"
    result = suite(project, SUITE, "--tier", "quick", "--export-json", str(out),
                   "--store", str(store))  # fmt: skip
    assert result.code == 0, result.err
    data = exported(out)
    results = {r["name"]: r for r in data["results"]}
    assert list(results) == [*NAMES, "true"]
    sort = results[NAMES[0]]
    assert sort["info"]["harness"] == "pytest-benchmark"
    assert sort["info"]["suite_benchmark"] == "parser"
    assert len(sort["times"]) >= 8  # every round pytest-benchmark kept
    assert all(0 < t < 0.05 for t in sort["times"][:5])
    assert not sort.get("warnings") or not any("failed" in w for w in sort["warnings"])
    budgets = {(b["benchmark"], b["metric"]): b["status"] for b in data["budgets"]}
    assert budgets == {(NAMES[0], "mean"): "met", (NAMES[1], "mean"): "met",
                       ("true", "mean"): "met"}  # fmt: skip
    assert set(data["scores"]["benchmarks"]) == {*NAMES, "true"}  # one score
    assert data["scores"]["suite"]["score"] is not None
    assert "parser (pytest-benchmark harness)" in result.err
    assert "times faster" not in result.out + result.err  # unrelated tests: no ratio
    assert not data["comparisons"]
    with sqlite3.connect(store) as db:  # one saved run holding all three
        assert db.execute("select count(*) from runs").fetchone()[0] == 1
    listed = run_pbench("history", "list", "--store", str(store))
    assert listed.code == 0 and all(name in listed.out for name in NAMES)
    report = run_pbench("report", str(out), "-o", str(project / "r.html"))
    assert report.code == 0, report.err
    assert all(name in (project / "r.html").read_text() for name in NAMES)


def test_a_broken_budget_on_a_harness_benchmark_exits_4(project: Path) -> None:
    """A 1 ns limit on means of microseconds: never met; broken (exit 4) unless a stall
    of the machine widened an interval down to 0 (then at risk, exit 0)."""
    text = SUITE.replace('mean = "50ms"', 'mean = "1ns"')
    out = project / "out.json"
    result = suite(project, text, "--tier", "quick", "--export-json", str(out))
    statuses = {b["benchmark"]: b["status"] for b in exported(out)["budgets"]}
    assert statuses[NAMES[0]] in ("broken", "at_risk")
    assert statuses[NAMES[1]] in ("broken", "at_risk")
    assert result.code == (4 if "broken" in (statuses[NAMES[0]], statuses[NAMES[1]]) else 0)
    if statuses[NAMES[0]] == "broken":
        assert f"mean of '{NAMES[0]}'" in result.err and "broken" in result.err


def test_tags_and_tiers_select_harness_entries(project: Path) -> None:
    text = SUITE.replace('tags = ["py"]', 'tags = ["py"]\ntiers = ["full"]')
    out = project / "out.json"
    quick = suite(project, text, "--tier", "quick", "--export-json", str(out))
    assert quick.code == 0, quick.err
    assert [r["name"] for r in exported(out)["results"]] == ["true"]
    tagged = suite(project, text, "--tag", "py", "--export-json", str(out))
    assert tagged.code == 0, tagged.err
    assert [r["name"] for r in exported(out)["results"]] == NAMES
    listed = suite(project, text, "--list")
    assert "parser  (pytest-benchmark harness)" in listed.out
    assert 'harness = "pytest-benchmark"' in listed.out
    planned = suite(project, text, "--dry-run")
    assert planned.code == 0, planned.err
    assert "runs the pytest-benchmark command once and reads its {output} file" in planned.out


HARNESS_FAILS = """
[[benchmark]]
name = "fails"
harness = "pytest-benchmark"
command = "echo the reason >&2; exit 3"

[[benchmark]]
name = "silent"
harness = "pytest-benchmark"
command = "true {output}"

[[benchmark]]
name = "cut"
harness = "pytest-benchmark"
command = "printf '{\\"benchmarks\\": [' > {output}"

[[benchmark]]
name = "other"
harness = "pytest-benchmark"
command = "echo '{\\"results\\": []}' > {output}"

[[benchmark]]
name = "true"
command = "true"
runs = 3
"""


def test_a_failing_harness_is_a_failed_benchmark_and_the_others_still_run(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.json"
    result = suite(tmp_path, HARNESS_FAILS, "--export-json", str(out))
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert "the pytest-benchmark command of 'fails' exited with code 3" in result.err
    assert "the reason" in result.err  # its last lines
    assert "'silent' wrote no results to {output}" in result.err
    assert "output file of 'cut' is not valid JSON" in result.err
    assert "output file of 'other' is not a pytest-benchmark file" in result.err
    assert [r["name"] for r in exported(out)["results"]] == ["true"]


def test_a_harness_that_prints_its_results_is_read_from_stdout(tmp_path: Path) -> None:
    ensure_debian("libbenchmark-dev", "/usr/include/benchmark/benchmark.h")
    (tmp_path / "bm.cc").write_text(
        "#include <benchmark/benchmark.h>\n"
        "static void BM_add(benchmark::State& s) { int x = 0;\n"
        "  for (auto _ : s) benchmark::DoNotOptimize(x += 1); }\n"
        "BENCHMARK(BM_add);\nBENCHMARK_MAIN();\n"
    )
    subprocess.run(["g++", "-O1", "-o", str(tmp_path / "bm"), str(tmp_path / "bm.cc"),
                    "-lbenchmark", "-lpthread"], check=True, capture_output=True)  # fmt: skip
    flags = "--benchmark_repetitions=5 --benchmark_min_time=0.001"
    text = f"""
[[benchmark]]
name = "to file"
harness = "google-benchmark"
command = "./bm {flags} --benchmark_out={{output}} --benchmark_out_format=json"
budgets = {{ median = "1ms" }}

[[benchmark]]
name = "to stdout"
harness = "google-benchmark"
command = "./bm {flags} --benchmark_format=json"
"""
    out = tmp_path / "out.json"
    result = suite(tmp_path, text, "--export-json", str(out))
    assert result.code == 0, result.err
    results = {r["name"]: r for r in exported(out)["results"]}
    assert list(results) == ["to file/BM_add", "to stdout/BM_add"]
    assert all(len(r["times"]) == 5 for r in results.values())  # one per repetition


def test_the_suite_file_s_mistakes_in_harness_entries_at_once(tmp_path: Path) -> None:
    text = """
[[benchmark]]
name = "a"
harness = "pytest-benchmarks"
command = "pytest"
runs = 4

[[benchmark]]
name = "b"
harness = "pyperf"

[[benchmark]]
name = "c"
harness = "pyperf"
command = "x"
kind = "sql"
budget = { mean = "1ms" }
budgets = { mean = "2ms" }
"""
    result = suite(tmp_path, text)
    assert result.code == 2
    err = result.err
    assert 'unknown harness "pytest-benchmarks", did you mean "pytest-benchmark"?' in err
    assert "`runs` is not a key of a harness benchmark" in err
    assert 'benchmark[2] ("b"): missing `command`' in err
    assert "a harness benchmark runs a command: drop `kind`" in err
    assert "`budget` and `budgets` are the same table" in err
    assert "Traceback" not in err


def test_ctrl_c_ends_the_harness_and_exits_130(tmp_path: Path) -> None:
    text = """
[[benchmark]]
name = "slow"
harness = "pytest-benchmark"
command = "echo $$$$ > started; sleep 60; echo '{}' > {output}"
"""
    (tmp_path / "benchmarks.toml").write_text(text)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    process = subprocess.Popen(
        [sys.executable, "-m", "pbench", "suite", str(tmp_path / "benchmarks.toml"),
         "--style", "none"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    started = tmp_path / "started"
    deadline = time.monotonic() + 60
    while not (started.exists() and started.read_text().strip()):
        assert time.monotonic() < deadline, "the harness command did not start"
        time.sleep(0.05)
    shell = int(started.read_text())
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    with pytest.raises(ProcessLookupError):  # the harness's shell was ended with pbench
        os.kill(shell, 0)


def test_a_harness_that_keeps_only_aggregates_is_judged_from_them(tmp_path: Path) -> None:
    """Google Benchmark with --benchmark_report_aggregates_only: mean, stddev and the
    repetitions, no values; a budget on the mean is judged on its t interval, one on
    the median has no data, and the history keeps the mean, sd and n."""
    ensure_debian("libbenchmark-dev", "/usr/include/benchmark/benchmark.h")
    (tmp_path / "bm.cc").write_text(
        "#include <benchmark/benchmark.h>\n#include <thread>\n"
        "static void BM_nap(benchmark::State& s) {\n"
        "  for (auto _ : s) std::this_thread::sleep_for(std::chrono::milliseconds(2)); }\n"
        "BENCHMARK(BM_nap)->Iterations(3);\nBENCHMARK_MAIN();\n"
    )
    subprocess.run(["g++", "-O1", "-o", str(tmp_path / "bm"), str(tmp_path / "bm.cc"),
                    "-lbenchmark", "-lpthread"], check=True, capture_output=True)  # fmt: skip
    flags = "--benchmark_repetitions=6 --benchmark_report_aggregates_only=true"
    text = f"""
[[benchmark]]
name = "nap"
harness = "google-benchmark"
command = "./bm {flags} --benchmark_format=json"
budgets = {{ mean = "1s", median = "1s" }}
"""
    out, store = tmp_path / "out.json", tmp_path / "h.db"
    result = suite(tmp_path, text, "--export-json", str(out), "--store", str(store))
    assert result.code == 0, result.err
    assert "Only aggregates:     of 6 runs" in result.err + result.out
    (nap,) = exported(out)["results"]
    assert nap["name"] == "nap/BM_nap/iterations:3" and nap["times"] == []  # none made up
    assert nap["info"]["aggregate"]["n"] == 6
    assert 2e-3 <= nap["info"]["aggregate"]["mean"] < 1.0  # a 2 ms sleep, 500x inside 1 s
    statuses = {b["metric"]: b["status"] for b in exported(out)["budgets"]}
    assert statuses == {"mean": "met", "median": "no_data"}
    with sqlite3.connect(store) as db:
        n, mean, stddev = db.execute("select n, mean, stddev from results").fetchone()
    assert n == 6 and mean == nap["info"]["aggregate"]["mean"] and stddev is not None
    # 2 ms sleeps against a 1 µs limit: never met; broken (exit 4) unless a stall made
    # the 6 repetitions so uneven that the mean's interval reaches down to 0 (at risk).
    broken = suite(tmp_path, text.replace('mean = "1s"', 'mean = "1us"'), "--export-json",
                   str(out))  # fmt: skip
    status = next(b["status"] for b in exported(out)["budgets"] if b["metric"] == "mean")
    assert status in ("broken", "at_risk")
    assert broken.code == (4 if status == "broken" else 0), broken.err


@pytest.mark.slow
def test_the_readme_harness_example_runs_as_written(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's suite with a pytest-benchmark entry, run as written: `pytest` and
    `python` are this interpreter's (its folder first on PATH)."""
    import re

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme[readme.index("### A harness in a suite") :]
    toml = re.search(r"```toml\n(.*?)```", section, re.S)
    assert toml is not None
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    out = project / "out.json"
    result = suite(project, toml.group(1), "--tier", "quick", "--export-json", str(out))
    assert result.code in (0, 4), result.err  # a 2 ms mean budget on a busy machine: either
    names = [r["name"] for r in exported(out)["results"]]
    assert names == ["parser/benchmarks/test_b.py::test_sort",
                     "parser/benchmarks/test_b.py::test_sum", "python startup"]  # fmt: skip
