#!/usr/bin/env python3
"""pbench's own overhead, side by side with hyperfine, in one run.

Prints, for each figure, hyperfine's value, pbench's value and their ratio:
  1. the time each tool *reports* for `true` (no shell, 1000 runs): target within 10%;
  2. the time each reports for `sleep 0.01` (no shell, 100 runs): target within 2%;
  3. the wall time of a whole 1000-run invocation of `true`: target <= 1.15x hyperfine's;
  4. the same for 10,000 runs (--long-runs): target <= 1.15x too, and the peak RSS of
     pbench at 1,000 and at 10,000 runs: memory flat, i.e. the bytes each run adds are
     the run's own record (its measurement, ~1 KB), not a growth of pbench;
  4b. the wall time of `pbench --version`: target < 150 ms;
  5. the wall time of a parameter scan, `-N --runs 2 -P n 1 N -n 'c {n}' true` for
     N = 100, 400, 1000 (one benchmark per value): target <= 2x hyperfine's for N = 1000
     (shorter scans are mostly pbench's start-up); beside it the most threads pbench had
     at once (/proc/PID/task, polled): at most 2 whatever N, its main thread and one
     more (the process-tree sampler while measuring, numpy's BLAS worker after).
The two tools alternate, repetition by repetition, so that drift of the machine hits
both alike; figures are medians over the repetitions. With --cpus both run pinned to
the same CPUs (taskset), commands included. The load average is printed before and
after: on a busy machine the figures say little.

Usage: python3 scripts/bench_overhead.py [--reps N] [--no-sample] [--cpus 1]
       [--scan 100,400,1000] [--only-scan] [--long-runs 10000] [--scan '']
(needs hyperfine: apt-get install hyperfine). pbench runs as users run it, with its
process-tree sampler on; --no-sample turns it off (hyperfine samples nothing).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PBENCH = [sys.executable, "-m", "pbench"]


def reported(tool: list[str], command: str, runs: int, out: Path) -> tuple[float, float]:
    """(median reported by the tool in seconds, wall time of the whole invocation)."""
    args = [*tool, "-N", "--runs", str(runs), "--warmup", "10", "--export-json", str(out), command]
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    result = json.loads(out.read_text())["results"][0]
    return float(result["median"]), wall


def long_run(tool: list[str], runs: int) -> tuple[float, int]:
    """(wall time, peak RSS in bytes) of `-N --runs RUNS true`: the RSS is the kernel's
    ru_maxrss of the tool's process (its launcher and commands are far smaller)."""
    args = [*tool, "-N", "--runs", str(runs), "true"]
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited with {proc.returncode}")
    return wall, usage.ru_maxrss * 1024


def scan(tool: list[str], values: int) -> tuple[float, int]:
    """(wall time, most threads at once) of a scan of ``values`` benchmarks of `true`."""
    args = [*tool, "-N", "--runs", "2", "-P", "n", "1", str(values), "-n", "c {n}", "true"]
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    threads = 0
    while proc.poll() is None:
        with contextlib.suppress(OSError):  # it just ended
            threads = max(threads, len(os.listdir(f"/proc/{proc.pid}/task")))
        time.sleep(0.005)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited with {proc.returncode}")
    return wall, threads


def scans(tools: dict[str, list[str]], values: list[int], reps: int) -> bool:
    """Figure 5: print the scans' wall times side by side; True when within target."""
    walls: dict[tuple[str, int], list[float]] = {}
    threads: dict[tuple[str, int], int] = {}
    for rep in range(reps):
        for n in values:
            for name, tool in tools.items():
                wall, peak = scan(tool, n)
                walls.setdefault((name, n), []).append(wall)
                threads[name, n] = max(threads.get((name, n), 0), peak)
        print(f"scan repetition {rep + 1}/{reps} done", file=sys.stderr)
    print(f"{'scan -N --runs 2 -P n 1 N true':32} {'hyperfine':>10} {'pbench':>10} {'ratio':>7}"
          f"  {'threads (h/p)':>13}  target")  # fmt: skip
    ok = True
    for n in values:
        h = statistics.median(walls["hyperfine", n])
        p = statistics.median(walls["pbench", n])
        few_threads = threads["pbench", n] <= SCAN_THREADS
        if n >= SCAN_RATIO_FROM:
            good = p / h <= SCAN_RATIO and few_threads
            target = f"<= {SCAN_RATIO:g}x, <= {SCAN_THREADS} threads"
        else:  # pbench's start-up (imports, ~0.3 s) is most of a short scan's wall
            good = few_threads
            target = f"<= {SCAN_THREADS} threads (ratio: from N = {SCAN_RATIO_FROM})"
        ok = ok and good
        print(
            f"{f'N = {n} values, wall (s)':32} {h:10.3f} {p:10.3f} {p / h:7.3f}  "
            f"{threads['hyperfine', n]:>6}/{threads['pbench', n]:<6}  "
            f"{target} {'PASS' if good else 'FAIL'}"
        )
    return ok


SCAN_RATIO = 2.0
SCAN_RATIO_FROM = 1000  # the ratio's target holds for scans this long and longer
SCAN_THREADS = 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--no-sample", action="store_true", help="turn pbench's sampler off")
    parser.add_argument("--cpus", help="pin both tools to these CPUs (taskset -c LIST)")
    parser.add_argument("--scan", default="100,400,1000", help="values of the scans (5.)")
    parser.add_argument("--only-scan", action="store_true", help="figure 5 alone")
    parser.add_argument("--long-runs", type=int, default=10_000, help="runs of 4. (0: not)")
    args = parser.parse_args()
    hyperfine = shutil.which("hyperfine")
    if hyperfine is None:
        print("hyperfine is not installed: apt-get install hyperfine", file=sys.stderr)
        return 2
    pin = ["taskset", "-c", args.cpus] if args.cpus else []
    pbench = [*pin, *PBENCH, "--style=none"] + (["--no-sample"] if args.no_sample else [])
    tools = {"hyperfine": [*pin, hyperfine, "--style=none"], "pbench": pbench}
    print(f"pinned to CPUs: {args.cpus or 'no'}; pbench sampler: {not args.no_sample}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    failed = False
    if args.scan:
        failed = not scans(tools, [int(v) for v in args.scan.split(",")], args.reps)
    if args.only_scan:
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return 1 if failed else 0
    version = {"hyperfine": [hyperfine, "--version"], "pbench": [*PBENCH, "--version"]}
    figures: dict[str, dict[str, list[float]]] = {
        name: {"true": [], "sleep": [], "wall1000": [], "wall_long": [], "version": []}
        for name in tools
    }
    rss: dict[int, list[int]] = {1000: [], args.long_runs: []}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.json"
        for rep in range(args.reps):
            for name, tool in tools.items():
                median, wall = reported(tool, "true", 1000, out)
                figures[name]["true"].append(median)
                figures[name]["wall1000"].append(wall)
                figures[name]["sleep"].append(reported(tool, "sleep 0.01", 100, out)[0])
                if args.long_runs:
                    wall, peak = long_run(tool, args.long_runs)
                    figures[name]["wall_long"].append(wall)
                    if name == "pbench":
                        rss[args.long_runs].append(peak)
                        rss[1000].append(long_run(tool, 1000)[1])
                start = time.perf_counter()
                subprocess.run(version[name], check=True, stdout=subprocess.DEVNULL)
                figures[name]["version"].append(time.perf_counter() - start)
            print(f"repetition {rep + 1}/{args.reps} done", file=sys.stderr)
    rows = [
        ("reported median of `true` (ms)", "true", 1e3, 1.10, "within 10%"),
        ("reported median of `sleep 0.01` (ms)", "sleep", 1e3, 1.02, "within 2%"),
        ("wall of a 1000-run invocation (s)", "wall1000", 1.0, WALL_RATIO, f"<= {WALL_RATIO}x"),
        (f"wall of a {args.long_runs}-run invocation (s)", "wall_long", 1.0, WALL_RATIO,
         f"<= {WALL_RATIO}x"),
        ("wall of `--version` (ms)", "version", 1e3, None, "< 150 ms"),
    ]  # fmt: skip
    if not args.long_runs:
        rows = [row for row in rows if row[1] != "wall_long"]
    print(f"{'figure':40} {'hyperfine':>10} {'pbench':>10} {'ratio':>7}  target")
    for label, key, scale, limit, target in rows:
        h = statistics.median(figures["hyperfine"][key]) * scale
        p = statistics.median(figures["pbench"][key]) * scale
        ratio = p / h
        if limit is None:
            ok = p < 150
        elif key in ("true", "sleep"):
            ok = abs(ratio - 1) <= limit - 1
        else:
            ok = ratio <= limit
        failed |= not ok
        verdict = "PASS" if ok else "FAIL"
        print(f"{label:40} {h:10.3f} {p:10.3f} {ratio:7.3f}  {target} {verdict}")
    if args.long_runs:
        small, large = statistics.median(rss[1000]), statistics.median(rss[args.long_runs])
        per_run = (large - small) / (args.long_runs - 1000)
        flat = per_run <= RUN_RECORD_BYTES
        failed |= not flat
        print(
            f"{'pbench peak RSS, 1000 / ' + str(args.long_runs) + ' runs (MB)':40} "
            f"{small / 2**20:10.1f} {large / 2**20:10.1f}  {per_run:5.0f} bytes/run  "
            f"<= {RUN_RECORD_BYTES} bytes/run (a run's record) {'PASS' if flat else 'FAIL'}"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 1 if failed else 0


WALL_RATIO = 1.15
# What one run's record may hold in memory (its Measurement and its metrics): memory
# is flat when each run adds no more than this.
RUN_RECORD_BYTES = 1024


if __name__ == "__main__":
    sys.exit(main())
