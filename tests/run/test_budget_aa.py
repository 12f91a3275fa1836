"""A/A tests of the budget verdicts: a limit set exactly at the true value of a metric
must be called "broken" (or "met") in at most the stated rate of trials, 2.5% per side
for a 95% interval, for every kind of estimate (commands: order statistics and the t
interval; load runs: the slices' percentiles and the clustered error rate). Seeded, so
the counts are exact and the tests cannot flake."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from pbench.models import BenchmarkResult, Measurement, summary_of
from pbench.run.budgets import checks_for
from pbench.stats.budget import Budget

TRIALS = 400
# Two-sided 95%: each side has 2.5%; with 400 trials the count of one side is binomial
# (400, 0.025), mean 10, and above 20 with probability under 0.2%. (The clustered error
# rate comes closest: 11 and 18 of 400, its design effect being itself estimated from
# 40 slices.)
MAX_PER_SIDE = 20


def runs_result(walls: np.ndarray) -> BenchmarkResult:
    runs = [
        Measurement(float(w), None, None, None, 0, None, False, None, i, 0, i)
        for i, w in enumerate(walls)
    ]
    return BenchmarkResult("a", "a", {}, {}, measurements=runs, stop_reason="runs")


def statuses(result: BenchmarkResult, budget: Budget) -> str:
    [check] = checks_for(result, summary_of(result), [budget])
    return check.status


def test_command_medians_and_percentiles_at_the_true_value() -> None:
    rng = np.random.default_rng(1)
    mu, sigma = math.log(0.010), 0.2
    truth = {"median": 0.010, "p90": math.exp(mu + sigma * 1.2815515655446004)}
    for metric, limit in truth.items():
        counts: Counter[str] = Counter()
        for _ in range(TRIALS):
            result = runs_result(rng.lognormal(mu, sigma, 40))
            counts[statuses(result, Budget(metric, error=limit))] += 1
        assert counts["broken"] <= MAX_PER_SIDE, (metric, counts)
        assert counts["met"] <= MAX_PER_SIDE, (metric, counts)


def test_command_mean_at_the_true_value() -> None:
    rng = np.random.default_rng(2)
    counts: Counter[str] = Counter()
    for _ in range(TRIALS):
        result = runs_result(rng.normal(0.010, 0.0005, 30))
        counts[statuses(result, Budget("mean", error=0.010))] += 1
    assert counts["broken"] <= MAX_PER_SIDE and counts["met"] <= MAX_PER_SIDE, counts


def load_result(
    rng: np.random.Generator, slices: int = 40, per_slice: int = 500
) -> BenchmarkResult:
    """A load run whose error rate drifts from slice to slice (errors cluster in time,
    as a server's hiccups do): true rate 2%, each slice's own rate drawn around it."""
    rates = rng.beta(2, 98, slices)  # mean 2%, a spread far wider than binomial
    failed = rng.binomial(per_slice, rates)
    measurements = [
        Measurement(
            0.001,
            None,
            None,
            None,
            0,
            None,
            False,
            None,
            i,
            0,
            i,
            metrics={
                "requests": float(per_slice),
                "failed": float(f),
                "requests_per_s": 5000.0,
                "elapsed_s": 0.1,
            },
        )
        for i, f in enumerate(failed)
    ]
    total = slices * per_slice
    load = {
        "requests": total,
        "failed": int(failed.sum()),
        "slices": {"count": slices, "without_success": 0},
        "latency": None,
        "throughput": {"requests_per_s": 5000.0},
    }
    return BenchmarkResult(
        "a", "a", {}, {}, measurements=measurements, stop_reason="time", sections={"load": load}
    )


def test_load_error_rate_with_clustered_errors_at_the_true_value() -> None:
    # Counting every request as independent calls this "broken" or "met" in 188 of the
    # 400 trials; the design effect keeps each side near 2.5%.
    rng = np.random.default_rng(3)
    counts: Counter[str] = Counter()
    for _ in range(TRIALS):
        counts[statuses(load_result(rng), Budget("error_rate", error=0.02))] += 1
    assert counts["broken"] <= MAX_PER_SIDE and counts["met"] <= MAX_PER_SIDE, counts


def test_a_budget_clearly_met_or_broken_is_called_so() -> None:
    # The other side of the A/A: the verdicts do decide when the limit is not at the truth.
    rng = np.random.default_rng(4)
    result = runs_result(rng.lognormal(math.log(0.010), 0.2, 40))
    assert statuses(result, Budget("median", error=0.012)) == "met"
    assert statuses(result, Budget("median", error=0.008)) == "broken"
    assert statuses(load_result(rng), Budget("error_rate", error=0.05)) == "met"
