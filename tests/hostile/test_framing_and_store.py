"""Hostile answers and stores: a negative Content-Length is a protocol error at once (not
a wait for the request timeout), and a full disk gets the hint that helps."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.cli import run_pbench


@pytest.fixture
def negative_length_server() -> Iterator[str]:
    """Answers every request with ``Content-Length: -5`` and keeps the connection."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            held.append(conn)
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_negative_content_length_is_a_protocol_error_at_once(negative_length_server: str) -> None:
    started = time.monotonic()
    result = run_pbench("http", "-r", "1", "--timeout", "30s", negative_length_server)
    took = time.monotonic() - started
    assert took < 15, took  # half the request timeout: no wait for it
    assert result.code == 1 and "failed (protocol: 1)" in result.err, result.err


def test_a_full_disk_says_free_some_space(tmp_path: Path) -> None:
    from pbench.history.sqlite import SqliteStore
    from pbench.history.store import StoreAddress

    path = tmp_path / "h.db"
    store = SqliteStore(StoreAddress("sqlite", f"sqlite:///{path}", path=str(path)))
    # SQLITE_FULL as the driver reports it, on a store that otherwise works.
    error = store._error(sqlite3.OperationalError("database or disk is full"), "save to")
    store.close()
    assert "the disk is full" in error.message
    assert error.hint == "free some space, or use another --store"
