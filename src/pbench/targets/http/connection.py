"""One HTTP/1.1 client connection as a minimal ``asyncio.Protocol``.

The hot path of ``pbench http``: it parses just enough of each response to know
where it ends (status line, Content-Length, chunked encoding, Connection: close,
or read-until-close) and hands (status, bytes, close) to its owner. No header
objects, no futures, and no copy of a body: a Content-Length body is counted, a
chunked one is walked chunk by chunk as it arrives (only a split chunk-size line is
kept), so no buffer is scanned twice.

Two fast paths, both exact:

- a response that arrives whole in one read with ``Content-Length`` is parsed with a
  handful of ``bytes.find`` calls on its head;
- a read byte-identical to the previous whole response on this connection (a static
  page within the same second of its ``Date`` header) parses the same way, so its
  parse is reused after one ``==`` (a memcmp). Bytes decide, never timing: nothing is
  skipped or sampled.

Interim ``1xx`` answers (100 Continue, 103 Early Hints) are skipped. Bytes beyond the
end of a response (one request is in flight at a time, so a server that sends more
broke the framing) end the connection after that response instead of being taken
for the next answer.
"""

from __future__ import annotations

import asyncio
import re
from typing import Protocol, cast

_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)[ \t]*\r\n", re.IGNORECASE)
_ANY_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:", re.IGNORECASE)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:[^\r\n]*chunked", re.IGNORECASE)
_CLOSE = re.compile(rb"\r\nconnection:[^\r\n]*close", re.IGNORECASE)

HEAD, LENGTH, CHUNKED, UNTIL_CLOSE = 0, 1, 2, 3
MAX_HEAD = 1 << 16  # a response head longer than this is a protocol error
MEMO_MAX = 1 << 14  # reads longer than this are not compared with the previous one


class ConnectionOwner(Protocol):
    def on_response(self, conn: HttpConnection, status: int, nbytes: int, close: bool) -> None: ...

    def on_lost(self, conn: HttpConnection, kind: str) -> None: ...


def chunked_end(body: bytes) -> int:
    """Length of a complete chunked body at the start of ``body``, or -1 if incomplete.

    Raises ValueError on a malformed chunk size. (A reference for tests; the
    connection walks chunks incrementally.)
    """
    pos = 0
    while True:
        line_end = body.find(b"\r\n", pos)
        if line_end < 0:
            return -1
        size = _chunk_size(body[pos:line_end])
        if size == 0:
            if body.startswith(b"\r\n", line_end + 2):
                return line_end + 4
            trailer_end = body.find(b"\r\n\r\n", line_end)
            return -1 if trailer_end < 0 else trailer_end + 4
        pos = line_end + 2 + size + 2
        if pos > len(body):
            return -1


def _chunk_size(line: bytes) -> int:
    text = line.split(b";", 1)[0].strip()
    if not text or text.strip(b"0123456789abcdefABCDEF"):
        raise ValueError(f"bad chunk size {line[:20]!r}")
    return int(text, 16)


class HttpConnection(asyncio.Protocol):
    """Parses responses on one connection; requests are written by the owner."""

    __slots__ = (
        "_buffer",
        "_close",
        "_memo",
        "_memo_close",
        "_memo_nbytes",
        "_memo_status",
        "_mode",
        "_nbytes",
        "_remaining",
        "_status",
        "_trailer",
        "head",
        "owner",
        "transport",
    )

    def __init__(self, owner: ConnectionOwner, head_request: bool) -> None:
        self.owner = owner
        self.head = head_request
        self.transport: asyncio.Transport | None = None
        self._mode = HEAD
        self._buffer = b""  # an incomplete head, or a split chunk-size/trailer line
        self._remaining = 0  # LENGTH: body bytes to come; CHUNKED: chunk bytes + CRLF
        self._trailer = False  # CHUNKED: past the last chunk, in the trailer lines
        self._nbytes = 0
        self._status = 0
        self._close = False
        self._memo = b""  # the last whole response read at once, and its parse
        self._memo_status = 0
        self._memo_nbytes = 0
        self._memo_close = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses

    # ------------------------------------------------------------------ reading
    def data_received(self, data: bytes) -> None:
        mode = self._mode
        if mode == HEAD:
            if self._buffer:
                data = self._buffer + data
                self._buffer = b""
            elif data == self._memo and not self.head:
                self.owner.on_response(self, self._memo_status, self._memo_nbytes, self._memo_close)
                return
            self._parse_head(data)
        elif mode == LENGTH:
            n = len(data)
            self._nbytes += n
            if n < self._remaining:
                self._remaining -= n
                return
            self._complete(n > self._remaining)
        elif mode == CHUNKED:
            self._nbytes += len(data)
            if self._buffer:
                data = self._buffer + data
                self._buffer = b""
            self._chunks(data, 0)
        else:  # UNTIL_CLOSE
            self._nbytes += len(data)

    def _parse_head(self, data: bytes) -> None:
        """``data`` starts with a response head; parse it and whatever body follows."""
        while True:
            end = data.find(b"\r\n\r\n")
            if end < 0:
                if len(data) > MAX_HEAD:
                    self._fail("protocol")
                else:
                    self._buffer = data
                return
            if not data.startswith(b"HTTP/1.") or not data[9:12].isdigit():
                self._fail("protocol")
                return
            status = int(data[9:12])
            if 100 <= status < 200 and status != 101:  # interim answer: the real one follows
                data = data[end + 4 :]
                if not data:
                    return
                continue
            break
        self._status = status
        total = len(data)
        self._nbytes = total
        body_at = end + 4
        # HTTP/1.0, or a Connection header naming "close": cheap finds in the head
        # first, the case-insensitive regex only when they hit.
        close = data[7] == 48 or (
            (data.find(b"lose", 0, end) >= 0 or data.find(b"LOSE", 0, end) >= 0)
            and _CLOSE.search(data, 0, body_at) is not None
        )
        self._close = close
        if self.head or status < 200 or status == 204 or status == 304:
            self._complete(total > body_at or status == 101)
            return
        at = data.find(b"\r\nContent-Length: ", 0, end)
        if at >= 0:
            digits = data[at + 18 : data.find(b"\r\n", at + 18)]
            length = int(digits) if digits.isdigit() else -1
        else:
            length = -1
        if length < 0:
            match = _CONTENT_LENGTH.search(data, 0, body_at)
            if match is not None:
                length = int(match.group(1))
            elif _ANY_CONTENT_LENGTH.search(data, 0, body_at) is not None:
                self._fail("protocol")  # Content-Length: -5, or not a number
                return
        if length >= 0:
            remaining = length - (total - body_at)
            if remaining > 0:
                self._remaining = remaining
                self._mode = LENGTH
                return
            if remaining == 0 and total <= MEMO_MAX and not self.head:
                self._memo = data
                self._memo_status = status
                self._memo_nbytes = total
                self._memo_close = close
            self._complete(remaining < 0)
            return
        if _CHUNKED.search(data, 0, body_at) is not None:
            self._mode = CHUNKED
            self._remaining = 0
            self._trailer = False
            self._chunks(data, body_at)
            return
        self._mode = UNTIL_CLOSE
        self._close = True

    def _chunks(self, data: bytes, pos: int) -> None:
        """Walk the chunks in ``data[pos:]``; complete the response at its end."""
        n = len(data)
        while True:
            remaining = self._remaining
            if remaining:
                if n - pos < remaining:
                    self._remaining = remaining - (n - pos)
                    return
                pos += remaining
                self._remaining = 0
            line_end = data.find(b"\r\n", pos)
            if line_end < 0:
                if n - pos > MAX_HEAD:
                    self._fail("protocol")
                else:
                    self._buffer = data[pos:]
                return
            if self._trailer:
                if line_end == pos:  # the empty line after the trailers: done
                    self._complete(line_end + 2 < n)
                    return
                pos = line_end + 2
                continue
            try:
                size = _chunk_size(data[pos:line_end])
            except ValueError:
                self._fail("protocol")
                return
            pos = line_end + 2
            if size == 0:
                self._trailer = True
            else:
                self._remaining = size + 2  # the chunk and its CRLF

    def _complete(self, extra: bool = False) -> None:
        """The response is whole; ``extra``: bytes followed it (framing broken, so the
        connection is not reused)."""
        self._mode = HEAD
        self._buffer = b""
        self.owner.on_response(self, self._status, self._nbytes, self._close or extra)

    def _fail(self, kind: str) -> None:
        self._mode = HEAD
        self._buffer = b""
        self._memo = b""
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
