#!/usr/bin/env python3
"""Proof that pbench's verdicts hold: A/A false positives and A/B detection rate.

Every trial is one ``pbench run`` of two commands, interleaved in randomised rounds and
exported to JSON; the two results are split into a baseline and a candidate file and
judged by ``pbench compare`` at the default settings (alpha 0.05, threshold 1%).

- A/A: the same command on both sides. A *slower* or *faster* verdict is a false
  positive; the target is at most 5% of trials. Run with a fixed run count and with
  ``--precision 1%``.
- A/B: the candidate does 5% more work. The workload is a compiled CPU loop (a tiny
  static-startup C program), and the candidate's iteration count is raised by 5% of
  the *whole* run time, start-up included, so the true ratio is 1.05; a calibration run
  of many interleaved runs checks it. A *slower* verdict is a detection; the target is
  at least 95% of trials with ``--precision 1%``.

Usage: python3 scripts/verdict_trials.py [--trials 100] [--precision-trials 100] [--work-ms 3]
Exit status 0 when every target is met, 1 otherwise.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pbench.cli import run_cli  # noqa: E402

SPIN_C = r"""
#include <stdlib.h>
int main(int argc, char **argv) {
    unsigned long n = argc > 1 ? strtoul(argv[1], 0, 10) : 0;
    volatile unsigned long sink = 0;
    for (unsigned long i = 0; i < n; i++) sink += i;
    return 0;
}
"""
TRUE_RATIO = 1.05


@dataclass
class Tally:
    label: str
    expected: str
    verdicts: Counter[str] = field(default_factory=Counter)
    runs: list[int] = field(default_factory=list)
    stops: Counter[str] = field(default_factory=Counter)
    exit_codes: Counter[int] = field(default_factory=Counter)
    agree_with_run_summary: int = 0
    # Diagnostic: the verdict on only the rounds in which both commands ran, and the
    # run counts of the trials that ended in a wrong or a missed verdict.
    shared_verdicts: Counter[str] = field(default_factory=Counter)
    unbalanced: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def wrong(self) -> set[str]:
        """Verdicts that are errors: any difference for A/A, anything but slower for A/B."""
        if self.expected == "same":
            return {"slower", "faster"}
        return {"same", "faster", "inconclusive"}

    @property
    def trials(self) -> int:
        return sum(self.verdicts.values())

    def rate(self, *verdicts: str) -> float:
        return sum(self.verdicts[v] for v in verdicts) / max(1, self.trials)


def build_spin(folder: Path) -> Path:
    source, binary = folder / "spin.c", folder / "spin"
    source.write_text(SPIN_C)
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        sys.exit("verdict_trials: needs a C compiler (cc) for the CPU-loop workload")
    subprocess.run([compiler, "-O2", "-o", str(binary), str(source)], check=True)
    return binary


def time_spin(spin: Path, iterations: int, repeats: int) -> float:
    """Median wall time of ``spin iterations`` (seconds), timed directly."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([str(spin), str(iterations)], check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def plan_workload(spin: Path, work_ms: float) -> tuple[int, int, float]:
    """Iterations for A (about ``work_ms``) and for B (5% more total time), and start-up."""
    startup = time_spin(spin, 0, 51)
    probe = 2_000_000
    per_iteration = max(1e-12, (time_spin(spin, probe, 21) - startup) / probe)
    a = int(work_ms / 1e3 / per_iteration)
    # (startup + b·t) / (startup + a·t) = 1.05  ⇒  b = 1.05·a + 0.05·startup / t
    b = round(TRUE_RATIO * a + (TRUE_RATIO - 1.0) * startup / per_iteration)
    return a, b, startup


def calibrate(spin: Path, a: int, b: int, folder: Path) -> tuple[int, float, dict[str, float]]:
    """Measure B/A with pbench itself and nudge B's iteration count until it is 1.05."""
    for attempt in range(4):
        document = pbench_run(
            (f"{spin} {a}", f"{spin} {b}"), folder / "cal.json", 12345 + attempt, ["--runs", "300"]
        )
        medians = {r["name"]: statistics.median(r["times"]) for r in document["results"]}
        ratio = medians["B"] / medians["A"]
        if abs(ratio - TRUE_RATIO) <= 0.003 or attempt == 3:
            break
        per_iteration = (medians["B"] - medians["A"]) / (b - a)
        b = round(b + (TRUE_RATIO * medians["A"] - medians["B"]) / per_iteration)
    return b, ratio, medians


def pbench_run(
    commands: tuple[str, str], export: Path, seed: int, mode: list[str]
) -> dict[str, Any]:
    argv = [sys.executable, "-m", "pbench", "run", "-N", "--style", "none", "--seed", str(seed),
            "-n", "A", commands[0], "-n", "B", commands[1], "--reference", "A",
            "--export-json", str(export), *mode]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        sys.exit(f"verdict_trials: pbench run failed ({proc.returncode}):\n{proc.stderr}")
    document: dict[str, Any] = json.loads(export.read_text())
    return document


def split(document: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    paths = []
    for name in ("A", "B"):
        entry = next(r for r in document["results"] if r["name"] == name)
        path = folder / f"{name}.json"
        part = {k: v for k, v in document.items() if k not in ("results", "comparisons")}
        path.write_text(json.dumps({**part, "results": [entry]}))
        paths.append(path)
    return paths[0], paths[1]


def pbench_compare(baseline: Path, candidate: Path, seed: int, folder: Path) -> tuple[int, str]:
    """``pbench compare`` through its CLI, in this process (no interpreter start-up)."""
    out = folder / "compare.json"
    argv = ["compare", str(baseline), str(candidate), "--match", "A=B", "--seed", str(seed),
            "--export-json", str(out)]  # fmt: skip
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        status = run_cli(argv)
    verdict = json.loads(out.read_text())["benchmarks"][0]["comparison"]["verdict"]
    return status, str(verdict)


def shared_rounds_verdict(document: dict[str, Any], seed: int) -> str:
    """The verdict on the runs from rounds in which both A and B ran.

    Under --precision a command that reaches its target leaves the rounds, so the other
    one's later runs meet a machine the first never saw; this isolates that effect.
    """
    from pbench.stats.comparison import compare_samples

    by_name = {r["name"]: r["measurements"] for r in document["results"]}
    shared = {m["round"] for m in by_name["A"]} & {m["round"] for m in by_name["B"]}
    a = [m["wall"] for m in by_name["A"] if m["round"] in shared]
    b = [m["wall"] for m in by_name["B"] if m["round"] in shared]
    if not a or not b:
        return "none"
    return compare_samples(a, b, name="B", reference_name="A", seed=seed).verdict


def trial_series(
    tally: Tally, commands: tuple[str, str], mode: list[str], trials: int, seed0: int, folder: Path
) -> Tally:
    start = time.monotonic()
    for i in range(trials):
        seed = seed0 + i
        document = pbench_run(commands, folder / "run.json", seed, mode)
        status, verdict = pbench_compare(*split(document, folder), seed, folder)
        tally.verdicts[verdict] += 1
        tally.exit_codes[status] += 1
        for result in document["results"]:
            tally.runs.append(len(result["times"]))
            tally.stops[str(result.get("stop_reason"))] += 1
        own = [c["verdict"] for c in document.get("comparisons", []) if c["name"] == "B"]
        tally.agree_with_run_summary += bool(own) and own[0] == verdict
        shared = shared_rounds_verdict(document, seed)
        tally.shared_verdicts[shared] += 1
        if verdict in tally.wrong:
            counts = "/".join(
                f"{len(r['times'])} {r.get('stop_reason')}" for r in document["results"]
            )
            tally.unbalanced.append(f"{verdict} (runs {counts}; on shared rounds: {shared})")
        print(f"\r  {tally.label}: {i + 1}/{trials} {dict(tally.verdicts)}", end="", flush=True)
    print()
    tally.seconds = time.monotonic() - start
    return tally


def report(tally: Tally) -> str:
    runs = sorted(tally.runs)
    return (
        f"{tally.label:<34} trials {tally.trials:>3}  slower {tally.verdicts['slower']:>3}  "
        f"faster {tally.verdicts['faster']:>3}  same {tally.verdicts['same']:>3}  "
        f"inconclusive {tally.verdicts['inconclusive']:>3}  runs/command median "
        f"{statistics.median(runs):.0f} (min {runs[0]}, max {runs[-1]})  "
        f"stops {dict(tally.stops)}  exit codes {dict(sorted(tally.exit_codes.items()))}  "
        f"agrees with run summary {tally.agree_with_run_summary}/{tally.trials}  "
        f"{tally.seconds:.0f} s\n    on the rounds both commands ran: {dict(tally.shared_verdicts)}"
        + "".join(f"\n    wrong: {line}" for line in tally.unbalanced)
    )


def fp(tally: Tally) -> float:
    return tally.rate("slower", "faster")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=100, help="trials per fixed-runs series")
    parser.add_argument(
        "--precision-trials", type=int, default=100, help="trials per --precision series"
    )
    parser.add_argument("--work-ms", type=float, default=3.0, help="CPU loop length of A")
    parser.add_argument("--fixed-runs", type=int, default=30, help="runs per command, fixed")
    parser.add_argument("--max-time", default="15s", help="budget per --precision trial")
    parser.add_argument(
        "--series", action="append", help="run only this series (its label; repeatable)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pbench-trials-") as tmp:
        folder = Path(tmp)
        spin = build_spin(folder)
        a, b, startup = plan_workload(spin, args.work_ms)
        cmd_a, cmd_b = f"{spin} {a}", f"{spin} {b}"
        print(f"workload: A = spin {a}, B = spin {b} (start-up {startup * 1e3:.2f} ms)")

        b, true_ratio, medians = calibrate(spin, a, b, folder)
        cmd_b = f"{spin} {b}"
        print(
            f"true ratio check (300 interleaved runs each): A = spin {a} "
            f"{medians['A'] * 1e3:.3f} ms, B = spin {b} {medians['B'] * 1e3:.3f} ms, "
            f"ratio {true_ratio:.4f}"
        )

        precision = ["--precision", "1%", "--max-time", args.max_time]
        fixed = ["--runs", str(args.fixed_runs)]
        series = [
            (Tally(f"A/A, --runs {args.fixed_runs}", "same"), (cmd_a, cmd_a), fixed, 1000),
            (Tally("A/A, --precision 1%", "same"), (cmd_a, cmd_a), precision, 2000),
            (Tally("A/B (+5%), --precision 1%", "slower"), (cmd_a, cmd_b), precision, 3000),
            (Tally(f"A/B (+5%), --runs {args.fixed_runs}", "slower"), (cmd_a, cmd_b), fixed, 4000),
        ]
        for tally, commands, mode, seed0 in series:
            if args.series and tally.label not in args.series:
                continue
            count = args.precision_trials if mode is precision else args.trials
            trial_series(tally, commands, mode, count, seed0, folder)

    ran = [tally for tally, *_ in series if tally.trials]
    print()
    for tally in ran:
        print(report(tally))
    print()
    checks = [
        (f"true ratio {true_ratio:.4f} within 1.05 ± 0.01", abs(true_ratio - TRUE_RATIO) <= 0.01)
    ]
    for tally in ran:
        if tally.expected == "same":
            checks.append(
                (f"{tally.label}: false-positive rate {fp(tally):.1%} <= 5%", fp(tally) <= 0.05)
            )
        elif "precision" in tally.label:
            rate = tally.rate("slower")
            checks.append((f"{tally.label}: detection rate {rate:.1%} >= 95%", rate >= 0.95))
        else:
            print(f"info  {tally.label}: detection rate {tally.rate('slower'):.1%} (no target)")
    for text, ok in checks:
        print(("PASS  " if ok else "FAIL  ") + text)
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
