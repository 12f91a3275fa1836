"""``pbench sql`` end to end: exit codes, stdout and stderr apart, exports, redaction."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pgserver import TEST_PASSWORD, PostgresServer
from support.cli import run_pbench, sql_json

SRC = str(Path(__file__).resolve().parents[2] / "src")


def pbench(
    *args: str, cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """The real program in a subprocess, as a user would run it."""
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-m", "pbench", "sql", "--style", "basic", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


def test_sqlite_file_with_parameters_and_expect_rows(
    sqlite_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, data, out, err = sql_json(
        tmp_path,
        "--db",
        f"sqlite:///{sqlite_file}",
        "-r",
        "5",
        "-w",
        "1",
        "-n",
        "point {id}",
        "-L",
        "id",
        "1,2000",
        "--expect-rows",
        "1",
        "SELECT v FROM kv WHERE id = {id}",
    )
    assert status == 0, err
    names = [r["name"] for r in data["results"]]
    assert names == ["point 1", "point 2000"]
    first = data["results"][0]
    assert first["parameters"] == {"id": "1"}
    assert first["command"] == "point 1"  # hyperfine: the name, when one is given
    assert len(first["times"]) == 5 and first["warmups"] == 1
    assert first["info"]["db"] == f"sqlite:///{sqlite_file}"
    assert first["info"]["query"] == "SELECT v FROM kv WHERE id = {id}"
    assert first["info"]["bind_parameters"] == ["id"]
    assert first["info"]["execution"] == "simple"
    assert first["info"]["transaction"] == "autocommit"
    assert first["info"]["connection"] == "reused (untimed)"
    assert first["sql"]["rows_per_query"] == 1
    assert first["sql"]["bytes_per_query"] == len("value-1")
    loops = first["sql"]["loops"]
    assert isinstance(loops, int) and loops > 1  # a point query in SQLite is batched
    assert all(m["loops"] == loops for m in first["measurements"])
    assert "Per query:           1 rows, 7 B, timed in batches of" in out


def test_files_setup_teardown_and_prepare(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "setup.sql").write_text("CREATE TABLE t(x INTEGER);\nINSERT INTO t VALUES (1);\n")
    (tmp_path / "count.sql").write_text("SELECT count(*) FROM t")
    db = tmp_path / "new.db"
    status, data, _, err = sql_json(
        tmp_path,
        "--db",
        f"sqlite:///{db}",
        "-r",
        "4",
        "--setup-sql",
        f"@{tmp_path / 'setup.sql'}",
        "--prepare-sql",
        "INSERT INTO t VALUES (2)",
        "--teardown-sql",
        "INSERT INTO t VALUES (3)",
        "--expect-rows",
        "1",
        "--transaction",
        f"@{tmp_path / 'count.sql'}",
    )
    assert status == 0, err
    result = data["results"][0]
    assert result["command"] == "SELECT count(*) FROM t"
    assert result["info"]["transaction"] == "per-run"
    assert [m["loops"] for m in result["measurements"]] == [1, 1, 1, 1]  # prepare → no batches
    conn = __import__("sqlite3").connect(db)
    # setup's row, four prepares, the teardown's row
    assert conn.execute("SELECT count(*), sum(x = 2) FROM t").fetchone() == (6, 4)
    conn.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--db", "mysql://u:hunter2@h/d", "SELECT 1"], "unsupported scheme 'mysql://'"),
        (["--db", "sqlite:///missing/nope.db", "SELECT 1"], "does not exist"),
        (["--prepare-sql", "SELECT 1", "--loops", "5", "SELECT 1"], "--loops 5 cannot batch"),
        (["-c", "2", "--prepare-sql", "SELECT 1", "SELECT 1"], "--prepare-sql cannot be combined"),
        (["@/no/such/file.sql"], "cannot read '/no/such/file.sql'"),
        (["-c", "2", "-r", "10", "SELECT 1"], "cannot share an in-memory SQLite database"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    done = pbench(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "hint:" in done.stderr
    assert "Traceback" not in done.stderr
    assert "hunter2" not in done.stderr + done.stdout


def test_query_error_exits_1_with_one_message(sqlite_file: Path) -> None:
    done = pbench("--db", f"sqlite:///{sqlite_file}", "-r", "3", "SELECT * FROM nope")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines == [
        "pbench: error: 'SELECT * FROM nope' failed in run 1: query failed: no such table: nope",
        "  hint: check the query, and that --setup-sql creates what it needs",
    ]


def test_missing_psycopg_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg → ImportError
    result = run_pbench("sql", "--db", "postgresql://127.0.0.1:1/x", "SELECT 1")
    status, err = result.code, result.err
    assert status == 2
    assert "psycopg 3, which is not installed" in err
    assert "pip install 'pbench[postgres]'" in err


# -- PostgreSQL ------------------------------------------------------------------------


def test_postgres_choices_are_recorded_and_password_never_shown(
    pg_dsn: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, data, out, err = sql_json(
        tmp_path,
        "--db",
        pg_dsn,
        "-r",
        "6",
        "--prepared",
        "--transaction",
        "--connect-each",
        "--timeout",
        "5s",
        "-P",
        "id",
        "1",
        "2",
        "--export-csv",
        str(tmp_path / "out.csv"),
        "--export-markdown",
        str(tmp_path / "out.md"),
        "SELECT id, v FROM kv WHERE id = {id}",
    )
    assert status == 0, err
    info = data["results"][0]["info"]
    assert info["backend"] == "postgresql"
    assert info["execution"] == "prepared"
    assert info["transaction"] == "per-run"
    assert info["connection"] == "per-run (timed)"
    assert info["timeout_s"] == 5.0
    assert info["loops"] == 1
    assert info["db"].startswith("postgresql://pbench:***@127.0.0.1:")
    assert data["results"][1]["sql"]["bytes_per_query"] == 1 + 32
    everything = out + err + "".join(p.read_text() for p in tmp_path.iterdir() if p.is_file())
    assert TEST_PASSWORD not in everything
    assert "s3cret" not in everything


def test_postgres_wrong_password_exits_1_without_showing_it(pg_server: PostgresServer) -> None:
    done = pbench("--db", pg_server.dsn(password="Wrong-Pw-123"), "-r", "2", "SELECT 1")
    assert done.returncode == 1
    assert "password authentication failed" in done.stderr
    assert "Wrong-Pw-123" not in done.stderr + done.stdout
    assert "postgresql://pbench:***@" in done.stderr
    assert "Traceback" not in done.stderr


def test_postgres_timeout_exits_1_and_cancels_on_the_server(pg_dsn: str) -> None:
    done = pbench("--db", pg_dsn, "-r", "3", "--timeout", "300ms", "SELECT pg_sleep(20)")
    assert done.returncode == 1
    assert (
        "failed in run 1: the query exceeded --timeout 0.3s (cancelled on the server)"
        in done.stderr
    )
    assert "raise --timeout" in done.stderr
    with psycopg.connect(pg_dsn) as conn:
        active = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(20)%' "
            "AND state = 'active'"
        ).fetchone()
    assert active == (0,)


def test_postgres_syntax_error(pg_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_pbench("sql", "--db", pg_dsn, "-r", "2", "SELEC v FROM kv")
    status, err = result.code, result.err
    assert status == 1
    assert 'query failed: syntax error at or near "SELEC" (SQLSTATE 42601)' in err
    assert TEST_PASSWORD not in err


def test_postgres_load_closed_and_open_loop(
    pg_dsn: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, data, out, err = sql_json(
        tmp_path,
        "--db",
        pg_dsn,
        "-c",
        "4",
        "-r",
        "400",
        "-w",
        "8",
        "--prepared",
        "SELECT v FROM kv WHERE id = 5",
    )
    assert status == 0, err
    load = data["results"][0]["load"]
    assert load["model"] == "closed" and load["concurrency"] == 4
    assert load["requests"] == 400 and load["errors"] == {}
    assert load["latency"]["p99"] >= load["latency"]["p50"] > 0
    assert data["results"][0]["sql"]["bytes_per_query"] == 32
    assert data["results"][0]["info"]["clients"] == 4
    assert "Load:" in out and "Latency (ms):" in out

    status, data, _, err = sql_json(
        tmp_path,
        "--db",
        pg_dsn,
        "-c",
        "2",
        "--rate",
        "400",
        "-d",
        "0.5s",
        "SELECT v FROM kv WHERE id = 6",
    )
    assert status == 0, err
    load = data["results"][0]["load"]
    assert load["model"] == "open" and load["target_rate"] == 400
    assert 150 <= load["requests"] <= 200  # 0.5 s at 400/s, nothing skipped


def test_postgres_load_errors_by_kind_exit_1(
    pg_dsn: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, data, _, err = sql_json(
        tmp_path,
        "--db",
        pg_dsn,
        "-c",
        "2",
        "-r",
        "6",
        "--timeout",
        "100ms",
        "SELECT pg_sleep(1)",
    )
    assert status == 1
    assert data["results"][0]["load"]["errors"] == {"timeout": 6}
    assert "6 of 6 queries to 'SELECT pg_sleep(1)' failed (timeout: 6)" in err


def test_indexed_lookup_beats_a_full_scan(
    pg_dsn: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS people")
        conn.execute(
            "CREATE TABLE people AS SELECT g AS id, g AS code, md5(g::text) AS name "
            "FROM generate_series(1, 20000) g"
        )
        conn.execute("CREATE INDEX people_id ON people (id)")  # code stays unindexed
        conn.execute("ANALYZE people")
    status, data, out, err = sql_json(
        tmp_path,
        "--db",
        pg_dsn,
        "-r",
        "100",
        "-w",
        "2",
        "--prepared",
        "--seed",
        "7",
        "-n",
        "indexed",
        "-n",
        "unindexed",
        "--reference",
        "indexed",
        "--expect-rows",
        "1",
        "SELECT name FROM people WHERE id = 7777",
        "SELECT name FROM people WHERE code = 7777",
    )
    assert status == 0, err
    (comparison,) = data["comparisons"]
    assert comparison["name"] == "unindexed" and comparison["reference"] == "indexed"
    assert comparison["verdict"] == "slower", comparison
    assert comparison["ratio_median"] > 3
    assert "'indexed' ran" in out


@pytest.fixture
def doomed_server() -> Any:
    """A server of its own, for the test that kills it."""
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()


def test_server_going_away_mid_run(doomed_server: PostgresServer) -> None:
    env = dict(os.environ, PYTHONPATH=SRC)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pbench",
            "sql",
            "--style",
            "basic",
            "--db",
            doomed_server.dsn(),
            "-r",
            "100000",
            "SELECT pg_sleep(0.002)",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        # wait until the benchmark is running on the server, then kill the server
        with psycopg.connect(doomed_server.dsn(), autocommit=True) as conn:
            for _ in range(200):
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pbench'"
                ).fetchone()
                if row and row[0]:
                    break
                __import__("time").sleep(0.05)
        doomed_server.kill()
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 1, err
    assert "lost the connection to the server" in err
    assert "is the server still running?" in err
    assert "Traceback" not in err
    assert TEST_PASSWORD not in out + err


def test_ctrl_c_cancels_the_running_query_on_the_server(pg_dsn: str, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=SRC)
    out_json = tmp_path / "partial.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pbench",
            "sql",
            "--style",
            "basic",
            "--db",
            pg_dsn,
            "-r",
            "3",
            "--export-json",
            str(out_json),
            "SELECT pg_sleep(30) AS ctrl_c_test",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%AS ctrl_c_test' "
        "AND state = 'active' AND pid <> pg_backend_pid()"
    )
    try:
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            for _ in range(200):
                if conn.execute(query).fetchone() == (1,):
                    break
                time.sleep(0.05)
            started = time.monotonic()
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=20)
            waited = time.monotonic() - started
            assert conn.execute(query).fetchone() == (0,)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert waited < 10  # not the 30 s of the query
    assert "interrupted" in err and "Traceback" not in err
