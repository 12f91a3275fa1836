"""Google Benchmark's JSON (``--benchmark_format=json`` or ``--benchmark_out=FILE``).

Format followed: Google Benchmark 1.5 to 1.8 (``context`` with ``library_version`` in
1.6+, and ``benchmarks`` entries with ``run_name``, ``run_type`` "iteration" or
"aggregate", ``repetition_index``, ``real_time``/``cpu_time`` in ``time_unit``).
Each iteration entry is one repetition (``--benchmark_repetitions=N``) and one round,
its ``real_time`` per iteration converted to seconds. Aggregates (mean, median,
stddev, cv) are not samples: they are kept in ``info`` of the benchmark they belong to,
and a benchmark present only as aggregates (``--benchmark_report_aggregates_only``)
is read as its mean, stddev and ``repetitions`` (:mod:`pbench.stats.aggregate`).
``bytes_per_second``, ``items_per_second`` and user counters (any other numeric key)
are carried as counters: the ``..._per_second`` ones and rates are higher-is-better.
"""

from __future__ import annotations

from typing import Any

from pbench.results.formats.common import (
    HINT,
    TIME_UNITS,
    Damaged,
    Entry,
    document,
    finite,
    likeness,
    listing,
    mapping,
)

NAME = "google-benchmark"
_KNOWN = frozenset(
    ("name", "family_index", "per_family_instance_index", "run_name", "run_type",
     "repetitions", "repetition_index", "threads", "iterations", "real_time", "cpu_time",
     "time_unit", "aggregate_name", "aggregate_unit", "error_occurred", "error_message",
     "label", "big_o", "rms", "complexity")
)  # fmt: skip


def detect(found: Any) -> float:
    if not isinstance(found, dict):
        return 0.0
    benchmarks = found.get("benchmarks")
    first = benchmarks[0] if isinstance(benchmarks, list) and benchmarks else None
    score = isinstance(found.get("context"), dict) + isinstance(benchmarks, list)
    score += isinstance(first, dict) and "real_time" in first and "time_unit" in first
    return likeness(score, 3)


def read(found: Any, path: str) -> dict[str, Any]:
    top = mapping(found, path)
    entries: dict[str, Entry] = {}
    aggregates: dict[str, dict[str, float]] = {}
    for index, item in enumerate(listing(top.get("benchmarks"), f"{path}: benchmarks")):
        where = f"{path}: benchmarks[{index}]"
        bench = mapping(item, where)
        name = bench.get("run_name") or bench.get("name")
        if not isinstance(name, str):
            raise Damaged(f"{where} has no 'name' string", hint=HINT)
        if bench.get("error_occurred"):
            raise Damaged(
                f"{where}: '{name}' failed: {bench.get('error_message', 'no message')}",
                hint="fix the benchmark (it called SkipWithError) and rerun it",
            )
        unit = bench.get("time_unit", "ns")
        if unit not in TIME_UNITS or not finite(bench.get("real_time")):
            raise Damaged(f"{where}: '{name}' has no real_time in a known time_unit", hint=HINT)
        seconds = float(bench["real_time"]) * TIME_UNITS[str(unit)]
        if bench.get("run_type") == "aggregate":
            aggregate = str(bench.get("aggregate_name", "aggregate"))
            if bench.get("aggregate_unit", "time") == "time":
                aggregates.setdefault(name, {})[f"{aggregate}_s"] = seconds
            if finite(bench.get("repetitions")):
                aggregates.setdefault(name, {})["repetitions"] = bench["repetitions"]
            continue
        entry = entries.setdefault(name, Entry(name=name, command=f"google-benchmark {name}"))
        repetition = bench.get("repetition_index", len(entry.times))
        entry.add(seconds, int(repetition) if finite(repetition) else len(entry.times), where)
        for key, value in bench.items():
            if key in _KNOWN or not finite(value):
                continue
            higher = key.endswith("_per_second") or key.endswith("_rate")
            counter = entry.counters.setdefault(
                key,
                {"values": [], "unit": "/s" if higher else "", "direction":
                 "higher" if higher else "lower"},
            )  # fmt: skip
            counter["values"].append(float(value))
        if finite(bench.get("iterations")):
            entry.info["iterations"] = bench["iterations"]
    for name, found in aggregates.items():
        if name not in entries:
            entry = entries.setdefault(name, Entry(name=name, command=f"google-benchmark {name}"))
            entry.aggregates(found.get("mean_s"), found.get("stddev_s"),
                             found.get("repetitions"), f"{path}: '{name}'")  # fmt: skip
        entries[name].info["aggregates"] = found
    for entry in entries.values():
        for counter in entry.counters.values():
            values = counter.pop("values")
            counter["value"] = sum(values) / len(values)
    return document(NAME, list(entries.values()), "s", path)
