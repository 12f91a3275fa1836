"""The compliance table: units per quantity, statuses, the legend, why data is missing."""

from __future__ import annotations

from pbench.report.budgets import broken_line, format_values, render_budgets
from pbench.report.terminal import PLAIN
from pbench.stats.budget import Budget, Estimate, judge


def test_units_per_quantity() -> None:
    assert format_values([0.0521, 0.0518, 0.0526], "time") == ["52.10 ms", "51.80 ms", "52.60 ms"]
    assert format_values([200e6, 1.5e9, 512], "bytes") == ["200.0 MB", "1.5 GB", "512 B"]
    assert format_values([0.0123, 0.0], "fraction") == ["1.23%", "0.00%"]
    assert format_values([1234.5, float("inf")], "rate") == ["1,234.5/s", "∞/s"]


def test_the_table_shows_every_check() -> None:
    checks = [
        *judge("fast", Budget("p95", warn=0.01, error=0.1), Estimate(0.05, 0.04, 0.06, "time")),
        *judge("fast", Budget("throughput", error=100), Estimate(90, 80, 95, "rate")),
        *judge("fast", Budget("error_rate", error=0.01), Estimate(0.0, 0.0, 0.16, "fraction")),
        *judge("fast", Budget("rss", error=2e8), None, "rss is not measured in load runs"),
    ]
    text = render_budgets(checks, PLAIN)
    lines = text.splitlines()
    assert lines[0] == "Budgets"
    assert lines[1].split() == [
        "Benchmark",
        "Metric",
        "Level",
        "Limit",
        "Measured",
        "[95%",
        "interval]",
        "Status",
    ]
    assert lines[2].split() == [
        "fast",
        "p95",
        "warn",
        "≤",
        "10.00",
        "ms",
        "50.00",
        "ms",
        "[40.00",
        "ms,",
        "60.00",
        "ms]",
        "broken",
    ]
    assert lines[3].endswith("met") and "≤ 100.0 ms" in lines[3]
    assert "≥ 100.0/s" in lines[4] and "90.0/s [80.0/s, 95.0/s]" in lines[4]
    assert lines[4].endswith("broken")
    assert lines[5].endswith("at risk") and "0.00% [0.00%, 16.00%]" in lines[5]
    assert lines[6].endswith("no data") and "n/a" in lines[6] and "200.0 MB" in lines[6]
    assert "at risk: the limit lies inside it" in text
    assert "no data for rss of 'fast': rss is not measured in load runs" in text


def test_the_broken_line_says_which_side() -> None:
    [check] = judge("api", Budget("throughput", error=100), Estimate(90, 80, 95, "rate"))
    assert broken_line(check) == (
        "budget broken: throughput of 'api' is 90.0/s [80.0/s, 95.0/s] (95% interval), "
        "all below its limit of 100.0/s"
    )
