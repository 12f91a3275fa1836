"""Criterion.rs's saved measurements: ``target/criterion/<benchmark>/new/sample.json``.

Format followed: Criterion.rs 0.3 to 0.5: ``sample.json`` is ``{"sampling_mode",
"iters": [...], "times": [...]}``, each sample's total time in nanoseconds over its
iteration count, so each sample's time per iteration is ``times[i] / iters[i]``. The
benchmark's name is the ``full_id`` of ``benchmark.json`` beside the file (``{"group_id",
"function_id", "value_str", "full_id", ...}``), else the folder's name. Every sample is
its own round. ``estimates.json`` holds only estimates (mean, median, slope with their
intervals), no sample count: it is read as its mean and ``std_dev`` (in ns) without
an n, so no test can be made from it (the ``sample.json`` beside it has the values).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pbench.results.formats.common import (
    HINT,
    Damaged,
    Entry,
    document,
    finite,
    listing,
    mapping,
)

NAME = "criterion"


def detect(found: Any) -> float:
    if not isinstance(found, dict):
        return 0.0
    if "iters" in found and "times" in found:
        return 1.0
    estimates = sum(key in found for key in ("mean", "median", "std_dev", "slope"))
    return 1.0 if estimates >= 3 else (estimates + ("sampling_mode" in found)) / 5


def read(found: Any, path: str) -> dict[str, Any]:
    top = mapping(found, path)
    folder = Path(path).resolve().parent
    name = _name(folder)
    if "iters" not in top:
        entry = Entry(name=name, command=f"cargo bench {name}")
        mean, sd = (_estimate(top, key, path) for key in ("mean", "std_dev"))
        if mean is None:
            raise Damaged(f"{path}: estimates.json has no mean.point_estimate", hint=HINT)
        entry.aggregates(mean * 1e-9, sd * 1e-9 if sd is not None else None, None, path)
        entry.info["sample_json"] = str(folder / "sample.json")
        return document(NAME, [entry], "s", path)
    iters = listing(top.get("iters"), f"{path}: iters")
    times = listing(top.get("times"), f"{path}: times")
    if len(iters) != len(times):
        raise Damaged(f"{path}: {len(iters)} iters but {len(times)} times", hint=HINT)
    entry = Entry(name=name, command=f"cargo bench {name}")
    for position, (count, total) in enumerate(zip(iters, times, strict=True)):
        if not finite(count) or not finite(total) or count <= 0:
            raise Damaged(f"{path}: sample {position} is not a count and a time", hint=HINT)
        entry.add(total / count * 1e-9, position, path)
    return document(NAME, [entry], "s", path)


def _estimate(top: Any, key: str, path: str) -> float | None:
    found = top.get(key)
    value = found.get("point_estimate") if isinstance(found, dict) else None
    return float(value) if finite(value) else None


def _name(folder: Path) -> str:
    """``full_id`` of benchmark.json beside the file, else the benchmark's folder name."""
    try:
        described = json.loads((folder / "benchmark.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        described = None
    if isinstance(described, dict) and isinstance(described.get("full_id"), str):
        return str(described["full_id"])
    return folder.parent.name if folder.name in ("new", "base") else folder.name
