"""Hostile input, secrets: a token in a URL's query string, a credential header, and
names added with --redact-param/--redact-header appear in no output (terminal, JSON,
CSV, Markdown, HTML, JUnit, BMF, github-benchmark, the step summary, the history store,
and what reads them); a --notify URL's user:password is sent as Basic authorization
and shown nowhere."""

from __future__ import annotations

import base64
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

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


FORMATS = ("json", "csv", "markdown", "html", "junit", "bmf", "github-benchmark",
           "github-benchmark-bigger")  # fmt: skip


def test_a_token_in_a_command_line_appears_in_no_output_nor_in_what_reads_them(
    tmp_path: Path,
) -> None:
    exports = [tmp_path / f"r.{name}" for name in FORMATS]
    store, summary = tmp_path / "h.db", tmp_path / "summary.md"
    command = "true 'http://127.0.0.1:9/api?token=QSECRET1&api_key=QSECRET2&page=7'"
    result = run_pbench(
        "run", "-r", "3", "--store", str(store), "--save", command,
        *[arg for path, name in zip(exports, FORMATS, strict=True)
          for arg in (f"--export-{name}", str(path))],
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )  # fmt: skip
    assert result.code == 0, result.err
    readers = [
        run_pbench("history", "--store", str(store), "--format", "json"),
        run_pbench("history", "--store", str(store), "--format", "csv"),
        run_pbench("report", str(exports[0]), "-o", str(tmp_path / "report.html")),
        run_pbench("report", "--store", str(store), "-o", str(tmp_path / "history.md")),
    ]
    outputs = [result.out, result.err, summary.read_text(), *(p.read_text() for p in exports)]
    outputs += [(tmp_path / name).read_text() for name in ("report.html", "history.md")]
    outputs += [reader.out + reader.err for reader in readers]
    with sqlite3.connect(store) as conn:
        outputs.append("\n".join(conn.iterdump()))
    for text in outputs:
        assert "SECRET" not in text
    assert "page=7" in exports[0].read_text()


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, str | None, bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.received.append((self.path, self.headers.get("Authorization"), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_notify_url_with_userinfo_is_delivered_with_basic_auth_and_never_shown(
    tmp_path: Path,
) -> None:
    hook = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=hook.serve_forever, daemon=True)
    thread.start()
    _Hook.received.clear()
    try:
        url = f"http://hookuser:HOOKPASS@127.0.0.1:{hook.server_address[1]}/hook"
        out = tmp_path / "r.json"
        result = run_pbench("run", "-r", "3", "--style", "basic", "--budget", "median:1ms",
                            "--export-json", str(out), "--notify", url, "sleep 0.01")  # fmt: skip
    finally:
        hook.shutdown()
        hook.server_close()
    assert result.code == 4, result.err  # the broken budget: the alert is sent
    ((path, authorization, body),) = _Hook.received
    assert path == "/hook"
    assert authorization == "Basic " + base64.b64encode(b"hookuser:HOOKPASS").decode()
    for text in (result.out, result.err, out.read_text(), body.decode()):
        assert "HOOKPASS" not in text and "hookuser" not in text
