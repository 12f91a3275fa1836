"""The response parser of one HTTP connection, fed bytes directly (no network)."""

from __future__ import annotations

import pytest

from pbench.targets.http.connection import HttpConnection, chunked_end


class _Owner:
    def __init__(self) -> None:
        self.responses: list[tuple[int, int, bool]] = []
        self.lost: list[str] = []

    def on_response(self, conn: HttpConnection, status: int, nbytes: int, close: bool) -> None:
        self.responses.append((status, nbytes, close))

    def on_lost(self, conn: HttpConnection, kind: str) -> None:
        self.lost.append(kind)


class _Transport:
    def __init__(self) -> None:
        self.aborted = False

    def abort(self) -> None:
        self.aborted = True


def _conn(head: bool = False) -> tuple[HttpConnection, _Owner]:
    owner = _Owner()
    conn = HttpConnection(owner, head)
    conn.connection_made(_Transport())  # type: ignore[arg-type]
    return conn, owner


LENGTH = (
    b"HTTP/1.1 200 OK\r\nServer: t\r\nDate: Tue, 01 Dec 2026 15:19:20 GMT\r\n"
    b"Content-Length: 12\r\nConnection: keep-alive\r\n\r\nhello world\n"
)
CHUNKED = (
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"6\r\nhello \r\n8;ext=1\r\nchunked \r\n5\r\nworld\r\n0\r\n\r\n"
)
TRAILERS = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n"


@pytest.mark.parametrize("response", [LENGTH, CHUNKED, TRAILERS])
def test_a_response_split_anywhere_across_reads_parses_the_same(response: bytes) -> None:
    for cut in range(1, len(response)):
        conn, owner = _conn()
        conn.data_received(response[:cut])
        conn.data_received(response[cut:])
        assert owner.responses == [(200, len(response), False)], cut
    for first in range(1, len(response), 7):  # three reads
        for second in range(first + 1, len(response), 5):
            conn, owner = _conn()
            for part in (response[:first], response[first:second], response[second:]):
                conn.data_received(part)
            assert owner.responses == [(200, len(response), False)], (first, second)


def test_byte_by_byte_and_many_responses_on_one_connection() -> None:
    conn, owner = _conn()
    for response in (LENGTH, CHUNKED, TRAILERS, LENGTH, LENGTH):
        for i in range(len(response)):
            conn.data_received(response[i : i + 1])
    assert (
        owner.responses
        == [(200, len(r), False) for r in (LENGTH, CHUNKED, TRAILERS)]
        + [(200, len(LENGTH), False)] * 2
    )
    assert owner.lost == []


def test_a_repeated_response_is_parsed_once_and_reported_the_same() -> None:
    conn, owner = _conn()
    for _ in range(3):
        conn.data_received(LENGTH)
    other = LENGTH.replace(b"200 OK", b"201 Created").replace(b"keep-alive", b"close")
    conn.data_received(other)
    conn.data_received(LENGTH)
    assert owner.responses == [(200, len(LENGTH), False)] * 3 + [
        (201, len(other), True),
        (200, len(LENGTH), False),
    ]


def test_a_head_request_does_not_reuse_a_get_parse() -> None:
    conn, owner = _conn()
    conn.data_received(LENGTH)
    conn.head = True  # HEAD answers carry Content-Length but no body
    head_only = LENGTH[: LENGTH.index(b"\r\n\r\n") + 4]
    conn.data_received(head_only)
    conn.data_received(head_only)
    assert owner.responses == [(200, len(LENGTH), False)] + [(200, len(head_only), False)] * 2


@pytest.mark.parametrize(
    ("response", "close"),
    [
        (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", True),
        (b"HTTP/1.1 200 OK\r\nCONNECTION: CLOSE\r\nContent-Length: 2\r\n\r\nok", True),
        (b"HTTP/1.1 200 OK\r\nX-Why: close\r\nContent-Length: 2\r\n\r\nok", False),
        (b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", True),
        (b"HTTP/1.1 200 OK\r\ncontent-length:2 \r\n\r\nok", False),
    ],
)
def test_connection_close_and_header_spellings(response: bytes, close: bool) -> None:
    conn, owner = _conn()
    conn.data_received(response)
    assert owner.responses == [(200, len(response), close)]


def test_statuses_without_a_body_and_interim_answers() -> None:
    conn, owner = _conn()
    conn.data_received(b"HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n")
    conn.data_received(b"HTTP/1.1 204 No Content\r\n\r\n")
    interim = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
    conn.data_received(interim)
    conn.data_received(LENGTH)
    assert [r[0] for r in owner.responses] == [304, 204, 200]
    assert owner.responses[2] == (200, len(LENGTH), False)


def test_bytes_beyond_the_response_end_the_connection_after_it() -> None:
    conn, owner = _conn()
    conn.data_received(LENGTH + b"HTTP/1.1 200 OK\r\n")
    assert owner.responses == [(200, len(LENGTH) + 17, True)]


def test_read_until_close_and_protocol_errors() -> None:
    conn, owner = _conn()
    conn.data_received(b"HTTP/1.1 200 OK\r\n\r\nsome")
    conn.data_received(b" body")
    conn.connection_lost(None)
    assert owner.responses == [(200, 28, True)]
    for garbage in (b"SSH-2.0-OpenSSH\r\n\r\n", b"HTTP/1.1 2x0 OK\r\n\r\n"):
        conn, owner = _conn()
        conn.data_received(garbage)
        assert owner.lost == ["protocol"]
    conn, owner = _conn()
    conn.data_received(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
    assert owner.lost == ["protocol"] and owner.responses == []


def test_a_connection_lost_mid_response_is_reported() -> None:
    conn, owner = _conn()
    conn.data_received(LENGTH[:-3])
    conn.connection_lost(None)
    conn.connection_lost(ConnectionResetError())
    assert owner.lost == ["closed", "reset"] and owner.responses == []


def test_chunked_end_reference() -> None:
    body = CHUNKED[CHUNKED.index(b"\r\n\r\n") + 4 :]
    assert chunked_end(body) == len(body)
    assert chunked_end(body[:-1]) == -1
    with pytest.raises(ValueError):
        chunked_end(b"xyz\r\n")
