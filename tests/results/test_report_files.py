"""Result files read back as RunResults (pbench schema 1 and 2, hyperfine), several files
merged, compare files as their comparisons; the JSON export round-trips through them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pbench.errors import UsageError
from pbench.export.json import render
from pbench.results.report_files import read_report_files
from support.cli import run_pbench
from support.httpserver import HttpTestServer

DATA = Path(__file__).resolve().parent.parent / "data" / "compare"


def _export(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    done = run_pbench(*args, "--style", "none", "--export-json", str(out))
    assert out.exists(), done.err
    return out


def _round_trip(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    written = json.loads(path.read_text())
    again = json.loads(render(read_report_files([str(path)]).results))
    return written, again


def test_command_run_with_budgets_round_trips_exactly(tmp_path: Path) -> None:
    path = _export(
        tmp_path, "run.json", "-r", "12", "-n", "fast", "sleep 0.001", "-n", "slow",
        "sleep 0.004", "--budget", "p95:3ms", "--budget", "median:10ms:warn",
    )  # fmt: skip
    written, again = _round_trip(path)
    assert written["budgets"] and written["scores"] and written["comparisons"]
    assert again == written


def test_sql_run_on_sqlite_round_trips_exactly(tmp_path: Path, sqlite_file: Path) -> None:
    path = _export(
        tmp_path, "sql.json", "sql", "--db", f"sqlite:///{sqlite_file}", "-r", "8",
        "SELECT v FROM kv WHERE id = 7", "SELECT count(*) FROM kv",
    )  # fmt: skip
    written, again = _round_trip(path)
    assert "sql" in written["results"][0]
    assert again == written


def test_http_load_run_keeps_its_histogram_summary(tmp_path: Path, server: HttpTestServer) -> None:
    path = _export(tmp_path, "http.json", "http", "-r", "60", server.base_url + "/fast")
    written, again = _round_trip(path)
    # The summary is over every request (60), not the 20-odd slices in "measurements".
    assert written["results"][0]["statistics"]["n"] == 60
    assert again == written


def test_schema_1_file_is_read(tmp_path: Path) -> None:
    document = json.loads((DATA / "pbench_base.json").read_text())
    assert document["schema_version"] == 1
    loaded = read_report_files([str(DATA / "pbench_base.json")])
    names = [r.name for r in loaded.results.results]
    assert names == [r["name"] for r in document["results"]]
    first = loaded.results.results[0]
    assert first.times == document["results"][0]["times"]
    assert loaded.results.budgets == [] and loaded.results.scores == {}


def test_hyperfine_file_becomes_runs_with_memory_and_exit_codes() -> None:
    path = DATA / "hyperfine_1.18_slower.json"
    document = json.loads(path.read_text())
    run = read_report_files([str(path)]).results
    first, entry = run.results[0], document["results"][0]
    assert first.name == entry["command"] and first.parameters == {"threads": "1"}
    assert first.times == entry["times"]
    assert [m.peak_rss_bytes for m in first.measurements] == entry["memory_usage_byte"]
    assert [m.exit_code for m in first.measurements] == entry["exit_codes"]
    assert [m.round for m in first.measurements] == list(range(len(entry["times"])))
    assert first.info["hyperfine_user_mean_s"] == entry["user"]
    summary = run.summary(first)
    assert summary is not None and summary.median == pytest.approx(entry["median"])
    exported = json.loads(render(run))["results"][0]
    for key in ("mean", "median", "min", "max", "times", "memory_usage_byte", "exit_codes"):
        assert exported[key] == pytest.approx(entry[key]), key


def test_early_hyperfine_file_without_memory_or_exit_codes() -> None:
    run = read_report_files([str(DATA / "hyperfine_early.json")]).results
    first = run.results[0]
    assert first.measurements and all(m.peak_rss_bytes is None for m in first.measurements)
    assert all(not m.failed for m in first.measurements)


def test_several_files_prefix_clashing_names_by_file(tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    new = tmp_path / "new.json"
    base.write_text((DATA / "pbench_base.json").read_text())
    new.write_text((DATA / "pbench_slower.json").read_text())
    loaded = read_report_files([str(base), str(new)])
    names = [r.name for r in loaded.results.results]
    assert names == [
        "base.json: parse", "base.json: render", "startup", "new.json: parse",
        "new.json: render", "export",
    ]  # fmt: skip
    assert set(loaded.results.summaries) <= set(names)
    assert loaded.result_files == (str(base), str(new))


def test_compare_file_gives_its_comparisons(tmp_path: Path) -> None:
    out = tmp_path / "cmp.json"
    done = run_pbench(
        "compare", str(DATA / "pbench_base.json"), str(DATA / "pbench_slower.json"),
        "--fail-if", "median:5%", "--export-json", str(out),
    )  # fmt: skip
    assert done.code == 3
    written = json.loads(out.read_text())
    loaded = read_report_files([str(out)])
    assert loaded.results.results == []
    (saved,) = loaded.compares
    assert saved.baseline == str(DATA / "pbench_base.json")
    assert [c.as_dict() for c in saved.comparisons] == [
        b["comparison"] for b in written["benchmarks"]
    ]
    assert any("--fail-if median:5% failed for 'parse'" in w for w in saved.warnings)
    assert any("'startup' is in the baseline" in w for w in saved.warnings)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "is not valid JSON"),
        ('{"nothing": 1}', "has no 'results' list"),
        ('{"schema_version": 99, "results": []}', "has schema_version 99"),
        ('{"results": [{"command": "x", "times": ["fast"]}]}', "times[0]"),
        ('{"compare_schema_version": 2, "benchmarks": [{"comparison": {}}]}', "'name'"),
    ],
)
def test_malformed_files_name_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(UsageError) as caught:
        read_report_files([str(path)])
    assert str(path) in caught.value.message and message in caught.value.message


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"nothing\.json does not exist"):
        read_report_files([str(tmp_path / "nothing.json")])
