"""Stores on both backends: an SQLite file, and a fresh schema of the session's real
PostgreSQL server (``pg_server``) per test, named by a URL with its password."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest

from pbench.history.backends import open_store
from pbench.history.fingerprint import machine_from
from pbench.history.records import Machine, ResultRecord, RunRecord, Samples
from pbench.history.store import Store
from pbench.plan.store import store_address
from pgserver import PostgresServer

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def pg_schema_url(server: PostgresServer) -> str:
    """A URL whose connections work in a new, empty schema of the test database."""
    import psycopg

    schema = f"h_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return server.dsn() + "?options=" + quote(f"-c search_path={schema}", safe="")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "history.db")
    server: PostgresServer = request.getfixturevalue("pg_server")
    return pg_schema_url(server)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_address(store_url)) as opened:
        yield opened


def machine(host: str = "ci-1", kernel: str = "6.1.0") -> Machine:
    metadata = {
        "pbench_version": "0.1.0",
        "os": {"release": kernel},
        "cpu": {"model": "Test CPU", "logical_count": 2},
        "memory": {"total_bytes": 1 << 33},
        "python": {"version": "3.11.7", "implementation": "CPython"},
    }
    return machine_from(metadata, host)


def result(name: str = "parse", median: float = 0.010, n: int = 5) -> ResultRecord:
    times = tuple(median * (1 + 0.01 * (i - n // 2)) for i in range(n))
    return ResultRecord(
        benchmark=name,
        kind="command",
        command=f"./{name} data.csv",
        settings={"info": {"type": "command"}, "parameters": {}},
        n=n,
        unit="runs",
        median=median,
        median_low=median * 0.99,
        median_high=median * 1.01,
        mean=median,
        mean_low=median * 0.98,
        mean_high=median * 1.02,
        stddev=median * 0.01,
        min=min(times),
        max=max(times),
        samples=Samples(times=times, rounds=tuple(range(n)), sections={"process_tree": {"x": 1}}),
        budgets=({"benchmark": name, "metric": "median", "status": "met", "limit": 1.0},),
    )


def record(
    *names: str,
    at: datetime = T0,
    commit: str = "0123456789abcdef0123456789abcdef01234567",
    branch: str | None = "main",
    host: str = "ci-1",
    median: float = 0.010,
) -> RunRecord:
    return RunRecord(
        time=at,
        commit=commit,
        branch=branch,
        dirty=False,
        machine=machine(host),
        results=[result(name, median) for name in names or ("parse",)],
        suite_file="benchmarks.toml",
        suite_tier="quick",
        suite_tags=("db",),
    )


def hours(count: float) -> timedelta:
    return timedelta(hours=count)
