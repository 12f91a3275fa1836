"""A real HTTP/1.1 test server on 127.0.0.1 (threaded, keep-alive), with endpoints
for the cases the HTTP target must handle.

- ``/fast``: 200 with a short body.
- ``/slow?ms=N``: 200 after N ms (default 20).
- ``/stall?after=K&ms=N``: the K-th request to it (1-based, counted per server)
  freezes the WHOLE server for N ms (every handler waits for it), once; the
  other requests answer fast. This is the stall a closed-loop client hides.
- ``/status/CODE``: answers with that status.
- ``/close``: closes the connection without answering.
- ``/reset``: closes the connection with a TCP reset (SO_LINGER 0).
- ``/chunked``: a chunked 200.
- ``/hang``: never answers (until the server stops).
- ``/echo``: 200 whose body is the request's method, headers and body.
- ``/fail-first?n=N&status=S``: the first N requests to it (counted per server) answer
  S (default 500), later ones 200.

Every POST is recorded in ``server.posts`` (path with query, body), in arrival order,
and when it arrived in ``server.post_times`` (``time.monotonic()``): a webhook's
receiving end.
"""

from __future__ import annotations

import socket
import ssl
import struct
import subprocess
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class HttpTestServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.tls = tls
        if tls is not None:  # HTTPS: every accepted connection does the TLS handshake
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.hits: Counter[str] = Counter()
        self.posts: list[tuple[str, bytes]] = []  # every POST: (path, body)
        self.post_times: list[float] = []  # when each arrived (time.monotonic())
        self.freeze = threading.Lock()  # held during a stall; every answer waits on it
        self.count_lock = threading.Lock()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that time out or go away are part of the tests

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        assert isinstance(host, str)
        return f"{'https' if self.tls else 'http'}://{host}:{port}"

    def start(self) -> HttpTestServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()

    def reset_counts(self) -> None:
        with self.count_lock:
            self.hits.clear()
            self.posts.clear()
            self.post_times.clear()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else headers and body cross a delayed ACK (40 ms)
    server: HttpTestServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def _handle(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = url.path
        with self.server.count_lock:
            self.server.hits[path] += 1
            hit = self.server.hits[path]
        body = b""
        if "Content-Length" in self.headers:
            body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.command == "POST":
            with self.server.count_lock:
                self.server.posts.append((self.path, body))
                self.server.post_times.append(time.monotonic())
        if path == "/stall" and hit == int(query.get("after", "1")):
            with self.server.freeze:
                time.sleep(int(query.get("ms", "300")) / 1000)
        else:
            with self.server.freeze:
                pass
        if path == "/slow":
            time.sleep(int(query.get("ms", "20")) / 1000)
        if path == "/close":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if path == "/reset":
            self.close_connection = True
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return
        if path == "/hang":
            self.server.stopping.wait(60)
            self.close_connection = True
            return
        if path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"hello ", b"chunked ", b"world"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
            return
        status = 200
        if path.startswith("/status/"):
            status = int(path.rsplit("/", 1)[1])
        if path == "/fail-first" and hit <= int(query.get("n", "1")):
            status = int(query.get("status", "500"))
        if path == "/flaky" and hit % int(query.get("every", "4")) == 0:
            status = 500  # every Nth request fails
        if path == "/keepalive":  # like nginx's keepalive_requests: close after N answers
            self.answered = getattr(self, "answered", 0) + 1
            if self.answered >= int(query.get("max", "5")):
                self.send_response(status)
                self.send_header("Content-Length", "3")
                self.send_header("Connection", "close")  # sets close_connection
                self.end_headers()
                self.wfile.write(b"ok\n")
                return
        if path == "/echo":
            lines = [f"{self.command} {self.path}"] + [f"{k}: {v}" for k, v in self.headers.items()]
            payload = ("\n".join(lines) + "\n\n").encode() + body
        else:
            payload = b"ok\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


def start_server(tls: ssl.SSLContext | None = None) -> HttpTestServer:
    return HttpTestServer(tls).start()


def self_signed_context(folder: str) -> ssl.SSLContext:
    """A server context with a fresh self-signed certificate for 127.0.0.1 (openssl CLI)."""
    cert, key = f"{folder}/cert.pem", f"{folder}/key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context
