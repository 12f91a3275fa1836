#!/usr/bin/env python3
"""A tiny HTTP/1.1 server on 127.0.0.1 to benchmark against, started and stopped from a
shell hook (pbench http --setup/--cleanup, and the repository's benchmarks.toml).

    python3 scripts/http_fixture.py start --port 18765 --pidfile /tmp/fixture.pid
    python3 scripts/http_fixture.py stop --pidfile /tmp/fixture.pid

``start`` returns once the server accepts connections; the server runs detached (its
own session, standard streams on /dev/null) until ``stop``. It answers every GET with
200 and a 13-byte body, keep-alive, on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BODY = b"hello, bench\n"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Headers and body leave in two writes: without TCP_NODELAY, Nagle's algorithm
        # and the client's delayed ACK would add ~40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def start(port: int, pidfile: Path) -> int:
    if _listening(port):
        print(f"http_fixture: port {port} on 127.0.0.1 is already in use", file=sys.stderr)
        return 1
    pid = os.fork()
    if pid == 0:  # the server: detached from the hook's session and streams
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        server = _Server(("127.0.0.1", port), _Handler)
        pidfile.write_text(f"{os.getpid()}\n")
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        server.serve_forever()
        os._exit(0)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if _listening(port):
            return 0
        time.sleep(0.02)
    print(f"http_fixture: the server did not listen on port {port}", file=sys.stderr)
    return 1


def stop(pidfile: Path) -> int:
    try:
        pid = int(pidfile.read_text())
    except (OSError, ValueError):
        print(f"http_fixture: no server recorded in {pidfile}", file=sys.stderr)
        return 1
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    pidfile.unlink(missing_ok=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--pidfile", type=Path, required=True)
    args = parser.parse_args()
    return start(args.port, args.pidfile) if args.action == "start" else stop(args.pidfile)


if __name__ == "__main__":
    sys.exit(main())
