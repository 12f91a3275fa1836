"""--budget per subcommand: parsed once, resource metrics refused where never measured."""

from __future__ import annotations

import pytest

from pbench.errors import UsageError
from pbench.plan.budgets import budgets_for
from pbench.stats.budget import Budget


def test_run_takes_every_metric() -> None:
    assert budgets_for("run", ["mean:10ms", "rss:200MB:warn", "rss:300MB", "cpu_util:80%"]) == (
        Budget("mean", error=0.01),
        Budget("rss", warn=200e6, error=300e6),
        Budget("cpu_util", error=0.8),
    )


@pytest.mark.parametrize("subcommand", ["http", "sql"])
@pytest.mark.parametrize("metric", ["rss:1GB", "cpu:1s", "cpu_util:50%:warn"])
def test_resource_metrics_are_refused_where_never_measured(subcommand: str, metric: str) -> None:
    with pytest.raises(UsageError) as raised:
        budgets_for(subcommand, ["p95:1s", metric])
    name = metric.split(":")[0]
    assert f"pbench {subcommand} does not measure {name}" in raised.value.message
    assert raised.value.hint and "pbench run" in raised.value.hint


def test_latency_rate_and_errors_are_fine_under_load() -> None:
    assert budgets_for("http", ["p99.9:1s", "throughput:1000/s", "error_rate:1%"]) == (
        Budget("p99.9", error=1.0),
        Budget("throughput", error=1000.0),
        Budget("error_rate", error=0.01),
    )


def test_bad_text_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="not METRIC:LIMIT"):
        budgets_for("run", ["mean"])
