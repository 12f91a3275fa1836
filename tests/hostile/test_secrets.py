"""Hostile input, secrets: a token in a URL's query string, a credential header, and
names added with --redact-param/--redact-header appear in no output (terminal, JSON,
CSV, Markdown, HTML, JUnit, the history store)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from support.cli import run_pbench
from support.httpserver import HttpTestServer


def test_http_query_token_and_headers_appear_in_no_output(
    server: HttpTestServer, tmp_path: Path
) -> None:
    exports = {ext: tmp_path / f"r.{ext}" for ext in ("json", "csv", "md", "html", "xml")}
    store = tmp_path / "h.db"
    result = run_pbench(
        "http", "-r", "20", "--redact-param", "ticket", "--redact-header", "X-Mine",
        "-H", "X-Api-Key: HDRSECRET1", "-H", "X-Auth-Token: HDRSECRET2",
        "-H", "X-Mine: HDRSECRET3", "-H", "Accept: text/plain",
        f"{server.base_url}/fast?token=QSECRET1&ticket=QSECRET2&page=7",
        "--store", str(store), "--save",
        *[arg for path in exports.values() for arg in ("--export", str(path))],
    )  # fmt: skip
    assert result.code == 0, result.err
    outputs = [result.out, result.err, *(p.read_text() for p in exports.values())]
    with sqlite3.connect(store) as conn:
        outputs.append("\n".join(conn.iterdump()))
    for text in outputs:
        assert "SECRET" not in text
    assert "page=7" in exports["json"].read_text()  # the rest of the URL is kept
    assert "Accept: text/plain" in exports["json"].read_text()
