"""Ctrl-C cancels the PostgreSQL query that is running, on the server, and interrupts
the running SQLite statement.

The timed query is a blocking libpq call: Python runs its SIGINT handler only once
that call returns, so a long query would keep pbench (and the server) busy after
Ctrl-C. :class:`InterruptCanceller` registers a wakeup file descriptor
(:func:`signal.set_wakeup_fd`), which the C-level signal handler writes to at once,
and a small thread that answers SIGINT or SIGTERM with a cancel request for the
connection's running query (SQLite: ``Connection.interrupt()``). The query then ends
with an error that its session reports as ``interrupted`` (:attr:`fired` tells it the
cancel was ours), the interpreter raises KeyboardInterrupt as usual, and nothing is left
running on the server.

Only possible from the main thread (a wakeup fd is process-wide and set there); the
last :meth:`InterruptCanceller.release` restores the previous wakeup fd.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import threading
from typing import Any

WATCHED = frozenset({signal.SIGINT, signal.SIGTERM})


class InterruptCanceller:
    """Cancels the watched connections' queries when SIGINT/SIGTERM arrives.

    One per process, shared by every session of the main thread: :meth:`acquire` and
    :meth:`release` count its users, the last release restores the previous wakeup fd.
    """

    _instance: InterruptCanceller | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self.fired = False  # a watched signal came: the queries cancelled since are ours
        self._cancels: dict[int, Any] = {}
        self._users = 0
        self._read, self._write = os.pipe()
        self._stop_read, self._stop_write = os.pipe()
        os.set_blocking(self._write, False)
        self._previous = signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        self._thread = threading.Thread(target=self._watch, name="pbench-pg-cancel", daemon=True)
        self._thread.start()

    @classmethod
    def acquire(cls) -> InterruptCanceller | None:
        """The shared canceller, or None outside the main thread (no wakeup fd there)."""
        if threading.current_thread() is not threading.main_thread():
            return None
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            cls._instance._users += 1
            return cls._instance

    def watch(self, owner: object, cancel: Any) -> None:
        """``owner``'s connection now in use has this cancel handle (``.cancel()``: a
        PostgreSQL ``pgconn.get_cancel()``, an SQLite :class:`SqliteInterrupt`)."""
        self._cancels[id(owner)] = cancel

    def release(self, owner: object) -> None:
        self._cancels.pop(id(owner), None)
        with self._lock:
            self._users -= 1
            if self._users > 0:
                return
            InterruptCanceller._instance = None
        signal.set_wakeup_fd(self._previous)
        os.write(self._stop_write, b"x")
        self._thread.join()
        for fd in (self._read, self._write, self._stop_read, self._stop_write):
            os.close(fd)

    def _watch(self) -> None:
        while True:
            ready, _, _ = select.select([self._read, self._stop_read], [], [])
            if self._stop_read in ready:
                return
            data = os.read(self._read, 64)
            if any(byte in WATCHED for byte in data):
                self.fired = True
                for cancel in list(self._cancels.values()):
                    with contextlib.suppress(Exception):  # the connection may be gone
                        cancel.cancel()
            if self._previous >= 0:  # pass the signal numbers on, as if we were not here
                with contextlib.suppress(OSError):
                    os.write(self._previous, data)


class SqliteInterrupt:
    """A cancel handle for an SQLite session: interrupts the statement running on the
    connection it has at that moment (``sqlite3.Connection.interrupt`` may be called
    from any thread)."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection  # () -> the sqlite3.Connection in use, or None

    def cancel(self) -> None:
        conn = self._connection()
        if conn is not None:
            conn.interrupt()
