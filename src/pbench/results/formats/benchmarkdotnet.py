"""BenchmarkDotNet's full JSON export (``--exporters fulljson``, or
``[JsonExporterAttribute.Full]``): ``BenchmarkDotNet.Artifacts/results/*-report-full.json``.

Format followed: BenchmarkDotNet 0.13's JSON exporter: ``{"Title",
"HostEnvironmentInfo", "Benchmarks": [{"FullName", "Method", "Parameters",
"Statistics": {...}, "Memory": {...}, "Measurements": [{"IterationMode",
"IterationStage", "LaunchIndex", "IterationIndex", "Operations", "Nanoseconds"}]}]}``.
The values are the ``Workload``/``Result`` measurements (the workload with the
overhead taken out, from which BenchmarkDotNet computes its own statistics), each
``Nanoseconds / Operations`` in seconds; each launch (process) is one round.
``Memory.BytesAllocatedPerOperation`` is carried as a lower-is-better counter. The
brief export has only ``Statistics`` (``N``, ``Mean`` and ``StandardDeviation`` in ns),
read as those aggregates (:mod:`pbench.stats.aggregate`).
"""

from __future__ import annotations

from typing import Any

from pbench.results.formats.common import (
    HINT,
    Damaged,
    Entry,
    document,
    finite,
    likeness,
    listing,
    mapping,
)

NAME = "benchmarkdotnet"


def detect(found: Any) -> float:
    if not isinstance(found, dict):
        return 0.0
    benchmarks = found.get("Benchmarks")
    first = benchmarks[0] if isinstance(benchmarks, list) and benchmarks else None
    score = ("HostEnvironmentInfo" in found) + isinstance(benchmarks, list) + ("Title" in found)
    score += isinstance(first, dict) and "Statistics" in first
    return likeness(score, 4)


def read(found: Any, path: str) -> dict[str, Any]:
    top = mapping(found, path)
    entries = []
    for index, item in enumerate(listing(top.get("Benchmarks"), f"{path}: Benchmarks")):
        where = f"{path}: Benchmarks[{index}]"
        bench = mapping(item, where)
        name = bench.get("FullName") or bench.get("Method")
        if not isinstance(name, str):
            raise Damaged(f"{where} has no 'FullName' string", hint=HINT)
        measurements = bench.get("Measurements")
        entry = Entry(name=name, command=f"dotnet {name}")
        if not measurements:
            stats = mapping(bench.get("Statistics"), f"{where}.Statistics")
            mean, sd = _number(stats.get("Mean")), _number(stats.get("StandardDeviation"))
            entry.aggregates(mean * 1e-9 if mean is not None else None,
                             sd * 1e-9 if sd is not None else None, stats.get("N"),
                             where)  # fmt: skip
            entries.append(entry)
            continue
        for position, raw in enumerate(listing(measurements, f"{where}.Measurements")):
            record = mapping(raw, f"{where}.Measurements[{position}]")
            if record.get("IterationMode") != "Workload" or record.get("IterationStage") != (
                "Result"
            ):
                continue
            ops, ns = _number(record.get("Operations")), _number(record.get("Nanoseconds"))
            if ops is None or ns is None or ops <= 0:
                raise Damaged(f"{where}.Measurements[{position}] has no Operations and "
                              "Nanoseconds", hint=HINT)  # fmt: skip
            launch = record.get("LaunchIndex")
            round_ = int(launch) if isinstance(launch, int) else 0
            entry.add(ns / ops * 1e-9, round_, where)
        memory = bench.get("Memory")
        allocated = memory.get("BytesAllocatedPerOperation") if isinstance(memory, dict) else None
        if finite(allocated):
            entry.counters["bytes_allocated_per_op"] = {
                "value": allocated, "unit": "B/op", "direction": "lower"
            }  # fmt: skip
        entries.append(entry)
    return document(NAME, entries, "s", path)


def _number(value: Any) -> float | None:
    return float(value) if finite(value) else None
