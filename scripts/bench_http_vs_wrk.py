#!/usr/bin/env python3
"""pbench http against wrk, side by side, on nginx serving a small static file.

Starts nginx (one worker process, access log off) from a temporary prefix on
127.0.0.1, then for 1 and 10 connections runs wrk and ``pbench http`` for the same
duration and prints requests/s, median latency and the ratios. Targets (issue 4):
at 10 connections pbench reaches >= 80% of wrk's requests/s; at 1 connection its
median latency is within 1.3x of wrk's.

    python3 scripts/bench_http_vs_wrk.py [--duration 5] [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NGINX_CONF = """\
worker_processes 1;
daemon off;
user root;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    keepalive_requests 1000000000;
    keepalive_timeout 300s;
    server {{
        listen 127.0.0.1:{port};
        root {prefix}/www;
        location / {{ }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_nginx(prefix: Path, port: int) -> subprocess.Popen[bytes]:
    (prefix / "www").mkdir()
    (prefix / "www" / "index.html").write_text("<html><body>hello from nginx</body></html>\n")
    (prefix / "logs").mkdir()
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, port=port))
    process = subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(conf)])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit("nginx did not start; see " + str(prefix / "error.log"))


def wrk(url: str, connections: int, duration: int) -> tuple[float, float]:
    threads = min(connections, os.cpu_count() or 1)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"50%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    scale = {"us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]
    return rps, float(value) * scale


def pbench(
    url: str, connections: int, duration: int, workers: int, out: Path
) -> tuple[float, float]:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pbench",
            "http",
            url,
            "-c",
            str(connections),
            "-d",
            f"{duration}s",
            "--workers",
            str(workers),
            "-w",
            "100",
            "--style",
            "none",
            "--export-json",
            str(out),
        ],
        check=True,
    )
    load = json.loads(out.read_text())["results"][0]["load"]
    return load["throughput"]["requests_per_s"], load["latency"]["p50"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per run")
    parser.add_argument("--workers", type=int, default=1, help="pbench --workers at 10 connections")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pbench-nginx-") as tmp:
        prefix = Path(tmp)
        port = free_port()
        nginx = start_nginx(prefix, port)
        url = f"http://127.0.0.1:{port}/index.html"
        try:
            rows = []
            for connections in (1, 10):
                workers = 1 if connections == 1 else args.workers
                w_rps, w_p50 = wrk(url, connections, args.duration)
                p_rps, p_p50 = pbench(url, connections, args.duration, workers, prefix / "p.json")
                rows.append((connections, workers, w_rps, p_rps, w_p50, p_p50))
        finally:
            nginx.terminate()
            nginx.wait(10)
    print(f"nginx 1 worker, {url.rsplit('/', 1)[1]} (45 bytes), {args.duration}s per run")
    print(
        f"{'conns':>5} {'workers':>7} {'wrk req/s':>10} {'pbench req/s':>12} {'ratio':>6}"
        f" {'wrk p50':>9} {'pbench p50':>10} {'ratio':>6}"
    )
    ok = True
    for connections, workers, w_rps, p_rps, w_p50, p_p50 in rows:
        print(
            f"{connections:>5} {workers:>7} {w_rps:>10.0f} {p_rps:>12.0f} {p_rps / w_rps:>6.2f}"
            f" {w_p50 * 1e6:>7.1f}us {p_p50 * 1e6:>8.1f}us {p_p50 / w_p50:>6.2f}"
        )
        if connections == 10 and p_rps < 0.8 * w_rps:
            ok = False
        if connections == 1 and p_p50 > 1.3 * w_p50:
            ok = False
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
