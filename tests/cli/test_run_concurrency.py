"""`pbench run -j/--concurrency N`: N copies of a command at once, as a load run.

Real commands: a python one-liner against the real HTTP server on 127.0.0.1, a CPU
burner with a known allocation, failing commands. Timings are not asserted tightly
(two shared cores)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from support.cli import Invoke
from support.events import runs_started, still_running, unique, wait_until
from support.httpserver import HttpTestServer

MIB = 1 << 20
# Burns 60 ms of CPU after allocating (and touching) 50 MiB.
BURN = (
    "python3 -c \"import time; b = b'x' * (50 << 20); t = time.process_time()\n"
    'while time.process_time() - t < 0.06: pass"'
)


def run_json(invoke: Invoke, tmp_path: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    out = tmp_path / "out.json"
    result = invoke("run", "--style", "basic", "--export-json", str(out), *args)
    data: dict[str, Any] = json.loads(out.read_text()) if out.exists() else {}
    return result.code, data, result.out + result.err


def rows(load: dict[str, Any]) -> list[dict[str, Any]]:
    sample = load["sample"]
    return [dict(zip(sample["columns"], row, strict=True)) for row in sample["rows"]]


def most_in_flight(runs: list[dict[str, Any]]) -> int:
    """The most runs in flight at one instant, from each run's fork (end - service) to
    its reap (end), recomputed here from the sample."""
    events = sorted(
        [(r["end_s"] - r["service_s"], 1) for r in runs] + [(r["end_s"], -1) for r in runs]
    )
    running = most = 0
    for _, step in events:
        running += step
        most = max(most, running)
    return most


def test_copies_overlap_against_a_real_server(
    invoke: Invoke, tmp_path: Path, server: HttpTestServer
) -> None:
    url = f"{server.base_url}/slow?ms=50"
    client = f"python3 -c \"import urllib.request; urllib.request.urlopen('{url}').read()\""
    server.reset_counts()
    code, data, text = run_json(invoke, tmp_path, "-j", "4", "-d", "1.5s", client)
    assert code == 0, text
    result = data["results"][0]
    load = result["load"]
    assert load["concurrency"] == 4 and load["model"] == "closed" and load["failed"] == 0
    runs = rows(load)
    assert len(runs) == load["requests"] >= 8
    assert most_in_flight(runs) >= 4  # four copies really ran at once
    assert result["command_load"]["max_overlap"] >= 4
    assert all(r["latency_s"] >= 0.05 for r in runs)  # each waited for the slow answer
    assert server.hits["/slow"] >= load["requests"]
    # The slices are the measurements, as for HTTP and SQL loads.
    assert result["measurements"] and all(m["requests"] >= 1 for m in result["measurements"])
    assert "4 copies" in text and "runs/s" in text


def test_exact_cpu_and_peak_memory_of_every_run(invoke: Invoke, tmp_path: Path) -> None:
    code, data, text = run_json(invoke, tmp_path, "-j", "2", "-r", "8", BURN)
    assert code == 0, text
    result = data["results"][0]
    load = result["load"]
    assert load["requests"] == 8  # -r counts the runs of all copies together
    resources = load["resources"]
    assert resources["runs"] == 8 and resources["cores"] >= 1
    for run in rows(load):
        assert 0.06 <= run["cpu_s"] < 0.5, run  # the burn, plus Python's start
        assert run["cpu_s"] == pytest.approx(run["user_s"] + run["system_s"])
        assert 50 * MIB <= run["peak_memory_bytes"] < 50 * MIB + 60 * MIB, run
        assert run["end_s"] > run["start_s"]
    cpu, memory = resources["cpu"], resources["peak_memory"]
    assert 0.06 <= cpu["p50"] <= cpu["p99"] <= cpu["max"] < 0.5
    assert abs(cpu["total"] - sum(r["cpu_s"] for r in rows(load))) < 1e-6  # exact sums
    assert 50 * MIB <= memory["p50"] <= memory["max"] < 110 * MIB
    assert 0 < resources["cpu_utilisation"] <= 1.05
    # The slices carry hyperfine's per-run keys, from the same figures.
    assert all(m["peak_memory_bytes"] >= 50 * MIB for m in result["measurements"])
    assert result["user"] is not None and result["memory_usage_byte"][0] >= 50 * MIB
    assert "CPU per run (ms):" in text and "Peak memory per run:" in text


def test_failures_by_exit_code_signal_and_timeout(invoke: Invoke, tmp_path: Path) -> None:
    code, data, text = run_json(
        invoke, tmp_path, "-j", "2", "-r", "6", "--timeout", "0.2s",
        "sh -c 'exit 3'", "sh -c 'kill -9 $$'", "sleep 5",
    )  # fmt: skip
    assert code == 1, text
    errors = {r["name"]: r["load"]["errors"] for r in data["results"]}
    assert errors == {
        "sh -c 'exit 3'": {"exit 3": 6},
        "sh -c 'kill -9 $$'": {"signal 9": 6},
        "sleep 5": {"timeout": 6},
    }
    assert data["results"][0]["command_load"]["failures"] == {"exit 3": 6}


def test_ignore_failure_and_its_codes(invoke: Invoke, tmp_path: Path) -> None:
    mixed = "sh -c 'exit $((PBENCH_ITERATION % 2 * 3))'"  # exit 0, 3, 0, 3, ...
    assert run_json(invoke, tmp_path, "-j", "2", "-r", "8", mixed)[0] == 1
    assert run_json(invoke, tmp_path, "-j", "2", "-r", "8", "-i", mixed)[0] == 0
    assert run_json(invoke, tmp_path, "-j", "2", "-r", "8", "--ignore-failure=3", mixed)[0] == 0
    code, _, text = run_json(invoke, tmp_path, "-j", "2", "-r", "8", "--ignore-failure=4", mixed)
    assert code == 1 and "exit 3" in text


def test_open_loop_rate(invoke: Invoke, tmp_path: Path) -> None:
    code, data, text = run_json(
        invoke, tmp_path, "-j", "2", "--rate", "40", "-d", "1s", "sleep 0.01"
    )
    assert code == 0, text
    load = data["results"][0]["load"]
    assert load["model"] == "open" and load["target_rate"] == 40
    assert 30 <= load["requests"] <= 41
    assert load["wait"] is not None and load["service"]["p50"] >= 0.01
    assert "open loop at 40/s" in text


def test_setup_and_cleanup_once_per_benchmark(invoke: Invoke, tmp_path: Path) -> None:
    log = tmp_path / "log"
    code, _, text = run_json(
        invoke, tmp_path, "-j", "2", "-r", "4",
        "--setup", f"echo setup >> {log}", "--cleanup", f"echo cleanup >> {log}", "true",
    )  # fmt: skip
    assert code == 0, text
    assert log.read_text().split() == ["setup", "cleanup"]


def test_usage_errors_exit_2(invoke: Invoke) -> None:
    for args, message in [
        (("-j", "0", "true"), "below 1"),
        (("-j", "1,x", "true"), "'x' is not a whole number"),
        (("-j", "4,2", "true"), "increasing order"),
        (("-j", "2", "--prepare", "true", "true"), "--prepare cannot be combined"),
        (("-j", "2", "--conclude", "true", "true"), "--conclude cannot be combined"),
        (("-j", "2", "-r", "5", "-d", "1s", "true"), "cannot be combined"),
        (("-j", "2", "--min-runs", "5", "true"), "--min-runs does not apply"),
        (("-j", "2", "--output", "out.txt", "true"), "--output FILE"),
        (("-j", "2", "-s", "echo {n}", "-L", "n", "1,2", "true {n}"), "differ between"),
    ]:
        result = invoke("run", "--style", "basic", *args)
        assert result.code == 2, (args, result.err)
        assert message in result.err, (args, result.err)
        assert "Traceback" not in result.err


def test_ctrl_c_keeps_what_finished(tmp_path: Path) -> None:
    out, mark = tmp_path / "partial.json", tmp_path / "started"
    duration = unique("30.0517")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pbench", "run", "--style", "basic", "--order", "sequential",
         "-j", "2", "-d", "0.5s", "sleep 0.01", f"touch {mark}; sleep {duration}",
         "--export-json", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    copies = runs_started(proc.pid, f"sleep {duration}")
    wait_until(lambda: mark.exists() and copies() >= 2, "both copies of the second are running")
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert "Benchmark 1: sleep 0.01" in stdout
    waited = time.monotonic() - started
    assert proc.returncode == 130, stderr
    assert waited < 10  # the running copies were killed, not waited for
    assert "interrupted" in stderr and "Traceback" not in stderr
    first, second = json.loads(out.read_text())["results"]
    assert first["stop_reason"] == "time" and first["load"]["requests"] > 0
    assert second["stop_reason"] == "interrupted" and second["load"]["requests"] == 0
    time.sleep(0.1)
    assert not still_running(duration)
