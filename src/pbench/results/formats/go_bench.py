"""``go test -bench`` text output (the benchmark lines of the testing package).

Format followed: Go's benchmark format as written by ``testing`` since Go 1.x and
described in the proposal "Go benchmark data format" (golang.org/design/14313):
``BenchmarkName-P  <iterations>  <value> <unit>  [<value> <unit>]...``, after
``goos:``/``goarch:``/``pkg:`` lines. The ``-P`` GOMAXPROCS suffix is dropped from the
name and the package is kept beside it. Each line is one run (``-count N`` gives N
lines per benchmark) and one round; ``ns/op`` is the time per operation. ``B/op``,
``allocs/op`` (lower is better), ``MB/s`` (higher is better) and custom metrics from
``b.ReportMetric`` are carried as counters (their mean over the runs).
"""

from __future__ import annotations

import re
from typing import Any

from pbench.results.formats.common import HINT, Damaged, Entry, document

NAME = "go-test-bench"
_LINE = re.compile(r"^(Benchmark\S*?)(?:-(\d+))?\s+(\d+)((?:\s+[-+0-9.eE]+\s+\S+)+)\s*$")
_PAIR = re.compile(r"([-+0-9.eE]+)\s+(\S+)")


def detect_text(text: str) -> float:
    lines = text.splitlines()
    bench = sum(1 for line in lines if _LINE.match(line))
    started = sum(1 for line in lines if line.startswith("Benchmark"))
    header = any(line.startswith(("goos:", "goarch:", "pkg:")) for line in lines)
    if bench and bench == started:
        return 1.0
    return (header + (started > 0)) / 3


def read_text(text: str, path: str) -> dict[str, Any]:
    entries: dict[str, Entry] = {}
    package = ""
    counters: dict[str, dict[str, list[float]]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("pkg:"):
            package = line.removeprefix("pkg:").strip()
            continue
        if not line.startswith("Benchmark"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise Damaged(f"{path}, line {number}: not a complete benchmark line", hint=HINT)
        name = match.group(1)
        key = f"{package}.{name}" if package else name
        entry = entries.setdefault(key, Entry(name=name, command=f"go test -bench {name}"))
        if package:
            entry.info["package"] = package
        metrics = {unit: float(value) for value, unit in _PAIR.findall(match.group(4))}
        if "ns/op" not in metrics:
            raise Damaged(f"{path}, line {number}: '{name}' has no ns/op", hint=HINT)
        entry.add(metrics.pop("ns/op") * 1e-9, len(entry.times), f"{path}, line {number}")
        for unit, value in metrics.items():
            counters.setdefault(key, {}).setdefault(unit, []).append(value)
    if len({e.name for e in entries.values()}) < len(entries):
        for key, entry in entries.items():
            entry.name = key
    for key, found in counters.items():
        for unit, values in found.items():
            higher = unit.endswith("/s") and not unit.endswith("ns/s")
            entries[key].counters[unit] = {
                "value": sum(values) / len(values),
                "unit": unit,
                "direction": "higher" if higher else "lower",
            }
    return document(NAME, list(entries.values()), "s", path)
