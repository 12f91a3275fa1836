"""The PostgreSQL target against a real server started by the fixtures."""

from __future__ import annotations

import time

import psycopg
import pytest

from pbench.errors import BenchmarkFailed, HookFailed
from pbench.targets.sql.base import SqlOptions, SqlQuery
from pbench.targets.sql.dsn import parse_dsn
from pbench.targets.sql.target import SqlScript, SqlTarget, make_target
from pgserver import TEST_PASSWORD, PostgresServer, free_port


def target_for(
    dsn: str, query: str, params: dict[str, str] | None = None, **options: object
) -> SqlTarget:
    return make_target(parse_dsn(dsn), SqlQuery(query, params or {}), SqlOptions(**options))  # type: ignore[arg-type]


def run(target: SqlTarget, times: int = 1) -> list:  # type: ignore[type-arg]
    target.open()
    try:
        return [target.execute(i) for i in range(times)]
    finally:
        target.close()


def prepared_statements(target: SqlTarget) -> int:
    conn = target.session._link.conn  # type: ignore[attr-defined]
    row = conn.execute("SELECT count(*) FROM pg_prepared_statements", prepare=False).fetchone()
    return int(row[0])


def test_point_query_rows_and_wire_bytes(pg_dsn: str) -> None:
    (outcome,) = run(target_for(pg_dsn, "SELECT id, v FROM kv WHERE id IN (1, 22)"))
    assert not outcome.failed, outcome.error
    assert outcome.loops == 1  # PostgreSQL is not batched unless asked
    assert outcome.metrics["rows"] == 2
    # ids "1" and "22" as text (1 + 2 bytes), two md5 hex digests (32 bytes each)
    assert outcome.metrics["bytes"] == 3 + 64


@pytest.mark.parametrize(("prepared", "expected"), [(True, 1), (False, 0)])
def test_execution_mode_is_pinned(pg_dsn: str, prepared: bool, expected: int) -> None:
    # psycopg would start preparing after 5 executions by default; the mode must not
    # change partway through: prepared from the first run, or never.
    target = target_for(pg_dsn, "SELECT v FROM kv WHERE id = {id}", {"id": "42"}, prepared=prepared)
    target.open()
    try:
        target.execute(0)
        assert prepared_statements(target) == expected
        for i in range(1, 12):
            assert not target.execute(i).failed
        assert prepared_statements(target) == expected
    finally:
        target.close()


def test_parameters_are_bind_values(pg_dsn: str) -> None:
    query = "SELECT '100%', v FROM kv WHERE id = {id} AND {name}::text = 'o''k; --'"
    target = target_for(pg_dsn, query, {"id": "7", "name": "o'k; --"}, expect_rows=1)
    (outcome,) = run(target)
    assert not outcome.failed, outcome.error


def test_transaction_per_run_versus_autocommit(pg_dsn: str) -> None:
    # Inside BEGIN ... COMMIT, now() is the transaction's start, before the statement's.
    query = "SELECT 1 WHERE now() <> statement_timestamp()"
    (inside,) = run(target_for(pg_dsn, query, transaction=True, expect_rows=1))
    (alone,) = run(target_for(pg_dsn, query, expect_rows=0))
    assert not inside.failed, inside.error
    assert not alone.failed, alone.error


def test_connect_each_opens_a_connection_per_run(pg_server: PostgresServer, pg_dsn: str) -> None:
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS pids (pid int)")
        conn.execute("TRUNCATE pids")
    target = target_for(
        pg_dsn, "INSERT INTO pids SELECT pg_backend_pid() RETURNING pid", connect_each=True, loops=3
    )
    (outcome,) = run(target)
    assert not outcome.failed, outcome.error
    assert outcome.loops == 3 and outcome.metrics["rows"] == 1
    with psycopg.connect(pg_dsn) as conn:
        row = conn.execute("SELECT count(DISTINCT pid) FROM pids").fetchone()
    assert row == (3,)


def test_hooks_share_the_session_and_are_not_limited_by_timeout(pg_dsn: str) -> None:
    target = target_for(pg_dsn, "SELECT x FROM tmp_t", timeout_s=0.5, expect_rows=2)
    target.open()
    try:
        SqlScript(target, "SELECT pg_sleep(0.7); CREATE TEMP TABLE tmp_t(x int)", "--setup-sql")()
        SqlScript(target, "INSERT INTO tmp_t VALUES (1), (2)", "--prepare-sql")(0)
        outcome = target.execute(0)
        with pytest.raises(
            HookFailed,
            match=r'^--teardown-sql failed: table "nope" does not exist \(SQLSTATE 42P01\)$',
        ):
            SqlScript(target, "DROP TABLE nope", "--teardown-sql")()
    finally:
        target.close()
    assert not outcome.failed, outcome.error


def active_pbench_queries(dsn: str) -> list[tuple[str]]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "SELECT query FROM pg_stat_activity WHERE application_name = 'pbench' "
            "AND state = 'active' AND pid <> pg_backend_pid()"
        ).fetchall()


def test_timeout_cancels_the_query_on_the_server(pg_dsn: str) -> None:
    target = target_for(pg_dsn, "SELECT pg_sleep(30)", timeout_s=0.3)
    target.open()
    started = time.monotonic()
    try:
        outcome = target.execute(0)
        # right after the failure, before closing: nothing is running on the server
        assert active_pbench_queries(pg_dsn) == []
    finally:
        target.close()
    assert time.monotonic() - started < 20
    assert outcome.timed_out
    assert outcome.error == "the query exceeded --timeout 0.3s (cancelled on the server)"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "SELECT * FROM missing_table",
            'query failed: relation "missing_table" does not exist (SQLSTATE 42P01)',
        ),
        ("SELEC 1", 'query failed: syntax error at or near "SELEC" (SQLSTATE 42601)'),
    ],
)
def test_query_errors_are_one_line(pg_dsn: str, query: str, message: str) -> None:
    (outcome, again) = run(target_for(pg_dsn, query), times=2)
    assert outcome.failed and not outcome.timed_out
    assert outcome.error == message
    assert again.error == message  # the connection stays usable


def test_wrong_password_is_refused_without_showing_it(pg_server: PostgresServer) -> None:
    wrong = "Wr0ng-pass-XYZ"
    target = target_for(pg_server.dsn(password=wrong), "SELECT 1")
    with pytest.raises(BenchmarkFailed) as info:
        target.open()
    text = info.value.render()
    assert 'password authentication failed for user "pbench"' in text
    assert "postgresql://pbench:***@127.0.0.1" in text
    assert wrong not in text and TEST_PASSWORD not in text
    assert "check the user name and password" in (info.value.hint or "")


def test_refused_connection(pg_server: PostgresServer) -> None:
    port = free_port()  # nothing listens there
    dsn = f"postgresql://pbench:{TEST_PASSWORD}@127.0.0.1:{port}/pbench"
    with pytest.raises(BenchmarkFailed) as info:
        target_for(dsn, "SELECT 1").open()
    text = info.value.render()
    assert "Connection refused" in text and f"127.0.0.1:{port}" in text
    assert "is PostgreSQL running" in text
    assert TEST_PASSWORD not in text


def test_missing_database(pg_server: PostgresServer) -> None:
    dsn = pg_server.dsn().rsplit("/", 1)[0] + "/nodb"
    with pytest.raises(BenchmarkFailed, match='database "nodb" does not exist') as info:
        target_for(dsn, "SELECT 1").open()
    assert TEST_PASSWORD not in info.value.render()


def test_connection_killed_mid_run(pg_dsn: str) -> None:
    target = target_for(pg_dsn, "SELECT 1")
    target.open()
    try:
        assert not target.execute(0).failed
        with psycopg.connect(pg_dsn, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'pbench' AND pid <> pg_backend_pid()"
            )
        outcome = target.execute(1)
    finally:
        target.close()
    assert outcome.failed
    assert outcome.error is not None and outcome.error.startswith(
        "lost the connection to the server: "
    )
    assert TEST_PASSWORD not in outcome.error


def test_load_clients_have_their_own_connections(pg_dsn: str) -> None:
    target = target_for(pg_dsn, "SELECT pg_backend_pid()")
    target.open()
    clients = [target.client() for _ in range(3)]
    try:
        outcomes = [client.run_once() for client in clients]
        pids = {client.session._link.last_result.get_value(0, 0) for client in clients}  # type: ignore[attr-defined]
    finally:
        for client in clients:
            client.close()
        target.close()
    assert all(not o.failed for o in outcomes)
    assert len(pids) == 3
