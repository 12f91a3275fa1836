"""The PostgreSQL store: one database that several CI machines share.

psycopg 3 (imported here, when a store is opened) in autocommit mode, each save one
explicit transaction: a client that dies mid-save leaves nothing behind (the server
rolls its transaction back when the connection drops). Creating or upgrading the
schema takes a transaction-scoped advisory lock, so machines that open a new store at
the same moment create it once. ``lock_timeout`` bounds how long a save waits for a
lock (``timeout_s``); connecting gives up after ``CONNECT_TIMEOUT_S``. Messages name
the store by its redacted address and have its password scrubbed out.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from pbench.errors import UsageError
from pbench.history.queries import Cursor, Dialect, SqlStore
from pbench.history.schema import POSTGRES_TYPES, STORE_SCHEMA_VERSION
from pbench.history.store import StoreAddress, StoreError

CONNECT_TIMEOUT_S = 10
LOCK_TIMEOUT_S = 30.0
# pg_advisory_xact_lock key of schema changes: "pbench" in ASCII.
SCHEMA_LOCK = 0x706265_6E6368


def _time_in(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _time_out(value: Any) -> datetime:
    assert isinstance(value, datetime)
    return value.astimezone(UTC)


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise UsageError(
            "a PostgreSQL store needs psycopg 3, which is not installed",
            "pip install 'pbench[postgres]'",
        ) from None
    return psycopg


class PostgresStore(SqlStore):
    """A store in a PostgreSQL database (see the module docstring)."""

    dialect = Dialect(POSTGRES_TYPES, "%s", _time_in, _time_out)

    def __init__(self, address: StoreAddress, *, timeout_s: float = LOCK_TIMEOUT_S) -> None:
        psycopg = _psycopg()
        super().__init__(address)
        self.timeout_s = timeout_s
        kwargs = {"connect_timeout": str(CONNECT_TIMEOUT_S), **address.connect}
        try:
            self._conn = psycopg.connect(autocommit=True, **kwargs)
        except psycopg.Error as exc:
            raise self._error(exc, "connect to") from None
        try:
            self._conn.execute(f"SET lock_timeout = {max(1, round(timeout_s * 1000))}")
            if self._version() != STORE_SCHEMA_VERSION:  # else no lock just to open
                with self._transaction("open") as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                    self._migrate(cursor)
        except psycopg.Error as exc:
            self._conn.close()
            raise self._error(exc, "open") from None
        except BaseException:
            self._conn.close()
            raise

    def _version(self) -> int:
        with self._reading("open") as cursor:
            cursor.execute("SELECT to_regclass('schema_version') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute("SELECT version FROM schema_version")
            row = cursor.fetchone()
        return 0 if row is None else int(row[0])

    @contextmanager
    def _transaction(self, doing: str) -> Iterator[Cursor]:
        psycopg = _psycopg()
        try:
            with self._conn.transaction(), self._conn.cursor() as cursor:
                yield cursor
        except psycopg.Error as exc:
            raise self._error(exc, doing) from None

    @contextmanager
    def _reading(self, doing: str) -> Iterator[Cursor]:
        psycopg = _psycopg()
        try:
            with self._conn.cursor() as cursor:
                yield cursor
        except psycopg.Error as exc:
            raise self._error(exc, doing) from None

    def close(self) -> None:
        self._conn.close()

    def _error(self, exc: Exception, doing: str) -> StoreError:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        reason = self.address.scrub(lines[0] if lines else type(exc).__name__)
        where = f"the store {self.address.shown}"
        if getattr(exc, "sqlstate", None) == "55P03":  # lock_not_available
            return StoreError(
                f"cannot {doing} {where}: a lock was held for over {self.timeout_s:g} s",
                "another client holds it; try again",
            )
        return StoreError(
            f"cannot {doing} {where}: {reason}",
            "check that the server is running and the address, user and password are right, "
            "or save elsewhere with --store",
        )
