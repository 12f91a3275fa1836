"""Budgets in the exports: JSON's top-level ``budgets`` (only when set), Markdown's
"Budgets" section."""

from __future__ import annotations

import dataclasses
import json

from pbench.export import render
from pbench.models import RunResults
from pbench.stats.budget import Budget, Estimate, judge


def with_budgets(report: RunResults) -> RunResults:
    checks = [
        *judge("sleep 0.1", Budget("mean", warn=0.05, error=0.2),
               Estimate(0.10136, 0.1007, 0.1019, "time", "t interval over 5 runs")),
        *judge("sleep 0.1", Budget("throughput", error=5.0),
               Estimate(9.8, 9.7, float("inf"), "rate")),
        *judge("GET /", Budget("rss", error=2e8), None, "rss is not measured in load runs"),
    ]  # fmt: skip
    return dataclasses.replace(report, budgets=checks)


def test_json_lists_every_check_in_base_units(report: RunResults) -> None:
    doc = json.loads(render("json", with_budgets(report)))
    assert list(doc)[-1] == "budgets"
    warn, error, rate, rss = doc["budgets"]
    assert warn == {
        "benchmark": "sleep 0.1",
        "metric": "mean",
        "level": "warn",
        "limit": 0.05,
        "quantity": "time",
        "bigger_is_better": False,
        "status": "broken",
        "measured": 0.10136,
        "low": 0.1007,
        "high": 0.1019,
        "note": "t interval over 5 runs",
    }
    assert error["status"] == "met"
    assert rate["bigger_is_better"] and rate["high"] is None  # infinity is no JSON number
    assert rss["status"] == "no_data"
    assert (rss["measured"], rss["low"], rss["high"]) == (None, None, None)


def test_no_budgets_no_key_and_no_section(report: RunResults) -> None:
    assert "budgets" not in json.loads(render("json", report))
    assert "Budgets" not in render("markdown", report)


def test_markdown_has_a_budgets_section(report: RunResults) -> None:
    text = render("markdown", with_budgets(report))
    section = text[text.index("### Budgets") :].splitlines()
    assert section[2].startswith("| Benchmark | Metric | Level | Limit |")
    assert section[4] == (
        "| `sleep 0.1` | mean | warn | ≤ 50.00 ms | 101.4 ms [100.7 ms, 101.9 ms] | broken |"
    )
    assert section[6] == "| `sleep 0.1` | throughput | error | ≥ 5.0/s | 9.8/s [9.7/s, ∞/s] | met |"
    assert section[7] == "| `GET /` | rss | error | ≤ 200.0 MB | n/a | no data |"
    assert "at risk: the limit lies inside it" in text
