#!/usr/bin/env python3
"""How well pbench.stats.changepoint finds steps, measured on synthetic histories.

Each series is a history of per-run values (lengths 30-500), log-normal noise with a
coefficient of variation of 1-10%
(a third each in 1-2%, 2-5% and 5-10%), and zero to three steps of 2-25% (either direction,
at least MIN_GAP runs apart and from either end). A quarter of the series also drift
slowly (a straight line of 1-4% over the whole series, either direction) and a quarter
have outliers (1-3% of the runs, at least one, 1.2-2x slower). A detection counts when
it lies within +-2 runs of a true step (each step matched at most once).

Printed as Markdown: recall by step size and noise, precision, the false-alarm rate
(the share of step-free series with any detection: stationary, drifting, with
outliers) and the detector's CPU time by series length (CPU rather than wall-clock
time, so that a busy machine does not inflate it).

Targets (exit status 1 when one is missed): recall >= 90% for steps of 5% or more at
CV <= 2%, and false alarms on at most 5% of step-free series.

With --peers, instead: 540 histories of 60 commits made the way Apache Otava is judged
(commit-to-commit noise CV 1%, 2% or 5%; per CV 40 with one step and 40 with two steps of
2, 5, 10 or 20% either way, 40 with a 10% regression fixed 10 commits later, and 60
change-free: clean, a linear drift of 10-20% over the history, or 1-3 single-commit
spikes of +15-40%), a change point found within +-1 commit, with pbench beside Otava
(``compute_change_points`` at its defaults) and ruptures (Pelt, l2, penalty 2·σ²·ln N
with σ from consecutive differences) on the same series. pbench is run the way a user
runs it: each commit is one hyperfine JSON file (every history a benchmark in it, 11 runs
whose median is the history's value at that commit), imported with ``pbench history
import --commit --time`` into one store, and the change points are read back from
``pbench trend --last 60 --format json`` (``--pbench CMD`` names the command). The
peers get the same per-commit medians in process. They are not pbench dependencies:
``pip install apache-otava ruptures`` into the environment that runs the script (a
separate venv); a peer that is missing is reported so.

Usage: python3 scripts/changepoint_accuracy.py [--series 600] [--seed 1] [--quick]
       [--peers [--pbench CMD] [--alpha A]]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

TOLERANCE = 2
MIN_GAP = 10
RECALL_TARGET = 0.90
FALSE_ALARM_TARGET = 0.05
STEP_BANDS = ((0.02, 0.05), (0.05, 0.10), (0.10, 0.25))
CV_BANDS = ((0.01, 0.02), (0.02, 0.05), (0.05, 0.10))


@dataclass(frozen=True)
class Case:
    values: list[float]
    steps: tuple[int, ...]
    sizes: tuple[float, ...]  # relative size of each step
    cv: float
    drift: float  # over the whole series; 0 when none
    outliers: int


@dataclass(frozen=True)
class Score:
    case: Case
    detected: tuple[int, ...]
    matched: tuple[bool, ...]  # per true step
    false: int  # detections matching no step
    seconds: float


def generate(count: int, seed: int) -> list[Case]:
    """``count`` synthetic series (see the module), reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    return [_case(rng) for _ in range(count)]


def _case(rng: np.random.Generator) -> Case:
    length = int(rng.integers(30, 501))
    low, high = CV_BANDS[int(rng.integers(len(CV_BANDS)))]
    cv = float(rng.uniform(low, high))
    wanted = int(rng.choice(4, p=[0.4, 0.2, 0.2, 0.2]))
    steps = _positions(rng, length, wanted)
    sizes = tuple(float(rng.uniform(0.02, 0.25) * rng.choice([-1, 1])) for _ in steps)
    level = np.ones(length)
    for position, size in zip(steps, sizes, strict=True):
        level[position:] *= 1 + size
    drift = float(rng.uniform(0.01, 0.04) * rng.choice([-1, 1])) if rng.random() < 0.25 else 0.0
    level *= 1 + drift * np.linspace(0, 1, length)
    sigma = math.sqrt(math.log1p(cv * cv))
    values = 100 * level * rng.lognormal(-sigma * sigma / 2, sigma, length)
    outliers = 0
    if rng.random() < 0.25:
        outliers = max(1, int(rng.uniform(0.01, 0.03) * length))
        where = rng.choice(length, outliers, replace=False)
        values[where] *= rng.uniform(1.2, 2.0, outliers)
    return Case([float(v) for v in values], steps, sizes, cv, drift, outliers)


def _positions(rng: np.random.Generator, length: int, wanted: int) -> tuple[int, ...]:
    """Up to ``wanted`` step positions MIN_GAP apart and from either end."""
    chosen: list[int] = []
    for _ in range(50 * wanted):
        if len(chosen) == wanted:
            break
        candidate = int(rng.integers(MIN_GAP, length - MIN_GAP + 1))
        if all(abs(candidate - c) >= MIN_GAP for c in chosen):
            chosen.append(candidate)
    return tuple(sorted(chosen))


def score(case: Case, detected: Sequence[int], seconds: float = 0.0) -> Score:
    """Match detections to true steps within +-TOLERANCE, nearest first."""
    pairs = sorted(
        (abs(d - s), i, j)
        for i, s in enumerate(case.steps)
        for j, d in enumerate(detected)
        if abs(d - s) <= TOLERANCE
    )
    steps_hit: set[int] = set()
    detections_used: set[int] = set()
    for _, i, j in pairs:
        if i not in steps_hit and j not in detections_used:
            steps_hit.add(i)
            detections_used.add(j)
    matched = tuple(i in steps_hit for i in range(len(case.steps)))
    return Score(case, tuple(detected), matched, len(detected) - len(detections_used), seconds)


def run(cases: Sequence[Case], detect: Callable[[list[float]], list[int]]) -> list[Score]:
    scores = []
    for case in cases:
        started = time.process_time()
        detected = detect(case.values)
        scores.append(score(case, detected, time.process_time() - started))
    return scores


def change_points(values: list[float]) -> list[int]:
    """The detector in process (the synthetic mode, not --peers)."""
    sys.path.insert(0, str(ROOT / "src"))
    from pbench.stats.changepoint import change_points as found

    return [c.index for c in found(values)]


def cold_seconds() -> float:
    """The time of one analysis of 500 runs with three steps and outliers, before any
    other in this process (what one ``pbench trend`` pays)."""
    rng = np.random.default_rng(0)
    level = np.repeat([1.0, 1.08, 0.97, 1.2], [120, 150, 130, 100])
    values = 100 * level * rng.lognormal(0, 0.02, 500)
    values[rng.choice(500, 10, replace=False)] *= 1.5
    started = time.process_time()
    change_points([float(v) for v in values])
    return time.process_time() - started


def default_detector(values: list[float]) -> list[int]:
    return change_points(values)


def recall(
    scores: Sequence[Score], steps: tuple[float, float], cvs: tuple[float, float]
) -> tuple[int, int]:
    """(found, total) of the steps with |size| in ``steps`` in series with CV in ``cvs``."""
    found = total = 0
    for s in scores:
        if not cvs[0] <= s.case.cv <= cvs[1]:
            continue
        for size, hit in zip(s.case.sizes, s.matched, strict=True):
            if steps[0] <= abs(size) <= steps[1]:
                total += 1
                found += hit
    return found, total


def precision(scores: Sequence[Score], cvs: tuple[float, float] = (0.0, 1.0)) -> tuple[int, int]:
    """(true detections, detections) in series with CV in ``cvs``."""
    chosen = [s for s in scores if cvs[0] <= s.case.cv <= cvs[1]]
    return sum(sum(s.matched) for s in chosen), sum(len(s.detected) for s in chosen)


def false_alarms(scores: Sequence[Score], kind: str = "all") -> tuple[int, int]:
    """(series with any detection, series) among the step-free series of a kind:
    ``all``, ``stationary`` (no drift, no outliers), ``drift``, ``outliers``."""
    free = [s for s in scores if not s.case.steps]
    if kind == "stationary":
        free = [s for s in free if not s.case.drift and not s.case.outliers]
    elif kind == "drift":
        free = [s for s in free if s.case.drift]
    elif kind == "outliers":
        free = [s for s in free if s.case.outliers]
    return sum(bool(s.detected) for s in free), len(free)


def targets_met(scores: Sequence[Score]) -> tuple[bool, bool]:
    found, total = recall(scores, (0.05, 1.0), (0.0, 0.02))
    alarms, free = false_alarms(scores)
    return (
        total == 0 or found / total >= RECALL_TARGET,
        free == 0 or alarms / free <= FALSE_ALARM_TARGET,
    )


def _share(pair: tuple[int, int]) -> str:
    found, total = pair
    return f"{found / total:.1%} ({found}/{total})" if total else "–"


def report(scores: Sequence[Score], seed: int) -> str:
    lines = [
        f"Change-point accuracy: {len(scores)} synthetic series, seed {seed}, "
        f"a detection counts within ±{TOLERANCE} runs.",
        "",
        "| recall | " + " | ".join(f"CV {a:.0%}–{b:.0%}" for a, b in CV_BANDS) + " | all |",
        "|---|" + "---:|" * (len(CV_BANDS) + 1),
    ]
    for band in (*STEP_BANDS, (0.05, 1.0), (0.0, 1.0)):
        name = "steps ≥ 5%" if band == (0.05, 1.0) else "all steps"
        if band in STEP_BANDS:
            name = f"steps {band[0]:.0%}–{band[1]:.0%}"
        cells = [_share(recall(scores, band, cvs)) for cvs in (*CV_BANDS, (0.0, 1.0))]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| measure | value |",
        "|---|---:|",
        f"| recall, steps ≥ 5% at CV ≤ 2% (target ≥ {RECALL_TARGET:.0%}) | "
        f"{_share(recall(scores, (0.05, 1.0), (0.0, 0.02)))} |",
        f"| precision, CV ≤ 2% | {_share(precision(scores, (0.0, 0.02)))} |",
        f"| precision, all | {_share(precision(scores))} |",
        f"| false alarms, step-free series (target ≤ {FALSE_ALARM_TARGET:.0%}) | "
        f"{_share(false_alarms(scores))} |",
    ]
    for kind in ("stationary", "drift", "outliers"):
        lines.append(
            f"| false alarms, step-free and {kind} | {_share(false_alarms(scores, kind))} |"
        )
    lines += ["", "| length | series | median CPU time | slowest |", "|---|---:|---:|---:|"]
    for low, high in ((30, 100), (101, 300), (301, 500)):
        times = [s.seconds for s in scores if low <= len(s.case.values) <= high]
        if times:
            lines.append(
                f"| {low}–{high} | {len(times)} | {statistics.median(times) * 1000:.1f} ms | "
                f"{max(times) * 1000:.1f} ms |"
            )
    return "\n".join(lines)


PEER_LENGTH = 60
PEER_CVS = (0.01, 0.02, 0.05)
PEER_STEPS = (0.02, 0.05, 0.10, 0.20)
PEER_TOLERANCE = 1


@dataclass(frozen=True)
class PeerCase:
    values: list[float]
    steps: tuple[int, ...]
    size: float  # |relative size| of the steps, 0 for change-free series
    cv: float
    kind: str  # "one", "two", "fixed", "clean", "drift", "spikes"


def peer_cases(seed: int) -> list[PeerCase]:
    """The 540 histories of --peers (see the module)."""
    rng = np.random.default_rng(seed)
    cases = []
    for cv in PEER_CVS:
        for size in PEER_STEPS:
            for count in (1, 2):
                for _ in range(10):
                    steps = _positions(rng, PEER_LENGTH, count)
                    level = np.ones(PEER_LENGTH)
                    for at in steps:
                        level[at:] *= 1 + size * rng.choice([-1, 1])
                    cases.append(_peer(rng, level, steps, size, cv, "one" if count == 1 else "two"))
        for _ in range(40):
            at = int(rng.integers(MIN_GAP, PEER_LENGTH - MIN_GAP - 10 + 1))
            level = np.ones(PEER_LENGTH)
            level[at : at + 10] *= 1.10
            cases.append(_peer(rng, level, (at, at + 10), 0.10, cv, "fixed"))
        for kind in ("clean", "drift", "spikes"):
            for _ in range(20):
                level = np.ones(PEER_LENGTH)
                if kind == "drift":
                    level *= 1 + rng.uniform(0.10, 0.20) * np.linspace(0, 1, PEER_LENGTH)
                if kind == "spikes":
                    where = rng.choice(PEER_LENGTH, int(rng.integers(1, 4)), replace=False)
                    level[where] *= 1 + rng.uniform(0.15, 0.40, where.size)
                cases.append(_peer(rng, level, (), 0.0, cv, kind))
    return cases


def _peer(
    rng: np.random.Generator, level: np.ndarray, steps: tuple[int, ...], size: float,
    cv: float, kind: str,
) -> PeerCase:  # fmt: skip
    sigma = math.sqrt(math.log1p(cv * cv))
    values = 100 * level * rng.lognormal(-sigma * sigma / 2, sigma, level.size)
    return PeerCase([float(v) for v in values], steps, size, cv, kind)


RUNS_PER_COMMIT = 11
WITHIN_CV = 0.01  # the spread of one commit's 11 runs around their median


def hyperfine_file(names: Sequence[str], medians: Sequence[float], rng: np.random.Generator
                   ) -> dict[str, object]:  # fmt: skip
    """One commit's hyperfine JSON: per benchmark 11 runs whose median is exactly the
    series' value (a spread of WITHIN_CV around it)."""
    results = []
    for name, median in zip(names, medians, strict=True):
        runs = rng.lognormal(0.0, WITHIN_CV, RUNS_PER_COMMIT)
        times = [float(t) for t in median * runs / np.median(runs)]
        times[int(np.argsort(times)[RUNS_PER_COMMIT // 2])] = median
        results.append({
            "command": name, "mean": statistics.fmean(times), "stddev": statistics.stdev(times),
            "median": median, "user": 0.0, "system": 0.0, "min": min(times),
            "max": max(times), "times": times, "exit_codes": [0] * RUNS_PER_COMMIT,
        })  # fmt: skip
    return {"results": results}


def pbench_user_path(cases: Sequence[PeerCase], pbench: Sequence[str], alpha: float | None,
                     seed: int) -> list[list[int]]:  # fmt: skip
    """pbench's change points of every case the way a user gets them: one hyperfine JSON
    file per commit (every case a benchmark in it), each imported with ``pbench history
    import --commit --time`` into one store, read back with ``pbench trend --format
    json``."""
    names = [f"case-{i:03d}" for i in range(len(cases))]
    rng = np.random.default_rng([seed, 11])
    started = datetime(2026, 1, 1, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "history.db"
        for commit in range(PEER_LENGTH):
            path = Path(folder) / f"commit-{commit:02d}.json"
            medians = [c.values[commit] for c in cases]
            path.write_text(json.dumps(hyperfine_file(names, medians, rng)))
            moment = (started + timedelta(hours=commit)).strftime("%Y-%m-%dT%H:%MZ")
            _pbench(pbench, "history", "import", "--store", str(store), "--commit",
                    f"{commit + 1:07x}{'0' * 33}", "--branch", "main", "--time", moment,
                    "--host", "generated", str(path))  # fmt: skip
        extra = ["--alpha", str(alpha)] if alpha is not None else []
        out = _pbench(pbench, "trend", "--store", str(store), "--last", str(PEER_LENGTH),
                      "--format", "json", *extra)  # fmt: skip
    trends = {t["benchmark"]: t for t in json.loads(out)["trends"]}
    found = []
    for name in names:
        trend = trends[name]
        if trend["runs"] != PEER_LENGTH:
            raise SystemExit(f"{name}: {trend['runs']} runs read back, not {PEER_LENGTH}")
        found.append(sorted(int(c["index"]) for c in trend["change_points"]))
    return found


def _pbench(command: Sequence[str], *args: str) -> str:
    done = subprocess.run([*command, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"pbench {args[0]} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def _otava(values: list[float]) -> list[int]:
    from otava.analysis import compute_change_points

    points, _ = compute_change_points(values)
    return sorted(int(p.index) for p in points)


def _ruptures(values: list[float]) -> list[int]:
    import ruptures

    x = np.asarray(values)
    sigma = float(np.median(np.abs(np.diff(x)))) / 0.6745 / math.sqrt(2)
    found = (
        ruptures.Pelt(model="l2", min_size=2, jump=1)
        .fit(x)
        .predict(pen=2 * sigma * sigma * math.log(x.size))
    )
    return [int(b) for b in found[:-1]]


def _available(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def peers_report(seed: int, pbench: Sequence[str], alpha: float | None = None) -> str:
    cases = peer_cases(seed)
    from_pbench = iter(pbench_user_path(cases, pbench, alpha, seed))
    detectors: dict[str, Callable[[list[float]], list[int]] | None] = {
        "pbench": lambda _: next(from_pbench),
        "Otava 0.8": _otava if _available("otava") else None,
        "ruptures Pelt": _ruptures if _available("ruptures") else None,
    }
    found: dict[str, list[tuple[tuple[bool, ...], int]]] = {}
    for name, detect in detectors.items():
        if detect is None:
            continue
        rows = []
        for case in cases:
            detected = detect(case.values)
            matched = score(Case(case.values, case.steps, (case.size,) * len(case.steps),
                                 case.cv, 0.0, 0), detected)  # fmt: skip
            rows.append((matched.matched, len(detected)))
        found[name] = rows
    names = list(found)

    def recall_of(pick: Callable[[PeerCase], bool]) -> list[str]:
        cells = []
        for name in names:
            hits = total = 0
            for case, (matched, _) in zip(cases, found[name], strict=True):
                if pick(case):
                    hits, total = hits + sum(matched), total + len(matched)
            cells.append(f"{hits / total:.0%}" if total else "–")
        return cells

    def row(label: str, cells: list[str]) -> str:
        return f"| {label} | " + " | ".join(cells) + " |"

    stepped = ("one", "two")
    lines = [
        f"Change points on {len(cases)} histories of {PEER_LENGTH} commits, seed {seed}; "
        f"found within ±{PEER_TOLERANCE} commit; pbench through history import (hyperfine"
        f" JSON, one file per commit) and trend --format json"
        f"{'' if alpha is None else f' --alpha {alpha:g}'}.",
        "",
        "| | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for cv in PEER_CVS:
        for size in PEER_STEPS:
            lines.append(row(f"recall, {size:.0%} steps at CV {cv:.0%}", recall_of(
                lambda c, cv=cv, size=size: c.kind in stepped and c.cv == cv and c.size == size
            )))  # fmt: skip
    lines.append(row("recall, steps of 5% or more", recall_of(
        lambda c: c.kind in stepped and c.size >= 0.05)))  # fmt: skip
    lines.append(row("recall, 2% steps", recall_of(lambda c: c.kind in stepped and c.size == 0.02)))
    both = []
    for name in names:
        rows = [m for c, (m, _) in zip(cases, found[name], strict=True) if c.kind == "fixed"]
        both.append(f"{sum(all(m) for m in rows) / len(rows):.0%}")
    lines.append(row("a 10% regression fixed 10 commits later: both edges", both))
    for kind in ("clean", "drift", "spikes", None):
        cells = []
        for name in names:
            picked = [
                n for c, (_, n) in zip(cases, found[name], strict=True)
                if c.kind in ("clean", "drift", "spikes") and (kind is None or c.kind == kind)
            ]  # fmt: skip
            cells.append(f"{sum(n > 0 for n in picked)} of {len(picked)}")
        label = f"change-free {kind} series with a false alarm" if kind else (
            "change-free series with a false alarm")  # fmt: skip
        lines.append(row(label, cells))
    precision_cells = []
    for name in names:
        true = sum(sum(m) for m, _ in found[name])
        detections = sum(n for _, n in found[name])
        precision_cells.append(f"{true / detections:.1%}" if detections else "–")
    lines.append(row("precision", precision_cells))
    missing = [n for n, d in detectors.items() if d is None]
    if missing:
        lines += ["", f"Not installed (pip install apache-otava ruptures): {', '.join(missing)}."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--series", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="100 series (a CI-sized run)")
    parser.add_argument("--peers", action="store_true", help="540 histories beside Otava")
    parser.add_argument(
        "--pbench",
        default=os.environ.get("PBENCH", "pbench"),
        help="--peers: the pbench command to run (default $PBENCH, else pbench)",
    )
    parser.add_argument("--alpha", type=float, help="--peers: pbench trend --alpha")
    options = parser.parse_args(argv)
    if options.peers:
        print(peers_report(options.seed, shlex.split(options.pbench), options.alpha))
        return 0
    count = 100 if options.quick else options.series
    cold = cold_seconds()
    scores = run(generate(count, options.seed), default_detector)
    print(report(scores, options.seed))
    print(
        f"\nFirst call in a fresh process, 500 runs with three"
        f" steps and outliers: {cold * 1000:.0f} ms of CPU (numpy's import not included)."
    )
    recall_ok, alarms_ok = targets_met(scores)
    if not recall_ok:
        print(f"\nMISSED: recall for steps >= 5% at CV <= 2% is below {RECALL_TARGET:.0%}")
    if not alarms_ok:
        print(f"\nMISSED: false alarms above {FALSE_ALARM_TARGET:.0%} of step-free series")
    return 0 if recall_ok and alarms_ok else 1


if __name__ == "__main__":
    sys.exit(main())
