#!/usr/bin/env python3
"""pbench's start-up, side by side with hyperfine's, in one run.

Prints, for each figure, hyperfine's value, pbench's value, their ratio and pbench's
target (issue 24):
  1. the wall time of `--version`: target <= 50 ms;
  2. the wall time of `--help`: target <= 50 ms;
  3. from start to the first measured run of `-N --runs 3 true`: target <= 120 ms.
     The first run is timed by running `date +%s%N` in its place (--warmup 0,
     --output inherit): the time from just before the tool is started to the instant
     that run prints;
  4. the wall time of the whole `-N --runs 3 true`.
The two tools alternate, repetition by repetition, so that drift of a busy machine hits
both alike; figures are medians over the repetitions, with /proc/loadavg before and
after (a busy machine makes every figure larger: the ratios are what compare).

Usage: python3 scripts/bench_startup.py [--reps N] [--pbench PATH]
(needs hyperfine: apt-get install hyperfine). pbench is the `pbench` entry point
beside this Python (what a user runs), else `python -m pbench`. Its package is
byte-compiled first, as `pip install` does (with PYTHONDONTWRITEBYTECODE set, an
editable install would otherwise compile every module at every start).
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGETS_MS = {"--version": 50.0, "--help": 50.0, "first run": 120.0, "3 runs of true": None}


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def wall(args: list[str]) -> float:
    """Seconds from start to exit of ``args`` (output discarded)."""
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def first_run(tool: list[str]) -> float:
    """Seconds from just before ``tool`` starts to its first measured run of a command."""
    args = [*tool, "-N", "--runs", "3", "--warmup", "0", "--output", "inherit", "date +%s%N"]
    start = time.time_ns()
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    stamps = [int(line) for line in done.stdout.split() if line.isdigit()]
    if len(stamps) != 3:
        raise SystemExit(f"{tool[0]}: expected 3 runs' output, got {done.stdout!r}")
    return (stamps[0] - start) / 1e9


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=21, help="repetitions (default 21)")
    parser.add_argument("--pbench", help="the pbench command line to measure (default: see above)")
    args = parser.parse_args()
    hyperfine = shutil.which("hyperfine")
    if hyperfine is None:
        print("hyperfine is not installed: apt-get install hyperfine", file=sys.stderr)
        return 2
    entry = shutil.which("pbench", path=str(Path(sys.executable).parent))
    if args.pbench:
        pbench = shlex.split(args.pbench)
    else:
        pbench = [entry] if entry else [sys.executable, "-m", "pbench"]
    tools = {"hyperfine": [hyperfine, "--style=none"], "pbench": [*pbench, "--style=none"]}
    bare = {"hyperfine": [hyperfine], "pbench": pbench}
    figures: dict[str, dict[str, list[float]]] = {
        name: {key: [] for key in TARGETS_MS} for name in tools
    }
    import pbench as package

    compileall.compile_dir(str(Path(package.__file__).parent), quiet=1)
    load_before = _loadavg()
    for name in tools:  # one untimed pass: page cache, .pyc files
        wall([*bare[name], "--version"])
        first_run(tools[name])
    for _ in range(args.reps):
        for name, tool in tools.items():
            figures[name]["--version"].append(wall([*bare[name], "--version"]))
            figures[name]["--help"].append(wall([*bare[name], "--help"]))
            figures[name]["first run"].append(first_run(tool))
            figures[name]["3 runs of true"].append(wall([*tool, "-N", "--runs", "3", "true"]))
    load_after = _loadavg()
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"pbench start-up vs hyperfine: median of {args.reps} interleaved repetitions")
    print(
        f"measured {today}, {os.cpu_count()} CPUs, loadavg before {load_before}, "
        f"after {load_after}; pbench = {' '.join(pbench)}"
    )
    print()
    print(
        f"| {'figure':<22} | {'hyperfine':>10} | {'pbench':>10} | {'ratio':>7} | {'target':>13} |"
    )
    print(f"|{'-' * 24}|{'-' * 11}:|{'-' * 11}:|{'-' * 8}:|{'-' * 14}:|")
    status = 0
    for key, target in TARGETS_MS.items():
        h = statistics.median(figures["hyperfine"][key]) * 1e3
        p = statistics.median(figures["pbench"][key]) * 1e3
        met = "" if target is None else f"{'<=' if p <= target else 'MISSED'} {target:.0f} ms"
        if target is not None and p > target:
            status = 1
        label = {"first run": "start to first run"}.get(key, key)
        print(f"| {label:<22} | {h:>7.1f} ms | {p:>7.1f} ms | {p / h:>6.1f}x | {met:>13} |")
    return status


if __name__ == "__main__":
    sys.exit(main())
