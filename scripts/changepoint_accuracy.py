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

Usage: python3 scripts/changepoint_accuracy.py [--series 600] [--seed 1] [--quick]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from pbench.stats.changepoint import change_points

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
    return [c.index for c in change_points(values)]


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--series", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="100 series (a CI-sized run)")
    options = parser.parse_args(argv)
    count = 100 if options.quick else options.series
    cold = cold_seconds()
    scores = run(generate(count, options.seed), default_detector)
    print(report(scores, options.seed))
    print(
        f"\nFirst call in a fresh process (no cached permutation nulls), 500 runs with three"
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
