"""Formats recognised but not read, because they keep only aggregates for every
benchmark: Bencher Metric Format JSON (a value with optional bounds per measure),
locust's ``--csv`` statistics (``*_stats.csv``: counts, average, percentiles per
endpoint) and Catch2's XML reporter (``<BenchmarkResults>`` with mean and standard
deviation). pbench judges from measured values and never from values invented to fit
a mean and a spread, so each is refused (exit 2) with what to pass instead, rather
than being called a file of no known shape.

Formats followed: BMF as Bencher documents it (``{"name": {"measure": {"value",
"lower_value", "upper_value"}}}``); locust 2.x's ``_stats.csv`` header (``Type,Name,
Request Count,Failure Count,Median Response Time,...``); Catch2 v3's XML reporter
(``<Catch2TestRun>`` … ``<BenchmarkResults>``).
"""

from __future__ import annotations

from typing import Any, NoReturn

from pbench.results.formats.common import Damaged

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


def _refuse(what: str, path: str, fix: str) -> NoReturn:
    raise Damaged(
        f"{path} is {what}, which keeps only aggregates (no per-run values); pbench "
        "judges from measured values and will not invent them",
        hint=fix,
    )


def read_bmf(found: Any, path: str) -> dict[str, Any]:
    _refuse("Bencher Metric Format JSON", path,
            "pass the harness's own result file (one of the formats pbench reads)")  # fmt: skip


def read_locust(text: str, path: str) -> dict[str, Any]:
    _refuse("a locust --csv statistics file", path,
            "measure the endpoint with 'pbench http URL', which keeps every request's "
            "latency per slice")  # fmt: skip


def read_catch2(text: str, path: str) -> dict[str, Any]:
    _refuse("a Catch2 XML report", path,
            "run the benchmark binary under 'pbench run' to have per-run values")  # fmt: skip
