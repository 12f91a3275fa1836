"""SQL queries as targets: the choices, the batching, the hooks, the factory.

One execution is one query sent and every row of its result fetched. The database
work itself lives in two sessions with the same shape (:class:`SqlSession`):
:mod:`pbench.targets.sql_sqlite` (the standard library) and
:mod:`pbench.targets.sql_postgres` (psycopg 3, imported only when used).

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

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from pbench.dsn import Dsn, PostgresDsn, SqliteDsn
from pbench.errors import HookFailed, UsageError
from pbench.models import Outcome

BATCH_NS = 1_000_000  # a calibrated batch lasts at least 1 ms
MAX_LOOPS = 1 << 20
ErrorKind = Literal["timeout", "connection", "query", "rows"]
Clock = Callable[[], int]


@dataclass(frozen=True, slots=True)
class SqlOptions:
    """How a query is executed; every field is recorded in the JSON export."""

    connect_each: bool = False
    prepared: bool = False
    transaction: bool = False
    expect_rows: int | None = None
    timeout_s: float | None = None
    loops: int | None = None  # None: calibrate (SQLite) or 1 (PostgreSQL)

    def describe(self) -> dict[str, object]:
        return {
            "connection": "per-run (timed)" if self.connect_each else "reused (untimed)",
            "execution": "prepared" if self.prepared else "simple",
            "transaction": "per-run" if self.transaction else "autocommit",
            "expect_rows": self.expect_rows,
            "timeout_s": self.timeout_s,
            "loops": "auto" if self.loops is None else self.loops,
        }


@dataclass(frozen=True, slots=True)
class SqlQuery:
    """The statement to time and its bind values (``{name}`` marks a parameter)."""

    text: str
    params: Mapping[str, str] = field(default_factory=dict)


HINTS = {
    "timeout": "raise --timeout, or look at the plan with EXPLAIN ANALYZE",
    "connection": "the connection to the database was lost; is the server still running?",
    "query": "check the query, and that --setup-sql creates what it needs",
    "rows": "check --expect-rows against what the query returns",
}


class QueryFailed(Exception):
    """A query that did not complete; ``kind`` groups errors in load results."""

    def __init__(self, kind: ErrorKind, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.detail = detail or message  # without the "query failed: " framing


@dataclass(frozen=True, slots=True)
class Batch:
    """What a session measured: ``loops`` queries in ``elapsed_ns``."""

    elapsed_ns: int
    rows: int  # summed over the loops
    nbytes: int  # of the last result


class SqlSession(Protocol):
    """One database connection (or a connection per run) for one query."""

    def open(self) -> None: ...

    def run(self, loops: int) -> Batch: ...

    def run_script(self, sql: str) -> None: ...

    def client(self, shared: object | None = None) -> SqlSession: ...

    def close(self) -> None: ...


def read_sql(text: str, what: str) -> str:
    """Inline SQL, or the contents of ``@file.sql``."""
    if not text.startswith("@"):
        return text
    path = Path(text[1:])
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise UsageError(
            f"{what}: cannot read {str(path)!r}: {exc.strerror or exc}",
            "give the query inline or as @path/to/file.sql",
        ) from None


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def named_placeholders(text: str, names: frozenset[str]) -> str:
    """``{name}`` → ``:name`` (SQLite's named style), for the given parameter names."""
    return _PLACEHOLDER.sub(lambda m: f":{m[1]}" if m[1] in names else m[0], text)


def number_placeholders(text: str, names: frozenset[str]) -> tuple[str, list[str]]:
    """``{name}`` → ``$1``, ``$2``, ... (libpq's style); returns the names in that order."""
    order: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match[1] not in names:
            return match[0]
        if match[1] not in order:
            order.append(match[1])
        return f"${order.index(match[1]) + 1}"

    return _PLACEHOLDER.sub(number, text), order


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
        from pbench.targets.sql_sqlite import SqliteSession

        session: SqlSession = SqliteSession(dsn, query, options, create_missing, clock)
        return SqlTarget(session, options, calibrate=True, clock=clock)
    assert isinstance(dsn, PostgresDsn)
    from pbench.targets.sql_postgres import PostgresSession, SharedConnection

    together = shared if isinstance(shared, SharedConnection) else None
    session = PostgresSession(dsn, query, options, clock, together)
    return SqlTarget(session, options, calibrate=False, clock=clock)


def _failed(exc: QueryFailed) -> Outcome:
    return Outcome(
        exit_code=None, timed_out=exc.kind == "timeout", error=exc.message, hint=HINTS[exc.kind]
    )
