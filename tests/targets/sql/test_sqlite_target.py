"""The SQLite target against real database files and memory."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pbench.errors import HookFailed, UsageError
from pbench.targets.sql.base import (
    BATCH_NS,
    Batch,
    SqlOptions,
    SqlQuery,
    named_placeholders,
    number_placeholders,
    read_sql,
)
from pbench.targets.sql.dsn import SqliteDsn, parse_dsn
from pbench.targets.sql.target import SqlScript, SqlTarget, make_target


def target_for(path: Path | str, query: str, **options: object) -> SqlTarget:
    params = options.pop("params", {})
    dsn = parse_dsn(f"sqlite:///{path}")
    assert isinstance(params, dict)
    return make_target(dsn, SqlQuery(query, params), SqlOptions(**options))  # type: ignore[arg-type]


def test_point_query_fetches_rows_and_counts_bytes(sqlite_file: Path) -> None:
    target = target_for(sqlite_file, "SELECT id, v FROM kv WHERE id <= 3", loops=1)
    target.open()
    try:
        outcome = target.execute(0)
    finally:
        target.close()
    assert not outcome.failed
    assert outcome.loops == 1
    assert outcome.metrics["rows"] == 3
    # three ids (8 bytes each) and "value-1".."value-3" (7 bytes each)
    assert outcome.metrics["bytes"] == 3 * 8 + 3 * 7
    assert outcome.elapsed_ns is not None and outcome.elapsed_ns > 0


def test_fast_query_is_batched() -> None:
    target = make_target(SqliteDsn(":memory:"), SqlQuery("SELECT 1"), SqlOptions())
    target.open()
    try:
        first = target.execute(0)
        second = target.execute(1)
    finally:
        target.close()
    assert first.loops > 1 and second.loops == first.loops == target.loops
    assert first.metrics["rows"] == 1  # per query, not per batch
    assert first.metrics["bytes"] == 8


class SteadySession:
    """A fake session whose queries take exactly 3 µs each."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def open(self) -> None: ...

    def close(self) -> None: ...

    def run(self, loops: int) -> Batch:
        self.calls.append(loops)
        return Batch(elapsed_ns=3_000 * loops, rows=loops, nbytes=8)


def test_calibration_doubles_until_a_batch_lasts_a_millisecond() -> None:
    session = SteadySession()
    target = SqlTarget(session, SqlOptions(), calibrate=True, clock=lambda: 0)  # type: ignore[arg-type]
    outcome = target.execute(0)
    # 256 x 3 µs = 0.77 ms is too short, 512 x 3 µs = 1.5 ms is enough; each size twice
    assert outcome.loops == 512 and 256 * 3_000 < BATCH_NS <= 512 * 3_000
    assert session.calls == [n for k in range(10) for n in (2**k, 2**k)] + [512]
    assert outcome.elapsed_ns == 512 * 3_000
    assert target.execute(1).loops == 512 and session.calls[-1] == 512


def test_postgres_is_not_calibrated_unless_asked() -> None:
    session = SteadySession()
    target = SqlTarget(session, SqlOptions(), calibrate=False, clock=lambda: 0)  # type: ignore[arg-type]
    assert target.execute(0).loops == 1 and session.calls == [1]


def test_fixed_loops_override(sqlite_file: Path) -> None:
    target = target_for(sqlite_file, "SELECT v FROM kv WHERE id = 7", loops=5)
    target.open()
    outcome = target.execute(0)
    target.close()
    assert outcome.loops == 5 and outcome.metrics["rows"] == 1


def test_missing_file_is_a_usage_error_unless_a_setup_creates_it(tmp_path: Path) -> None:
    target = target_for(tmp_path / "missing.db", "SELECT 1")
    with pytest.raises(UsageError, match="does not exist") as info:
        target.open()
    assert "sqlite:////" in (info.value.hint or "")
    assert not (tmp_path / "missing.db").exists()


def test_parameters_are_bound_not_pasted(tmp_path: Path) -> None:
    value = "o'brien; DROP TABLE t"
    target = make_target(
        parse_dsn(f"sqlite:///{tmp_path / 'p.db'}"),
        SqlQuery("SELECT name FROM t WHERE name = {name}", {"name": value}),
        SqlOptions(loops=1, expect_rows=1),
        create_missing=True,
    )
    target.open()
    SqlScript(
        target,
        "CREATE TABLE t(name TEXT); INSERT INTO t VALUES ('o''brien; DROP TABLE t')",
        "--setup-sql",
    )()
    outcome = target.execute(0)
    target.close()
    assert not outcome.failed, outcome.error


def test_placeholder_styles() -> None:
    names = frozenset({"id", "k"})
    text = "SELECT '{x}', {id} % 2, {k}, {id}"
    assert named_placeholders(text, names) == "SELECT '{x}', :id % 2, :k, :id"
    assert number_placeholders(text, names) == ("SELECT '{x}', $1 % 2, $2, $1", ["id", "k"])


def test_expect_rows_mismatch_is_a_clear_failure(sqlite_file: Path) -> None:
    target = target_for(sqlite_file, "SELECT * FROM kv WHERE id < 4", expect_rows=5, loops=1)
    target.open()
    outcome = target.execute(0)
    target.close()
    assert outcome.failed
    assert outcome.error == "the query returned 3 rows, --expect-rows 5"


def test_missing_table_and_syntax_error_fail_the_run(sqlite_file: Path) -> None:
    for query, message in (
        ("SELECT * FROM nope", "query failed: no such table: nope"),
        ("SELEC 1", 'query failed: near "SELEC": syntax error'),
    ):
        target = target_for(sqlite_file, query, loops=1)
        target.open()
        outcome = target.execute(0)
        target.close()
        assert outcome.failed and not outcome.timed_out
        assert outcome.error == message


def test_timeout_interrupts_a_runaway_query() -> None:
    runaway = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
    )
    target = make_target(SqliteDsn(":memory:"), SqlQuery(runaway), SqlOptions(timeout_s=0.2))
    target.open()
    outcome = target.execute(0)
    # the connection stays usable afterwards
    target.run_script("CREATE TABLE ok(x)")
    target.close()
    assert outcome.timed_out
    assert outcome.error == "the query exceeded --timeout 0.2s (interrupted)"


def test_transaction_wraps_each_run(sqlite_file: Path) -> None:
    target = target_for(
        sqlite_file, "INSERT INTO kv(v) VALUES ('x') RETURNING id", transaction=True, loops=3
    )
    target.open()
    outcome = target.execute(0)
    target.close()
    assert not outcome.failed and outcome.metrics["rows"] == 1
    conn = sqlite3.connect(sqlite_file)
    assert conn.execute("SELECT count(*) FROM kv WHERE v = 'x'").fetchone() == (3,)
    conn.close()


def test_connect_each_in_memory_sees_the_setup() -> None:
    target = make_target(
        SqliteDsn(":memory:"),
        SqlQuery("SELECT count(*) FROM t"),
        SqlOptions(connect_each=True, loops=2, expect_rows=1),
    )
    target.open()
    SqlScript(target, "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)", "--setup-sql")()
    outcome = target.execute(0)
    target.close()
    assert not outcome.failed, outcome.error
    assert outcome.loops == 2


def test_prepare_hook_runs_before_each_run_and_failures_name_the_option(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    target = make_target(
        parse_dsn(f"sqlite:///{path}"),
        SqlQuery("SELECT count(*) FROM t"),
        SqlOptions(loops=1),
        create_missing=True,
    )
    target.open()
    SqlScript(target, "CREATE TABLE t(x)", "--setup-sql")()
    prepare = SqlScript(target, "INSERT INTO t VALUES (1)", "--prepare-sql")
    for i in range(3):
        prepare(i)
        assert not target.execute(i).failed
    assert prepare.description == "--prepare-sql INSERT INTO t VALUES (1)"
    with pytest.raises(HookFailed, match=r"^--teardown-sql failed: no such table: nope$"):
        SqlScript(target, "DROP TABLE nope", "--teardown-sql")()
    target.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (3,)
    conn.close()


def test_prepared_keeps_the_statement_cache() -> None:
    # Simple execution compiles the statement every time; prepared reuses it. The
    # difference shows as a lower per-query time for a statement that is costly to
    # compile but cheap to run (a wide SELECT list).
    wide = "SELECT " + ", ".join(f"{i} AS c{i}" for i in range(300))
    times = {}
    for prepared in (False, True):
        target = make_target(
            SqliteDsn(":memory:"), SqlQuery(wide), SqlOptions(prepared=prepared, loops=200)
        )
        target.open()
        best = min(target.execute(i).elapsed_ns or 0 for i in range(5))
        target.close()
        times[prepared] = best
    assert times[True] < times[False]


def test_read_sql_from_file(tmp_path: Path) -> None:
    (tmp_path / "q.sql").write_text("SELECT 42;\n")
    assert read_sql(f"@{tmp_path / 'q.sql'}", "QUERY") == "SELECT 42;"
    assert read_sql("SELECT 1", "QUERY") == "SELECT 1"
    with pytest.raises(UsageError, match="cannot read"):
        read_sql(f"@{tmp_path / 'missing.sql'}", "QUERY")


def test_in_memory_database_cannot_serve_load_clients() -> None:
    target = make_target(SqliteDsn(":memory:"), SqlQuery("SELECT 1"), SqlOptions())
    target.open()
    with pytest.raises(UsageError, match="cannot share an in-memory SQLite database"):
        target.client()
    target.close()


def test_clients_on_a_file_use_their_own_connections(sqlite_file: Path) -> None:
    target = target_for(sqlite_file, "SELECT v FROM kv WHERE id = 1")
    target.open()
    client = target.client()
    outcome = client.run_once()
    client.close()
    target.close()
    assert outcome.loops == 1 and outcome.metrics["rows"] == 1
