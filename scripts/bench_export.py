#!/usr/bin/env python3
"""What exports cost: wall time of many benchmarks with and without --export-json.

Exports are rewritten after each finished benchmark (checkpoints). Rebuilding the whole
report for each one made a run of n benchmarks cost O(n²) (before the fix: 100
benchmarks 5.5 s with --export-json, 1.6 s without). Prints, for each number of
benchmarks (parameter values of ``true {n}``, ``--runs 3``), the median wall time of
the whole invocation without an export, with --export-json, and with all three
formats, and the ratio to the run without. The variants alternate, repetition by
repetition, so that drift of the machine hits all alike.

Usage: python3 scripts/bench_export.py [--sizes 100,1000] [--reps 3] [--order ORDER]
       [--sample]
The process-tree sampler is off by default (--no-sample): with a thousand commands it
costs far more than the exports do, which is not what this measures; --sample keeps it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def wall_time(args: list[str], cwd: Path) -> float:
    env = dict(os.environ, PYTHONPATH=f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pbench", *args],
        check=True, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="numbers of benchmarks")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--order", choices=["interleaved", "sequential"], default="interleaved")
    parser.add_argument("--sample", action="store_true", help="keep the process-tree sampler")
    args = parser.parse_args()
    variants = {
        "without": [],
        "--export-json": ["--export-json", "out.json"],
        "json+csv+md": ["--export-json", "out.json", "--export-csv", "out.csv",
                        "--export-markdown", "out.md"],
    }  # fmt: skip
    print(f"{'benchmarks':>10}  " + "  ".join(f"{name:>18}" for name in variants))
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        for size in (int(text) for text in args.sizes.split(",")):
            base = ["--style", "none", "--runs", "3", "--order", args.order]
            base += [] if args.sample else ["--no-sample"]
            base += ["-L", "n", ",".join(str(i) for i in range(1, size + 1)), "true {n}"]
            times: dict[str, list[float]] = {name: [] for name in variants}
            for _ in range(args.reps):
                for name, extra in variants.items():
                    times[name].append(wall_time([*base, *extra], cwd))
                    if extra:
                        exported = json.loads((cwd / "out.json").read_text())["results"]
                        assert len(exported) == size, "the export lost benchmarks"
            medians = {name: statistics.median(values) for name, values in times.items()}
            cells = [
                f"{medians[name]:7.2f} s ({medians[name] / medians['without']:4.2f}x)"
                for name in variants
            ]
            print(f"{size:>10}  " + "  ".join(f"{cell:>18}" for cell in cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
