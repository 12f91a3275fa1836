"""Result files of other harnesses, written by the real harness each time (small and
fast runs, once per test session), read by ``pbench compare``, ``pbench report`` and
``pbench history import``; and the refusals of files of no known shape, truncated or
inconsistent ones, and aggregate-only ones."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from support.cli import run_pbench
from support.harnesses import ensure_debian, ensure_python_package

PYTEST_BENCH = """
def test_sort(benchmark):
    benchmark(sorted, list(range(200, 0, -1)))

def test_sum(benchmark):
    benchmark(sum, range(300))
"""

GOOGLE_BENCH = r"""
#include <benchmark/benchmark.h>
#include <string>
static void BM_concat(benchmark::State& state) {
  for (auto _ : state) { std::string s(64, 'x'); s += s; benchmark::DoNotOptimize(s); }
  state.SetBytesProcessed(state.iterations() * 128);
  state.counters["things"] = 3;
}
BENCHMARK(BM_concat);
BENCHMARK_MAIN();
"""

GO_BENCH = """package ex

import "testing"

func BenchmarkJoin(b *testing.B) {
	for i := 0; i < b.N; i++ {
		s := make([]byte, 0, 64)
		s = append(s, "hello world"...)
		_ = s
	}
	b.ReportMetric(7, "widgets/op")
}
"""


@pytest.fixture(scope="session")
def harness_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each harness run once, small: name → the file it wrote."""
    folder = tmp_path_factory.mktemp("harnesses")
    files: dict[str, Path] = {}
    ensure_python_package("pytest_benchmark", "pytest-benchmark")
    ensure_python_package("pyperf", "pyperf")
    (folder / "test_b.py").write_text(PYTEST_BENCH)
    quick = ["--benchmark-max-time=0.02", "--benchmark-min-rounds=8", "--benchmark-warmup=off"]
    # --benchmark-json keeps every round; an autosave in .benchmarks/ keeps only the
    # aggregates unless --benchmark-save-data is given.
    files["pytest-benchmark"] = folder / "pytest-benchmark.json"
    for extra in (["--benchmark-save-data"], []):
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", "/dev/null",
             "test_b.py", f"--benchmark-json={files['pytest-benchmark']}", *quick,
             "--benchmark-autosave", f"--benchmark-storage={folder / 'saved'}", *extra],
            cwd=folder, check=True, capture_output=True,
        )  # fmt: skip
    files["autosave"], files["aggregates"] = sorted((folder / "saved").glob("*/*.json"))
    files["pyperf"] = folder / "pyperf.json"
    subprocess.run(
        [sys.executable, "-m", "pyperf", "timeit", "-q", "-p", "3", "-n", "4", "-l", "50",
         "-w", "0", "-o", str(files["pyperf"]), "sorted(range(50))"],
        check=True, capture_output=True,
    )  # fmt: skip
    ensure_debian("libbenchmark-dev", "/usr/include/benchmark/benchmark.h")
    (folder / "bm.cc").write_text(GOOGLE_BENCH)
    subprocess.run(
        ["g++", "-O1", "-o", str(folder / "bm"), str(folder / "bm.cc"), "-lbenchmark",
         "-lpthread"],
        check=True, capture_output=True,
    )  # fmt: skip
    files["google-benchmark"] = folder / "gb.json"
    subprocess.run(
        [str(folder / "bm"), "--benchmark_repetitions=6", "--benchmark_min_time=0.001",
         f"--benchmark_out={files['google-benchmark']}", "--benchmark_out_format=json"],
        check=True, capture_output=True,
    )  # fmt: skip
    ensure_debian("golang-go", "go")
    gofolder = folder / "go"
    gofolder.mkdir()
    (gofolder / "go.mod").write_text("module ex\n\ngo 1.19\n")
    (gofolder / "ex_test.go").write_text(GO_BENCH)
    done = subprocess.run(
        ["go", "test", "-run", "^$", "-bench", ".", "-benchmem", "-count", "6",
         "-benchtime", "2000x"],
        cwd=gofolder, check=True, capture_output=True, text=True,
        env={"HOME": str(folder), "GOCACHE": str(folder / "gocache"),
             "GOPATH": str(folder / "gopath"), "PATH": "/usr/bin:/bin", "GOTOOLCHAIN": "local"},
    )  # fmt: skip
    files["go-test-bench"] = folder / "go.txt"
    files["go-test-bench"].write_text(done.stdout)
    return files


HARNESSES = ("pytest-benchmark", "autosave", "pyperf", "google-benchmark", "go-test-bench")
NAMES = {
    "pytest-benchmark": ["test_b.py::test_sort", "test_b.py::test_sum"],
    "autosave": ["test_b.py::test_sort", "test_b.py::test_sum"],
    "pyperf": ["timeit"],
    "google-benchmark": ["BM_concat"],
    "go-test-bench": ["BenchmarkJoin"],
}


@pytest.mark.parametrize("harness", HARNESSES)
def test_compare_reads_the_harness_file_with_its_benchmarks(
    harness: str, harness_files: dict[str, Path], tmp_path: Path
) -> None:
    path = str(harness_files[harness])
    out = tmp_path / "cmp.json"
    result = run_pbench("compare", path, path, "--export-json", str(out))
    assert result.code == 0, result.err
    names = [c["benchmark"] for c in json.loads(out.read_text())["benchmarks"]]
    assert names == NAMES[harness]
    forced_as = "pytest-benchmark" if harness == "autosave" else harness
    forced = run_pbench("compare", "--input-format", forced_as, path, path)
    assert forced.code == 0, forced.err


@pytest.mark.parametrize("harness", HARNESSES)
def test_report_and_history_import_read_the_harness_file(
    harness: str, harness_files: dict[str, Path], tmp_path: Path
) -> None:
    path = str(harness_files[harness])
    report = run_pbench("report", path, "-o", str(tmp_path / "r.html"))
    assert report.code == 0, report.err
    html = (tmp_path / "r.html").read_text()
    assert all(name in html for name in NAMES[harness])
    store = tmp_path / "h.db"
    imported = run_pbench("history", "import", "--store", str(store), "--commit", "abc", path)
    assert imported.code == 0, imported.err
    assert f"{len(NAMES[harness])} benchmark result" in imported.out


def test_the_harness_values_come_along_in_seconds_with_counters(
    harness_files: dict[str, Path],
) -> None:
    from pbench.results.read import read_results

    google = read_results(str(harness_files["google-benchmark"]), "baseline")
    concat = google.benchmarks["BM_concat"]
    assert len(concat.times) == 6  # one per repetition; the aggregates are not samples
    assert all(1e-10 < t < 1e-3 for t in concat.times)
    counters = concat.info["counters"]
    assert counters["bytes_per_second"]["direction"] == "higher"
    assert counters["things"]["value"] == 3
    assert "mean_s" in concat.info["aggregates"]
    go = read_results(str(harness_files["go-test-bench"]), "baseline")
    join = go.benchmarks["BenchmarkJoin"]
    assert len(join.times) == 6  # -count 6
    assert join.info["counters"]["widgets/op"]["value"] == 7
    assert join.info["counters"]["allocs/op"]["direction"] == "lower"
    pyperf = read_results(str(harness_files["pyperf"]), "baseline")
    assert len(pyperf.benchmarks["timeit"].values) == 3  # one slice per worker process


def test_aggregate_only_pytest_benchmark_file_is_compared_on_its_means(
    harness_files: dict[str, Path], tmp_path: Path
) -> None:
    """An autosave without --benchmark-save-data: mean, stddev and rounds, compared
    with the file that kept the rounds by Welch's t-test, and said so."""
    path = str(harness_files["aggregates"])
    out = tmp_path / "cmp.json"
    result = run_pbench("compare", str(harness_files["pytest-benchmark"]), path,
                        "--export-json", str(out))  # fmt: skip
    assert result.code in (0, 3), result.err  # same machine, same code: any verdict is real
    assert "candidate " + path + " holds only aggregates (mean, sd, n)" in result.err
    compared = json.loads(out.read_text())["benchmarks"]
    assert [c["benchmark"] for c in compared] == NAMES["autosave"]
    for entry in compared:
        assert entry["comparison"]["method"]["test"].startswith("Welch")
        assert entry["candidate"]["aggregates_only"]["n"] >= 8  # --benchmark-min-rounds=8
        assert entry["candidate"]["runs"] == 0  # no made-up values


def test_a_file_of_no_known_shape_names_the_formats_tried_and_the_closest(
    tmp_path: Path,
) -> None:
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps({"benchmarks": [], "machine_info": {}}))
    result = run_pbench("compare", str(odd), str(odd))
    assert result.code == 2
    tried = "pbench, pytest-benchmark, pyperf, google-benchmark, jmh, criterion, "
    tried += "benchmarkdotnet, go-test-bench, bmf, locust-csv, catch2-xml"
    assert f"tried: {tried}" in result.err
    assert "closest: pytest-benchmark" in result.err
    assert result.err.count("error:") == 1 and "Traceback" not in result.err


def test_a_truncated_or_inconsistent_file_is_exit_2_and_nothing_is_imported(
    harness_files: dict[str, Path], tmp_path: Path
) -> None:
    good = harness_files["pytest-benchmark"]
    truncated = tmp_path / "cut.json"
    truncated.write_text(good.read_text()[:400])
    document = json.loads(good.read_text())
    document["benchmarks"][0]["stats"]["rounds"] += 1
    inconsistent = tmp_path / "bad.json"
    inconsistent.write_text(json.dumps(document))
    cut_go = tmp_path / "go.txt"
    cut_go.write_text(harness_files["go-test-bench"].read_text().replace(" ns/op", "", 1))
    store = tmp_path / "h.db"
    for bad in (truncated, inconsistent, cut_go):
        result = run_pbench("history", "import", "--store", str(store), "--commit", "abc",
                            str(good), str(bad))  # fmt: skip
        assert result.code == 2, (bad, result.err)
        assert "Traceback" not in result.err
    assert _saved_runs(store) == 0
    alone = run_pbench("history", "import", "--store", str(store), "--commit", "abc", str(good))
    assert alone.code == 0 and _saved_runs(store) == 1  # what the refusals kept out


def _saved_runs(store: Path) -> int:
    if not store.exists():
        return 0
    with sqlite3.connect(store) as db:
        return int(db.execute("select count(*) from runs").fetchone()[0])


def test_an_unknown_input_format_is_a_usage_error(harness_files: dict[str, Path]) -> None:
    path = str(harness_files["pyperf"])
    result = run_pbench("compare", "--input-format", "nope", path, path)
    assert result.code == 2 and "google-benchmark" in result.err
