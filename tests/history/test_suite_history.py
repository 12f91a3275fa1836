"""A suite's history settings end to end: a saved suite run records the machine
fitness check with the run (and in its JSON export's metadata), and ``[history]
notify`` sends the suite's broken budgets to a real webhook on 127.0.0.1 as
``--notify`` does, the CLI's ``--notify`` winning."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pbench.history.backends import open_store
from pbench.plan.store import store_address
from support.cli import run_pbench
from support.httpserver import HttpTestServer

SLOW = (
    '[[benchmark]]\nname = "slow"\ncommand = "sleep 0.01"\nruns = 3\nbudgets = { median = "1ms" }\n'
)


@pytest.fixture
def hook(server: HttpTestServer) -> Iterator[HttpTestServer]:
    server.reset_counts()
    yield server


def test_a_saved_suite_run_records_the_machines_fitness(tmp_path: Path) -> None:
    suite = tmp_path / "benchmarks.toml"
    suite.write_text('[[benchmark]]\nname = "noop"\ncommand = "true"\nruns = 3\nshell = "none"\n')
    store, out = tmp_path / "h.db", tmp_path / "out.json"
    result = run_pbench("suite", str(suite), "--style", "basic", "--store", str(store),
                        "--export-json", str(out))  # fmt: skip
    assert result.code == 0, result.err
    fitness = json.loads(out.read_text())["metadata"]["fitness"]
    assert isinstance(fitness["fit"], bool) and fitness["summary"].startswith(("fit", "unfit"))
    assert {check["name"] for check in fitness["checks"]} >= {"load", "cpu_steal", "cpu_governor"}
    with open_store(store_address(str(store))) as opened:
        [point] = opened.series("noop")
    assert point.fit is fitness["fit"]
    # a run without saving does not pay for the check
    unsaved = tmp_path / "unsaved.json"
    again = run_pbench("suite", str(suite), "--style", "basic", "--export-json", str(unsaved))
    assert again.code == 0 and "fitness" not in json.loads(unsaved.read_text())["metadata"]


def test_history_notify_in_the_suite_file_posts_broken_budgets(
    hook: HttpTestServer, tmp_path: Path
) -> None:
    suite = tmp_path / "benchmarks.toml"
    suite.write_text(f'[history]\nnotify = "{hook.base_url}/from-file"\n\n' + SLOW)
    result = run_pbench("suite", str(suite), "--style", "basic")
    assert result.code == 4, result.err
    ((path, body),) = hook.posts
    assert path == "/from-file"
    assert [e["benchmark"] for e in json.loads(body)["events"]] == ["slow"]
    hook.reset_counts()
    result = run_pbench("suite", str(suite), "--style", "basic", "--notify", f"{hook.base_url}/cli")
    assert result.code == 4 and [p for p, _ in hook.posts] == ["/cli"]


def test_history_notify_is_checked(tmp_path: Path) -> None:
    suite = tmp_path / "benchmarks.toml"
    suite.write_text('[history]\nnotify = "ftp://example.invalid/x"\n\n' + SLOW)
    result = run_pbench("suite", str(suite), "--style", "basic")
    assert result.code == 2
    assert "[history] notify: only http:// and https:// URLs are supported" in result.err
    suite.write_text("[history]\nnotify = 3\n\n" + SLOW)
    result = run_pbench("suite", str(suite), "--dry-run")
    assert result.code == 2 and "history.notify: expected a webhook URL" in result.err
