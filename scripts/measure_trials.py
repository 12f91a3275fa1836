#!/usr/bin/env python3
"""Which ``--measure`` survives a noisy machine? A/A and 1% trials for instructions,
CPU time and wall time, side by side (issue 25); and what Valgrind costs.

Trials. A small C program (compiled here with gcc into a temporary folder) adds to a
volatile counter N times. Each trial is one interleaved invocation of pbench, as a
user runs it, comparing a candidate with a baseline named by ``--reference``:

  pbench run -N --measure M --runs R --export-json F \\
      --reference './loop 1000000' -n cand './loop 1000000'      # A/A
      --reference './loop 1000000' -n cand './loop 1010000'      # 1% more work

and reads the candidate's verdict (slower, faster, same, inconclusive) from the JSON.
The targets: A/A called different (slower or faster) in 0 of 20 trials, the 1% change
caught (slower) in 20 of 20, for instructions. A 1% change of work is a 0.98% change
of the whole program's count (the loader and libc start-up do not change): each
measure is compared at its default noise threshold (0.1% for counts, 1% for times),
or at ``--threshold T`` for all alike.

Run it beside two CPU-bound processes, as on a shared CI runner:

  python3 scripts/busy.py python3 scripts/measure_trials.py [--trials 20]

busy.py tells the script, which prints it beside /proc/loadavg before and after.

``--cost``: the median wall time of a C binary, a Python script and a shell pipeline
run natively (``--measure wall``) and under Valgrind (``--measure instructions``), and
the ratio (Valgrind's slowdown). Exit status 0 when the instruction targets are met
(or with --cost only), else 1.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pbench.cli import run_cli  # noqa: E402

LOOP_C = r"""
#include <stdlib.h>
int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    volatile long sum = 0;
    for (long i = 0; i < n; i++) sum += i;
    return 0;
}
"""
BASE, CHANGED = 1_000_000, 1_010_000
MEASURES = ("instructions", "cpu", "wall")
# Runs per benchmark and trial: counts are exact, so five (the fewest a verdict needs)
# do; times need more to see 1%.
RUNS = {"instructions": 5, "cpu": 30, "wall": 30}
THRESHOLD: str | None = None  # --threshold: None, each measure's default
VERDICTS = ("slower", "faster", "same", "inconclusive")


def compile_loop(folder: Path) -> Path:
    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        sys.exit("measure_trials.py: needs gcc (apt-get install gcc)")
    source = folder / "loop.c"
    source.write_text(LOOP_C)
    program = folder / "loop"
    subprocess.run([gcc, "-O1", "-o", str(program), str(source)], check=True)
    return program


def pbench(*args: str) -> int:
    """``pbench ARGS`` in this process, its output swallowed; the exit status."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return run_cli(list(args))


def trial(program: Path, measure: str, candidate: int, out: Path, runs: int) -> str:
    """One interleaved invocation: the candidate's verdict against the reference."""
    code = pbench(
        "run", "-N", "--measure", measure, "--runs", str(runs),
        *(("--threshold", THRESHOLD) if THRESHOLD is not None else ()),
        "--style", "none", "--export-json", str(out),
        "--reference", f"{program} {BASE}", "-n", "cand", f"{program} {candidate}",
    )  # fmt: skip
    if code not in (0, 3):
        return f"error (exit {code})"
    data = json.loads(out.read_text())
    found = [c for c in data.get("comparisons", []) if c.get("name") == "cand"]
    return str(found[0]["verdict"]) if found else "no comparison"


def run_trials(
    program: Path, folder: Path, trials: int, measures: list[str]
) -> dict[tuple[str, str], Counter[str]]:
    table: dict[tuple[str, str], Counter[str]] = {}
    for measure in measures:
        for case, candidate in (("A/A", BASE), ("1% more work", CHANGED)):
            started = time.monotonic()
            verdicts = Counter(
                trial(program, measure, candidate, folder / f"{measure}-{i}.json", RUNS[measure])
                for i in range(trials)
            )
            table[(measure, case)] = verdicts
            took = time.monotonic() - started
            print(f"  {measure:12} {case:13} {dict(verdicts)}  ({took:.0f} s)",
                  file=sys.stderr, flush=True)  # fmt: skip
    return table


def wall_median(out: Path) -> float:
    entry = json.loads(out.read_text())["results"][0]
    return float(statistics.median(m["wall"] for m in entry["measurements"]))


def cost(folder: Path, program: Path, runs: int) -> list[tuple[str, float, float]]:
    """(command, native median wall, median wall under Valgrind) of three commands."""
    script = folder / "work.py"
    script.write_text("total = 0\nfor i in range(200_000):\n    total += i\n")
    commands = [
        ("C binary", ["-N", f"{program} 10000000"]),
        ("Python script", ["-N", f"{sys.executable} {script}"]),
        ("shell pipeline", ["seq 100000 | sort -rn | head -1"]),
    ]
    rows = []
    for label, args in commands:
        native, counted = folder / "native.json", folder / "counted.json"
        for measure, out, n in (("wall", native, 10), ("instructions", counted, runs)):
            code = pbench("run", "--measure", measure, "--runs", str(n), "--style", "none",
                          "--export-json", str(out), *args)  # fmt: skip
            if code != 0:
                sys.exit(f"measure_trials.py: {label} under --measure {measure}: exit {code}")
        rows.append((label, wall_median(native), wall_median(counted)))
        print(f"  {label}: {rows[-1][1] * 1e3:.1f} ms native, {rows[-1][2]:.2f} s under "
              "Valgrind", file=sys.stderr, flush=True)  # fmt: skip
    return rows


def load() -> str:
    with contextlib.suppress(OSError):
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20, help="trials per case (default 20)")
    parser.add_argument(
        "--measures",
        default=",".join(MEASURES),
        help="comma-separated, of instructions,cpu,wall (default all)",
    )
    parser.add_argument(
        "--threshold", help="one noise threshold for every measure (default: each one's own)"
    )
    parser.add_argument("--cost", action="store_true", help="measure Valgrind's slowdown too")
    parser.add_argument("--cost-only", action="store_true", help="only the slowdown")
    parser.add_argument(
        "--cost-runs",
        type=int,
        default=3,
        help="runs under Valgrind per command for --cost (default 3)",
    )
    args = parser.parse_args()
    global THRESHOLD
    THRESHOLD = args.threshold
    measures = [m for m in args.measures.split(",") if m]
    if any(m not in MEASURES for m in measures):
        parser.error(f"--measures: choose among {', '.join(MEASURES)}")
    burners = os.environ.get("BUSY_BURNERS", "0")
    cores = os.cpu_count()
    print(f"setup: {cores} cores, {burners} CPU-bound processes beside (scripts/busy.py), "
          f"load before {load()}", flush=True)  # fmt: skip
    ok = True
    with tempfile.TemporaryDirectory(prefix="pbench-measure-") as tmp:
        folder = Path(tmp)
        program = compile_loop(folder)
        if not args.cost_only:
            table = run_trials(program, folder, args.trials, measures)
            shown = THRESHOLD or "each measure's default (0.1% counts, 1% times)"
            print(f"\n{args.trials} trials per cell, threshold {shown}, interleaved runs; "
                  f"load after {load()}\n")  # fmt: skip
            print("| measure | runs per side | A/A called different | 1% change caught |")
            print("|---|---:|---:|---:|")
            for measure in measures:
                aa, ab = table[(measure, "A/A")], table[(measure, "1% more work")]
                different = aa["slower"] + aa["faster"]
                caught = ab["slower"]
                print(
                    f"| {measure} | {RUNS[measure]} | {different} of {args.trials} "
                    f"({_rest(aa)}) | {caught} of {args.trials} ({_rest(ab)}) |"
                )
                if measure == "instructions":
                    ok = different == 0 and caught == args.trials
        if args.cost or args.cost_only:
            rows = cost(folder, program, args.cost_runs)
            print(f"\nValgrind's slowdown (median wall time; load after {load()})\n")
            print("| command | native | under Valgrind | slowdown |")
            print("|---|---:|---:|---:|")
            for label, native, counted in rows:
                print(
                    f"| {label} | {native * 1e3:.1f} ms | {counted:.2f} s | "
                    f"{counted / native:.0f}x |"
                )
    return 0 if ok else 1


def _rest(verdicts: Counter[str]) -> str:
    return ", ".join(f"{verdicts[v]} {v}" for v in VERDICTS if verdicts[v]) or "none"


if __name__ == "__main__":
    sys.exit(main())
