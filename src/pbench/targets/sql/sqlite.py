"""SQLite through the standard library's sqlite3.

- Autocommit (``isolation_level=None``): pbench issues BEGIN/COMMIT itself when each
  run is its own transaction, so nothing implicit happens behind the timing.
- ``--prepared`` keeps sqlite3's statement cache (the query is compiled once); simple
  execution turns the cache off, so every run compiles the statement again.
- An in-memory database with ``--connect-each`` lives in a named shared-cache memory
  database that a control connection keeps alive, so that the setup SQL and every
  per-run connection see the same tables.
- ``--timeout``: a progress handler aborts the statement once the deadline passed.
- Connections may be used from another thread (``check_same_thread=False``): a load
  run's slices put one client thread at a time on each connection.
- Bytes are the sizes of the fetched values: 8 per number, the UTF-8 length of text,
  the length of a blob.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Sequence
from typing import Any

from pbench.errors import BenchmarkFailed, UsageError
from pbench.targets.sql.base import (
    INTERRUPTED,
    Batch,
    Clock,
    QueryFailed,
    SqlOptions,
    SqlQuery,
    named_placeholders,
)
from pbench.targets.sql.cancel import InterruptCanceller, SqliteInterrupt
from pbench.targets.sql.dsn import SqliteDsn

PROGRESS_STEPS = 1000  # virtual-machine instructions between deadline checks


def value_bytes(rows: Sequence[Sequence[Any]]) -> int:
    total = 0
    for row in rows:
        for value in row:
            if isinstance(value, str):
                total += len(value.encode("utf-8", "surrogatepass"))
            elif isinstance(value, bytes):
                total += len(value)
            elif value is not None:
                total += 8
    return total


class SqliteSession:
    """One query on one SQLite database (see the module docstring)."""

    def __init__(
        self,
        dsn: SqliteDsn,
        query: SqlQuery,
        options: SqlOptions,
        create_missing: bool,
        clock: Clock,
    ) -> None:
        self.dsn = dsn
        self.options = options
        self.create_missing = create_missing
        self.clock = clock
        self.sql = named_placeholders(query.text, frozenset(query.params))
        self.params: dict[str, str] = dict(query.params)
        self._shared_memory: str | None = None
        self._conn: sqlite3.Connection | None = None  # hooks, and queries unless connect_each
        self._deadline_ns = 0
        self._canceller: InterruptCanceller | None = None

    # -- connections ---------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        cache = 128 if self.options.prepared else 0
        if self.dsn.in_memory and self._shared_memory is None:
            conn = sqlite3.connect(
                ":memory:", isolation_level=None, cached_statements=cache, check_same_thread=False
            )
        elif self.dsn.in_memory:
            conn = sqlite3.connect(
                self._shared_memory or "",
                isolation_level=None,
                cached_statements=cache,
                uri=True,
                check_same_thread=False,
            )
        else:
            conn = sqlite3.connect(
                self.dsn.path,
                isolation_level=None,
                cached_statements=cache,
                check_same_thread=False,
            )
        if self.options.timeout_s is not None:
            conn.set_progress_handler(self._past_deadline, PROGRESS_STEPS)
        return conn

    def _past_deadline(self) -> int:
        return 1 if self.clock() > self._deadline_ns else 0

    def open(self) -> None:
        path = self.dsn.path
        if not self.dsn.in_memory and not os.path.exists(path) and not self.create_missing:
            raise UsageError(
                f"--db: SQLite database {path!r} does not exist",
                "sqlite:/// takes a path relative to the working folder, sqlite://// an "
                "absolute one; or create it with --setup-sql",
            )
        if self.dsn.in_memory and self.options.connect_each and self._shared_memory is None:
            self._shared_memory = f"file:pbench-{uuid.uuid4().hex}?mode=memory&cache=shared"
        try:
            self._conn = self._connect()
        except sqlite3.Error as exc:
            raise BenchmarkFailed(
                f"cannot open SQLite database {path!r}: {exc}",
                "check the path in --db and its permissions",
            ) from None
        # Ctrl-C or SIGTERM interrupts a long statement (a setup SQL, a slow query):
        # Python runs its handlers only once the statement returns.
        self._canceller = InterruptCanceller.acquire()
        if self._canceller is not None:
            self._canceller.watch(self, SqliteInterrupt(lambda: self._conn))

    def client(self, shared: object | None = None) -> SqliteSession:
        """A session on its own connection (for another thread); same database.
        (``shared`` is PostgreSQL's: SQLite connections are cheap and local.)"""
        if self.dsn.in_memory and self._shared_memory is None:
            raise UsageError(
                "several clients (-c 2 or more) cannot share an in-memory SQLite database: "
                "each client queries on a connection of its own, and an in-memory database "
                "lives in the one connection that made it",
                "use an SQLite file, e.g. --db sqlite:///bench.db, or one client",
            )
        other = SqliteSession(self.dsn, SqlQuery(""), self.options, True, self.clock)
        other.sql, other.params = self.sql, self.params
        other._shared_memory = self._shared_memory
        return other

    def close(self) -> None:
        if self._canceller is not None:
            self._canceller.release(self)
            self._canceller = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- work ------------------------------------------------------------------

    def run_script(self, sql: str) -> None:
        assert self._conn is not None, "open() first"
        self._deadline_ns = self.clock() + 10**18  # no timeout for hooks
        canceller = self._canceller
        if canceller is not None:
            # Between two statements of the script nothing runs for interrupt() to
            # stop: the next one looks at the canceller (and Python's signal handlers
            # run in this callback, on the main thread, and abort it if they raise).
            self._conn.set_progress_handler(lambda: canceller.fired, PROGRESS_STEPS)
        try:
            self._conn.executescript(sql)
        except sqlite3.Error as exc:
            if str(exc) == "interrupted":  # no --timeout for hooks: only an interrupt
                raise QueryFailed("interrupted", INTERRUPTED) from None
            raise QueryFailed("query", str(exc)) from None
        finally:
            if canceller is not None:
                timed = self.options.timeout_s is not None
                self._conn.set_progress_handler(
                    self._past_deadline if timed else None, PROGRESS_STEPS
                )

    def _ours(self, exc: sqlite3.Error) -> bool:
        """The statement was interrupted by the canceller (Ctrl-C or SIGTERM)."""
        canceller = self._canceller
        return str(exc) == "interrupted" and canceller is not None and canceller.fired

    def run(self, loops: int) -> Batch:
        assert self._conn is not None, "open() first"
        opts = self.options
        if opts.timeout_s is not None:
            self._deadline_ns = self.clock() + int(opts.timeout_s * 1e9) * loops
        try:
            if opts.connect_each or opts.transaction:
                return self._run_general(loops)
            return self._run_plain(loops)
        except sqlite3.OperationalError as exc:
            if self._ours(exc) and not (opts.timeout_s is not None and self._past_deadline()):
                self._rollback()
                raise QueryFailed("interrupted", INTERRUPTED) from None
            if str(exc) == "interrupted" and opts.timeout_s is not None:
                self._rollback()
                raise QueryFailed(
                    "timeout", f"the query exceeded --timeout {opts.timeout_s:g}s (interrupted)"
                ) from None
            self._rollback()
            raise QueryFailed("query", f"query failed: {exc}", str(exc)) from None
        except sqlite3.Error as exc:
            self._rollback()
            raise QueryFailed("query", f"query failed: {exc}", str(exc)) from None

    def _rollback(self) -> None:
        if self._conn is not None and self._conn.in_transaction:
            self._conn.rollback()

    def _run_plain(self, loops: int) -> Batch:
        assert self._conn is not None
        cursor = self._conn.cursor()
        sql, params, clock = self.sql, self.params, self.clock
        rows: list[Any] = []
        total = 0
        start = clock()
        for _ in range(loops):
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            total += len(rows)
        elapsed = clock() - start
        cursor.close()
        return Batch(elapsed, total, value_bytes(rows))

    def _run_general(self, loops: int) -> Batch:
        assert self._conn is not None
        sql, params, clock = self.sql, self.params, self.clock
        connect_each, transaction = self.options.connect_each, self.options.transaction
        conn = self._conn
        rows: list[Any] = []
        total = 0
        elapsed = 0
        for _ in range(loops):
            start = clock()
            if connect_each:
                conn = self._connect()
            try:
                if transaction:
                    conn.execute("BEGIN")
                rows = conn.execute(sql, params).fetchall()
                if transaction:
                    conn.execute("COMMIT")
                elapsed += clock() - start
            finally:
                if connect_each:
                    if conn.in_transaction:
                        conn.rollback()
                    conn.close()
            total += len(rows)
        return Batch(elapsed, total, value_bytes(rows))
