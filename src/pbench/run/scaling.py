"""A concurrency sweep's scaling table: how throughput grows with the number of clients.

A sweep (``-j 1,2,4,8`` for commands, ``-c 1,2,4,8`` for URLs and queries) measures
one load run per level; each benchmark's results at the levels (``NAME (c=4)``, with
``parameters["concurrency"]`` and ``info["sweep_of"]``, the benchmark's own name)
make one table:

- ``throughput``: succeeded runs (requests, queries) per second over the level's load;
- ``p50_s``, ``p99_s``: latency percentiles of every run at that level;
- ``efficiency``: throughput(N) / (N / N0 × throughput(N0)), N0 the lowest level (1
  in a sweep that starts at 1: throughput(N) / (N × throughput(1))), 1.0 for perfect
  scaling;
- ``gain``: throughput(N) / throughput(previous level) - 1.

The KNEE, where scaling stops, is the first level whose efficiency is below
:data:`MIN_EFFICIENCY` (80%) or whose throughput gained less than :data:`MIN_GAIN`
(10%) over the previous level; ``scales_to`` is the level before it (the highest
level that still scaled). Neither is set when every level scaled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pbench.models import BenchmarkResult

MIN_EFFICIENCY = 0.8
MIN_GAIN = 0.1
SWEEP_KEY = "sweep_of"  # info: the benchmark a level's result measures
RULE = (
    f"the knee is the first level whose efficiency, throughput(N) / (N/N0 × throughput(N0)),"
    f" is below {MIN_EFFICIENCY:.0%}, or whose throughput gained less than {MIN_GAIN:.0%}"
    " over the previous level"
)


def level_name(name: str, level: int) -> str:
    return f"{name} (c={level})"


def label_level(result: BenchmarkResult, level: int) -> None:
    """Name a sweep level's result after its benchmark and level (in place)."""
    result.info = {**result.info, SWEEP_KEY: result.name}
    result.name = level_name(result.name, level)
    result.parameters = {**result.parameters, "concurrency": str(level)}


def scaling_tables(results: Sequence[BenchmarkResult]) -> list[dict[str, Any]]:
    """One table per swept benchmark, in the order of its first level."""
    groups: dict[str, list[tuple[int, Mapping[str, Any]]]] = {}
    for result in results:
        of = result.info.get(SWEEP_KEY)
        load = result.sections.get("load")
        if of is None or load is None or "concurrency" not in result.parameters:
            continue
        groups.setdefault(str(of), []).append((int(result.parameters["concurrency"]), load))
    return [
        table(name, sorted(levels, key=lambda item: item[0])) for name, levels in groups.items()
    ]


def table(name: str, levels: Sequence[tuple[int, Mapping[str, Any]]]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    base: tuple[int, float] | None = None
    knee: int | None = None
    reason: str | None = None
    previous: float | None = None
    for level, load in levels:
        throughput = float(load["throughput"]["succeeded_per_s"])
        latency = load.get("latency") or {}
        efficiency = gain = None
        if base is None and throughput > 0:
            base = (level, throughput)
        if base is not None:
            efficiency = throughput / (level / base[0] * base[1])
        if previous:
            gain = throughput / previous - 1
        rows.append(
            {
                "concurrency": level,
                "throughput": throughput,
                "p50_s": latency.get("p50"),
                "p99_s": latency.get("p99"),
                "efficiency": efficiency,
                "gain": gain,
                "interrupted": bool(load.get("interrupted")),
            }
        )
        if knee is None and base is not None and level != base[0]:
            if efficiency is not None and efficiency < MIN_EFFICIENCY:
                knee, reason = level, f"efficiency {efficiency:.0%} < {MIN_EFFICIENCY:.0%}"
            elif gain is not None and gain < MIN_GAIN:
                knee, reason = level, f"throughput gain {gain:+.0%} < {MIN_GAIN:.0%}"
        previous = throughput
    scales_to = None
    if knee is not None:
        below = [row["concurrency"] for row in rows if row["concurrency"] < knee]
        scales_to = below[-1] if below else None
    return {
        "benchmark": name,
        "levels": rows,
        "knee": knee,
        "knee_reason": reason,
        "scales_to": scales_to,
        "min_efficiency": MIN_EFFICIENCY,
        "min_gain": MIN_GAIN,
        "rule": RULE,
    }
