#!/usr/bin/env python3
"""pbench's own overhead, side by side with hyperfine, in one run.

Prints, for each figure, hyperfine's value, pbench's value and their ratio:
  1. the time each tool *reports* for `true` (no shell, 1000 runs): target within 10%;
  2. the time each reports for `sleep 0.01` (no shell, 100 runs): target within 2%;
  3. the wall time of a whole 1000-run invocation of `true`: target <= 1.5x hyperfine's;
  4. the wall time of `pbench --version`: target < 150 ms.
The two tools alternate, repetition by repetition, so that drift of the machine hits
both alike; figures are medians over the repetitions.

Usage: python3 scripts/bench_overhead.py [--reps N] [--no-sample]
(needs hyperfine: apt-get install hyperfine). pbench runs as users run it, with its
process-tree sampler on; --no-sample turns it off (hyperfine samples nothing).
"""

from __future__ import annotations

import argparse
import json
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--no-sample", action="store_true", help="turn pbench's sampler off")
    args = parser.parse_args()
    hyperfine = shutil.which("hyperfine")
    if hyperfine is None:
        print("hyperfine is not installed: apt-get install hyperfine", file=sys.stderr)
        return 2
    pbench = [*PBENCH, "--style=none"] + (["--no-sample"] if args.no_sample else [])
    tools = {"hyperfine": [hyperfine, "--style=none"], "pbench": pbench}
    version = {"hyperfine": [hyperfine, "--version"], "pbench": [*PBENCH, "--version"]}
    figures: dict[str, dict[str, list[float]]] = {
        name: {"true": [], "sleep": [], "wall1000": [], "version": []} for name in tools
    }
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.json"
        for rep in range(args.reps):
            for name, tool in tools.items():
                median, wall = reported(tool, "true", 1000, out)
                figures[name]["true"].append(median)
                figures[name]["wall1000"].append(wall)
                figures[name]["sleep"].append(reported(tool, "sleep 0.01", 100, out)[0])
                start = time.perf_counter()
                subprocess.run(version[name], check=True, stdout=subprocess.DEVNULL)
                figures[name]["version"].append(time.perf_counter() - start)
            print(f"repetition {rep + 1}/{args.reps} done", file=sys.stderr)
    rows = [
        ("reported median of `true` (ms)", "true", 1e3, 1.10, "within 10%"),
        ("reported median of `sleep 0.01` (ms)", "sleep", 1e3, 1.02, "within 2%"),
        ("wall of a 1000-run invocation (s)", "wall1000", 1.0, 1.5, "<= 1.5x"),
        ("wall of `--version` (ms)", "version", 1e3, None, "< 150 ms"),
    ]
    print(f"{'figure':40} {'hyperfine':>10} {'pbench':>10} {'ratio':>7}  target")
    failed = False
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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
