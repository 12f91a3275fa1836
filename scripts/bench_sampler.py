#!/usr/bin/env python3
"""Show that the process-tree sampler does not distort what it measures.

(a) Wall time of a CPU-bound single-threaded child (~200 ms of CPU), spawned with
    os.posix_spawn and reaped with os.wait4, with the sampler on and off, in
    interleaved rounds (order rotating): the medians must differ by < 1%. A second
    "off" arm in every round shows the noise floor of the machine (an A/A test).
(b) CPU used by the sampler thread itself (its /proc/self/task/TID/schedstat) while it
    follows a long-lived tree at the default 10 ms interval: must be < 5% of one core.

Usage: python3 scripts/bench_sampler.py [--runs 30] [--burn-ms 200] [--seconds 3]
Exit status 0 when both targets are met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from pbench.targets.command.sampler import TreeSampler

WALL_TARGET = 0.01  # |median on / median off - 1|
CPU_TARGET = 5.0  # % of one core


def burner(loops: int) -> list[str]:
    return [sys.executable, "-I", "-S", "-c", f"for _ in range({loops}): pass"]


def timed_run(argv: list[str], sampler: TreeSampler | None) -> tuple[float, float]:
    """(wall, CPU) seconds of one run, wall from spawn to reap; the sampler brackets the
    run as the command target does."""
    start = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, {})
    if sampler is not None:
        sampler.begin(pid)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter_ns() - start
    if sampler is not None:
        sampler.end()
    if status != 0:
        raise SystemExit(f"burner failed with status {status}")
    return elapsed / 1e9, usage.ru_utime + usage.ru_stime


def calibrate(burn_s: float) -> int:
    """Loop count for which the burner's CPU time (its wall time on an idle core) is
    about burn_s; CPU rather than wall, so that other work on the machine does not
    shrink the burner."""
    loops = 1_000_000
    base = min(timed_run(burner(0), None)[1] for _ in range(3))
    with_loops = min(timed_run(burner(loops), None)[1] for _ in range(3))
    per_loop = max(with_loops - base, 1e-3) / loops
    return max(int((burn_s - base) / per_loop), loops)


@dataclass(frozen=True)
class WallOverhead:
    wall_off: float  # medians, seconds
    wall_on: float
    cpu_off: float
    cpu_on: float
    wall_off_again: float  # a second, identical "off" arm: the A/A noise floor
    paired: float  # median of on/off wall ratios of runs next to each other, minus 1

    @property
    def difference(self) -> float:
        return self.wall_on / self.wall_off - 1

    @property
    def noise_floor(self) -> float:
        return self.wall_off_again / self.wall_off - 1


def wall_overhead(runs: int, burn_s: float) -> WallOverhead:
    """Interleaved rounds of three runs (off, on, off again), rotating their order."""
    argv = burner(calibrate(burn_s))
    sampler = TreeSampler()
    arms: dict[str, list[tuple[float, float]]] = {"off": [], "on": [], "again": []}
    rotations = (("off", "on", "again"), ("on", "again", "off"), ("again", "off", "on"))
    try:
        timed_run(argv, sampler)  # warm up: start the thread, fill the page cache
        timed_run(argv, None)
        for i in range(runs):
            for arm in rotations[i % 3]:
                arms[arm].append(timed_run(argv, sampler if arm == "on" else None))
    finally:
        sampler.close()
    off, on, again = arms["off"], arms["on"], arms["again"]
    return WallOverhead(
        wall_off=statistics.median(w for w, _ in off),
        wall_on=statistics.median(w for w, _ in on),
        cpu_off=statistics.median(c for _, c in off),
        cpu_on=statistics.median(c for _, c in on),
        wall_off_again=statistics.median(w for w, _ in again),
        paired=statistics.median(b[0] / a[0] for a, b in zip(off, on, strict=True)) - 1,
    )


def thread_cpu_ns(native_id: int) -> int:
    with open(f"/proc/self/task/{native_id}/schedstat") as f:
        return int(f.read().split()[0])


def long_lived_tree(processes: int) -> int:
    """A shell with `processes - 2` sleeping children and a python child with 4 threads."""
    sleeps = " ".join(["sleep 600 &"] * (processes - 2))
    threads = (
        "import threading, time; "
        "[threading.Thread(target=time.sleep, args=(600,)).start() for _ in range(3)]; "
        "time.sleep(600)"
    )
    script = f"{sleeps} {sys.executable} -I -S -c '{threads}' & wait"
    pid = os.posix_spawn("/bin/sh", ["sh", "-c", script], {}, setpgroup=0)
    time.sleep(0.5)  # let the tree form
    return pid


def sampler_cpu(processes: int, seconds: float) -> tuple[float, float, float]:
    """Sampler thread CPU (% of one core), samples per second and µs per sample."""
    root = long_lived_tree(processes)
    sampler = TreeSampler()
    try:
        begun = time.monotonic()
        sampler.begin(root)
        time.sleep(0.05)
        (thread,) = [t for t in threading.enumerate() if t.name == "pbench-sampler"]
        assert thread.native_id is not None
        cpu0, wall0 = thread_cpu_ns(thread.native_id), time.monotonic()
        time.sleep(seconds)
        cpu1, wall1 = thread_cpu_ns(thread.native_id), time.monotonic()
        os.killpg(root, signal.SIGTERM)
        os.waitpid(root, 0)
        metrics = sampler.end()
        ended = time.monotonic()
    finally:
        sampler.close()
    if metrics.get("threads_peak", 0) < processes + 3:
        raise SystemExit(f"the sampler did not see the whole tree: {dict(metrics)}")
    samples = metrics["samples"]
    percent = (cpu1 - cpu0) / 1e9 / (wall1 - wall0) * 100
    per_second = samples / (ended - begun)
    return percent, per_second, (cpu1 - cpu0) / 1e3 / (per_second * (wall1 - wall0))


def load_average() -> str:
    """Other work on the machine shows in (a); say how much there was."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="runs with and without (each)")
    parser.add_argument("--burn-ms", type=float, default=200.0, help="burner wall time")
    parser.add_argument("--seconds", type=float, default=3.0, help="sampling time for (b)")
    args = parser.parse_args()
    if not sys.platform.startswith("linux"):
        print("bench_sampler: Linux only (the sampler reads /proc)", file=sys.stderr)
        return 1

    print(f"(a) CPU-bound child, {args.runs} interleaved runs each, os.posix_spawn + os.wait4")
    print(f"    load average before: {load_average()}")
    r = wall_overhead(args.runs, args.burn_ms / 1000)
    print("                    sampler off   sampler on")
    print(f"    median wall    {r.wall_off * 1000:9.2f} ms {r.wall_on * 1000:9.2f} ms")
    print(f"    median CPU     {r.cpu_off * 1000:9.2f} ms {r.cpu_on * 1000:9.2f} ms")
    wall_ok = abs(r.difference) < WALL_TARGET
    print(
        f"    wall difference of medians: {r.difference:+.2%}"
        f" (target < ±{WALL_TARGET:.0%})  {verdict(wall_ok)}"
    )
    print(f"    median of paired on/off wall ratios: {r.paired:+.2%} (for information)")
    print(f"    A/A noise floor, off vs off again: {r.noise_floor:+.2%} (for information)")
    print(f"    load average after: {load_average()}")

    print(f"(b) sampler thread CPU at the default 10 ms interval, {args.seconds:g} s per tree")
    cpu_ok = True
    for processes in (4, 16):
        percent, rate, per_sample = sampler_cpu(processes, args.seconds)
        ok = percent < CPU_TARGET
        cpu_ok = cpu_ok and ok
        print(
            f"    tree of {processes:2d} processes: {percent:5.2f}% of one core, "
            f"{rate:5.1f} samples/s, {per_sample:6.1f} µs CPU per sample "
            f"(target < {CPU_TARGET:g}%)  {verdict(ok)}"
        )
    return 0 if wall_ok and cpu_ok else 1


if __name__ == "__main__":
    sys.exit(main())
