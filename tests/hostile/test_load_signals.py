"""Signals during load runs (``pbench http``, ``sql -d``, ``run -j -d``), against real
pbench processes: SIGTERM or SIGINT once the load has got somewhere stops it within a
moment with exit 130, keeps what finished in the export (marked interrupted), records
no error the shutdown itself caused (an HTTP ``reset``, a query cancelled on the
server), and saves nothing to --store. A signal during a long --setup (or
--setup-sql) ends it at once, and --cleanup (--teardown-sql) still runs. ``kill -9``
of pbench during a load leaves nothing running (HTTP worker processes, the commands'
copies).

Every run here would last 30 s or more if the signal were swallowed: the bound on how
long it takes to stop (10 s) is a third of that, not a timing of the stop itself."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import pytest

from support.events import unique, wait_until
from support.httpserver import HttpTestServer

STOPPED_WITHIN_S = 10.0  # the run or setup would last 30 s or more


def start(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.Popen(
        [sys.executable, "-m", "pbench", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def interrupt(process: subprocess.Popen[str], signum: int) -> tuple[float, str]:
    """Send ``signum``; how long the process took to end, and its stderr."""
    started = time.monotonic()
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    return time.monotonic() - started, stderr


def saved_runs(store: Path) -> int:
    if not store.exists():
        return 0
    with sqlite3.connect(store) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        return conn.execute("SELECT count(*) FROM runs").fetchone()[0] if "runs" in tables else 0


def interrupted_result(export: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(export.read_text())["results"][0]
    assert result["stop_reason"] == "interrupted"
    return result


# Three SIGTERMs with one worker: the signal was swallowed in 3 tries of 4 before.
@pytest.mark.parametrize(
    ("signum", "workers"),
    [
        (signal.SIGTERM, "1"),
        (signal.SIGTERM, "1"),
        (signal.SIGTERM, "1"),
        (signal.SIGINT, "1"),
        (signal.SIGTERM, "2"),
    ],
)
def test_a_signal_stops_an_http_load_at_once_and_records_no_error(
    server: HttpTestServer, tmp_path: Path, signum: int, workers: str
) -> None:
    export, store = tmp_path / "r.json", tmp_path / "h.db"
    server.reset_counts()
    process = start(
        "http", "-d", "30s", "-c", "4", "--workers", workers, "--style", "none",
        "--export-json", str(export), "--store", str(store), "--save",
        f"{server.base_url}/slow?ms=1",
    )  # fmt: skip
    wait_until(lambda: server.hits["/slow"] >= 50, "50 requests answered")
    took, stderr = interrupt(process, signum)
    assert process.returncode == 130, stderr
    assert took < STOPPED_WITHIN_S, took
    assert "Traceback" not in stderr and "Fatal error" not in stderr, stderr
    assert "not saved to history" in stderr
    load = interrupted_result(export)["load"]
    assert load["requests"] > 0
    assert load["errors"] == {}  # no fake `reset` from the shutdown
    assert saved_runs(store) == 0


def test_sigint_during_an_http_setup_ends_it_and_runs_the_cleanup(
    server: HttpTestServer, tmp_path: Path
) -> None:
    began, cleaned = tmp_path / "began", tmp_path / "cleaned"
    server.reset_counts()
    process = start(
        "http", "-d", "2s", "--style", "none",
        "--setup", f"touch {began}; sleep {unique('30.0')}", "--cleanup", f"touch {cleaned}",
        f"{server.base_url}/slow?ms=1",
    )  # fmt: skip
    wait_until(began.exists, "the setup began")
    took, stderr = interrupt(process, signal.SIGINT)
    assert process.returncode == 130, stderr
    assert took < STOPPED_WITHIN_S, took
    assert cleaned.exists()
    assert server.hits["/slow"] == 0  # the load never began


LONG_SQL = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1e10) "


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_a_long_sqlite_setup_sql_ends_it_and_runs_the_teardown(
    tmp_path: Path, signum: int
) -> None:
    db, began = tmp_path / "bench.db", tmp_path / "began.db"
    sqlite3.connect(db).close()
    # The setup's first statements commit a table to another file (the sign that it
    # began), then it counts to 1e10 (minutes).
    setup = f"ATTACH '{began}' AS m; CREATE TABLE m.began (x); {LONG_SQL} SELECT count(*) FROM c"
    process = start(
        "sql", "-d", "2s", "-c", "2", "--style", "none", "--db", f"sqlite:///{db}",
        "--setup-sql", setup, "--teardown-sql", "CREATE TABLE torn_down (x)", "SELECT 1",
    )  # fmt: skip
    wait_until(lambda: began.exists() and began.stat().st_size > 0, "the setup SQL began")
    took, stderr = interrupt(process, signum)
    assert process.returncode == 130, stderr
    assert took < STOPPED_WITHIN_S, took
    assert "Traceback" not in stderr
    with sqlite3.connect(db) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "torn_down" in tables


def test_sigterm_during_a_postgres_load_records_no_cancelled_query(
    pg_dsn: str, tmp_path: Path
) -> None:
    import psycopg

    export, store = tmp_path / "r.json", tmp_path / "h.db"
    token = f"pbench-sig-{os.getpid()}"
    process = start(
        "sql", "-d", "30s", "-c", "3", "--style", "none", "--db", pg_dsn,
        "--export-json", str(export), "--store", str(store), "--save",
        f"SELECT pg_sleep(5), '{token}'",
    )  # fmt: skip

    def running() -> int:
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE %s AND state = 'active'"
                " AND pid <> pg_backend_pid()",
                (f"%{token}%",),
            ).fetchone()
        return int(row[0]) if row else 0

    # All three clients are in the middle of a 5 s query: the signal cancels them.
    wait_until(lambda: running() >= 3, "the three clients' queries running")
    took, stderr = interrupt(process, signal.SIGTERM)
    assert process.returncode == 130, stderr
    assert took < STOPPED_WITHIN_S, took
    load = interrupted_result(export)["load"]
    assert load["errors"] == {}  # the queries cancelled on the server are not errors
    assert load["unfinished"] == 3  # but cut short
    assert saved_runs(store) == 0


def test_sigterm_during_a_command_load_keeps_what_finished(tmp_path: Path) -> None:
    export, store, began = tmp_path / "r.json", tmp_path / "h.db", tmp_path / "began"
    process = start(
        "run", "-j", "2", "-d", "30s", "--style", "none",
        "--export-json", str(export), "--store", str(store), "--save",
        f"echo >> {began}; sleep {unique('0.01')}",
    )  # fmt: skip
    wait_until(lambda: began.exists() and began.stat().st_size >= 10, "ten runs began")
    took, stderr = interrupt(process, signal.SIGTERM)
    assert process.returncode == 130, stderr
    assert took < STOPPED_WITHIN_S, took
    assert interrupted_result(export)["load"]["errors"] == {}
    assert saved_runs(store) == 0


REAPER = Path(__file__).parent.parent / "support" / "reaper.py"


def killed_leaves(args: list[str], ready: Callable[[psutil.Process], bool]) -> list[Any]:
    """``pbench ARGS`` under the reaper (tests/support/reaper.py), killed with -9 once
    ``ready(its process)``: the processes it left still running 10 s later."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    reaper = subprocess.Popen(
        [sys.executable, str(REAPER), "10", "--", sys.executable, "-m", "pbench", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert reaper.stdout is not None
        pbench = psutil.Process(int(reaper.stdout.readline()))
        wait_until(lambda: ready(pbench), "the load running")
        pbench.kill()
        out, err = reaper.communicate(timeout=60)
    finally:
        reaper.kill()
    report = json.loads(out)
    assert report["status"] == -signal.SIGKILL, err
    survivors: list[Any] = report["survivors"]
    return survivors


def test_kill_9_during_an_http_load_of_worker_processes_leaves_nothing(
    server: HttpTestServer,
) -> None:
    server.reset_counts()
    args = ["http", "--workers", "2", "-c", "2", "-d", "60s", "--style", "none",
            f"{server.base_url}/slow?ms=1"]  # fmt: skip
    assert killed_leaves(args, lambda _: server.hits["/slow"] >= 50) == []


def test_kill_9_during_a_command_load_leaves_nothing() -> None:
    token = unique("30.0")

    def both_copies(pbench: psutil.Process) -> bool:
        try:
            children = pbench.children(recursive=True)
        except psutil.NoSuchProcess:
            return False
        found = 0
        for child in children:
            with contextlib.suppress(psutil.Error):
                found += token in " ".join(child.cmdline())
        return found >= 2

    args = ["run", "-j", "2", "-d", "60s", "--style", "none", f"sleep {token}"]
    assert killed_leaves(args, both_copies) == []
