"""Formats that keep only aggregates for every benchmark, read as such (mean, and the
sd and n where the format has them; :mod:`pbench.stats.aggregate`), never as values
made up to fit them: Bencher Metric Format JSON, locust's ``--csv`` statistics and
Catch2's XML reporter.

Formats followed:

- BMF as Bencher documents it: ``{"name": {"measure": {"value", "lower_value",
  "upper_value"}}}``. The ``latency`` measure (nanoseconds) is the benchmark's mean
  time, without an sd or n (its bounds are kept in ``info``); other measures
  (``throughput``, custom ones) are carried as counters. A benchmark without a
  ``latency`` measure has no time and is refused.
- locust 2.x's ``_stats.csv``: ``Type,Name,Request Count,Failure Count,Median Response
  Time,Average Response Time,...,50%,...,100%``, one row per endpoint and an
  ``Aggregated`` row. The average response time (ms) is the mean, ``Request Count``
  the n, no sd; failures, requests/s and the percentiles are kept in ``info``.
- Catch2 v3's XML reporter: ``<BenchmarkResults name samples ...>`` with ``<mean
  value>`` and ``<standardDeviation value>`` in nanoseconds; n is ``samples``.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ElementTree
from typing import Any

from pbench.results.formats.common import HINT, Damaged, Entry, document, finite

BMF, LOCUST, CATCH2 = "bmf", "locust-csv", "catch2-xml"


def detect_bmf(found: Any) -> float:
    if not isinstance(found, dict) or not found:
        return 0.0
    measures = [m for b in found.values() if isinstance(b, dict) for m in b.values()]
    valued = [m for m in measures if isinstance(m, dict) and "value" in m]
    if measures and len(valued) == len(measures) == sum(len(b) for b in found.values()):
        return 1.0
    return 0.0


def detect_locust(text: str) -> float:
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    return 1.0 if header.startswith("Type,Name,Request Count,Failure Count") else 0.0


def detect_catch2(text: str) -> float:
    head = text[:4096]
    if "<BenchmarkResults" in text and ("<Catch2TestRun" in head or "<Catch " in head):
        return 1.0
    return 0.5 if "<Catch2TestRun" in head else 0.0


def read_bmf(found: Any, path: str) -> dict[str, Any]:
    entries = []
    for name, measures in found.items():
        where = f"{path}: '{name}'"
        latency = measures.get("latency")
        if not isinstance(latency, dict):
            raise Damaged(
                f"{where} has no latency measure (only {', '.join(map(str, measures))}): "
                "no time per operation to judge",
                hint="report a latency measure (nanoseconds) for each benchmark",
            )
        entry = Entry(name=str(name), command=f"bencher {name}")
        value = latency.get("value")
        entry.aggregates(value * 1e-9 if finite(value) else None, None, None, where)
        bounds = [b for k in ("lower_value", "upper_value") if finite(b := latency.get(k))]
        if len(bounds) == 2:
            entry.info["bmf_latency_bounds_s"] = [b * 1e-9 for b in bounds]
        for measure, figures in measures.items():
            if measure != "latency" and isinstance(figures, dict) and finite(figures.get("value")):
                higher = measure == "throughput"
                entry.counters[str(measure)] = {
                    "value": figures["value"], "unit": "/s" if higher else "",
                    "direction": "higher" if higher else "lower",
                }  # fmt: skip
        entries.append(entry)
    return document(BMF, entries, "s", path)


def read_locust(text: str, path: str) -> dict[str, Any]:
    entries = []
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    for line, row in enumerate(rows, start=2):
        where = f"{path}:{line}"
        kind, name = (row.get("Type") or "").strip(), (row.get("Name") or "").strip()
        label = f"{kind} {name}".strip()
        if not label:
            raise Damaged(f"{where}: a row without a Type and Name", hint=HINT)
        average, count = _float(row, "Average Response Time"), _float(row, "Request Count")
        if average is None or count is None:
            raise Damaged(f"{where}: '{label}' has no Average Response Time and Request Count",
                          hint=HINT)  # fmt: skip
        entry = Entry(name=label, command=f"locust {label}")
        entry.aggregates(average * 1e-3, None, int(count), where)
        failures = _float(row, "Failure Count")
        entry.info["locust"] = {
            "requests": int(count),
            "failures": int(failures) if failures is not None else None,
            "requests_per_s": _float(row, "Requests/s"),
            "percentiles_s": {
                key: value * 1e-3
                for key in row
                if key and key.endswith("%") and (value := _float(row, key)) is not None
            },
        }
        entries.append(entry)
    return document(LOCUST, entries, "s", path)


def read_catch2(text: str, path: str) -> dict[str, Any]:
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise Damaged(f"{path} is not well-formed XML (Catch2): {exc}", hint=HINT) from None
    entries = []
    for index, result in enumerate(root.iter("BenchmarkResults")):
        where = f"{path}: BenchmarkResults[{index}]"
        name = result.get("name")
        if not name:
            raise Damaged(f"{where} has no name", hint=HINT)
        mean, sd = result.find("mean"), result.find("standardDeviation")
        mean_ns = _number(mean.get("value") if mean is not None else None)
        sd_ns = _number(sd.get("value") if sd is not None else None)
        samples = _number(result.get("samples"))
        entry = Entry(name=name, command=f"catch2 {name}")
        entry.aggregates(mean_ns * 1e-9 if mean_ns is not None else None,
                         sd_ns * 1e-9 if sd_ns is not None else None,
                         int(samples) if samples is not None else None, where)  # fmt: skip
        if mean is not None:
            low, high = _number(mean.get("lowerBound")), _number(mean.get("upperBound"))
            if low is not None and high is not None:
                entry.info["catch2_mean_bounds_s"] = [low * 1e-9, high * 1e-9]
        entries.append(entry)
    return document(CATCH2, entries, "s", path)


def _float(row: dict[str, str], key: str) -> float | None:
    return _number(row.get(key))


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text not in (None, "", "N/A") else None
    except ValueError:
        return None
    return value if value is not None and finite(value) else None
