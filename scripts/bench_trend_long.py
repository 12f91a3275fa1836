#!/usr/bin/env python3
"""``pbench trend --last N`` over one benchmark with N stored runs (default 100,000), all
of them analysed: the whole command in a fresh process, its wall time and peak RSS
(the child's ru_maxrss), the machine's load average written before and after.

The store is made once (--store PATH keeps it for reuse): one benchmark, N runs an hour
apart, each a median of 11 samples with noise CV 2%, level steps of +8% at 30% and
-5% at 70% of the history. Target (exit 1 when missed): every run under 2 s and 300 MB.

Usage: python3 scripts/bench_trend_long.py [--runs 100000] [--repeat 5] [--store PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pbench.history.backends import open_store  # noqa: E402
from pbench.history.fingerprint import machine_from  # noqa: E402
from pbench.history.records import ResultRecord, RunRecord, Samples  # noqa: E402
from pbench.plan.store import store_address  # noqa: E402

SECONDS_TARGET = 2.0
MEGABYTES_TARGET = 300
SAMPLES = 11
T0 = datetime(2020, 1, 1, tzinfo=UTC)


def fill(path: Path, runs: int) -> None:
    rng = random.Random(1)
    machine = machine_from({"cpu": {"model": "bench CPU"}, "pbench_version": "0.1.0"}, "ci-1")
    with open_store(store_address(str(path))) as store:
        for index in range(runs):
            level = 0.01 * (1.08 if index >= 0.3 * runs else 1.0)
            level *= 0.95 if index >= 0.7 * runs else 1.0
            base = level * rng.lognormvariate(0, 0.02)
            times = tuple(base * rng.lognormvariate(0, 0.01) for _ in range(SAMPLES))
            ordered = sorted(times)
            result = ResultRecord(
                benchmark="long", kind="command", command="./long",
                settings={"info": {"type": "command"}, "parameters": {}}, n=SAMPLES,
                unit="runs", median=ordered[SAMPLES // 2], median_low=ordered[2],
                median_high=ordered[8], mean=statistics.fmean(times), mean_low=None,
                mean_high=None, stddev=statistics.stdev(times), min=ordered[0],
                max=ordered[-1], samples=Samples(times=times, rounds=tuple(range(SAMPLES))),
            )  # fmt: skip
            store.save(RunRecord(time=T0 + timedelta(hours=index), commit=f"{index:040x}",
                                 branch="main", dirty=False, machine=machine,
                                 results=[result]))  # fmt: skip


def trend_once(path: Path, runs: int) -> tuple[float, float, int, int]:
    """(seconds, peak MB, points analysed, change points) of one whole command."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "w = time.perf_counter() - t\n"
        "m = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "sys.stderr.write(p.stderr)\n"
        "print(w, m, p.returncode)\n"
        "print(p.stdout)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, sys.executable, "-m", "pbench", "trend", "--store",
         str(path), "--last", str(runs), "--format", "json"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    head, _, body = done.stdout.partition("\n")
    wall, rss, code_ = head.split()
    if int(code_) != 0:
        raise SystemExit(f"pbench trend failed ({code_}): {done.stderr.strip()}")
    data = json.loads(body)
    [trend] = data["trends"] if isinstance(data, dict) else data
    return float(wall), int(rss) / 1024, int(trend["runs"]), len(trend["change_points"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--store", type=Path, help="keep (or reuse) the store here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.store or Path(folder) / "history.db"
        if not path.exists():
            started = time.perf_counter()
            fill(path, args.runs)
            print(f"stored {args.runs:,} runs in {time.perf_counter() - started:.0f} s")
        before = os.getloadavg()[0]
        figures = [trend_once(path, args.runs) for _ in range(args.repeat)]
        after = os.getloadavg()[0]
    walls = [f[0] for f in figures]
    peak = max(f[1] for f in figures)
    print(f"pbench trend --last {args.runs} --format json: {figures[0][2]:,} runs analysed, "
          f"{figures[0][3]} change points; wall median {statistics.median(walls):.2f} s "
          f"(min {min(walls):.2f}, max {max(walls):.2f}, {args.repeat} runs), peak RSS "
          f"{peak:.0f} MB; load average {before:.2f} before, {after:.2f} after "
          f"({os.cpu_count()} cores)")  # fmt: skip
    ok = max(walls) < SECONDS_TARGET and peak < MEGABYTES_TARGET
    print(f"{'PASS' if ok else 'FAIL'} (target: under {SECONDS_TARGET:g} s and "
          f"{MEGABYTES_TARGET} MB)")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
