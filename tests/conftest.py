"""Fixtures for the SQL tests: one real PostgreSQL server per test session.

The server is started by :mod:`support.postgres` (initdb + pg_ctl into a temporary
folder, on 127.0.0.1 and a Unix socket; as the unprivileged user ``pbench-pg`` when
we are root) and stopped and removed at the end. When PostgreSQL is missing the
tests FAIL with the way to install it: they must run in CI, not be skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.postgres import PostgresServer, PostgresUnavailable

ROWS = 20_000


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    try:
        server = PostgresServer.start()
    except PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL is required for tests/sql: {exc}", pytrace=False)
    try:
        import psycopg

        with psycopg.connect(server.dsn(), autocommit=True) as conn:
            conn.execute("CREATE TABLE kv (id integer PRIMARY KEY, v text NOT NULL)")
            conn.execute(
                "INSERT INTO kv SELECT g, md5(g::text) FROM generate_series(1, %s) g", (ROWS,)
            )
            conn.execute("ANALYZE kv")
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_dsn(pg_server: PostgresServer) -> str:
    return pg_server.dsn()


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    """An SQLite file with a table kv(id, v) of 2,000 rows."""
    import sqlite3

    path = tmp_path / "bench.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE kv (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    conn.executemany("INSERT INTO kv VALUES (?, ?)", ((i, f"value-{i}") for i in range(1, 2001)))
    conn.commit()
    conn.close()
    return path
