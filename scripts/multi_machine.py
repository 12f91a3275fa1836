#!/usr/bin/env python3
"""Load from several machines, here: N local pbench processes stand in for N load
machines, started together with --start-at against one HTTP server on 127.0.0.1, then
merged with ``pbench merge``. Prints each "machine's" figures, the merged ones, and the
percentiles of all samples together (every request of every machine, kept with
--keep-samples), which the merged percentiles must equal: exactly against one histogram
of all the samples, and within the histogram's 1/1024 against the raw values.

    python3 scripts/multi_machine.py [--machines 3] [--requests 20000] [--port 18766]

Exits non-zero when the merged figures differ. The server is scripts/http_fixture.py
(Python's threaded server), so the figures are about the method, not about speed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUANTILES = (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p99_9", 0.999))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--machines", type=int, default=3)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--port", type=int, default=18766)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import numpy as np

    from pbench.load.histogram import LatencyHistogram

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        pidfile = work / "server.pid"
        fixture = [sys.executable, str(ROOT / "scripts" / "http_fixture.py")]
        subprocess.run([*fixture, "start", "--port", str(args.port), "--pidfile", str(pidfile)],
                       check=True)  # fmt: skip
        try:
            files = _run_machines(work, args)
        finally:
            subprocess.run([*fixture, "stop", "--pidfile", str(pidfile)], check=False)
        merged = work / "merged.json"
        subprocess.run(
            [sys.executable, "-m", "pbench", "merge", *map(str, files), "-o", str(merged)],
            check=True,
            env=_env(),
        )
        loads = [_load(f) for f in files]
        total = _load(merged)
    everything = LatencyHistogram()
    raw: list[float] = []
    print("| machine | requests | requests/s | p50 | p99 | window start |")
    print("|---|---:|---:|---:|---:|---|")
    for i, load in enumerate(loads, start=1):
        latencies = [row[1] for row in load["sample"]["rows"]]
        raw += latencies
        everything.record_many(np.rint(np.array(latencies) * 1e9).astype(np.int64))
        print(f"| {i} | {load['requests']:,} | {load['throughput']['requests_per_s']:,.0f} | "
              f"{load['latency']['p50'] * 1e6:.1f} µs | {load['latency']['p99'] * 1e6:.1f} µs | "
              f"{load['window']['start']} |")  # fmt: skip
    print(
        f"| merged | {total['requests']:,} | {total['throughput']['requests_per_s']:,.0f} | "
        f"{total['latency']['p50'] * 1e6:.1f} µs | {total['latency']['p99'] * 1e6:.1f} µs | |"
    )
    print()
    print("| percentile | merged | one histogram of all samples | raw values of all samples |")
    print("|---|---:|---:|---:|")
    ok = total["requests"] == sum(load["requests"] for load in loads)
    for key, q in QUANTILES:
        merged_ns = total["latency"][key] * 1e9
        whole_ns = everything.quantiles([q])[0]
        exact_ns = float(np.quantile(np.array(raw) * 1e9, q, method="inverted_cdf"))
        ok = ok and abs(merged_ns - whole_ns) <= 1 and abs(merged_ns - exact_ns) <= exact_ns / 1024
        print(f"| {key.replace('_', '.')} | {merged_ns / 1e3:.3f} µs | {whole_ns / 1e3:.3f} µs | "
              f"{exact_ns / 1e3:.3f} µs |")  # fmt: skip
    print()
    print(
        f"setup: {args.machines} pbench processes (1 connection each) against "
        "scripts/http_fixture.py on 127.0.0.1, unpinned, started together with --start-at"
    )
    print("merged percentiles equal those of all samples: " + ("yes" if ok else "NO"))
    return 0 if ok else 1


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _run_machines(work: Path, args: argparse.Namespace) -> list[Path]:
    start = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    files = [work / f"machine{i}.json" for i in range(1, args.machines + 1)]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pbench",
                "http",
                "-r",
                str(args.requests),
                "--keep-samples",
                str(args.requests),
                "--start-at",
                start,
                "--style",
                "none",
                "--export-json",
                str(file),
                f"http://127.0.0.1:{args.port}/",
            ],
            env=_env(),
        )
        for file in files
    ]
    for process in processes:
        if process.wait() != 0:
            raise SystemExit("a load process failed")
    return files


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    load: dict[str, Any] = data["results"][0]["load"]
    return load


if __name__ == "__main__":
    sys.exit(main())
