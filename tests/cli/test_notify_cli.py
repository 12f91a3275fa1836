"""--notify end to end with a real webhook receiver on 127.0.0.1: a broken budget POSTs
one payload after the exports (no secret in it), a failing hook is a one-line warning
that changes neither the exit status nor the exports, and a bad URL exits 2 before
anything is measured."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.cli import Invoke
from support.httpserver import HttpTestServer

SECRET_COMMANDS = (
    "PGPASSWORD=hunter2 sleep 0.01",
    "sleep 0.01 # postgresql://bob:s3cret@127.0.0.1/db",
)


@pytest.fixture
def hook(server: HttpTestServer) -> Iterator[HttpTestServer]:
    server.reset_counts()
    yield server


def broken_run(invoke: Invoke, out: Path, *args: str) -> Any:
    return invoke("run", "-r", "3", "--style", "basic", "--budget", "median:1ms",
                  "--export-json", str(out), *args, *SECRET_COMMANDS)  # fmt: skip


def test_a_broken_budget_posts_one_payload_without_secrets(
    invoke: Invoke, hook: HttpTestServer, tmp_path: Path
) -> None:
    out = tmp_path / "r.json"
    result = broken_run(invoke, out, "--notify", f"{hook.base_url}/echo")
    assert result.code == 4, result.err
    assert "warning" not in result.err
    ((path, body),) = hook.posts
    assert path == "/echo"
    assert "hunter2" not in body.decode() and "s3cret" not in body.decode()
    payload = json.loads(body)
    assert payload["text"].startswith("pbench on ") and "2 budgets broken" in payload["text"]
    assert "PGPASSWORD=***" in payload["text"]
    assert [e["kind"] for e in payload["events"]] == ["budget", "budget"]
    assert {e["benchmark"] for e in payload["events"]} == {
        "PGPASSWORD=*** sleep 0.01", "sleep 0.01 # postgresql://bob:***@127.0.0.1/db"}  # fmt: skip
    exported = json.loads(out.read_text())
    assert payload["time"] == exported["metadata"]["start_time"]
    assert payload["commit"] == exported["metadata"].get("git", {}).get("commit")
    for event in payload["events"]:
        assert event["after"]["value"] > event["limit"] == 0.001


def test_every_notify_url_gets_it_and_a_met_budget_sends_nothing(
    invoke: Invoke, hook: HttpTestServer, tmp_path: Path
) -> None:
    out = tmp_path / "r.json"
    result = broken_run(invoke, out, "--notify", f"{hook.base_url}/a", "--notify",
                        f"{hook.base_url}/b")  # fmt: skip
    assert result.code == 4 and [p for p, _ in hook.posts] == ["/a", "/b"]
    hook.reset_counts()
    result = invoke("run", "-r", "2", "--style", "none", "--budget", "mean:10s", "--notify",
                    f"{hook.base_url}/a", "true")  # fmt: skip
    assert result.code == 0 and hook.posts == []


def test_500_then_success_delivers_once(
    invoke: Invoke, hook: HttpTestServer, tmp_path: Path
) -> None:
    result = broken_run(invoke, tmp_path / "r.json", "--notify", f"{hook.base_url}/fail-first?n=1")
    assert result.code == 4 and "warning" not in result.err
    assert len(hook.posts) == 2  # the 500, then the delivery


def test_a_hook_that_never_answers_is_a_warning_within_bounded_time(
    invoke: Invoke, hook: HttpTestServer, tmp_path: Path
) -> None:
    out = tmp_path / "r.json"
    result = broken_run(invoke, out, "--notify", f"{hook.base_url}/hang?token=SECRETPATH",
                        "--notify-timeout", "300ms")  # fmt: skip
    gave_up = time.monotonic()
    assert result.code == 4  # the budget's status, not the hook's
    warnings = [line for line in result.err.splitlines() if "warning" in line]
    assert warnings == [f"pbench: warning: notification to {hook.base_url} failed after 3 "
                        "attempts: no answer within 0.3 s"]  # fmt: skip
    assert "SECRETPATH" not in result.err
    assert len(json.loads(out.read_text())["results"]) == 2  # exports were written
    # Timed from the webhook's end, without the benchmark: three attempts, each given up
    # after the 300 ms asked for, not after the 5 s default (nor never: /hang does not
    # answer). Between two attempts: 300 ms, the backoff (0.5 s, then 1 s), scheduling.
    first, second, third = hook.post_times
    for waited, backoff in ((second - first, 0.5), (third - second, 1.0), (gave_up - third, 0.0)):
        assert backoff <= waited < 5.0, (waited, backoff)


def test_connection_refused_is_a_warning(invoke: Invoke, tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    out = tmp_path / "r.json"
    result = broken_run(invoke, out, "--notify", f"http://127.0.0.1:{port}/hook")
    assert result.code == 4 and out.exists()
    assert f"pbench: warning: notification to http://127.0.0.1:{port} failed after 3" in result.err


def test_4xx_is_not_retried(invoke: Invoke, hook: HttpTestServer, tmp_path: Path) -> None:
    result = broken_run(invoke, tmp_path / "r.json", "--notify", f"{hook.base_url}/status/404")
    assert result.code == 4 and len(hook.posts) == 1
    assert f"notification to {hook.base_url} failed: HTTP 404 Not Found" in result.err


@pytest.mark.parametrize("command", ["run", "http", "sql", "suite"])
def test_a_bad_url_exits_2_before_measuring(invoke: Invoke, tmp_path: Path, command: str) -> None:
    out = tmp_path / "r.json"
    target = {"run": ["true"], "http": ["http://127.0.0.1:9/"], "sql": ["SELECT 1"],
              "suite": [str(tmp_path / "missing.toml")]}[command]  # fmt: skip
    result = invoke(command, "--export-json", str(out), "--notify", "ftp://host/x", *target)
    assert result.code == 2
    assert "Invalid value for '--notify'" in result.err and "only http://" in result.err
    assert not out.exists()


def test_a_suite_notifies_and_refuses_notify_in_the_file(
    invoke: Invoke, hook: HttpTestServer, tmp_path: Path
) -> None:
    path = tmp_path / "benchmarks.toml"
    path.write_text('[[benchmark]]\nname = "slow"\ncommand = "sleep 0.01"\nruns = 3\n'
                    'budgets = { median = "1ms" }\n')  # fmt: skip
    result = invoke("suite", str(path), "--style", "basic", "--notify", f"{hook.base_url}/s")
    assert result.code == 4, result.err
    ((_, body),) = hook.posts
    assert json.loads(body)["events"][0]["benchmark"] == "slow"
    path.write_text(path.read_text() + f'notify = "{hook.base_url}/s"\n')
    result = invoke("suite", str(path), "--style", "basic")
    assert result.code == 2 and "webhooks are the suite run's own" in result.err
