"""An export to stdout ('-') owns stdout: the report goes to stderr, for every subcommand
(a command run, and with file exports beside it: tests/session/test_publish.py)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.cli import Invoke
from support.httpserver import HttpTestServer, start_server


@pytest.fixture(scope="module")
def server() -> Iterator[HttpTestServer]:
    srv = start_server()
    yield srv
    srv.stop()


def test_http(invoke: Invoke, server: HttpTestServer) -> None:
    result = invoke("http", "-r", "20", "-c", "1", "--style", "full", "--export-json", "-",
                    server.base_url + "/fast", server.base_url + "/slow?ms=2")  # fmt: skip
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert len(data["results"]) == 2 and len(data["results"][0]["times"]) == 20
    assert "Benchmark 1:" in result.err and "Loading" in result.err


def test_sql(invoke: Invoke) -> None:
    result = invoke("sql", "-r", "5", "--style", "basic", "--export-json", "-",
                    "SELECT 1", "SELECT 2")  # fmt: skip
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert [len(r["times"]) for r in data["results"]] == [5, 5]
    assert "Benchmark 1: SELECT 1" in result.err


def test_sql_load_run(invoke: Invoke, tmp_path: Path) -> None:
    db_file = tmp_path / "load.db"
    sqlite3.connect(db_file).close()
    db = f"sqlite:///{db_file}"
    result = invoke("sql", "--db", db, "-c", "2", "-r", "50", "--style", "basic",
                    "--export-csv", "-", "SELECT 1")  # fmt: skip
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [row["command"] for row in rows] == ["SELECT 1"]
    assert "Benchmark 1: SELECT 1" in result.err


def test_an_export_to_dev_stdout_also_sends_the_report_to_stderr(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run(
        [sys.executable, "-m", "pbench", "--runs", "3", "--style", "basic",
         "--export-json", "/dev/stdout", "true"],
        capture_output=True, text=True, env=env, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"][0]["command"] == "true"
    assert "Benchmark 1: true" in done.stderr
