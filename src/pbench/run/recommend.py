"""Recommendations: what the measured figures suggest doing, each naming the figure it
follows from. Nothing is said where nothing follows.

- CPU-bound or waiting (commands): the median over runs of (user + system) / wall:
  from 0.9 to 1.2 one core is busy (CPU-bound; up to 1.2 because CPU time is counted
  more coarsely than wall time), above 1.2 several cores are, at 0.5 or below the
  command mostly waits.
- Memory growing across runs: peak RSS in execution order has a significant
  least-squares trend (:func:`pbench.stats.trend.significant_trend`: p < 0.01, 10
  runs or more, a growth of more than 5% over the runs).
- High variance: the CV of the independent observations (one per run, or per slice)
  above 10%, with one cause (issue 18), the first the data show of: a slow start,
  outliers (the exported rules) whose removal would bring the CV down, two clusters,
  drift (see :mod:`pbench.stats.diagnosis`). Where the severe-outlier warning already
  gave the outliers as the cause, nothing more is said; a slow start refers to the
  first-run warning and names the --warmup to use. Noise without a pattern gets no
  recommendation.
- A load run whose client is the bottleneck: ``client_cpu.per_worker`` ≥ 0.9.
- A budget at risk: how many more runs (or how much longer -d) would likely decide it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pbench.load.result import CLIENT_BOUND_SHARE
from pbench.models import BenchmarkResult, is_count
from pbench.report.units import format_bytes, format_figures, format_times, unit_for
from pbench.run.warnings import warnings_for
from pbench.stats.advice import Remedies, remedies_for
from pbench.stats.budget import BudgetCheck, Quantity
from pbench.stats.diagnosis import (
    coefficient_of_variation,
    median,
    runs_factor,
    slow_start,
    two_clusters,
)
from pbench.stats.summary import Summary, outliers, slice_values
from pbench.stats.trend import linear_trend, significant_trend

CPU_BOUND = 0.9
MULTICORE = 1.2
WAITING = 0.5
HIGH_CV = 0.10


def recommendations_for(
    result: BenchmarkResult, summary: Summary | None, checks: Sequence[BudgetCheck]
) -> list[str]:
    """Recommendations for ``result`` (``checks`` may hold other benchmarks' checks);
    none for a benchmark that failed, whose figures stop short."""
    if result.stop_reason == "failed":
        return []
    remedies = remedies_for(result)
    warned = warnings_for(result, summary) if summary is not None else []
    # Under Valgrind (--measure instructions/cycles) the CPU share of wall time and the
    # peak memory are Valgrind's, not the command's: no advice drawn from them.
    counted = is_count(result.measure)
    found = [] if counted else [*_cpu(result), *_memory(result, remedies)]
    observations = slice_values(result.times, [m.round for m in result.measurements])
    # One diagnosis (issue 18): the first cause the data show, in the order of _variance
    found += _variance(result, observations, remedies, warned)[:1]
    found += _client(result, warned)
    own = [c for c in checks if c.benchmark == result.name and c.status == "at_risk"]
    found += [_at_risk(c, len(observations), remedies) for c in own]
    return [text for text in found if text]


def _cpu(result: BenchmarkResult) -> list[str]:
    runs = [
        m
        for m in result.measurements
        if not m.failed and m.user_s is not None and m.system_s is not None and m.wall_s > 0
    ]
    if not runs:
        return []
    ratio = median([((m.user_s or 0.0) + (m.system_s or 0.0)) / m.wall_s for m in runs])
    cpu = median([(m.user_s or 0.0) + (m.system_s or 0.0) for m in runs])
    wall = median([m.wall_s for m in runs])
    cpu_text, wall_text = format_times([cpu, wall], unit_for(wall))
    figures = f"(median {cpu_text} of {wall_text})"
    if ratio > MULTICORE:
        return [
            f"multithreaded: it uses {ratio:.1f} cores: CPU time is {ratio:.1f}x wall time "
            f"{figures}: more cores, or less waiting between its threads, help; fewer "
            "instructions help on every core"
        ]
    if ratio >= CPU_BOUND:
        return [
            f"CPU-bound: CPU time is {ratio:.0%} of wall time {figures}: a faster algorithm "
            "or fewer instructions help; more parallelism helps only if it can use more cores"
        ]
    if ratio <= WAITING:
        return [
            f"mostly waiting: CPU time is {ratio:.0%} of wall time {figures}: it waits on "
            "I/O, the network, a child process or sleep; a faster CPU will hardly help"
        ]
    return []


def _memory(result: BenchmarkResult, remedies: Remedies) -> list[str]:
    values = [
        float(m.peak_rss_bytes)
        for m in result.measurements
        if m.peak_rss_bytes is not None and not m.failed
    ]
    trend = significant_trend(values)
    if trend is None or trend.slope <= 0:
        return []
    text = (
        f"leak suspect: peak memory grows {format_bytes(trend.slope)} per run "
        f"({format_bytes(trend.start)} → {format_bytes(trend.end)} over {trend.n} runs, "
        f"{p_text(trend.p_value)})"
    )
    if remedies.prepare is not None:
        text += (
            ": if each run starts from state that grows (a file, a cache, a database), "
            f"reset it with {remedies.prepare}"
        )
    return [text]


def other_diagnoses(result: BenchmarkResult) -> list[str]:
    """The variance diagnoses the data also support beyond the one shown (issue 18:
    one diagnosis per benchmark in the output, the other candidates in the JSON)."""
    if result.stop_reason == "failed":
        return []
    observations = slice_values(result.times, [m.round for m in result.measurements])
    return _variance(result, observations, remedies_for(result), [])[1:]


def _variance(
    result: BenchmarkResult, values: list[float], remedies: Remedies, warned: list[str]
) -> list[str]:
    """The variance causes the data show, the best supported first: each cause is a model
    of the values (a separate level for the slow start, each outlier on its own, two
    levels, a line) and they are ranked by the share of the variance each accounts for,
    adjusted for what it fits (R² adjusted for the model's parameters)."""
    cv = coefficient_of_variation(values)
    if len(values) < 3 or cv <= HIGH_CV:
        return []
    sliced = "load" in result.sections or len(values) < len(result.measurements)
    noun = "slices" if sliced else "runs"
    head = f"high variance (CV {cv:.0%} over {len(values)} {noun})"
    found: list[tuple[float, str, str]] = []  # (share of the variance, cause, text)
    start = slow_start(values)
    lead = start.count if start else 0
    if start is not None:
        more = result.warmups + start.count
        see = " (see the warning about the first run)" if _said(warned, "first run") else ""
        share = explained(values, _levels(values, [range(lead), range(lead, len(values))]), 2)
        found.append(
            (
                share,
                "slow start",
                f"{head}, from a slow start{see}: the first {start.count} {noun} took "
                f"{start.ratio:.1f}x the median of the later ones (cold caches, lazy loading, "
                f"connections being set up): --warmup {more} runs them unmeasured",
            )
        )
    # outliers among the leading slow runs are the slow start, not a cause of their own
    far = {i for i in outliers(values).any if i >= lead}
    kept = [v for i, v in enumerate(values) if i not in far]
    if far and len(kept) >= 2 and coefficient_of_variation(kept) <= max(HIGH_CV, cv / 2):
        fitted = [v if i in far else sum(kept) / len(kept) for i, v in enumerate(values)]
        found.append(
            (
                explained(values, fitted, 1 + len(far)),
                "outliers",
                f"{head}, from {len(far)} outliers (modified z-score > 3.5 or outside "
                f"Tukey's fences; the CV is {coefficient_of_variation(kept):.0%} without "
                "them): something else on the machine disturbed those runs: close other "
                "programs, or pin the benchmark to quiet cores (taskset -c)",
            )
        )
    clusters = two_clusters(values)
    if clusters is not None:
        low, high = format_times([clusters.low, clusters.high], unit_for(clusters.low))
        reset = f"{remedies.prepare} to reset it before every run, or " if remedies.prepare else ""
        cut = sorted(values)[clusters.low_n - 1]
        groups = [
            [i for i, v in enumerate(values) if v <= cut],
            [i for i, v in enumerate(values) if v > cut],
        ]
        found.append(
            (
                explained(values, _levels(values, groups), 3),
                "clusters",
                f"{head}, from two clusters: {clusters.low_n} {noun} near {low} and "
                f"{clusters.high_n} near {high}: something alternates between two states "
                f"(caches, CPU frequency, state a run leaves for the next): {reset}a fixed "
                "CPU frequency",
            )
        )
    drift = significant_trend(values[lead:])
    if drift is not None:
        direction = "slower" if drift.slope > 0 else "faster"
        line = linear_trend(values)
        fitted = [] if line is None else [line.start + line.slope * i for i in range(len(values))]
        found.append(
            (
                explained(values, fitted, 2) if fitted else 0.0,
                "drift",
                f"{head}, from drift: the {noun} got {abs(drift.change):.0%} {direction} from "
                f"first to last ({p_text(drift.p_value)}): the machine changed during the "
                "benchmark (heat, other load): a quieter machine and a fixed CPU frequency; "
                "the interleaved order (the default) spreads drift evenly over benchmarks",
            )
        )
    # best supported first; on a tie the order above (the more specific cause) stays
    found.sort(key=lambda item: -item[0])
    texts = [
        f"{text}; this cause accounts for {max(share, 0.0):.0%} of the variance"
        for share, _, text in found
    ]
    if found and found[0][1] == "outliers" and _said(warned, "outlier"):
        # the severe-outlier warning is this diagnosis, with its evidence and action
        return ["", *texts[1:]]
    return texts


def _levels(values: Sequence[float], groups: Sequence[Sequence[int]]) -> list[float]:
    """Each value replaced by the mean of its group."""
    fitted = list(values)
    for group in groups:
        members = list(group)
        if members:
            mean = sum(values[i] for i in members) / len(members)
            for i in members:
                fitted[i] = mean
    return fitted


def explained(values: Sequence[float], fitted: Sequence[float], parameters: int) -> float:
    """The share of the variance of ``values`` a model with ``parameters`` fitted values
    (``fitted``) accounts for: R² adjusted for the parameters, 1 − (RSS / (n − p)) /
    (TSS / (n − 1)); 0 when there is no spread or no degree of freedom left."""
    n = len(values)
    mean = sum(values) / n
    total = sum((v - mean) ** 2 for v in values)
    if total <= 0 or n - parameters <= 0:
        return 0.0
    residual = sum((v - f) ** 2 for v, f in zip(values, fitted, strict=True))
    return 1.0 - (residual / (n - parameters)) / (total / (n - 1))


def _client(result: BenchmarkResult, warned: list[str]) -> list[str]:
    load = result.sections.get("load")
    if not isinstance(load, dict):
        return []
    per_worker = float(load.get("client_cpu", {}).get("per_worker", 0.0))
    if per_worker < CLIENT_BOUND_SHARE or not load.get("requests"):
        return []
    see = " (see the warning)" if _said(warned, "of a core per worker") else ""
    text = (
        f"client-bound{see}: pbench's client used {per_worker:.0%} of a core per worker: "
        "the figures may measure pbench, not the server: "
    )
    if str(result.info.get("type")) == "sql":
        return [text + "fewer --clients or fewer rows per query tell the two apart"]
    workers = int(load.get("workers") or 1)
    return [text + f"add --workers (now {workers}, try {2 * workers})"]


def _at_risk(check: BudgetCheck, n: int, remedies: Remedies) -> str:
    if check.measured is None or check.low is None or check.high is None:
        return ""
    shown = figures(check.quantity, [check.measured, check.low, check.high, check.limit])
    low, high = (_bare(text, shown[0]) for text in shown[1:3])
    head = f"{check.metric} budget ({check.level} {shown[3]}) at risk: {shown[0]} [{low}, {high}]"

    factor = runs_factor(check.measured, check.low, check.high, check.limit)
    if factor is None:
        return f"{head}: it sits right at the limit, where more data will hardly decide it"
    if remedies.load:
        return (
            f"{head}; a longer -d (about {factor:.2g}x) would likely decide it "
            "(or it sits right at the limit)"
        )
    runs = math.ceil(n * factor)
    return (
        f"{head}; about {factor:.2g}x the {remedies.noun} (~{runs}) would likely decide it "
        f"(or it sits right at the limit): {remedies.more_data(runs)}"
    )


def figures(quantity: Quantity, values: Sequence[float]) -> list[str]:
    """Values of one quantity for people, times in one unit (that of the first)."""
    if quantity == "time":
        return format_times(values, unit_for(values[0]))
    if quantity in ("instructions", "cycles"):
        return format_figures(values, quantity)
    if quantity == "bytes":
        return [format_bytes(v) for v in values]
    if quantity == "fraction":
        return [f"{v * 100:.3g}%" for v in values]
    return [f"{v:.4g}/s" for v in values]


def _bare(text: str, first: str) -> str:
    """A figure without its unit when ``first`` has the same unit ("231.0 ms" → "231.0")."""
    number, _, unit = text.partition(" ")
    return number if unit and unit == first.partition(" ")[2] else text


def _said(warned: list[str], words: str) -> bool:
    return any(words in text for text in warned)


def p_text(p: float) -> str:
    """``p = 0.00031``, or ``p < 0.0001``."""
    return "p < 0.0001" if p < 0.0001 else f"p = {p:.2g}"
