"""SQL queries as targets: the choices, the batching, the hooks, the factory.

One execution is one query sent and every row of its result fetched. The database
work itself lives in two sessions with the same shape (:class:`SqlSession`):
:mod:`pbench.targets.sql.sqlite` (the standard library) and
:mod:`pbench.targets.sql.postgres` (psycopg 3, imported only when used).

Timing: the session reads the clock right around the query (plus the connection when
``connect_each``), and the target reports it as ``Outcome.elapsed_ns``; counting
bytes and checking ``--expect-rows`` happen outside that window.

Batching (pyperf's "loops"): an SQLite query in memory takes about a microsecond,
the same order as the runner's own work around a call. Unless ``loops`` is fixed, the
first SQLite execution calibrates: it runs the query 1, 2, 4, ... times in a row
until one batch takes at least :data:`BATCH_NS`, then every execution runs that many
queries and returns ``Outcome(loops=N)``; the runner divides by N. PostgreSQL is not
batched unless asked: a network round trip costs tens of microseconds, and the
latency of each single query is what users look at there.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from pbench.errors import HookFailed, UsageError
from pbench.models import BenchmarkResult, Outcome
from pbench.targets.sql.base import (
    BATCH_NS,
    HINTS,
    MAX_LOOPS,
    Batch,
    Clock,
    QueryFailed,
    SqlOptions,
    SqlQuery,
    SqlSession,
)
from pbench.targets.sql.dsn import Dsn, PostgresDsn, SqliteDsn


class SqlTarget:
    """A :class:`pbench.models.Target` timing one query through a session."""

    def __init__(
        self, session: SqlSession, options: SqlOptions, *, calibrate: bool, clock: Clock
    ) -> None:
        self.session = session
        self.options = options
        self.loops: int | None = (
            options.loops if options.loops is not None else (None if calibrate else 1)
        )
        self._clock = clock

    def open(self) -> None:
        self.session.open()

    def close(self) -> None:
        self.session.close()

    def run_script(self, sql: str) -> None:
        self.session.run_script(sql)

    def execute(self, iteration: int) -> Outcome:
        try:
            loops = self.loops if self.loops is not None else self._calibrate()
            batch = self.session.run(loops)
        except QueryFailed as exc:
            return _failed(exc)
        return self._outcome(batch, loops)

    def run_once(self) -> Outcome:
        """One query (the load driver's :class:`BlockingClient` call)."""
        try:
            batch = self.session.run(1)
        except QueryFailed as exc:
            return _failed(exc)
        return self._outcome(batch, 1)

    def client(self, shared: object | None = None) -> SqlTarget:
        """A new target on its own connection, for one load thread (loops = 1);
        PostgreSQL sessions given the same ``shared`` connection take turns on it."""
        session = self.session.client(shared)
        session.open()
        target = SqlTarget(session, self.options, calibrate=False, clock=self._clock)
        target.loops = 1
        return target

    def _outcome(self, batch: Batch, loops: int) -> Outcome:
        expected = self.options.expect_rows
        if expected is not None and batch.rows != expected * loops:
            got = batch.rows / loops
            shown = f"{got:.0f}" if got == int(got) else f"{got:.2f} on average"
            return Outcome(
                exit_code=None,
                error=f"the query returned {shown} rows, --expect-rows {expected}",
                hint=HINTS["rows"],
                elapsed_ns=batch.elapsed_ns,
                loops=loops,
            )
        return Outcome(
            elapsed_ns=batch.elapsed_ns,
            loops=loops,
            metrics={"rows": batch.rows / loops, "bytes": float(batch.nbytes)},
        )

    def _calibrate(self) -> int:
        """Grow the batch until it lasts :data:`BATCH_NS` (these runs are not kept).

        Each size is tried twice and the faster counts, so that one interruption of
        the process does not stop the growth early.
        """
        loops = 1
        while loops < MAX_LOOPS:
            fastest = min(self.session.run(loops).elapsed_ns for _ in range(2))
            if fastest >= BATCH_NS:
                break
            loops *= 2
        self.loops = loops
        return loops


@dataclass(frozen=True)
class SqlScript:
    """A :class:`pbench.models.Hook` running SQL on the target's connection."""

    target: SqlTarget
    sql: str
    option: str  # "--setup-sql", "--prepare-sql", "--teardown-sql"

    @property
    def description(self) -> str:
        first = self.sql.strip().splitlines()[0] if self.sql.strip() else ""
        return f"{self.option} {first[:60]}"

    def __call__(self, iteration: int | None = None) -> None:
        try:
            self.target.run_script(self.sql)
        except QueryFailed as exc:
            if exc.kind == "interrupted":  # the hook runs in the thread that was interrupted
                raise KeyboardInterrupt from None
            raise HookFailed(
                f"{self.option} failed: {exc.detail}",
                f"check the SQL given to {self.option}",
            ) from None


def make_target(
    dsn: Dsn,
    query: SqlQuery,
    options: SqlOptions,
    *,
    create_missing: bool = False,
    clock: Clock = time.perf_counter_ns,
    shared: object | None = None,
) -> SqlTarget:
    """A target for ``query`` on ``dsn``; ``create_missing`` lets a setup create the file;
    targets made with the same ``shared`` (a PostgreSQL SharedConnection) share one
    connection."""
    if options.loops is not None and options.loops < 1:
        raise UsageError("--loops must be at least 1", "use --loops 1 to time each query alone")
    if options.timeout_s is not None and options.timeout_s <= 0:
        raise UsageError("--timeout must be positive", "e.g. --timeout 5s")
    if isinstance(dsn, SqliteDsn):
        from pbench.targets.sql.sqlite import SqliteSession

        session: SqlSession = SqliteSession(dsn, query, options, create_missing, clock)
        return SqlTarget(session, options, calibrate=True, clock=clock)
    assert isinstance(dsn, PostgresDsn)
    from pbench.targets.sql.postgres import PostgresSession, SharedConnection

    together = shared if isinstance(shared, SharedConnection) else None
    session = PostgresSession(dsn, query, options, clock, together)
    return SqlTarget(session, options, calibrate=False, clock=clock)


def _failed(exc: QueryFailed) -> Outcome:
    return Outcome(
        exit_code=None,
        timed_out=exc.kind == "timeout",
        error=exc.message,
        hint=HINTS[exc.kind],
        interrupted=exc.kind == "interrupted",
    )


def add_sql_section(result: BenchmarkResult) -> None:
    """Rows and bytes per query, and the batch size, into ``result.sections["sql"]``."""
    good = [m for m in result.measurements if not m.failed]
    rows = [m.metrics["rows"] for m in good if "rows" in m.metrics]
    nbytes = [m.metrics["bytes"] for m in good if "bytes" in m.metrics]
    loops = sorted({m.loops for m in result.measurements})
    result.sections["sql"] = {
        "rows_per_query": sum(rows) / len(rows) if rows else None,
        "bytes_per_query": sum(nbytes) / len(nbytes) if nbytes else None,
        "loops": loops[0] if len(loops) == 1 else loops,
        "queries": sum(m.loops for m in result.measurements),
    }
