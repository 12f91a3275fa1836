#!/usr/bin/env python3
"""Show that a 10-million-request ``pbench http`` run keeps its memory bounded.

Starts nginx on 127.0.0.1 (as scripts/bench_http_vs_wrk.py does), runs
``pbench http -r 10000000 -c 10`` against a small static file, samples the resident
memory of pbench's whole process tree every 0.25 s with psutil, and prints the peak
next to the 200 MB target. Takes a few minutes.

    python3 scripts/http_memory.py [--requests 10000000] [--workers 1]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_http_vs_wrk import free_port, start_nginx

LIMIT_BYTES = 200 * 1024 * 1024


def tree_rss(process: object) -> int:
    import psutil

    assert isinstance(process, psutil.Process)
    total = 0
    for p in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def main() -> int:
    import psutil

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000_000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pbench-mem-") as tmp:
        prefix = Path(tmp)
        port = free_port()
        nginx = start_nginx(prefix, port)
        out = prefix / "r.json"
        command = [
            sys.executable,
            "-m",
            "pbench",
            "http",
            f"http://127.0.0.1:{port}/index.html",
            "-c",
            "10",
            "-r",
            str(args.requests),
            "--workers",
            str(args.workers),
            "--style",
            "none",
            "--export-json",
            str(out),
        ]
        began = time.monotonic()
        child = subprocess.Popen(command)
        watched = psutil.Process(child.pid)
        peak, samples = 0, []
        try:
            while child.poll() is None:
                rss = tree_rss(watched)
                peak = max(peak, rss)
                samples.append(rss)
                time.sleep(0.25)
        finally:
            nginx.terminate()
            nginx.wait(10)
        elapsed = time.monotonic() - began
        load = json.loads(out.read_text())["results"][0]["load"]
    print(
        f"requests: {load['requests']:,} ({load['failed']:,} failed) in {elapsed:.0f} s,"
        f" {load['throughput']['requests_per_s']:,.0f} req/s"
    )
    mid = samples[len(samples) // 2] if samples else 0
    print(
        f"pbench RSS: peak {peak / 2**20:.1f} MiB, at mid-run {mid / 2**20:.1f} MiB,"
        f" limit {LIMIT_BYTES / 2**20:.0f} MiB"
    )
    ok = peak < LIMIT_BYTES and child.returncode == 0
    print("bounded memory: OK" if ok else "bounded memory: NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
