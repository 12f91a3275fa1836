"""pytest-benchmark's JSON (``--benchmark-json FILE``, and the ``.benchmarks/``
autosaves of ``--benchmark-autosave``/``--benchmark-save``, which are the same shape).

Format followed: pytest-benchmark 4 and 5 (``version`` "4.x"/"5.x"): a ``benchmarks``
list of ``{"name", "fullname", "group", "params", "stats": {...}}`` beside
``machine_info`` and ``commit_info``. ``stats.data`` holds each round's time per
iteration in seconds: always in ``--benchmark-json``, in an autosave only when the run
had ``--benchmark-save-data``; without it the autosave keeps only aggregates (``mean``,
``stddev``, ``rounds``), read as such (mean, sd, n: :mod:`pbench.stats.aggregate`).
A benchmark is named by its ``fullname`` (``tests/test_parse.py::test_parse[small]``);
each round is its own round.
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

NAME = "pytest-benchmark"


def detect(found: Any) -> float:
    if not isinstance(found, dict):
        return 0.0
    score = sum(key in found for key in ("benchmarks", "machine_info", "commit_info", "datetime"))
    benchmarks = found.get("benchmarks")
    if isinstance(benchmarks, list) and benchmarks and isinstance(benchmarks[0], dict):
        score += "stats" in benchmarks[0] and "fullname" in benchmarks[0]
    return likeness(score, 5)


def read(found: Any, path: str) -> dict[str, Any]:
    top = mapping(found, path)
    entries = []
    for index, item in enumerate(listing(top.get("benchmarks"), f"{path}: benchmarks")):
        where = f"{path}: benchmarks[{index}]"
        bench = mapping(item, where)
        name = bench.get("fullname") or bench.get("name")
        if not isinstance(name, str):
            raise Damaged(f"{where} has no 'fullname' string", hint=HINT)
        stats = mapping(bench.get("stats"), f"{where}.stats")
        data = stats.get("data")
        entry = Entry(name=name, command=f"pytest {name}")
        if data is None:
            entry.aggregates(stats.get("mean"), stats.get("stddev"), stats.get("rounds"), where)
            entries.append(entry)
            continue
        for position, value in enumerate(listing(data, f"{where}.stats.data")):
            if not finite(value):
                raise Damaged(f"{where}.stats.data[{position}] is not a number", hint=HINT)
            entry.add(float(value), position, where)
        rounds = stats.get("rounds")
        if finite(rounds) and rounds != len(entry.times):
            raise Damaged(
                f"{where}: stats.rounds is {rounds} but stats.data has {len(entry.times)} values",
                hint=HINT,
            )
        if isinstance(bench.get("group"), str):
            entry.info["group"] = bench["group"]
        if finite(stats.get("iterations")):
            entry.info["iterations"] = stats["iterations"]
        entries.append(entry)
    return document(NAME, entries, "s", path)
