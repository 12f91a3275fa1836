"""The scaling table of a sweep on known throughputs: efficiency and the knee rule."""

from __future__ import annotations

from typing import Any

import pytest

from pbench.models import BenchmarkResult
from pbench.run.scaling import label_level, scaling_tables, table


def load(throughput: float, p50: float = 0.01) -> dict[str, Any]:
    latency = {"p50": p50, "p99": 2 * p50}
    return {"throughput": {"succeeded_per_s": throughput}, "latency": latency}


def test_perfect_scaling_has_no_knee() -> None:
    found = table("a", [(1, load(100)), (2, load(200)), (4, load(400)), (8, load(800))])
    assert [row["efficiency"] for row in found["levels"]] == [1.0, 1.0, 1.0, 1.0]
    assert found["knee"] is None and found["scales_to"] is None
    assert [row["gain"] for row in found["levels"]] == [None, 1.0, 1.0, 1.0]


def test_knee_where_efficiency_falls_below_80_percent() -> None:
    found = table("cpu", [(1, load(10)), (2, load(19)), (4, load(20)), (8, load(20))])
    assert found["levels"][1]["efficiency"] == pytest.approx(0.95)
    assert found["levels"][2]["efficiency"] == pytest.approx(0.5)
    assert found["knee"] == 4 and found["scales_to"] == 2
    assert "efficiency 50% < 80%" in found["knee_reason"]


def test_knee_where_the_gain_is_under_10_percent() -> None:
    # From 10 to 12 clients: efficiency 0.92 of perfect, but only 8% more throughput.
    found = table("x", [(10, load(1000)), (12, load(1080)), (14, load(1300))])
    assert found["levels"][1]["efficiency"] == pytest.approx(0.9)
    assert found["knee"] == 12 and "gain +8% < 10%" in found["knee_reason"]


def test_efficiency_relative_to_the_lowest_level() -> None:
    found = table("y", [(2, load(50)), (4, load(100)), (8, load(150))])
    assert [row["efficiency"] for row in found["levels"]] == [1.0, 1.0, 0.75]
    assert found["knee"] == 8


def test_nothing_succeeded_at_the_first_level() -> None:
    found = table("z", [(1, load(0)), (2, load(10)), (4, load(20))])
    assert found["levels"][0]["efficiency"] is None
    assert found["levels"][1]["efficiency"] == 1.0 and found["knee"] is None


def test_tables_group_the_levels_of_each_benchmark() -> None:
    results = []
    for level, rates in ((1, (10, 100)), (2, (20, 110))):
        for name, rate in zip(("a", "b"), rates, strict=True):
            result = BenchmarkResult(name, name, {}, {}, sections={"load": load(rate)})
            label_level(result, level)
            results.append(result)
    assert [r.name for r in results] == ["a (c=1)", "b (c=1)", "a (c=2)", "b (c=2)"]
    assert results[2].parameters == {"concurrency": "2"}
    tables = scaling_tables(results)
    assert [t["benchmark"] for t in tables] == ["a", "b"]
    assert tables[0]["knee"] is None and tables[1]["knee"] == 2
    # Results that are not levels of a sweep make no table.
    assert scaling_tables([BenchmarkResult("c", "c", {}, {}, sections={"load": load(1)})]) == []
