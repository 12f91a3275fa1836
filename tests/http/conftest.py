"""A real HTTP server on 127.0.0.1 (ephemeral port) for the HTTP tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.httpserver import HttpTestServer, self_signed_context, start_server


@pytest.fixture(scope="module")
def server() -> Iterator[HttpTestServer]:
    srv = start_server()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpTestServer]:
    """The same server over HTTPS with a self-signed certificate."""
    srv = start_server(self_signed_context(str(tmp_path_factory.mktemp("tls"))))
    yield srv
    srv.stop()
