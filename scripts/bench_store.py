#!/usr/bin/env python3
"""The history store at size: 100,000 saved results (200 benchmarks x 500 runs, 30
samples each), then the time of one benchmark's series (what ``pbench trend`` reads
before its change-point detection), one result's samples, the SQLite file's size, and
``pbench trend NAME`` itself: in process (reading the series and analysing it:
history.trend.read_trends) and as a whole command in a fresh Python (a subprocess:
start-up, imports, the store, the analysis and the table).

Usage: python3 scripts/bench_store.py [--postgres] [--benchmarks N] [--runs N]
Targets: series() of one benchmark on one machine (500 points) under 100 ms, and the
whole ``pbench trend NAME`` command under 1 s (the exit code says whether both held).
With --postgres the same on a throw-away PostgreSQL server (scripts/pgserver.py).
"""

from __future__ import annotations

import argparse
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
from pbench.history.store import Store  # noqa: E402
from pbench.history.trend import read_trends  # noqa: E402
from pbench.plan.store import store_address  # noqa: E402

TARGET_S = 0.1
TREND_TARGET_S = 1.0
SAMPLES = 30
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def run_record(index: int, benchmarks: int, rng: random.Random) -> RunRecord:
    machine = machine_from({"cpu": {"model": "bench CPU"}, "pbench_version": "0.1.0"}, "ci-1")
    results = []
    for b in range(benchmarks):
        base = 0.001 * (1 + b % 50)
        times = tuple(base * rng.lognormvariate(0, 0.02) for _ in range(SAMPLES))
        ordered = sorted(times)
        median = ordered[SAMPLES // 2]
        results.append(
            ResultRecord(
                benchmark=f"bench-{b:03d}", kind="command", command=f"./bench {b}",
                settings={"info": {"type": "command"}, "parameters": {}}, n=SAMPLES,
                unit="runs", median=median, median_low=ordered[9], median_high=ordered[20],
                mean=statistics.fmean(times), mean_low=None, mean_high=None,
                stddev=statistics.stdev(times), min=ordered[0], max=ordered[-1],
                samples=Samples(times=times, rounds=tuple(range(SAMPLES))),
            )
        )  # fmt: skip
    return RunRecord(
        time=T0 + timedelta(hours=index),
        commit=f"{index:040x}",
        branch="main",
        dirty=False,
        machine=machine,
        results=results,
    )


def measure(store: Store, label: str, benchmarks: int, runs: int) -> bool:
    rng = random.Random(1)
    started = time.perf_counter()
    for index in range(runs):
        store.save(run_record(index, benchmarks, rng))
    filled = time.perf_counter() - started
    print(f"{label}: saved {runs} runs x {benchmarks} benchmarks = {runs * benchmarks:,} "
          f"results in {filled:.1f} s ({runs * benchmarks / filled:,.0f} results/s)")  # fmt: skip
    fingerprint = store.machines("ci-1")[0].fingerprint
    timings = []
    for _ in range(20):
        name = f"bench-{rng.randrange(benchmarks):03d}"
        started = time.perf_counter()
        points = store.series(name, machine=fingerprint, branch="main")
        timings.append(time.perf_counter() - started)
        assert len(points) == runs, (name, len(points))
    limited = []
    for _ in range(20):
        started = time.perf_counter()
        store.series("bench-007", machine=fingerprint, limit=100)
        limited.append(time.perf_counter() - started)
    started = time.perf_counter()
    store.samples(points[-1].result_id)
    one = time.perf_counter() - started
    median = statistics.median(timings)
    print(f"{label}: series() of one benchmark ({runs} points): median {median * 1e3:.2f} ms, "
          f"max {max(timings) * 1e3:.2f} ms; with limit=100: {statistics.median(limited) * 1e3:.2f}"
          f" ms; one result's samples: {one * 1e3:.2f} ms")  # fmt: skip
    ok = median < TARGET_S
    print(f"{label}: {'PASS' if ok else 'FAIL'} (target: series under {TARGET_S * 1e3:.0f} ms)")
    return ok


def measure_trend(store: Store, url: str, label: str, benchmarks: int) -> bool:
    """``pbench trend NAME``: the analysis in process, and the whole command."""
    rng = random.Random(2)
    machines = store.machines()
    analysed = []
    for _ in range(10):
        name = f"bench-{rng.randrange(benchmarks):03d}"
        started = time.perf_counter()
        [trend] = read_trends(store, [name], machines)
        analysed.append(time.perf_counter() - started)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    commands = []
    for _ in range(5):
        name = f"bench-{rng.randrange(benchmarks):03d}"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pbench", "trend", "--store", url, name],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        commands.append(time.perf_counter() - started)
        if done.returncode != 0 or not done.stdout.startswith(name):
            print(f"{label}: pbench trend failed ({done.returncode}): {done.stderr.strip()}")
            return False
    version = subprocess.run([sys.executable, "-m", "pbench", "--version"], env=env,
                             capture_output=True, check=False)  # fmt: skip
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pbench", "--version"], env=env, capture_output=True,
                   check=version.returncode == 0)  # fmt: skip
    startup = time.perf_counter() - started
    whole = statistics.median(commands)
    print(f"{label}: pbench trend NAME ({len(trend.points)} runs, {len(trend.changes)} change "
          f"points): in process median {statistics.median(analysed) * 1e3:.1f} ms, max "
          f"{max(analysed) * 1e3:.1f} ms; the whole command median {whole * 1e3:.0f} ms, max "
          f"{max(commands) * 1e3:.0f} ms (pbench --version: {startup * 1e3:.0f} ms)")  # fmt: skip
    ok = whole < TREND_TARGET_S
    print(f"{label}: {'PASS' if ok else 'FAIL'} (target: pbench trend NAME under "
          f"{TREND_TARGET_S:g} s)")  # fmt: skip
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmarks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--postgres", action="store_true", help="also on a PostgreSQL server")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.db"
        with open_store(store_address(str(path))) as store:
            ok &= measure(store, "SQLite", args.benchmarks, args.runs)
            ok &= measure_trend(store, str(path), "SQLite", args.benchmarks)
        size = sum(p.stat().st_size for p in Path(folder).iterdir())
        print(f"SQLite: file size {size / 2**20:.1f} MiB (with its WAL)")
    if args.postgres:
        sys.path.insert(0, str(ROOT / "scripts"))
        from pgserver import PostgresServer

        with PostgresServer.start() as server, open_store(store_address(server.dsn())) as store:
            ok &= measure(store, "PostgreSQL", args.benchmarks, args.runs)
            ok &= measure_trend(store, server.dsn(), "PostgreSQL", args.benchmarks)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
