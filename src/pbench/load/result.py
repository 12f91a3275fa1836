"""A finished load run as a :class:`pbench.models.BenchmarkResult`.

- ``measurements``: the capped uniform sample of requests, in start order; ``wall_s``
  is one request's latency (from its scheduled start in open loop), ``error`` its
  error kind; ``metrics`` carry ``service_s``, ``wait_s`` (open loop) and ``status``.
- ``summary_override``: a :class:`pbench.stats.summary.Summary` of the latencies of ALL
  successful requests, computed from the histogram (bucket precision: 1/1024).
- ``sections["load"]``: see :func:`load_section`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from pbench.load.histogram import LatencyHistogram, to_document
from pbench.load.recorder import LoadRun
from pbench.load.schedule import LoadPlan
from pbench.models import Measurement
from pbench.stats.summary import (
    CONFIDENCE,
    QUANTILES,
    Interval,
    Summary,
    assemble,
    median_ci_ranks,
    with_slices,
)

RATE_REACHED_SHARE = 0.99  # open loop: the achieved rate within 1% of the asked one
LATE_S = 0.01  # open loop: a p99 wait to be sent above this is worth a warning
UNFINISHED_SHARE = 0.01  # of all requests: above this, abandoned requests are a warning
CLIENT_BOUND_SHARE = 0.9  # of one core per worker: above this the client is the bottleneck
EXACT_RANKS_UP_TO = 2000  # beyond, the median CI ranks use the normal approximation
PERCENTILES = (("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99), ("p99_9", 0.999))


def summary_from_histogram(histogram: LatencyHistogram, confidence: float = CONFIDENCE) -> Summary:
    """A :class:`Summary` in seconds of every value in a (non-empty) histogram."""
    import numpy as np

    n = histogram.total
    ns = 1e-9
    quantiles = [v * ns for v in histogram.quantiles(list(QUANTILES))]
    median = quantiles[2]
    values, counts = histogram.buckets()
    deviations = np.abs(values * ns - median)
    order = np.argsort(deviations, kind="stable")
    cumulative = np.cumsum(counts[order])
    mad = float(deviations[order][int(np.searchsorted(cumulative, math.ceil(n / 2)))])
    low_rank, high_rank = _median_ranks(n, confidence)
    return assemble(
        n=n,
        mean=histogram.mean * ns,
        stddev=histogram.stddev * ns,
        minimum=histogram.min * ns,
        maximum=histogram.max * ns,
        quantiles=quantiles,
        mad=mad,
        median_ci=Interval(
            histogram.value_at_rank(low_rank) * ns, histogram.value_at_rank(high_rank) * ns
        ),
        confidence=confidence,
    )


def summary_from_slices(
    histogram: LatencyHistogram, slices: Sequence[Measurement], confidence: float = CONFIDENCE
) -> Summary:
    """The histogram's summary, with a median and intervals that count slices.

    Requests in one slice are not independent observations, so an interval computed
    as if they were is far too narrow. The median is that of the slices' medians (the
    unit of comparisons and --precision, and the median of ``times``) with their
    distribution-free interval; the mean is that of every request with the t interval
    of the slices' means. Every request's percentiles stay in the load section.
    """
    return with_slices(
        summary_from_histogram(histogram, confidence),
        [m.wall_s for m in slices],
        [m.metrics.get("mean_s", m.wall_s) for m in slices],
    )


def _median_ranks(n: int, confidence: float) -> tuple[int, int]:
    if n <= EXACT_RANKS_UP_TO:
        return median_ci_ranks(n, confidence)
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    low = max(0, math.floor(n / 2 - z * math.sqrt(n) / 2) - 1)
    return low, n - 1 - low


def latency_figures(histogram: LatencyHistogram) -> dict[str, float] | None:
    """mean, stddev, min, p50...p99.9, max in seconds (None when empty)."""
    if histogram.total == 0:
        return None
    ns = 1e-9
    figures = {"mean": histogram.mean * ns, "stddev": histogram.stddev * ns}
    figures["min"] = histogram.min * ns
    quantiles = histogram.quantiles([q for _, q in PERCENTILES])
    figures.update({name: v * ns for (name, _), v in zip(PERCENTILES, quantiles, strict=True)})
    figures["max"] = histogram.max * ns
    return figures


def load_section(run: LoadRun, plan: LoadPlan, bottleneck_hint: str) -> dict[str, Any]:
    """Throughput, latency, service time and wait, errors, statuses and client CPU."""
    elapsed = run.elapsed_s
    cores = run.cpu_s / elapsed
    per_worker = cores / max(run.workers, 1)
    section: dict[str, Any] = {
        "model": "open" if run.open_loop else "closed",
        "concurrency": plan.concurrency,
        "workers": run.workers,
        "target_rate": plan.rate,
        "elapsed_s": elapsed,
        "requests": run.requests,
        "succeeded": run.succeeded,
        "failed": run.failed,
        "unfinished": run.unfinished,
        "throughput": {
            "requests_per_s": run.requests / elapsed,
            "succeeded_per_s": run.succeeded / elapsed,
            "bytes_per_s": run.bytes_received / elapsed,
        },
        "bytes_received": run.bytes_received,
        "latency": latency_figures(run.latency),
        "histogram": to_document(run.latency),
        "errors": dict(sorted(run.errors.items())),
        "status_codes": {str(code): n for code, n in run.statuses.items()},
        "client_cpu": {"cpu_s": run.cpu_s, "cores": cores, "per_worker": per_worker},
        "sample": request_sample(run),
        "interrupted": run.interrupted,
    }
    if run.extras:
        from pbench.load.resources import resource_figures

        section["resources"] = resource_figures(run.extras, elapsed)
    if run.open_loop:
        section["service"] = latency_figures(run.service)
        section["wait"] = latency_figures(run.wait)
    warnings = list(run.warnings)
    if per_worker >= CLIENT_BOUND_SHARE and run.requests:
        warnings.append(
            f"pbench used {per_worker:.0%} of a core per worker: the client, not the target,"
            f" may be the bottleneck; {bottleneck_hint}"
        )
    if run.open_loop and plan.rate:
        section["rate"] = rate = open_loop_rate(run, plan.rate)
        late = run.wait.quantiles([0.99])[0] * 1e-9 if run.wait.total else 0.0
        if not rate["reached"] or late > LATE_S:
            warnings.append(_behind_schedule(run, plan, rate, late, per_worker))
    # Each connection has at most one request in flight when -d is up (wrk drops them
    # too): worth a word only when they are a noticeable share of the run.
    if run.unfinished > UNFINISHED_SHARE * (run.requests + run.unfinished):
        warnings.append(
            f"{run.unfinished} of {run.requests + run.unfinished:,} requests were still in"
            " flight when the time was up and were abandoned: they count neither as"
            " latencies nor as errors; the slowest answers may be missing (raise -d)"
        )
    section["warnings"] = warnings
    return section


def open_loop_rate(run: LoadRun, target: float) -> dict[str, Any]:
    """The rate an open-loop run asked for and the rate it achieved: every request
    sent (answered, failed or still in flight at the end) over the time its schedule
    took to be sent (the run's time when that is not known); ``reached`` when within
    1%. Slices add their schedules' times, not the drains of their last answers."""
    seconds = run.schedule_ns / 1e9 if run.schedule_ns else run.elapsed_s
    achieved = (run.requests + run.unfinished) / seconds
    share = achieved / target
    return {
        "target": target,
        "achieved": achieved,
        "achieved_share": share,
        "reached": share >= RATE_REACHED_SHARE,
    }


def _behind_schedule(
    run: LoadRun, plan: LoadPlan, rate: dict[str, Any], late_s: float, per_worker: float
) -> str:
    """Why an open-loop run fell behind its schedule, as far as its figures tell."""
    said = (
        f"{_per_s(rate['target'])} req/s asked, {rate['achieved']:,.1f} achieved"
        f" ({rate['achieved_share']:.1%}); 1% of requests waited over {_ms(late_s)} ms"
        " to be sent, and their latency counts from their scheduled start"
    )
    if per_worker >= CLIENT_BOUND_SHARE:
        return (
            f"the schedule was not kept: {said}. pbench used {per_worker:.0%} of a core per"
            " worker: the client could not send faster; run with more --workers"
        )
    service = run.service.mean * 1e-9 if run.service.total else 0.0
    ceiling = plan.concurrency / service if service else math.inf
    if ceiling < 1.1 * rate["target"]:
        return (
            f"the schedule was not kept: {said}. {plan.concurrency} connection"
            f"{'s' if plan.concurrency > 1 else ''} with one request in flight each, at a mean"
            f" service time of {service * 1e3:.3g} ms, carry at most ~{ceiling:,.0f} req/s:"
            " raise -c"
        )
    return f"the schedule was not kept: {said}; the target did not keep up"


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.0f}" if seconds >= 0.1 else f"{seconds * 1e3:.3g}"


def _per_s(rate: float) -> str:
    return f"{rate:.15g}"  # 1000000, not 1e+06


def request_sample(run: LoadRun) -> dict[str, Any]:
    """A uniform sample of the run's requests (every request is in the histograms):
    ``rows`` of ``columns``, in start order, times in seconds from the first start.
    A run with extra columns (commands) adds ``end_s`` and those columns."""
    from pbench.load.resources import column_value

    rows = run.sample.tolist()
    first = rows[0][0] if rows else 0
    names = run.error_names
    extra = run.extra_columns
    columns = ["start_s", "latency_s", "service_s", "status", "error"]
    if extra:
        columns += ["end_s", *(column_value(name, 0)[0] for name in extra)]
    kept = []
    for scheduled, sent, done, status, code, _, *more in rows:
        row = [
            (scheduled - first) / 1e9,
            (done - scheduled) / 1e9,
            (done - sent) / 1e9,
            status or None,
            names[code] if code else None,
        ]
        if extra:
            row.append((done - first) / 1e9)
            row += [column_value(name, v)[1] for name, v in zip(extra, more, strict=True)]
        kept.append(row)
    return {"kept": len(rows), "of": run.requests, "columns": columns, "rows": kept}
