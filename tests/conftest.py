"""Fixtures every test folder may use.

- ``invoke``: the one CLI seam (:mod:`support.cli`), ``pbench ARGS`` in-process through
  the real exit-code mapping, stdout and stderr apart.
- ``server``, ``tls_server``: a real HTTP server on 127.0.0.1 (ephemeral port), plain
  and with a self-signed certificate.
- ``pg_server``, ``pg_dsn``, ``sqlite_file``: one real PostgreSQL server per test
  session, and an SQLite file.
- ``hyperfine``, ``valgrind``: the real peer's path, installed when missing (never skipped).

The PostgreSQL server is started by scripts/pgserver.py (initdb + pg_ctl into a
temporary folder, on 127.0.0.1 and a Unix socket; as the unprivileged user ``pbench-pg`` when
we are root) and stopped and removed at the end. When PostgreSQL is missing the
tests FAIL with the way to install it: they must run in CI, not be skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pgserver import PostgresServer, PostgresUnavailable
from support.cli import Invoke, run_pbench
from support.httpserver import HttpTestServer, self_signed_context, start_server
from support.peers import hyperfine_path, valgrind_path

ROWS = 20_000


@pytest.fixture
def invoke() -> Invoke:
    return run_pbench


@pytest.fixture(scope="session")
def hyperfine() -> str:
    """The real hyperfine (installed with apt-get when missing; see support.peers)."""
    return hyperfine_path()


@pytest.fixture(scope="session")
def valgrind() -> str:
    """The real Valgrind (installed with apt-get when missing; see support.peers)."""
    return valgrind_path()


@pytest.fixture(scope="module")
def server() -> Iterator[HttpTestServer]:
    srv = start_server()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpTestServer]:
    """The same server over HTTPS with a self-signed certificate."""
    srv = start_server(self_signed_context(str(tmp_path_factory.mktemp("tls"))))
    yield srv
    srv.stop()


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
