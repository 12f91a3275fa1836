"""Budgets judged on finished results: what each benchmark measured of each metric, as
an :class:`pbench.stats.budget.Estimate` with a 95% interval, and the checks of its
budgets.

Runs (commands, single-client SQL) give one value per run; where several runs share a
round (a slice, as SQL runs do) they are not independent, and the intervals count
slices. Load runs (``pbench http``, ``pbench sql -c/-d/--rate``) keep every request's
latency in an exact histogram, summarised at a fixed list of percentiles, and one
observation per slice in ``measurements``: the overall figure comes from the histogram,
its interval from the spread of the same figure over the slices.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pbench.models import BenchmarkResult, Measurement, is_count
from pbench.stats.aggregate import mean_interval as aggregate_interval
from pbench.stats.aggregate import of_info
from pbench.stats.budget import (
    METRICS,
    Budget,
    BudgetCheck,
    Estimate,
    judge,
    percentile_of,
    quantity_of,
)
from pbench.stats.intervals import quantile, quantile_interval, transferred, wilson_interval
from pbench.stats.summary import (
    CONFIDENCE,
    Interval,
    Summary,
    mean_interval,
    median_interval,
    quantile_ci_reached,
    slice_values,
)

RESOURCES = ("rss", "cpu", "cpu_util")
COUNTS = ("instructions", "cycles")  # --measure instructions|cycles
# A load run's percentiles: its latency figures' key and its slices' metric of each.
LOAD_PERCENTILES = {
    "p50": ("p50", "wall_s"),
    "p90": ("p90", "p90_s"),
    "p95": ("p95", "p95_s"),
    "p99": ("p99", "p99_s"),
    "p99.9": ("p99_9", "p99_9_s"),
}
DEFAULT_PERCENTILES = ("p50", "p90", "p95", "p99")
_LEVEL = f"{CONFIDENCE:.0%}"


def checks_for(
    result: BenchmarkResult, summary: Summary | None, budgets: Sequence[Budget]
) -> list[BudgetCheck]:
    """The checks of ``budgets`` on one result, in budget order (warn, then error)."""
    estimates = estimates_for(result, summary, [budget.metric for budget in budgets])
    checks: list[BudgetCheck] = []
    for budget in budgets:
        estimate = estimates.get(budget.metric)
        missing = why_missing(result, summary, budget.metric) if estimate is None else ""
        checks.extend(judge(result.name, budget, estimate, missing))
    return checks


def estimates_for(
    result: BenchmarkResult, summary: Summary | None, metrics: Iterable[str] | None = None
) -> dict[str, Estimate]:
    """An estimate of each of ``metrics`` that the result has (by default every named
    metric and p50, p90, p95, p99, and p99.9 for load runs); absent when it has none
    (:func:`why_missing` says why)."""
    load = result.sections.get("load")
    if metrics is None:
        metrics = [*METRICS, *(LOAD_PERCENTILES if load is not None else DEFAULT_PERCENTILES)]
    found: dict[str, Estimate] = {}
    for metric in metrics:
        if metric in COUNTS and result.measure != metric:
            continue  # counted only under --measure instructions|cycles
        if load is not None:
            estimate = _load_estimate(result, load, summary, metric)
        else:
            estimate = _run_estimate(result, summary, metric)
        if estimate is not None:
            found[metric] = estimate
    return found


def why_missing(result: BenchmarkResult, summary: Summary | None, metric: str) -> str:
    """Why a result has no estimate of ``metric``, for the check's note."""
    if "load" in result.sections:
        if metric in RESOURCES:
            return (
                f"{metric} is not measured in load runs: the client runs inside pbench, "
                "its resource use would be pbench's own"
            )
        if percentile_of(metric) >= 0 and metric not in LOAD_PERCENTILES:
            return (
                f"this load run's file has no exact histogram to read {metric} from (only "
                f"{', '.join(LOAD_PERCENTILES)} are summarised): export it again with pbench"
            )
    if not result.measurements and of_info(result.info) is not None:
        return f"the harness kept only aggregates (mean, sd, n): its {metric} is not known"
    if not result.measurements or summary is None:
        return "nothing was measured (no successful run)"
    counted = metric in COUNTS
    if counted and result.measure != metric:
        return (
            f"measured with --measure {result.measure}: a budget on {metric} needs "
            f'--measure {metric} (measure = "{metric}" in a suite)'
        )
    if is_count(result.measure) and not counted:
        return (
            f"measured with --measure {result.measure}: under Valgrind the times, CPU and "
            f"memory are Valgrind's, not the command's; budget {result.measure} instead"
        )
    return f"no run reported {metric}"


# -- runs: commands and single-client SQL -----------------------------------------------


def _run_estimate(result: BenchmarkResult, summary: Summary | None, metric: str) -> Estimate | None:
    runs = result.measurements
    if not runs:
        return _aggregate_estimate(result, metric)
    if metric in COUNTS or is_count(result.measure):
        # Counts are budgeted only on a benchmark measured in that count; its times,
        # CPU and memory are Valgrind's (why_missing says so).
        if metric != result.measure or summary is None:
            return None
        ci = summary.median_ci
        note = f"median of {len(runs)} runs (counted under Valgrind)"
        return Estimate(summary.median, ci.low, ci.high, quantity_of(metric), note)
    rounds = [m.round for m in runs]
    slices = len(set(rounds))
    sliced = slices < len(runs)
    if metric == "error_rate":
        share = sum(m.failed for m in runs) / len(runs)
        ci = wilson_interval(share, slices)
        unit = f"{slices} slices (runs in one slice are not independent)" if sliced else "runs"
        return Estimate(share, ci.low, ci.high, "fraction", f"Wilson interval over {unit}")
    if metric in RESOURCES:
        return _per_run_median(result, metric, sliced)
    if summary is None:
        return None
    over = f"{slices} slices" if sliced else f"{len(runs)} runs"
    if metric == "mean":
        ci = summary.mean_ci
        return Estimate(summary.mean, ci.low, ci.high, "time", f"t interval over {over}")
    if metric == "median":
        ci = summary.median_ci
        return Estimate(summary.median, ci.low, ci.high, "time", f"order statistics of {over}")
    if metric in ("min", "max"):
        value = summary.min if metric == "min" else summary.max
        return Estimate(value, value, value, "time", "one run's time: no interval")
    if metric == "throughput":
        return _throughput_of_runs(summary)
    q = percentile_of(metric) / 100
    if q <= 0:
        return None
    if sliced:
        return _percentile_over_slices(result, metric, q)
    ordered = sorted(result.times)
    ci = quantile_interval(ordered, q)
    note = f"order statistics of {len(ordered)} runs"
    if not quantile_ci_reached(len(ordered), q):
        note += f"; too few runs for a {_LEVEL} interval of {metric} (it ends at a run)"
    return Estimate(quantile(ordered, q), ci.low, ci.high, "time", note)


def _aggregate_estimate(result: BenchmarkResult, metric: str) -> Estimate | None:
    """The mean of a result a harness kept only as mean, sd and n (its t interval);
    nothing else is known of it."""
    found = of_info(result.info)
    if found is None or metric != "mean":
        return None
    low, high = aggregate_interval(found)
    if not found.testable:
        note = "the harness's mean alone (no sd or n kept): no interval"
    else:
        note = f"t interval from the harness's mean, sd and n = {found.n} (only aggregates kept)"
    return Estimate(found.mean, low, high, "time", note)


def _percentile_over_slices(result: BenchmarkResult, metric: str, q: float) -> Estimate:
    groups: dict[int, list[float]] = {}
    for m in result.measurements:
        groups.setdefault(m.round, []).append(m.wall_s)
    per_slice = sorted(quantile(sorted(group), q) for group in groups.values())
    value = quantile(sorted(result.times), q)
    ci = transferred(value, quantile(per_slice, 0.5), median_interval(per_slice))
    note = (
        f"{metric} of all runs; interval from the {metric} of each of {len(per_slice)} slices"
        " (runs in one slice are not independent)"
    )
    return Estimate(value, ci.low, ci.high, "time", note)


def _per_run_median(result: BenchmarkResult, metric: str, sliced: bool) -> Estimate | None:
    """rss, cpu or cpu_util: the median over runs (over slices' medians when sliced)."""
    values: list[float] = []
    rounds: list[int] = []
    for m in result.measurements:
        value: float | None = None
        if metric == "rss":
            value = None if m.peak_rss_bytes is None else float(m.peak_rss_bytes)
        elif m.user_s is not None and m.system_s is not None:
            cpu = m.user_s + m.system_s
            value = cpu if metric == "cpu" else (cpu / m.wall_s if m.wall_s > 0 else None)
        if value is not None:
            values.append(value)
            rounds.append(m.round)
    if not values:
        return None
    ordered = sorted(slice_values(values, rounds))
    ci = median_interval(ordered)
    what = f"{len(ordered)} slices' medians" if sliced else f"{len(ordered)} runs"
    return Estimate(
        quantile(ordered, 0.5), ci.low, ci.high, quantity_of(metric), f"median of {what}"
    )


def _throughput_of_runs(summary: Summary) -> Estimate | None:
    if summary.mean <= 0:
        return None
    low, high = summary.mean_ci.low, summary.mean_ci.high
    return Estimate(
        1 / summary.mean,
        1 / high if high > 0 else math.inf,
        1 / low if low > 0 else math.inf,
        "rate",
        "runs per second, one after another: 1 / mean, with the mean's interval",
    )


# -- load runs ----------------------------------------------------------------------------


def _load_estimate(
    result: BenchmarkResult, load: Mapping[str, Any], summary: Summary | None, metric: str
) -> Estimate | None:
    slices = result.measurements
    if metric in RESOURCES:
        return None
    if metric == "error_rate":
        return _load_error_rate(load, slices)
    if metric == "throughput":
        return _load_throughput(load, slices)
    latency = load.get("latency")
    if latency is None or summary is None:
        return None
    if metric == "mean":
        ci = summary.mean_ci
        note = f"every request's mean; t interval of {len(slices)} slices' means"
        return Estimate(summary.mean, ci.low, ci.high, "time", note)
    if metric == "median":
        ci = summary.median_ci
        note = f"median of {len(slices)} slices' medians, order statistics"
        return Estimate(summary.median, ci.low, ci.high, "time", note)
    if metric in ("min", "max"):
        value = float(latency[metric])
        return Estimate(value, value, value, "time", "one request's latency: no interval")
    if metric in LOAD_PERCENTILES:
        key, per_slice_key = LOAD_PERCENTILES[metric]
        value = float(latency[key])
        like = metric
    else:  # any other percentile: from the exact histogram the load section carries
        found = _from_histogram(load, percentile_of(metric) / 100)
        if found is None:
            return None
        value, like = found, _nearest_summarised(metric)
        per_slice_key = LOAD_PERCENTILES[like][1]
    per_slice = sorted(
        m.wall_s if per_slice_key == "wall_s" else m.metrics[per_slice_key]
        for m in slices
        if per_slice_key == "wall_s" or per_slice_key in m.metrics
    )
    if not per_slice:
        return Estimate(value, value, value, "time", "no slice to give an interval")
    ci = transferred(value, quantile(per_slice, 0.5), median_interval(per_slice))
    note = (
        f"{metric} of every request (histogram); interval from the {like} of each of "
        f"{len(per_slice)} slices"
    )
    return Estimate(value, ci.low, ci.high, "time", note)


def _from_histogram(load: Mapping[str, Any], q: float) -> float | None:
    """The value (seconds) at quantile ``q`` of the load section's exact histogram."""
    document = load.get("histogram")
    if not isinstance(document, Mapping) or not document.get("total"):
        return None
    from pbench.load.histogram import from_document

    return from_document(document).quantiles([q])[0] * 1e-9


def _nearest_summarised(metric: str) -> str:
    """The percentile of each slice kept nearest to ``metric``, whose spread over the
    slices gives its interval (p75 takes p90's, p80 takes p90's, p30 takes p50's)."""
    wanted = percentile_of(metric)
    return min(LOAD_PERCENTILES, key=lambda name: abs(percentile_of(name) - wanted))


def _load_error_rate(load: Mapping[str, Any], slices: Sequence[Measurement]) -> Estimate | None:
    requests = int(load.get("requests") or 0)
    if not requests:
        return None
    share = int(load.get("failed") or 0) / requests
    empty = int((load.get("slices") or {}).get("without_success", 0))
    rows = [
        (m.metrics["requests"], m.metrics.get("failed", 0.0))
        for m in slices
        if m.metrics.get("requests")
    ]
    effective = effective_count(share, requests, rows, empty)
    ci = wilson_interval(share, effective)
    note = (
        f"failed / {requests:,} requests; Wilson interval over {effective:,.0f} effective "
        f"requests (requests in one slice are not independent: Kish's design effect from "
        f"the spread of {len(rows) + empty} slices' error rates)"
    )
    return Estimate(share, ci.low, ci.high, "fraction", note)


def effective_count(
    share: float, requests: int, rows: Sequence[tuple[float, float]], empty: int
) -> float:
    """How many independent requests ``requests`` clustered in slices are worth for a
    proportion: ``requests / deff``, with the design effect deff the variance of the
    slices' error rates over the binomial variance one slice would have (at least 1).
    ``rows`` are (requests, failed) per slice; ``empty`` slices had no success (counted
    as all failed, of the mean size). Errors spread evenly give about every request;
    errors in bursts (one slice failing whole) give about one per slice. Fewer than two
    slices: nothing to estimate the spread from, so the slices count (at least 1)."""
    size = requests / max(len(rows) + empty, 1)
    rates = [failed / count for count, failed in rows] + [1.0] * empty
    if len(rates) < 2:
        return float(max(len(rates), 1))
    binomial = share * (1 - share) / size
    if binomial <= 0:
        return float(requests)  # no error at all (or only errors): nothing clusters
    mean = sum(rates) / len(rates)
    spread = sum((r - mean) ** 2 for r in rates) / (len(rates) - 1)
    deff = spread / binomial
    if deff <= 1.0:
        return float(requests)
    # The design effect is itself estimated from len(rates) slices: widen the interval
    # as a t interval with len(rates) - 1 degrees of freedom would, (z / t)^2.
    from statistics import NormalDist

    from pbench.stats.summary import t_quantile

    z, t = NormalDist().inv_cdf(0.975), t_quantile(0.975, len(rates) - 1)
    return requests / deff * (z / t) ** 2


def _load_throughput(load: Mapping[str, Any], slices: Sequence[Measurement]) -> Estimate | None:
    value = float(load["throughput"]["requests_per_s"])
    rates = [m.metrics["requests_per_s"] for m in slices if "requests_per_s" in m.metrics]
    if len(rates) < 2 or value <= 0:
        return Estimate(value, value, value, "rate", "fewer than 2 slices: no interval")
    average = sum(rates) / len(rates)
    spread = math.sqrt(sum((r - average) ** 2 for r in rates) / (len(rates) - 1))
    ci: Interval = transferred(value, average, mean_interval(average, spread, len(rates)))
    note = f"requests per second; t interval of {len(rates)} slices' rates"
    return Estimate(value, ci.low, ci.high, "rate", note)
