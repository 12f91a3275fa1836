"""PostgreSQL through psycopg 3 (imported here, only when a postgresql:// DSN is used).

- Connections are in autocommit mode; ``--transaction`` wraps each run in
  BEGIN ... COMMIT (two more round trips, which is what a transaction costs).
- Execution mode is pinned for the whole run: ``--prepared`` passes ``prepare=True``
  to every execute (prepared on first use on each connection), simple execution sets
  ``prepare_threshold = None`` so psycopg never switches to prepared statements
  partway through.
- ``--timeout`` becomes the connection's ``statement_timeout``: the server itself
  cancels an overlong query, so nothing keeps running after the run failed. Hooks
  run without that limit.
- Bytes are the sizes of the values as received on the wire (text format).
- Every message that came from the driver is scrubbed of the DSN's password.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pbench.dsn import PostgresDsn
from pbench.errors import BenchmarkFailed, UsageError
from pbench.targets.sql import Batch, Clock, QueryFailed, SqlOptions, SqlQuery, bind_query

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT_S = "10"
QUERY_CANCELED = "57014"


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise UsageError(
            "PostgreSQL support needs psycopg 3, which is not installed",
            "pip install 'pbench[postgres]'",
        ) from None
    return psycopg


class PostgresSession:
    """One query on one PostgreSQL database (see the module docstring)."""

    def __init__(
        self, dsn: PostgresDsn, query: SqlQuery, options: SqlOptions, clock: Clock
    ) -> None:
        self.dsn = dsn
        self.query = query
        self.options = options
        self.clock = clock
        self.sql = bind_query(query.text, frozenset(query.params), "psycopg")
        self.params: dict[str, str] | None = dict(query.params) if query.params else None
        self._conn: psycopg.Connection[Any] | None = None
        self._cursor: psycopg.Cursor[Any] | None = None
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

    def _connect(self) -> psycopg.Connection[Any]:
        pg = _psycopg()
        conn: psycopg.Connection[Any] = pg.connect(**self._connect_kwargs(), autocommit=True)
        if not self.options.prepared:
            conn.prepare_threshold = None
        return conn

    def open(self) -> None:
        pg = _psycopg()
        try:
            self._conn = self._connect()
        except pg.Error as exc:
            raise self._connect_error(exc) from None

    def _connect_error(self, exc: Exception) -> BenchmarkFailed:
        text = self.dsn.scrub(str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc))
        where = self.dsn.redacted()
        lowered = text.lower()
        if "password authentication failed" in lowered or "no password supplied" in lowered:
            hint = "check the user name and password in --db (or PGPASSWORD, ~/.pgpass)"
        elif "does not exist" in lowered:
            hint = "create the database or role first, or name another one in --db"
        elif "refused" in lowered or "no such file" in lowered or "timeout" in lowered:
            hint = "is PostgreSQL running and listening there? check host and port in --db"
        else:
            hint = "check --db and that the server accepts connections"
        return BenchmarkFailed(f"cannot connect to {where}: {text}", hint)

    def client(self) -> PostgresSession:
        return PostgresSession(self.dsn, self.query, self.options, self.clock)

    def close(self) -> None:
        self._cursor = None
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()

    # -- work ------------------------------------------------------------------

    def _failure(self, exc: Exception, conn: psycopg.Connection[Any] | None) -> QueryFailed:
        diag = getattr(exc, "diag", None)
        primary = getattr(diag, "message_primary", None) if diag is not None else None
        sqlstate = getattr(exc, "sqlstate", None)
        text = self.dsn.scrub(primary or (str(exc).strip().splitlines() or [repr(exc)])[0])
        if sqlstate == QUERY_CANCELED and self.options.timeout_s is not None:
            return QueryFailed(
                "timeout",
                f"the query exceeded --timeout {self.options.timeout_s:g}s "
                "(cancelled on the server)",
            )
        if conn is None or conn.broken or conn.closed or sqlstate is None:
            return QueryFailed("connection", f"lost the connection to the server: {text}")
        detail = f"{text} (SQLSTATE {sqlstate})"
        return QueryFailed("query", f"query failed: {detail}", detail)

    def run_script(self, sql: str) -> None:
        conn = self._conn
        assert conn is not None, "open() first"
        pg = _psycopg()
        try:
            if self._timeout_ms is not None:
                conn.execute("SET statement_timeout = 0")
            conn.execute(sql.encode("utf-8"), prepare=False)
            if self._timeout_ms is not None:
                conn.execute(f"SET statement_timeout = {self._timeout_ms}".encode())
        except pg.Error as exc:
            raise self._failure(exc, conn) from None

    def run(self, loops: int) -> Batch:
        assert self._conn is not None, "open() first"
        pg = _psycopg()
        if self.options.connect_each:
            return self._run_connecting(loops, pg)
        conn = self._conn
        cursor = self._cursor
        if cursor is None:
            cursor = self._cursor = conn.cursor()
        sql, params, prepare, clock = (
            self.sql,
            self.params,
            self.options.prepared or None,
            self.clock,
        )
        rows = 0
        try:
            if self.options.transaction:
                elapsed = 0
                for _ in range(loops):
                    start = clock()
                    with conn.transaction():
                        cursor.execute(sql, params, prepare=prepare)
                        rows += len(cursor.fetchall())
                    elapsed += clock() - start
            else:
                start = clock()
                for _ in range(loops):
                    cursor.execute(sql, params, prepare=prepare)
                    rows += len(cursor.fetchall())
                elapsed = clock() - start
        except pg.Error as exc:
            raise self._failure(exc, conn) from None
        return Batch(elapsed, rows, _wire_bytes(cursor.pgresult))

    def _run_connecting(self, loops: int, pg: Any) -> Batch:
        sql, params, prepare, clock = (
            self.sql,
            self.params,
            self.options.prepared or None,
            self.clock,
        )
        rows = elapsed = nbytes = 0
        for _ in range(loops):
            start = clock()
            try:
                conn = self._connect()
            except pg.Error as exc:
                raise QueryFailed("connection", self._connect_error(exc).message) from None
            try:
                cursor = conn.cursor()
                if self.options.transaction:
                    with conn.transaction():
                        cursor.execute(sql, params, prepare=prepare)
                        rows += len(cursor.fetchall())
                else:
                    cursor.execute(sql, params, prepare=prepare)
                    rows += len(cursor.fetchall())
                elapsed += clock() - start
                nbytes = _wire_bytes(cursor.pgresult)
            except pg.Error as exc:
                raise self._failure(exc, conn) from None
            finally:
                conn.close()
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
