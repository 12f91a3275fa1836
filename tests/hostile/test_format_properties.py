"""Property tests of every result reader (issue 26): a valid file of each format pbench
reads (its own, hyperfine's, pytest-benchmark, pyperf, Google Benchmark, JMH,
BenchmarkDotNet, go test -bench, Bencher's BMF, locust's CSV, Catch2's XML), damaged
anywhere (a value replaced by any JSON value, a key dropped, a list cut short, text
inserted), reads as a result or ends in one UsageError with exit 2, never another
exception, in the compare reader, history import's record and the report's reader.
And the work is linear: ten times the input takes about ten times as long (a quadratic
reader would take a hundred), for the reader and the redaction.

Derandomized with fixed example counts: the same inputs every run, a few seconds."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbench.errors import UsageError
from pbench.history.importing import Given, import_record
from pbench.results.formats import as_document
from pbench.results.read import parse_results, restore
from pbench.results.redact import redact
from results.test_documented_formats import BMF, CATCH2_XML, LOCUST_STATS, _dotnet, _jmh

DATA = Path(__file__).resolve().parents[1] / "data" / "compare"
GIVEN = Given(datetime(2026, 1, 1, tzinfo=UTC))  # history import's record of a file
PROPERTY = settings(
    max_examples=80, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
)

JSON_SEEDS: dict[str, Any] = {
    "pbench": json.loads((DATA / "pbench_base.json").read_text()),
    "hyperfine": json.loads((DATA / "hyperfine_1.18_slower.json").read_text()),
    "pytest-benchmark": {
        "machine_info": {}, "commit_info": {}, "datetime": "2026-01-01T00:00:00",
        "benchmarks": [{"name": "test_sort", "fullname": "t.py::test_sort", "group": None,
                        "stats": {"data": [0.001, 0.0011, 0.0012], "rounds": 3,
                                  "iterations": 1}}],
    },
    "pyperf": {
        "version": "1.0", "metadata": {"unit": "second"},
        "benchmarks": [{"metadata": {"name": "sort"},
                        "runs": [{"values": [0.01, 0.011]}, {"values": [0.012, 0.0105]}]}],
    },
    "google-benchmark": {
        "context": {"date": "2026-01-01"},
        "benchmarks": [{"name": "BM_sort", "run_name": "BM_sort", "run_type": "iteration",
                        "repetition_index": i, "iterations": 1000, "real_time": 100.0 + i,
                        "cpu_time": 99.0, "time_unit": "ns", "bytes_per_second": 1e9}
                       for i in range(3)],
    },
    "jmh": _jmh("avgt", "us/op", [[10.0, 11.0, 12.0], [10.5, 11.5, 9.5]]),
    "benchmarkdotnet": _dotnet(measurements=True),
    "bmf": BMF,
}  # fmt: skip
TEXT_SEEDS = {
    "go-test-bench": "goos: linux\npkg: example\nBenchmarkSort-2   1000   1200 ns/op   64 B/op\n"
    "BenchmarkSort-2   1000   1250 ns/op   64 B/op\nPASS\n",
    "locust-csv": LOCUST_STATS,
    "catch2-xml": CATCH2_XML,
}

scalars = (
    st.none() | st.booleans() | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8)
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                               max_size=3),
    max_leaves=8,
)  # fmt: skip


def damaged(document: Any, data: st.DataObject) -> Any:
    """``document`` with up to three of its parts replaced, dropped or cut short."""
    document = copy.deepcopy(document)
    for _ in range(data.draw(st.integers(1, 3))):
        holder, key = None, None
        node = document
        while isinstance(node, dict | list) and node and data.draw(st.booleans()):
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            holder, key = node, data.draw(st.sampled_from(keys))
            node = node[key]
        if holder is None:
            continue
        action = data.draw(st.sampled_from(["replace", "drop", "cut"]))
        if action == "replace":
            holder[key] = data.draw(values)
        elif action == "drop" and isinstance(holder, dict):
            del holder[key]
        elif isinstance(node, list):
            holder[key] = node[: data.draw(st.integers(0, len(node)))]
    return document


def read_every_way(text: str) -> None:
    """The compare/history reader and the report's reader, on one file's text: each a
    result or a UsageError with exit 2, nothing else."""
    for reader in (
        lambda document: parse_results(document, "f.json", "result"),
        lambda document: import_record(parse_results(document, "f.json", "r"), GIVEN),
        lambda document: restore(document, "f.json"),
    ):
        try:
            reader(as_document(text, "f.json", "result"))
        except UsageError as exc:
            assert exc.exit_code == 2 and exc.message


@PROPERTY
@given(st.sampled_from(sorted(JSON_SEEDS)), st.data())
def test_any_damaged_json_file_is_a_result_or_exit_2(name: str, data: st.DataObject) -> None:
    read_every_way(json.dumps(damaged(JSON_SEEDS[name], data)))


@PROPERTY
@given(st.sampled_from(sorted(TEXT_SEEDS)), st.data())
def test_any_damaged_text_file_is_a_result_or_exit_2(name: str, data: st.DataObject) -> None:
    text = TEXT_SEEDS[name]
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 20))
        text = text[:at] + data.draw(st.text(max_size=20)) + text[at + cut :]
    read_every_way(text)


@pytest.mark.parametrize("name", sorted(JSON_SEEDS) + sorted(TEXT_SEEDS))
def test_every_seed_is_read(name: str) -> None:
    """The seeds are files the readers take: the damage above starts from a result."""
    text = TEXT_SEEDS[name] if name in TEXT_SEEDS else json.dumps(JSON_SEEDS[name])
    assert restore(as_document(text, "f.json", "result"), "f.json").results
    assert parse_results(as_document(text, "f.json", "result"), "f.json", "result").benchmarks


def best_of_three(work: Callable[[], object]) -> float:
    times = []
    for _ in range(3):  # the least of three: a slice lost to another process is not work
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def linear(make: Callable[[int], Any], work: Callable[[Any], object], small: int) -> None:
    """Ten times the input takes well under thirty times as long (quadratic: a hundred)."""
    little, big = make(small), make(10 * small)
    assert best_of_three(lambda: work(big)) < 30 * best_of_three(lambda: work(little)) + 0.05


PIECES = ("{}", "http://u:{}", "token={}&", "a@{}://")


@settings(max_examples=3, derandomize=True, deadline=None)
@given(st.text(min_size=1, max_size=12), st.sampled_from(PIECES))
def test_redaction_is_linear_in_the_text(unit: str, piece: str) -> None:
    """Any repeated fragment, alone or inside what redaction looks for (the
    URL-credentials pattern was quadratic: 20,000 characters took 15 s)."""
    linear(lambda n: piece.format(unit) * n, redact, 10_000)


def test_the_result_reader_is_linear_in_the_runs() -> None:
    def document(n: int) -> str:
        entry = {"command": "c", "times": [0.001 * (1 + i % 7) for i in range(n)]}
        return json.dumps({"results": [entry, {**entry, "command": "d"}]})

    linear(document, lambda text: parse_results(json.loads(text), "f.json", "r"), 4_000)
    linear(document, lambda text: restore(json.loads(text), "f.json"), 2_000)


def test_what_the_properties_found_is_exit_2() -> None:
    """A Google Benchmark time_unit that is a list (a TypeError traceback), and a time of
    2.7e154 s from pyperf (an OverflowError in the statistics of history import)."""
    google = copy.deepcopy(JSON_SEEDS["google-benchmark"])
    google["benchmarks"][0]["time_unit"] = []
    with pytest.raises(UsageError, match="no real_time in a known time_unit"):
        read_every_way_strictly(json.dumps(google))
    pyperf = copy.deepcopy(JSON_SEEDS["pyperf"])
    pyperf["benchmarks"][0]["runs"][0]["values"] = [2.6815615859885194e154]
    with pytest.raises(UsageError, match=r"times\[0\] is 2.68\d*e\+154, not a time in seconds"):
        read_every_way_strictly(json.dumps(pyperf))
    hyperfine = {"results": [{"command": "c", "times": [1e9, 1.0]}]}  # 31 years: the limit
    assert parse_results(hyperfine, "f.json", "r").benchmarks["c"].times == (1e9, 1.0)


def read_every_way_strictly(text: str) -> None:
    document = as_document(text, "f.json", "result")
    import_record(parse_results(document, "f.json", "r"), GIVEN)


def test_a_locust_file_the_csv_module_refuses_is_exit_2() -> None:
    """Found by the text property above: a bare carriage return inside the header made
    the csv module raise its own error (a traceback)."""
    text = LOCUST_STATS[:37] + "\r" + LOCUST_STATS[37:]
    with pytest.raises(UsageError, match=r"not well-formed CSV \(locust --csv\)"):
        as_document(text, "run_stats.csv", "result")
