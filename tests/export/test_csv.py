"""The CSV export: hyperfine's columns first, then pbench's, properly quoted."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pbench.export import render
from pbench.export.csv import HYPERFINE_COLUMNS, PBENCH_COLUMNS
from pbench.models import BenchmarkResult, RunResults


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_header_order(report: RunResults) -> None:
    header = render("csv", report).splitlines()[0].split(",")
    assert header == [
        *HYPERFINE_COLUMNS,
        "parameter_t",
        "parameter_mode",
        *PBENCH_COLUMNS,
    ]
    assert header[:8] == ["command", "mean", "stddev", "median", "user", "system", "min", "max"]


def test_values_round_trip_through_a_csv_reader(report: RunResults) -> None:
    rows = _rows(render("csv", report))
    assert [r["name"] for r in rows] == [r.name for r in report.results]
    fast, tricky, scanned, http, partial, empty = rows
    assert float(fast["mean"]) == pytest.approx(0.10136)
    assert float(fast["median"]) == 0.1012
    assert fast["n"] == "5"
    assert fast["peak_memory_bytes"] == str(1_048_576 + 4 * 4096)
    assert fast["stop_reason"] == "runs"
    assert tricky["command"] == 'grep "a|b" `ls` | wc -l'  # quotes and pipes survive
    assert scanned["parameter_mode"] == 'fast, quoted "yes"'
    assert scanned["parameter_t"] == "0.05"
    assert fast["parameter_t"] == ""
    assert scanned["peak_memory_bytes"] == ""
    assert (http["n"], http["median"], http["user"]) == ("10000", "0.00038", "")
    assert float(http["p99"]) == 0.0011
    assert partial["stddev"] == "" and partial["stop_reason"] == ""
    assert empty["n"] == "0" and empty["mean"] == "" and empty["stop_reason"] == "interrupted"


def test_newlines_in_a_command_stay_in_one_record(make_runs: Any) -> None:
    result = BenchmarkResult(
        name="multi",
        command="echo a\necho b",
        parameters={},
        info={},
        measurements=make_runs([1.0]),
    )
    rows = _rows(render("csv", RunResults(results=[result], metadata={})))
    assert len(rows) == 1 and rows[0]["command_line"] == "echo a\necho b"


def test_nan_is_an_empty_cell(make_runs: Any) -> None:
    result = BenchmarkResult(
        name="bad", command="x", parameters={}, info={}, measurements=make_runs([float("nan"), 1.0])
    )
    text = render("csv", RunResults(results=[result], metadata={}))
    row = _rows(text)[0]
    assert row["mean"] == "" and row["median"] == ""
    assert "nan" not in text.lower() and "inf" not in text.lower()


def test_empty_report_has_only_the_header() -> None:
    text = render("csv", RunResults(results=[], metadata={}))
    assert text == ",".join([*HYPERFINE_COLUMNS, *PBENCH_COLUMNS]) + "\n"


def test_hyperfine_header_is_our_prefix(tmp_path: Path, make_runs: Any, hyperfine: str) -> None:
    exported = tmp_path / "hyperfine.csv"
    subprocess.run(
        [hyperfine, "-N", "-r", "2", "-L", "t", "1", "--export-csv", str(exported), "true {t}"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    theirs = exported.read_text().splitlines()[0]
    result = BenchmarkResult(
        name="true 1",
        command="true 1",
        parameters={"t": "1"},
        info={},
        measurements=make_runs([0.001, 0.002]),
    )
    ours = render("csv", RunResults(results=[result], metadata={})).splitlines()[0]
    assert ours.startswith(theirs + ",")
