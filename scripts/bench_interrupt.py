#!/usr/bin/env python3
"""How fast an interrupted parameter scan ends: SIGTERM and SIGINT at random moments.

Runs `pbench -N --runs 2 -P n 1 N -n 'c {n}' true --export-json FILE` again and again
and sends SIGTERM or SIGINT (in turn) at a random, seeded moment of the scan (counted
from the moment its launcher appears). For each trial it prints the time from the
signal to pbench's exit, the exit status, what the export holds and whether any
process pbench started survived. Target: every trial ends within 1 s with status 130,
leaves nothing running and an export that holds finished benchmarks whole (the others
marked interrupted).

Usage: python3 scripts/bench_interrupt.py [--values 1000] [--trials 20] [--seed 1]
       [--max-delay 2.5]
       [--cpus 0]   (pin pbench to these CPUs with taskset, as for a comparison)
Exit status 0 when every trial meets the target, 1 otherwise.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

TARGET_S = 1.0
PBENCH = [sys.executable, "-m", "pbench"]


def scan(values: int, out: Path, cpus: str | None) -> list[str]:
    pin = ["taskset", "-c", cpus] if cpus and shutil.which("taskset") else []
    args = ["-N", "--runs", "2", "-P", "n", "1", str(values), "-n", "c {n}", "true"]
    return [*pin, *PBENCH, "--style", "none", *args, "--export-json", str(out)]


def wait_for_launcher(proc: subprocess.Popen[bytes]) -> psutil.Process | None:
    """The scan's launcher, once pbench started it (None if pbench ended first)."""
    me = psutil.Process(proc.pid)
    while proc.poll() is None:
        for child in me.children(recursive=True):
            try:
                if child.name().startswith("launcher") or "pbench-launcher" in child.cmdline():
                    return child
            except psutil.Error:
                continue
        time.sleep(0.002)
    return None


def export_holds(out: Path) -> str:
    """What the export holds: counts of (stop reason, runs), or what is wrong with it."""
    if not out.exists():
        return "no export"
    try:
        results = json.loads(out.read_text())["results"]
    except (ValueError, KeyError) as exc:
        return f"BROKEN export: {exc}"
    kinds = collections.Counter((r["stop_reason"], len(r["times"])) for r in results)
    whole = all(
        (reason == "runs" and runs == 2) or (reason == "interrupted" and runs < 2)
        for reason, runs in kinds
    )
    text = ", ".join(f"{n} {reason} ({runs} runs)" for (reason, runs), n in sorted(kinds.items()))
    return text if whole else f"INCOMPLETE: {text}"


def trial(
    values: int, delay: float, signum: int, cpus: str | None
) -> tuple[float, int, str, int] | None:
    """(seconds from signal to exit, exit status, export, survivors); None when the scan
    ended before the signal."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "scan.json"
        proc = subprocess.Popen(
            scan(values, out, cpus), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        launcher = wait_for_launcher(proc)
        time.sleep(delay)
        if proc.poll() is not None:
            return None  # the scan ended before the signal: no trial
        family = psutil.Process(proc.pid).children(recursive=True)
        sent = time.perf_counter()
        proc.send_signal(signum)
        status = proc.wait()
        ended = time.perf_counter() - sent
        if launcher is not None:
            family.append(launcher)
        deadline = time.monotonic() + 2.0
        alive = [p for p in family if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        while alive and time.monotonic() < deadline:
            time.sleep(0.05)
            alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        return ended, status, export_holds(out), len(alive)


def main() -> int:
    # Started in the background by a non-interactive shell, this script (and pbench,
    # which inherits it) would ignore SIGINT, as such a shell's jobs do: pbench, like
    # any program, leaves an ignored SIGINT ignored. Reset it, so SIGINT is tested.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--values", type=int, default=1000, help="benchmarks in the scan")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=2.5, help="latest signal, s")
    parser.add_argument("--cpus", help="taskset CPU list for pbench, e.g. 0")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"pbench -N --runs 2 -P n 1 {args.values} true, {args.trials} trials, seed {args.seed}")
    print(f"pinned to CPUs: {args.cpus or 'no'}; load average before: {os.getloadavg()}")
    times: list[float] = []
    ok = True
    for i in range(args.trials):
        signum = signal.SIGTERM if i % 2 == 0 else signal.SIGINT
        delay = rng.uniform(0.0, args.max_delay)
        name = signal.Signals(signum).name
        outcome = trial(args.values, delay, signum, args.cpus)
        if outcome is None:
            print(f"  {i + 1:2d} {name:7s} at {delay:5.3f} s: the scan had ended (no trial)")
            continue
        ended, status, holds, survivors = outcome
        good = ended < TARGET_S and status == 130 and survivors == 0
        good = good and not holds.startswith(("BROKEN", "INCOMPLETE", "no export"))
        ok = ok and good
        times.append(ended)
        print(
            f"  {i + 1:2d} {name:7s} at {delay:5.3f} s: ended in {ended * 1000:6.1f} ms, "
            f"status {status}, {survivors} left running; export: {holds}"
            f"{'' if good else '  FAIL'}"
        )
    if not times:
        print("no trial: every scan ended before its signal (lower --max-delay)")
        return 1
    print(
        f"signal to exit: median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms (target < {TARGET_S * 1000:.0f} ms)  "
        f"{'PASS' if ok else 'FAIL'}"
    )
    print(f"load average after: {os.getloadavg()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
