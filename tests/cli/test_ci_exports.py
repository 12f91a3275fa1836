"""The CI exports end to end: ``run``, ``http`` and ``compare`` write JUnit XML (valid
against Jenkins' junit-10.xsd), github-action-benchmark JSON and Bencher Metric
Format whose figures are those of the JSON export (or of the compared files)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import pytest

from support.cli import run_pbench
from support.httpserver import HttpTestServer
from support.junit import cases, outcome, validated

COMPARE = Path(__file__).resolve().parent.parent / "data" / "compare"
TRICKY = "q<&\"'\x1b name"


def exports(folder: Path) -> list[str]:
    return [
        "--export-json", str(folder / "r.json"),
        "--export-junit", str(folder / "j.xml"),
        "--export-github-benchmark", str(folder / "g.json"),
        "--export-github-benchmark-bigger", str(folder / "gb.json"),
        "--export-bmf", str(folder / "b.json"),
    ]  # fmt: skip


def read(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def test_a_command_run_writes_every_ci_format_with_the_json_exports_figures(
    tmp_path: Path,
) -> None:
    result = run_pbench(
        "run", "--style", "none", "-r", "5", "-n", TRICKY, "-n", "slower",
        "sleep 0.01", "sleep 0.02", *exports(tmp_path), "--export", str(tmp_path / "also.xml"),
    )  # fmt: skip
    assert result.code == 0, result.err
    entries = {e["name"]: e for e in read(tmp_path, "r.json")["results"]}
    assert list(entries) == [TRICKY, "slower"]
    root = validated((tmp_path / "j.xml").read_text(encoding="utf-8"))
    found = cases(root)
    assert list(found) == [TRICKY.replace("\x1b", "\\x1b"), "slower"]
    assert all(c.get("classname") == "pbench.command" for c in found.values())
    assert all(outcome(c) == "passed" for c in found.values())
    assert float(found["slower"].get("time", "")) == pytest.approx(
        sum(entries["slower"]["times"]), abs=1e-5
    )
    assert (tmp_path / "also.xml").read_text() == (tmp_path / "j.xml").read_text()

    smaller = {e["name"]: e for e in read(tmp_path, "g.json")}
    bigger = {e["name"]: e for e in read(tmp_path, "gb.json")}
    bench = read(tmp_path, "b.json")
    assert list(bench) == [TRICKY, "slower"]
    for name, entry in entries.items():
        mean, (low, high) = entry["mean"], entry["statistics"]["mean_ci"]
        assert smaller[name]["unit"] == "ms"
        assert smaller[name]["value"] == pytest.approx(mean * 1e3)
        half = max(mean - low, high - mean) * 1e3
        assert float(smaller[name]["range"].removeprefix("± ")) == pytest.approx(half, rel=1e-5)
        assert bigger[name]["unit"] == "runs/s"
        assert bigger[name]["value"] == pytest.approx(1 / mean)
        assert bench[name]["latency"] == {
            "value": pytest.approx(mean * 1e9),
            "lower_value": pytest.approx(low * 1e9),
            "upper_value": pytest.approx(high * 1e9),
        }
        peak = max(entry["memory_usage_byte"])
        assert bench[name]["peak-memory"] == {"value": peak}
        assert smaller[f"{name} (peak memory)"]["value"] == pytest.approx(peak / 2**20)


def test_a_failed_benchmark_is_a_failure_with_the_reason(tmp_path: Path) -> None:
    result = run_pbench(
        "run", "--style", "none", "-r", "3", "-n", "ok", "-n", "broken", "true", "false",
        "--export-junit", str(tmp_path / "j.xml"),
    )  # fmt: skip
    assert result.code == 1
    found = cases(validated((tmp_path / "j.xml").read_text(encoding="utf-8")))
    broken = found["broken"].find("failure")
    assert broken is not None and "exit code 1" in broken.get("message", "")
    assert outcome(found["ok"]) in ("passed", "skipped")  # interleaved: it may not have run


def test_an_http_run_against_a_real_server(server: HttpTestServer, tmp_path: Path) -> None:
    result = run_pbench(
        "http", "--style", "none", "-r", "200", "-c", "2", "-i",
        "-n", "fast", "-n", "flaky",
        server.base_url + "/fast", server.base_url + "/flaky?every=4", *exports(tmp_path),
    )  # fmt: skip
    assert result.code == 0, result.err
    found = cases(validated((tmp_path / "j.xml").read_text(encoding="utf-8")))
    assert {n: c.get("classname") for n, c in found.items()} == {
        "fast": "pbench.http",
        "flaky": "pbench.http",
    }
    assert outcome(found["fast"]) == "passed"
    # -i made the exit status 0; the report still says 50 of 200 requests failed.
    message = found["flaky"].find("failure").get("message", "")  # type: ignore[union-attr]
    assert message.startswith("50 of 200 requests failed (status: 50")
    load = {e["name"]: e for e in read(tmp_path, "r.json")["results"]}["fast"]
    rate = load["load"]["throughput"]["requests_per_s"]
    bigger = {e["name"]: e for e in read(tmp_path, "gb.json")}
    assert bigger["fast"]["unit"] == "requests/s"
    assert bigger["fast"]["value"] == pytest.approx(rate)
    bench = read(tmp_path, "b.json")["fast"]
    assert bench["throughput"]["value"] == pytest.approx(rate)
    assert bench["throughput"]["lower_value"] <= rate <= bench["throughput"]["upper_value"]
    assert bench["latency"]["value"] == pytest.approx(load["mean"] * 1e9)
    assert "peak-memory" not in bench


def test_compare_exports_the_regression_and_the_candidates_figures(tmp_path: Path) -> None:
    candidate = COMPARE / "pbench_slower.json"
    result = run_pbench(
        "compare", str(COMPARE / "pbench_base.json"), str(candidate),
        "--export-junit", str(tmp_path / "j.xml"),
        "--export-github-benchmark", str(tmp_path / "g.json"),
        "--export-github-benchmark-bigger", str(tmp_path / "gb.json"),
        "--export-bmf", str(tmp_path / "b.json"),
    )  # fmt: skip
    assert result.code == 3
    found = cases(validated((tmp_path / "j.xml").read_text(encoding="utf-8")))
    assert {n: outcome(c) for n, c in found.items()} == {
        "parse": "failure",
        "render": "passed",
        "startup": "skipped",
        "export": "skipped",
    }
    assert "ratio 1.101 [1.09" in found["parse"].find("failure").get("message", "")  # type: ignore[union-attr]
    times = {e["name"]: e["times"] for e in json.loads(candidate.read_text())["results"]}
    smaller = {e["name"]: e for e in read(tmp_path, "g.json")}
    assert set(smaller) == {"parse", "render"}  # the pairs: candidates only
    mean = statistics.fmean(times["parse"])
    assert smaller["parse"]["value"] == pytest.approx(mean * 1e3)
    assert read(tmp_path, "b.json")["parse"]["latency"]["value"] == pytest.approx(mean * 1e9)
    assert {e["name"]: e["value"] for e in read(tmp_path, "gb.json")}["parse"] == pytest.approx(
        1 / mean
    )


def test_two_exports_on_stdout_are_refused(tmp_path: Path) -> None:
    files = [str(COMPARE / "pbench_base.json"), str(COMPARE / "pbench_same.json")]
    result = run_pbench("compare", *files, "--export-junit", "-", "--export-bmf", "-")
    assert result.code == 2
    assert "only one export can go to stdout" in result.err
    result = run_pbench("run", "-r", "2", "true", "--export-junit", "-", "--export-bmf", "-")
    assert result.code == 2
    assert "only one export can go to stdout" in result.err


def test_ci_exports_are_checkpointed_after_each_finished_benchmark(tmp_path: Path) -> None:
    """The second benchmark copies the exports as they are once the first finished."""
    junit, bench = tmp_path / "j.xml", tmp_path / "b.json"
    copy = f"cp {junit} {bench} {tmp_path}/snap-{{n}}/ 2>/dev/null; sleep 0.05"
    for n in (1, 2):
        (tmp_path / f"snap-{n}").mkdir()
    result = run_pbench(
        "run", "--runs", "1", "--order", "sequential", "--style", "none", "--no-sample",
        "-L", "n", "1,2", copy, "--export-junit", str(junit), "--export-bmf", str(bench),
    )  # fmt: skip
    assert result.code == 0, result.err
    assert list((tmp_path / "snap-1").iterdir()) == []  # nothing had finished yet
    snapshot = tmp_path / "snap-2"
    found = cases(validated((snapshot / "j.xml").read_text(encoding="utf-8")))
    assert [outcome(c) for c in found.values()] == ["passed", "skipped"]
    waiting = list(found.values())[1].find("skipped")
    assert waiting is not None and waiting.get("message") == "not measured yet"
    assert len(json.loads((snapshot / "b.json").read_text())) == 1  # only the finished one
    assert len(json.loads(bench.read_text())) == 2


def test_the_summary_keeps_a_tricky_name_too(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = run_pbench(
        "run", "--style", "none", "-r", "2", "-n", TRICKY, "true",
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )  # fmt: skip
    assert result.code == 0, result.err
    shown = TRICKY.replace("\x1b", "\\x1b")  # the escape shown escaped, never raw
    assert f"| `{shown}` |" in summary.read_text(encoding="utf-8")
