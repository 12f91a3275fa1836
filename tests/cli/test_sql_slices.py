"""Comparisons of queries that hold up: one shared connection, slices as the unit."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from support.cli import sql_json


def test_interleaved_postgres_queries_take_turns_on_one_connection(
    pg_dsn: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS seen (pid int, q text)")
        conn.execute("TRUNCATE seen")
    status, data, out, err = sql_json(
        tmp_path, "--db", pg_dsn, "-r", "40", "-n", "a", "-n", "b",
        "INSERT INTO seen SELECT pg_backend_pid(), 'a'",
        "INSERT INTO seen SELECT pg_backend_pid(), 'b'",
    )  # fmt: skip
    assert status == 0, err
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT q, count(*), count(DISTINCT pid) FROM seen GROUP BY q"
        ).fetchall()
        pids = conn.execute("SELECT count(DISTINCT pid) FROM seen").fetchone()
    assert sorted(rows) == [("a", 40, 1), ("b", 40, 1)]
    assert pids == (1,)
    # 40 runs in slices of at most 40 / 20 = 2 runs: 20 slices each, counted as such.
    a = data["results"][0]
    rounds = [m["round"] for m in a["measurements"]]
    assert len(set(rounds)) == 20 and len(rounds) == 40
    (comparison,) = data["comparisons"]
    assert comparison["n_reference"] == comparison["n_candidate"] == 20
    assert comparison["unit"] == "slices"
    assert "20 vs 20 slices" in out


def test_sequential_postgres_queries_keep_their_own_connections(
    pg_dsn: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS seen2 (pid int)")
        conn.execute("TRUNCATE seen2")
    status, _, _, err = sql_json(
        tmp_path, "--db", pg_dsn, "-r", "5", "--order", "sequential",
        "INSERT INTO seen2 SELECT pg_backend_pid() -- a",
        "INSERT INTO seen2 SELECT pg_backend_pid() -- b",
    )  # fmt: skip
    assert status == 0, err
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        assert conn.execute("SELECT count(DISTINCT pid) FROM seen2").fetchone() == (2,)


def test_different_setups_switch_to_sequential_order_and_say_so(
    pg_dsn: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, data, _, err = sql_json(
        tmp_path, "--db", pg_dsn, "-r", "6",
        "--setup-sql", "SET enable_seqscan = off", "--setup-sql", "SET enable_seqscan = on",
        "-n", "idx", "-n", "seq", "SELECT v FROM kv WHERE id = 5", "SELECT v FROM kv WHERE id = 6",
    )  # fmt: skip
    assert status == 0, err
    assert err.count("--order sequential") == 1
    a, b = data["results"]
    assert max(m["round"] for m in a["measurements"]) < min(m["round"] for m in b["measurements"])


def test_sql_load_interleaves_queries_in_slices_over_one_pool(
    sqlite_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, data, _, err = sql_json(
        tmp_path, "--db", f"sqlite:///{sqlite_file}", "-c", "2", "-d", "600ms",
        "--slice", "50ms", "--seed", "3",
        "SELECT v FROM kv WHERE id = 5", "SELECT count(*) FROM kv",
    )  # fmt: skip
    assert status == 0, err
    a, b = data["results"]
    for result in (a, b):
        assert result["load"]["slices"]["count"] >= 8
        assert result["sql"]["queries"] == result["load"]["requests"] > 0
        assert result["load"]["elapsed_s"] == pytest.approx(0.6, rel=0.2)
    assert {m["position"] for m in a["measurements"]} == {0, 1}
    (comparison,) = data["comparisons"]
    assert comparison["unit"] == "slices"


def test_an_open_loop_on_one_in_memory_sqlite_client_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, data, _, err = sql_json(tmp_path, "--rate", "500", "-d", "400ms", "SELECT 1")
    assert status == 0, err
    load = data["results"][0]["load"]
    assert load["model"] == "open" and load["requests"] == pytest.approx(200, abs=20)
