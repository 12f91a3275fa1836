"""One HTTP/1.1 client connection as a minimal ``asyncio.Protocol``.

The hot path of ``pbench http``: it parses just enough of each response to know
where it ends (status line, Content-Length, chunked encoding, Connection: close,
or read-until-close) and hands (status, bytes) to its owner. No header objects, no
futures, no copies in the common case where a whole response arrives in one read;
that is what makes it fast enough to measure a server rather than itself (asyncio
streams, aiohttp and httpx add an order of magnitude of overhead per request).
"""

from __future__ import annotations

import asyncio
import re
from typing import Protocol, cast

_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:[^\r\n]*chunked", re.IGNORECASE)
_CLOSE = re.compile(rb"\r\nconnection:[^\r\n]*close", re.IGNORECASE)

HEAD, LENGTH, CHUNKED, UNTIL_CLOSE = 0, 1, 2, 3


class ConnectionOwner(Protocol):
    def on_response(self, conn: HttpConnection, status: int, nbytes: int, close: bool) -> None: ...

    def on_lost(self, conn: HttpConnection, kind: str) -> None: ...


def chunked_end(body: bytes) -> int:
    """Length of a complete chunked body at the start of ``body``, or -1 if incomplete.

    Raises ValueError on a malformed chunk size.
    """
    pos = 0
    while True:
        line_end = body.find(b"\r\n", pos)
        if line_end < 0:
            return -1
        size = int(body[pos:line_end].split(b";", 1)[0].strip(), 16)
        if size == 0:
            if body.startswith(b"\r\n", line_end + 2):
                return line_end + 4
            trailer_end = body.find(b"\r\n\r\n", line_end)
            return -1 if trailer_end < 0 else trailer_end + 4
        pos = line_end + 2 + size + 2
        if pos > len(body):
            return -1


class HttpConnection(asyncio.Protocol):
    """Parses responses on one connection; requests are written by the owner."""

    __slots__ = (
        "_body",
        "_close",
        "_mode",
        "_nbytes",
        "_remaining",
        "_status",
        "head",
        "owner",
        "transport",
    )

    def __init__(self, owner: ConnectionOwner, head_request: bool) -> None:
        self.owner = owner
        self.head = head_request
        self.transport: asyncio.Transport | None = None
        self._mode = HEAD
        self._body = b""
        self._remaining = 0
        self._nbytes = 0
        self._status = 0
        self._close = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses

    def data_received(self, data: bytes) -> None:
        mode = self._mode
        if mode == LENGTH:
            n = len(data)
            self._nbytes += n
            if n < self._remaining:
                self._remaining -= n
                return
            self._complete()
            return
        if mode == HEAD:
            if self._body:
                data = self._body + data
                self._body = b""
            end = data.find(b"\r\n\r\n")
            if end < 0:
                self._body = data
                return
            self._head(data, end)
            return
        self._nbytes += len(data)
        self._body += data
        if mode == CHUNKED:
            try:
                done = chunked_end(self._body)
            except ValueError:
                self._fail("protocol")
                return
            if done >= 0:
                self._complete()

    def _head(self, data: bytes, end: int) -> None:
        if not data.startswith(b"HTTP/1.") or len(data) < 12 or not data[9:12].isdigit():
            self._fail("protocol")
            return
        status = int(data[9:12])
        self._status = status
        # Cheap substring tests first; the case-insensitive regexes only when needed.
        self._close = data[7:8] == b"0" or (
            (b"lose" in data or b"LOSE" in data) and _CLOSE.search(data, 0, end) is not None
        )
        self._nbytes = len(data)
        if self.head or status < 200 or status in (204, 304):
            self._complete()
            return
        at = data.find(b"\r\nContent-Length: ", 0, end)
        if at >= 0:
            length = int(data[at + 18 : data.find(b"\r\n", at + 18)])
        else:
            match = _CONTENT_LENGTH.search(data, 0, end)
            length = -1 if match is None else int(match.group(1))
        if length >= 0:
            remaining = length - (len(data) - end - 4)
            if remaining <= 0:
                self._complete()
                return
            self._remaining = remaining
            self._mode = LENGTH
            return
        body = data[end + 4 :]
        self._body = body
        if _CHUNKED.search(data, 0, end) is not None:
            self._mode = CHUNKED
            try:
                done = chunked_end(body)
            except ValueError:
                self._fail("protocol")
                return
            if done >= 0:
                self._complete()
            return
        self._mode = UNTIL_CLOSE
        self._close = True

    def _complete(self) -> None:
        self._mode = HEAD
        self._body = b""
        self.owner.on_response(self, self._status, self._nbytes, self._close)

    def _fail(self, kind: str) -> None:
        self._mode = HEAD
        self._body = b""
        if self.transport is not None:
            self.transport.abort()
        self.owner.on_lost(self, kind)

    def eof_received(self) -> bool | None:
        return None  # close the transport; connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        if self._mode == UNTIL_CLOSE and exc is None:
            self._complete()
            return
        self._mode = HEAD
        kind = "closed" if exc is None else "reset"
        self.owner.on_lost(self, kind)
