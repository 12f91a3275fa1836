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

Issue 18, ``--verdicts``: independent trials of commands, each a fresh pair of
invocations (or one interleaved invocation), at pbench's defaults:

- one file per side, A/A: ``pbench -N --runs 20 'sleep 0.005' --export-json a.json``,
  the same for b.json, ``pbench compare a.json b.json``; target: at most 1 trial in 20
  called slower or faster. The ratios of these pairs' medians are the spread between
  separate invocations, printed as quantiles of |ratio - 1|: the figure the default
  threshold of one-file-per-side command comparisons comes from;
- one file per side, 15% slower: ``sleep 0.005`` against ``sleep 0.00575``; targets:
  caught (slower) in at least 19 of 20 idle; busy never "same" or "faster", and every
  inconclusive verdict says how many runs would decide it;
- both in one interleaved run, ``pbench -N --runs 30 -n base A -n cand B``: A/A at most
  1 in 20; ``sleep 0.005`` against ``sleep 0.00525`` (5% slower) caught in at least 19
  of 20 idle.

The two invocations of a trial run in alternating order (baseline first in even
trials). Run it beside two CPU-bound processes for the busy figures
(``python3 scripts/busy.py python3 scripts/compare_trials.py --verdicts``: busy.py
tells the script, which prints it beside /proc/loadavg before and after).

Usage:
  python3 scripts/compare_trials.py                      # synthetic, 30 runs
  python3 scripts/compare_trials.py --url http://127.0.0.1:8080/ --runs 12
  python3 scripts/compare_trials.py --command 'sleep 0.01' --runs 12
  python3 scripts/compare_trials.py --verdicts [--trials 20] [--sets files-aa,files-ab]
The 3-vs-3 draws share runs, so they are not independent: collect more runs for a
firmer rate. Exit status 0 when three files per side stay within 5% false verdicts up
to two binomial standard errors of the estimate (5% + 2·√(0.05·0.95/trials)), else 1;
with ``--verdicts``, 0 when every target of the machine's state (idle or busy) is met.
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
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
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


# -- issue 18: independent trials of commands (--verdicts) ---------------------------------

BASE = "sleep 0.005"


@dataclass(frozen=True)
class TrialSet:
    key: str
    label: str
    candidate: str
    interleaved: bool
    runs: int
    expected: str  # "same" (A/A) or "slower"


TRIAL_SETS = (
    TrialSet("files-aa", "one file per side, A/A", BASE, False, 20, "same"),
    TrialSet("files-ab", "one file per side, 15% slower", "sleep 0.00575", False, 20, "slower"),
    TrialSet("interleaved-aa", "one interleaved run, A/A", BASE, True, 30, "same"),
    TrialSet("interleaved-ab", "one interleaved run, 5% slower", "sleep 0.00525", True, 30,
             "slower"),
)  # fmt: skip
RUNS_ADVICE = re.compile(r"about \d+ runs")


@dataclass
class Trial:
    verdict: str
    ratio: float
    low: float
    high: float
    threshold: float
    advice: str
    says_one_file: bool  # the output says one file per side cannot see between-run change
    exit_code: int


def invoke(args: list[str], export: Path) -> dict[str, Any]:
    """``pbench run ARGS --export-json EXPORT`` in a process of its own: the export."""
    pbench_run(["run", *args], export)
    document: dict[str, Any] = json.loads(export.read_text())
    return document


def compare_files(base: Path, cand: Path) -> tuple[int, dict[str, Any], str]:
    """``pbench compare BASE CAND`` at the defaults: status, the JSON, the text shown."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = run_cli(["compare", str(base), str(cand), "--export-json", "-"])
    if status not in (0, 3, 5):
        sys.exit(f"compare_trials: pbench compare exited {status}:\n{err.getvalue()}")
    return status, json.loads(out.getvalue()), err.getvalue()


def one_trial(spec: TrialSet, index: int, folder: Path) -> Trial:
    runs = ["-N", "--runs", str(spec.runs), "--seed", str(index)]
    if spec.interleaved:
        document = invoke([*runs, "-n", "base", BASE, "-n", "cand", spec.candidate,
                           "--reference", "base"], folder / "both.json")  # fmt: skip
        (c,) = document["comparisons"]
        status, shown = (3 if c["verdict"] == "slower" else 0), ""
    else:
        files = {"base": folder / "base.json", "cand": folder / "cand.json"}
        order = ("base", "cand") if index % 2 == 0 else ("cand", "base")
        for side in order:
            invoke([*runs, "-n", "x", BASE if side == "base" else spec.candidate], files[side])
        status, document, shown = compare_files(files["base"], files["cand"])
        c = document["benchmarks"][0]["comparison"]
    low, high = c["ratio_median_ci"]
    return Trial(c["verdict"], c["ratio_median"], low, high, c["threshold"], c["advice"] or "",
                 "between" in shown and "one" in shown, status)  # fmt: skip


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def verdict_trials(args: argparse.Namespace) -> int:
    busy = int(os.environ.get("BUSY_BURNERS", "0"))
    keys = args.sets.split(",") if args.sets else [t.key for t in TRIAL_SETS]
    chosen = [t for t in TRIAL_SETS if t.key in keys]
    if len(chosen) != len(keys):
        sys.exit(f"compare_trials: --sets takes {', '.join(t.key for t in TRIAL_SETS)}")
    trials = args.trials or 20
    state = f"busy ({busy} CPU-bound processes beside)" if busy else "no burners"
    print(f"machine: {os.cpu_count()} CPUs, {state}; load average before: {loadavg()}")
    met = True
    for spec in chosen:
        found: list[Trial] = []
        with tempfile.TemporaryDirectory() as scratch:
            for i in range(trials):
                found.append(one_trial(spec, i, Path(scratch)))
                print(f"\r{spec.key} {i + 1}/{trials}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        met &= report_set(spec, found, busy > 0)
    print(f"load average after: {loadavg()}")
    return 0 if met else 1


def report_set(spec: TrialSet, found: list[Trial], busy: bool) -> bool:
    n = len(found)
    verdicts = Counter(t.verdict for t in found)
    shown = ", ".join(f"{v} {verdicts[v]}" for v in VERDICTS if verdicts[v])
    versus = "the same command" if spec.candidate == BASE else spec.candidate
    mode = "interleaved" if spec.interleaved else "one file per side"
    print(f"\n{spec.label}: {BASE} against {versus}, -N --runs {spec.runs}, {mode}, "
          f"{n} trials (threshold {found[0].threshold:.0%})")  # fmt: skip
    print(f"  verdicts: {shown}")
    ratios = [t.ratio for t in found]
    print(f"  median ratio: min {min(ratios):.3f}, median {statistics.median(ratios):.3f}, "
          f"max {max(ratios):.3f}")  # fmt: skip
    undecided = [t for t in found if t.verdict == "inconclusive"]
    if undecided:
        told = sum(bool(RUNS_ADVICE.search(t.advice)) for t in undecided)
        print(f"  inconclusive with how many runs would decide: {told} of {len(undecided)}")
        print(f"    e.g. {undecided[0].advice}")
    if not spec.interleaved:
        print(f"  output says one file per side cannot see between-run change: "
              f"{sum(t.says_one_file for t in found)} of {n}")  # fmt: skip
    if spec.expected == "same":
        spread = [abs(t.ratio - 1.0) for t in found]
        within = [(t.high - t.low) / 2 for t in found]
        excluded = sum(t.low > 1.0 or t.high < 1.0 for t in found)
        print(f"  spread of the ratio, |ratio - 1|: p50 {quantile(spread, 0.5):.2%}, "
              f"p90 {quantile(spread, 0.9):.2%}, p95 {quantile(spread, 0.95):.2%}, "
              f"max {max(spread):.2%}")  # fmt: skip
        print(f"  within-run interval half-width: median {statistics.median(within):.2%}; "
              f"interval excludes 1.0 in {excluded} of {n}")  # fmt: skip
        wrong = verdicts["slower"] + verdicts["faster"]
        ok = wrong <= n / 20
        print(f"  called slower or faster: {wrong} of {n} (target at most {n / 20:g}): "
              f"{'met' if ok else 'MISSED'}")  # fmt: skip
        return ok
    caught = verdicts["slower"]
    if busy and not spec.interleaved:
        wrong = verdicts["same"] + verdicts["faster"]
        told = all(RUNS_ADVICE.search(t.advice) for t in undecided)
        ok = wrong == 0 and told
        print(f"  busy: called same or faster {wrong} of {n} (target 0), every inconclusive "
              f"says how many runs would decide: {'yes' if told else 'NO'}: "
              f"{'met' if ok else 'MISSED'}")  # fmt: skip
        return ok
    if busy:
        print(f"  caught {caught} of {n} (the target, 19 of 20, is for an idle machine)")
        return True
    ok = caught >= 0.95 * n
    print(f"  caught {caught} of {n} (target at least {0.95 * n:g}): {'met' if ok else 'MISSED'}")
    return ok


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--url", help="run 'pbench http URL -d DURATION' as separate runs")
    source.add_argument("--command", help="run 'pbench run COMMAND' as separate runs")
    parser.add_argument("--duration", default="2s", help="-d of each http run (default 2s)")
    parser.add_argument("--pbench-args", default="", help="extra arguments for each run")
    parser.add_argument("--runs", type=int, default=30, help="separate runs to collect")
    parser.add_argument(
        "--trials",
        type=int,
        default=None,
        help="3-vs-3 draws (default 100); with --verdicts, trials per set (20)",
    )
    parser.add_argument(
        "--verdicts",
        action="store_true",
        help="issue 18: independent trials of commands (see the module)",
    )
    parser.add_argument(
        "--sets",
        help="with --verdicts: which sets, comma-separated "
        "(files-aa, files-ab, interleaved-aa, interleaved-ab; default all)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--run-sd", type=float, default=0.05, help="synthetic machine offset")
    parser.add_argument("--within-sd", type=float, default=0.02, help="synthetic slice noise")
    parser.add_argument("--slices", type=int, default=20, help="synthetic slices per run")
    parser.add_argument("--keep", metavar="DIR", help="write the runs here and keep them")
    args = parser.parse_args()
    if args.verdicts:
        return verdict_trials(args)
    args.trials = args.trials or 100
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
