"""The SQLite store (the default): one file, safe for many processes at once.

- WAL journal: readers never block the writer, and a process killed mid-save leaves
  its transaction out of the file (the next opener rolls the WAL back to the last
  commit); ``synchronous = NORMAL``, which WAL keeps consistent through crashes.
- Each save is one ``BEGIN IMMEDIATE`` ... ``COMMIT``: the write lock is taken at the
  start, so concurrent savers queue on the busy timeout (``timeout_s``, 30 s) instead
  of failing halfway; a store still locked after it is a :class:`StoreError`.
- Foreign keys on; the schema is created or upgraded inside one such transaction.
- Opened to read (``read_only``: ``history``, ``trend``, ``report``, ``--baseline``)
  where pbench may not write (no write permission, a read-only folder or file
  system), the file is opened read-only (``mode=ro``) and nothing is written or
  upgraded; where SQLite cannot even keep its shared-memory file beside it, it is read
  as unchanging (``immutable=1``), which is safe when no write-ahead log is left there.
  A writable store is opened as for saving (its WAL files then go when it is closed).

sqlite3 is imported here, when a store is opened.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pbench.history.queries import Cursor, Dialect, SqlStore
from pbench.history.schema import SQLITE_TYPES, STORE_SCHEMA_VERSION
from pbench.history.store import StoreAddress, StoreError

if TYPE_CHECKING:
    import sqlite3

BUSY_TIMEOUT_S = 30.0
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
# Written into a folder pbench creates for its default store, so git ignores it.
GITIGNORE = "# pbench's history store (pbench run --save); not for version control\n*\n"


def _time_in(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def _time_out(value: Any) -> datetime:
    # fromisoformat reads TIME_FORMAT (with its Z) ten times faster than strptime: it
    # is most of reading a long series (pbench trend --last 100000).
    text = str(value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


class SqliteStore(SqlStore):
    """A store in one SQLite file (see the module docstring)."""

    dialect = Dialect(SQLITE_TYPES, "?", _time_in, _time_out)

    def __init__(
        self,
        address: StoreAddress,
        *,
        create: bool = True,
        read_only: bool = False,
        timeout_s: float = BUSY_TIMEOUT_S,
    ) -> None:
        import sqlite3

        super().__init__(address)
        assert address.path is not None
        path = Path(address.path)
        self.timeout_s = timeout_s
        self.read_only = read_only
        if not path.exists():
            if not create or read_only:
                raise StoreError(
                    f"no store at {address.shown}", "save a run there first (pbench run --save)"
                )
            _make_folder(path.parent, address)
        try:
            self._conn = sqlite3.connect(
                path, timeout=timeout_s, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise self._error(exc, "open") from None
        try:
            self._settle()
        except StoreError as exc:
            self._conn.close()
            if not read_only or not _unwritable(exc):
                raise
            self._read_only(path)
        except BaseException:
            self._conn.close()
            raise

    def _read_only(self, path: Path) -> None:
        """Opened to read where pbench may not write: read-only, nothing upgraded."""
        import sqlite3

        try:
            self._conn = self._open_read_only(path)
        except sqlite3.Error as exc:
            raise self._error(exc, "open") from None
        try:
            self._check_version()
        except BaseException:
            self._conn.close()
            raise

    def _open_read_only(self, path: Path) -> sqlite3.Connection:
        """``path`` opened read-only; as unchanging when SQLite cannot keep its
        shared-memory file beside it and no write-ahead log is left to read."""
        import sqlite3
        from urllib.parse import quote

        def connect(flags: str) -> sqlite3.Connection:
            uri = f"file:{quote(str(path.resolve()))}?{flags}"
            return sqlite3.connect(
                uri, uri=True, timeout=self.timeout_s, isolation_level=None,
                check_same_thread=False,
            )  # fmt: skip

        conn = connect("mode=ro")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            wal = path.with_name(path.name + "-wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise self._error(exc, "read") from None
        return connect("mode=ro&immutable=1")

    def _check_version(self) -> None:
        """Opened to read: a store of another schema version cannot be upgraded here."""
        current = self._version()
        if current == STORE_SCHEMA_VERSION:
            return
        if current > STORE_SCHEMA_VERSION:
            raise StoreError(
                f"the store {self.address.shown} has schema version {current}, newer than "
                f"this pbench knows ({STORE_SCHEMA_VERSION})",
                "upgrade pbench, or use another store with --store",
            )
        raise StoreError(
            f"the store {self.address.shown} has schema version {current}, older than this "
            f"pbench's ({STORE_SCHEMA_VERSION}), and reading it does not upgrade it",
            "save a run to it once (pbench run --save --store ...) to upgrade it",
        )

    def _settle(self) -> None:
        """WAL mode, the schema made or migrated. Processes that create one store at once
        race for it: switching a new file to WAL can be refused at once as busy (SQLite
        calls no busy handler there), so a busy refusal is tried again until the store's
        timeout, as a lock held would be waited for."""
        import sqlite3
        import time

        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
                self._conn.execute("PRAGMA foreign_keys = ON")
                if self._version() != STORE_SCHEMA_VERSION:  # else no write lock to open
                    with self._transaction("open") as cursor:
                        self._migrate(cursor)
                return
            except (sqlite3.Error, StoreError) as exc:
                reason = str(exc)
                busy = "locked" in reason or "busy" in reason
                if not busy or time.monotonic() >= deadline:
                    if isinstance(exc, StoreError):
                        raise
                    raise self._error(exc, "open") from None
                time.sleep(0.01)

    def _version(self) -> int:
        with self._reading("open") as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_version'")
            if cursor.fetchone() is None:
                return 0
            cursor.execute("SELECT version FROM schema_version")
            row = cursor.fetchone()
        return 0 if row is None else self._schema_version(row[0])

    @contextmanager
    def _transaction(self, doing: str) -> Iterator[Cursor]:
        import sqlite3

        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc, doing) from None
        try:
            yield self._conn.cursor()
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise self._error(exc, doing) from None
        except BaseException:
            self._rollback()
            raise

    @contextmanager
    def _reading(self, doing: str) -> Iterator[Cursor]:
        import sqlite3

        try:
            yield self._conn.cursor()
        except sqlite3.Error as exc:
            raise self._error(exc, doing) from None

    def _rollback(self) -> None:
        import sqlite3

        # An error may have ended the transaction already: nothing left to roll back.
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("ROLLBACK")

    def close(self) -> None:
        self._conn.close()

    def _disk_full(self) -> bool:
        """The file system of the store has (almost) no free space left."""
        assert self.address.path is not None
        free = _free_bytes(Path(self.address.path).parent)
        return free is not None and free < DISK_FULL_BYTES

    def _error(self, exc: sqlite3.Error, doing: str) -> StoreError:
        reason = str(exc)
        where = f"the store {self.address.shown}"
        if "locked" in reason or "busy" in reason:
            return StoreError(
                f"cannot {doing} {where}: it stayed locked for {self.timeout_s:g} s",
                "another process holds it (a long save, or a crashed tool's lock); "
                "try again, or save elsewhere with --store",
            )
        lowered = reason.lower()
        # SQLITE_FULL, ENOSPC; on a full disk SQLite may only see an I/O error (its
        # write-ahead log or shared-memory file could not grow): the free space tells.
        full = "full" in lowered or "no space" in lowered
        if full or ("i/o error" in lowered and self._disk_full()):
            return StoreError(
                f"cannot {doing} {where}: the disk is full",
                "free some space, or use another --store",
            )
        return StoreError(
            f"cannot {doing} {where}: {reason}",
            "check the file and its folder's permissions, or use another --store",
        )


def _unwritable(error: StoreError) -> bool:
    """The store could not be opened for writing: read-only file, folder or file system."""
    reason = error.message.lower()
    return "readonly" in reason or "read-only" in reason or "unable to open" in reason


DISK_FULL_BYTES = 1 << 20  # less free space than this beside the store: a full disk


def _free_bytes(folder: Path) -> int | None:
    import shutil

    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _make_folder(folder: Path, address: StoreAddress) -> None:
    """Create the store's folder (with a .gitignore when pbench chose the folder)."""
    if folder.is_dir():
        return
    if not address.create_folder:
        raise StoreError(
            f"cannot create the store {address.shown}: the folder {folder} does not exist",
            "create it, or give another path with --store",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    except OSError as exc:
        raise StoreError(
            f"cannot create the folder {folder} of the store: {exc.strerror}",
            "give a writable path with --store or PBENCH_STORE",
        ) from None
