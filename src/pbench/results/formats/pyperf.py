"""pyperf's JSON (``python -m pyperf timeit -o FILE``, ``Runner`` scripts' ``-o``):
a single benchmark file or a benchmark suite, the same shape.

Format followed: pyperf's JSON version "1.0" (pyperf 1.x and 2.x): ``{"version",
"metadata", "benchmarks": [{"metadata", "runs": [{"metadata", "warmups", "values"}]}]}``.
A benchmark's ``name`` and ``unit`` are in its own metadata or the file's common
metadata; values are seconds per loop for the unit "second". Each run is one worker
process and becomes one round, so pbench's slices are the processes' medians (the
spread between processes is what pyperf itself reports). Calibration runs (no
``values``) are skipped. Units "byte" and "integer" are carried as they are.
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

NAME = "pyperf"
_UNITS = {"second": "s", "byte": "bytes", "integer": "count"}


def detect(found: Any) -> float:
    if not isinstance(found, dict):
        return 0.0
    benchmarks = found.get("benchmarks")
    first = benchmarks[0] if isinstance(benchmarks, list) and benchmarks else None
    score = ("version" in found) + isinstance(benchmarks, list) + ("metadata" in found)
    score += isinstance(first, dict) and "runs" in first
    return likeness(score, 4)


def read(found: Any, path: str) -> dict[str, Any]:
    top = mapping(found, path)
    common: dict[str, Any] = top["metadata"] if isinstance(top.get("metadata"), dict) else {}
    entries = []
    for index, item in enumerate(listing(top.get("benchmarks"), f"{path}: benchmarks")):
        where = f"{path}: benchmarks[{index}]"
        bench = mapping(item, where)
        own = bench.get("metadata")
        meta = {**common, **(own if isinstance(own, dict) else {})}
        name = meta.get("name")
        if not isinstance(name, str):
            raise Damaged(f"{where} has no name in its metadata", hint=HINT)
        unit = _UNITS.get(str(meta.get("unit", "second")), str(meta.get("unit")))
        entry = Entry(name=name, command=str(meta.get("command") or f"pyperf {name}"))
        for run_index, run in enumerate(listing(bench.get("runs"), f"{where}.runs")):
            values = mapping(run, f"{where}.runs[{run_index}]").get("values") or []
            for position, value in enumerate(listing(values, f"{where}.runs[{run_index}]")):
                if not finite(value):
                    raise Damaged(
                        f"{where}.runs[{run_index}].values[{position}] is not a number", hint=HINT
                    )
                entry.add(float(value), run_index, where)
        if unit != "s":
            entry.info["unit"] = unit
        entries.append(entry)
    return document(NAME, entries, "s", path)
