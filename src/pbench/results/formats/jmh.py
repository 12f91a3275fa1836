"""JMH's JSON (``-rf json -rff FILE``).

Format followed: JMH 1.x's JSON result format as written by JMH 1.21 to 1.37: a list of
``{"jmhVersion", "benchmark", "mode", "threads", "forks", "params", "primaryMetric":
{"score", "scoreError", "scoreUnit", "rawData": [[per-iteration values of fork 1],
...]}, "secondaryMetrics"}``. Each measurement iteration is one value and each fork
one round. Average-time and single-shot modes (``avgt``, ``ss``; units such as
``ns/op``) are times per operation; throughput mode (``thrpt``, ``ops/s``) is higher
is better and each iteration's throughput is taken as its time per operation
(1/value, in seconds), with the unit and direction kept in ``info``. A benchmark with
``params`` is named ``benchmark:key=value,...``. A file without ``rawData`` (sample
mode keeps a histogram) is read as its ``score``, the mean time per operation, with
no sd or n (its ``scoreError`` is a 99.9% half-width, kept in ``info``); a throughput
without values is refused (the mean of a rate is not the rate of the mean time).
"""

from __future__ import annotations

from typing import Any

from pbench.results.formats.common import (
    HINT,
    TIME_UNITS,
    Damaged,
    Entry,
    aggregate_only,
    document,
    finite,
    likeness,
    listing,
    mapping,
)

NAME = "jmh"


def detect(found: Any) -> float:
    if not isinstance(found, list) or not found or not isinstance(found[0], dict):
        return 0.0
    first = found[0]
    score = sum(key in first for key in ("jmhVersion", "benchmark", "mode", "primaryMetric"))
    return likeness(score, 4)


def _unit(text: str) -> tuple[float, bool]:
    """Seconds per unit of ``text`` ("ns/op" or "ops/ms"), and whether it is a rate."""
    if text.endswith("/op"):
        return TIME_UNITS.get(text.removesuffix("/op"), 0.0), False
    if text.startswith("ops/"):
        return TIME_UNITS.get(text.removeprefix("ops/"), 0.0), True
    return 0.0, False


def read(found: Any, path: str) -> dict[str, Any]:
    entries = []
    for index, item in enumerate(listing(found, path)):
        where = f"{path}: [{index}]"
        bench = mapping(item, where)
        name = bench.get("benchmark")
        if not isinstance(name, str):
            raise Damaged(f"{where} has no 'benchmark' string", hint=HINT)
        params = bench.get("params")
        if isinstance(params, dict) and params:
            name += ":" + ",".join(f"{k}={v}" for k, v in params.items())
        metric = mapping(bench.get("primaryMetric"), f"{where}.primaryMetric")
        unit = str(metric.get("scoreUnit", ""))
        scale, rate = _unit(unit)
        if not scale:
            raise Damaged(f"{where}: '{name}' has scoreUnit '{unit}', not a time", hint=HINT)
        raw = metric.get("rawData")
        entry = Entry(name=name, command=f"jmh {name}")
        entry.info.update({"jmh_mode": bench.get("mode"), "jmh_unit": unit})
        if raw is None:
            if rate:
                raise aggregate_only(
                    NAME, path, name, "keep the iterations (rawData) of a throughput run"
                )
            score = metric.get("score")
            entry.aggregates(score * scale if finite(score) else None, None, None, where)
            if finite(metric.get("scoreError")):
                entry.info["jmh_score_error_999"] = metric["scoreError"] * scale
            entries.append(entry)
            continue
        for fork, values in enumerate(listing(raw, f"{where}.primaryMetric.rawData")):
            for value in listing(values, f"{where}.primaryMetric.rawData[{fork}]"):
                if not finite(value) or (rate and value <= 0):
                    raise Damaged(f"{where}: '{name}' has a value {value!r}", hint=HINT)
                entry.add(scale / value if rate else value * scale, fork, where)
        if rate:
            entry.info["throughput"] = "higher is better: each value is 1/ops as s/op"
        entries.append(entry)
    return document(NAME, entries, "s", path)
