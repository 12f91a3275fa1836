"""PostgreSQL through psycopg 3 (imported here, only when a postgresql:// DSN is used).

psycopg opens the connections (DSN keywords, passwords, TLS) and runs the hooks; the
timed query goes through the connection's own libpq handle (``Connection.pgconn``,
psycopg's documented low-level access), as pgbench does: ``cursor.execute`` spends
about as long in Python as a loopback round trip takes, which would be measured as
database latency. The rows are still all fetched and turned into Python values by
psycopg's loaders (:class:`psycopg.adapt.Transformer`), as an application would.

- Autocommit; ``--transaction`` wraps each run in BEGIN ... COMMIT (two more round
  trips: what a transaction costs).
- ``--prepared``: the statement is prepared once per connection, before the first run
  (untimed) or as part of the connection when ``--connect-each`` times it; every run
  executes it. Simple execution never prepares: the mode cannot change mid-run.
- Parameters are sent as text of unknown type, so the server infers their types.
- ``--timeout`` becomes the connection's ``statement_timeout``: the server itself
  cancels an overlong query, so nothing keeps running after the run failed. Hooks
  run without that limit.
- Bytes are the sizes of the values as received on the wire (text format).
- Every message that came from the driver is scrubbed of the DSN's password.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pbench.errors import BenchmarkFailed, UsageError
from pbench.targets.sql.base import (
    INTERRUPTED,
    Batch,
    Clock,
    QueryFailed,
    SqlOptions,
    SqlQuery,
    number_placeholders,
)
from pbench.targets.sql.cancel import InterruptCanceller
from pbench.targets.sql.dsn import PostgresDsn

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT_S = "10"
QUERY_CANCELED = "57014"
STATEMENT = b"pbench_query"
TUPLES_OK, COMMAND_OK = 2, 1  # psycopg.pq.ExecStatus values
CONNECTION_BAD = 1  # psycopg.pq.ConnStatus.BAD


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise UsageError(
            "PostgreSQL support needs psycopg 3, which is not installed",
            "pip install 'pbench[postgres]'",
        ) from None
    return psycopg


class _Link:
    """One connection with what the hot path needs at hand."""

    __slots__ = ("conn", "last_result", "pgconn", "prepared", "tx")

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        from psycopg.adapt import Transformer

        self.conn = conn
        self.pgconn = conn.pgconn
        self.tx = Transformer(conn)
        self.prepared = False
        self.last_result: Any = None


class SharedConnection:
    """One connection that the sessions of several benchmarks take turns on.

    Benchmarks on separate connections are served by separate server processes,
    which the kernel may keep on different CPUs for the whole run (seen here: one at
    ~30 µs a query, the other at ~100 µs): a difference that is only placement.
    Interleaved benchmarks therefore share one connection; the first session to open
    connects, the last to close disconnects.
    """

    def __init__(self) -> None:
        self.conn: psycopg.Connection[Any] | None = None
        self.users = 0


class PostgresSession:
    """One query on one PostgreSQL database (see the module docstring)."""

    _statements = 0

    def __init__(
        self,
        dsn: PostgresDsn,
        query: SqlQuery,
        options: SqlOptions,
        clock: Clock,
        shared: SharedConnection | None = None,
    ) -> None:
        PostgresSession._statements += 1
        self.statement = b"%s_%d" % (STATEMENT, PostgresSession._statements)
        self.shared = shared
        self.dsn = dsn
        self.query = query
        self.options = options
        self.clock = clock
        sql, order = number_placeholders(query.text, frozenset(query.params))
        self.sql = sql.encode("utf-8")
        self.params: list[bytes] | None = (
            [query.params[name].encode("utf-8") for name in order] if order else None
        )
        self._link: _Link | None = None
        self._canceller: InterruptCanceller | None = None
        self._timeout_ms = (
            None if options.timeout_s is None else max(1, round(options.timeout_s * 1000))
        )

    # -- connections -----------------------------------------------------------

    def _connect_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "application_name": "pbench",
            "connect_timeout": CONNECT_TIMEOUT_S,
        }
        kwargs.update(self.dsn.connect_kwargs())
        if self._timeout_ms is not None:
            extra = f"-c statement_timeout={self._timeout_ms}"
            kwargs["options"] = f"{kwargs['options']} {extra}" if "options" in kwargs else extra
        return kwargs

    def _connect(self) -> _Link:
        pg = _psycopg()
        conn = pg.connect(**self._connect_kwargs(), autocommit=True)
        conn.prepare_threshold = None  # hooks never switch to server-side preparation
        return _Link(conn)

    def open(self) -> None:
        pg = _psycopg()
        shared = self.shared
        try:
            if shared is None:
                self._link = self._connect()
            else:
                if shared.conn is None or shared.conn.closed:
                    shared.conn = self._connect().conn
                shared.users += 1
                self._link = _Link(shared.conn)
        except pg.Error as exc:
            raise self._connect_error(exc) from None
        self._canceller = InterruptCanceller.acquire()
        if self._canceller is not None:
            self._canceller.watch(self, self._link.pgconn.get_cancel())

    def _connect_error(self, exc: Exception) -> BenchmarkFailed:
        lines = str(exc).strip().splitlines()
        text = self.dsn.scrub(lines[0] if lines else repr(exc))
        lowered = text.lower()
        if "password authentication failed" in lowered or "no password supplied" in lowered:
            hint = "check the user name and password in --db (or PGPASSWORD, ~/.pgpass)"
        elif "does not exist" in lowered:
            hint = "create the database or role first, or name another one in --db"
        elif "refused" in lowered or "no such file" in lowered or "timeout" in lowered:
            hint = "is PostgreSQL running and listening there? check host and port in --db"
        else:
            hint = "check --db and that the server accepts connections"
        return BenchmarkFailed(f"cannot connect to {self.dsn.redacted()}: {text}", hint)

    def client(self, shared: object | None = None) -> PostgresSession:
        together = shared if isinstance(shared, SharedConnection) else None
        return PostgresSession(self.dsn, self.query, self.options, self.clock, together)

    def close(self) -> None:
        if self._canceller is not None:
            self._canceller.release(self)
            self._canceller = None
        if self._link is not None:
            link, self._link = self._link, None
            shared = self.shared
            if shared is None:
                link.conn.close()
                return
            shared.users -= 1
            if shared.users <= 0 and shared.conn is not None:
                conn, shared.conn = shared.conn, None
                conn.close()

    # -- hooks -----------------------------------------------------------------

    def run_script(self, sql: str) -> None:
        link = self._link
        assert link is not None, "open() first"
        pg = _psycopg()
        try:
            if self._timeout_ms is not None:
                link.conn.execute(b"SET statement_timeout = 0")
            link.conn.execute(sql.encode("utf-8"))
            if self._timeout_ms is not None:
                link.conn.execute(f"SET statement_timeout = {self._timeout_ms}".encode())
        except pg.Error as exc:
            diag = getattr(exc, "diag", None)
            primary = getattr(diag, "message_primary", None)
            lines = str(exc).strip().splitlines()
            raise self._failure(
                exc.sqlstate, primary or (lines[0] if lines else repr(exc)), link
            ) from None

    # -- runs ------------------------------------------------------------------

    def _failure(self, sqlstate: str | None, text: str, link: _Link | None) -> QueryFailed:
        text = self.dsn.scrub(text)
        if sqlstate == QUERY_CANCELED and self._canceller is not None and self._canceller.fired:
            return QueryFailed("interrupted", INTERRUPTED)
        if sqlstate == QUERY_CANCELED and self.options.timeout_s is not None:
            return QueryFailed(
                "timeout",
                f"the query exceeded --timeout {self.options.timeout_s:g}s "
                "(cancelled on the server)",
            )
        if link is None or link.pgconn.status == CONNECTION_BAD or sqlstate is None:
            return QueryFailed("connection", f"lost the connection to the server: {text}")
        detail = f"{text} (SQLSTATE {sqlstate})"
        return QueryFailed("query", f"query failed: {detail}", detail)

    def _check(self, result: Any, link: _Link) -> None:
        if result.status not in (TUPLES_OK, COMMAND_OK):
            from psycopg import pq

            sqlstate = result.error_field(pq.DiagnosticField.SQLSTATE)
            message = result.error_field(pq.DiagnosticField.MESSAGE_PRIMARY)
            text = (message or result.error_message or b"unknown error").decode("utf-8", "replace")
            raise self._failure(sqlstate.decode() if sqlstate else None, text.strip(), link)

    def _prepare(self, link: _Link) -> None:
        self._check(link.pgconn.prepare(self.statement, self.sql), link)
        link.prepared = True

    def _once(self, link: _Link) -> int:
        """Send the query, wait for it, load every row; returns the row count."""
        pgconn = link.pgconn
        if self.options.prepared:
            result = pgconn.exec_prepared(self.statement, self.params)
        elif self.params is not None:
            result = pgconn.exec_params(self.sql, self.params)
        else:
            result = pgconn.exec_(self.sql)
        if result.status != TUPLES_OK and result.status != COMMAND_OK:
            self._check(result, link)
        tx = link.tx
        # one statement, one row type: the loaders chosen for the first result serve all
        tx.set_pgresult(result, set_loaders=link.last_result is None)
        rows = len(tx.load_rows(0, result.ntuples, tuple))
        link.last_result = result
        return rows

    def _in_transaction(self, link: _Link) -> int:
        pgconn = link.pgconn
        self._check(pgconn.exec_(b"BEGIN"), link)
        try:
            rows = self._once(link)
        except BaseException:
            if pgconn.status != CONNECTION_BAD:
                pgconn.exec_(b"ROLLBACK")
            raise
        self._check(pgconn.exec_(b"COMMIT"), link)
        return rows

    def run(self, loops: int) -> Batch:
        link = self._link
        assert link is not None, "open() first"
        pg = _psycopg()
        try:
            if self.options.connect_each:
                return self._run_connecting(loops, pg)
            if self.options.prepared and not link.prepared:
                self._prepare(link)
            step = self._in_transaction if self.options.transaction else self._once
            clock = self.clock
            rows = 0
            start = clock()
            for _ in range(loops):
                rows += step(link)
            elapsed = clock() - start
        except pg.Error as exc:  # the connection itself failed (no result at all)
            raise self._failure(None, str(exc), link) from None
        return Batch(elapsed, rows, _wire_bytes(link.last_result))

    def _run_connecting(self, loops: int, pg: Any) -> Batch:
        clock = self.clock
        step = self._in_transaction if self.options.transaction else self._once
        rows = elapsed = nbytes = 0
        for _ in range(loops):
            start = clock()
            try:
                link = self._connect()
            except pg.Error as exc:
                raise QueryFailed("connection", self._connect_error(exc).message) from None
            if self._canceller is not None:
                self._canceller.watch(self, link.pgconn.get_cancel())
            try:
                if self.options.prepared:
                    self._prepare(link)
                rows += step(link)
                elapsed += clock() - start
                nbytes = _wire_bytes(link.last_result)
            finally:
                link.conn.close()
        return Batch(elapsed, rows, nbytes)


def _wire_bytes(result: Any) -> int:
    """Total length of the values of a result, as the server sent them."""
    if result is None:
        return 0
    get = result.get_value
    total = 0
    for row in range(result.ntuples):
        for column in range(result.nfields):
            value = get(row, column)
            if value is not None:
                total += len(value)
    return total
