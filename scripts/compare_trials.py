#!/usr/bin/env python3
"""How often does ``pbench compare`` call two separate runs of the SAME thing different?

Issue 8: two separate ``pbench http`` runs of one nginx endpoint were called "faster"
and "slower" by ``pbench compare``, because the machine changes between runs and a
one-run-per-side interval has no term for that. This script measures the false-verdict
rate of separate runs, with one result file per side and with three per side:

1. collect N separate runs (result files) of one thing: ``--url URL`` runs
   ``pbench http URL -d 2s --export-json FILE`` N times; ``--command CMD`` runs
   ``pbench run CMD --export-json FILE`` N times; without either, a synthetic
   generator writes load-run files whose runs differ by a random per-run offset
   (``--run-sd``, the machine) on top of slice noise (``--within-sd``);
2. judge every pair of distinct runs one file against one (A/A), and ``--trials``
   random disjoint draws of three files against three (seeded), with
   ``pbench compare`` at the default settings;
3. print, per files-per-side, the verdict counts, the false-verdict rate (slower or
   faster; the target is at most alpha, 5%), and how often the interval alone lies
   beyond the ±1% threshold (what one-file comparisons said before issue 8).

Usage:
  python3 scripts/compare_trials.py                      # synthetic, 30 runs
  python3 scripts/compare_trials.py --url http://127.0.0.1:8080/ --runs 12
  python3 scripts/compare_trials.py --command 'sleep 0.01' --runs 12
The 3-vs-3 draws share runs, so they are not independent: collect more runs for a
firmer rate. Exit status 0 when three files per side stay within 5% false verdicts up
to two binomial standard errors of the estimate (5% + 2·√(0.05·0.95/trials)), else 1.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import math
import os
import random
import shlex
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pbench.cli import run_cli  # noqa: E402

VERDICTS = ("slower", "faster", "same", "inconclusive")
THRESHOLD = 0.01
TARGET = 0.05


def pbench_run(args: list[str], export: Path) -> None:
    """One separate pbench run, exported to ``export``; stdout and stderr discarded."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "pbench", *args, "--style", "none",
               "--export-json", str(export)]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if not export.exists():
        sys.exit(f"compare_trials: {shlex.join(command)} failed:\n{done.stderr}")


def synthetic_run(path: Path, rng: random.Random, args: argparse.Namespace) -> None:
    """A load-run file: ``--slices`` slice medians around 1 ms, one per round."""
    offset = math.exp(rng.gauss(0.0, args.run_sd))
    walls = [0.001 * offset * math.exp(rng.gauss(0.0, args.within_sd)) for _ in range(args.slices)]
    result = {
        "command": "GET /",
        "name": "GET /",
        "times": walls,
        "measurements": [{"wall": w, "round": i} for i, w in enumerate(walls)],
        "load": {"synthetic": True},
    }
    path.write_text(json.dumps({"schema_version": 1, "metadata": {}, "results": [result]}))


def collect(folder: Path, args: argparse.Namespace) -> list[Path]:
    rng = random.Random(args.seed)
    extra = shlex.split(args.pbench_args)
    paths = []
    for i in range(args.runs):
        path = folder / f"run-{i:03d}.json"
        if args.url:
            pbench_run(["http", args.url, "-d", args.duration, *extra], path)
        elif args.command:
            pbench_run(["run", args.command, *extra], path)
        else:
            synthetic_run(path, rng, args)
        paths.append(path)
        print(f"\rrun {i + 1}/{args.runs}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return paths


def judge(base: list[Path], cand: list[Path]) -> list[dict[str, Any]]:
    """``pbench compare`` of the two sides: every benchmark's comparison dict."""
    args = [a for p in base for a in ("--baseline", str(p))]
    args += [a for p in cand for a in ("--candidate", str(p))]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = run_cli(["compare", *args, "--export-json", "-"])
    if status not in (0, 3, 5):
        sys.exit(f"compare_trials: pbench compare exited {status}:\n{err.getvalue()}")
    document = json.loads(out.getvalue())
    return [b["comparison"] for b in document["benchmarks"]]


def tally(comparisons: list[dict[str, Any]]) -> tuple[Counter[str], int]:
    verdicts: Counter[str] = Counter(c["verdict"] for c in comparisons)
    beyond = 0
    for c in comparisons:
        low, high = c["ratio_median_ci"]
        beyond += (
            low is not None and high is not None and (low > 1 + THRESHOLD or high < 1 - THRESHOLD)
        )
    return verdicts, beyond


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--url", help="run 'pbench http URL -d DURATION' as separate runs")
    source.add_argument("--command", help="run 'pbench run COMMAND' as separate runs")
    parser.add_argument("--duration", default="2s", help="-d of each http run (default 2s)")
    parser.add_argument("--pbench-args", default="", help="extra arguments for each run")
    parser.add_argument("--runs", type=int, default=30, help="separate runs to collect")
    parser.add_argument("--trials", type=int, default=100, help="3-vs-3 draws (default 100)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--run-sd", type=float, default=0.05, help="synthetic machine offset")
    parser.add_argument("--within-sd", type=float, default=0.02, help="synthetic slice noise")
    parser.add_argument("--slices", type=int, default=20, help="synthetic slices per run")
    parser.add_argument("--keep", metavar="DIR", help="write the runs here and keep them")
    args = parser.parse_args()
    if args.runs < 6:
        parser.error("--runs must be at least 6 (three files per side)")

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        paths = collect(folder, args)
        rng = random.Random(args.seed)
        one = [c for a, b in itertools.combinations(paths, 2) for c in judge([a], [b])]
        three: list[dict[str, Any]] = []
        for _ in range(args.trials):
            drawn = rng.sample(paths, 6)
            three += judge(drawn[:3], drawn[3:])

    what = (
        args.url
        or args.command
        or (
            f"synthetic load runs (run sd {args.run_sd:g}, slice sd {args.within_sd:g}, "
            f"{args.slices} slices)"
        )
    )
    print(f"A/A: {args.runs} separate runs of {what}")
    print(f"{'files/side':>10} {'trials':>7} " + " ".join(f"{v:>12}" for v in VERDICTS)
          + f" {'false verdicts':>15} {'interval beyond ±1%':>20}")  # fmt: skip
    rates = {}
    for label, comparisons in (("1", one), ("3", three)):
        verdicts, beyond = tally(comparisons)
        n = len(comparisons)
        rates[label] = (verdicts["slower"] + verdicts["faster"]) / n
        print(f"{label:>10} {n:>7} " + " ".join(f"{verdicts[v]:>12}" for v in VERDICTS)
              + f" {rates[label]:>15.1%} {beyond / n:>20.1%}")  # fmt: skip
    print("('interval beyond ±1%' is what a verdict from the interval alone would have said)")
    allowed = TARGET + 2 * math.sqrt(TARGET * (1 - TARGET) / max(1, len(three)))
    return 0 if rates["3"] <= allowed else 1


if __name__ == "__main__":
    sys.exit(main())
