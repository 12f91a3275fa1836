"""A real HTTP server on 127.0.0.1 (ephemeral port) for the HTTP tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.httpserver import HttpTestServer, start_server


@pytest.fixture(scope="module")
def server() -> Iterator[HttpTestServer]:
    srv = start_server()
    yield srv
    srv.stop()
