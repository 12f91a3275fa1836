"""Recorder, tickets and merging on deterministic data (no clock, no network)."""

from __future__ import annotations

import numpy as np
import pytest

from pbench.load.recorder import FOLD_EVERY, Recorder, merge_runs
from pbench.load.result import load_section, summary_from_histogram
from pbench.load.schedule import CLOSED, LoadPlan, Tickets


def test_recorder_counts_errors_statuses_bytes_and_caps_the_sample() -> None:
    rec = Recorder(open_loop=True, sample_cap=100, seed=1)
    n = FOLD_EVERY + 500  # crosses one automatic fold
    for i in range(n):
        scheduled = i * 1000
        if i % 100 == 0:
            rec.fail(scheduled, scheduled + 10, scheduled + 20, "timeout")
        elif i % 100 == 1:
            rec.fail(scheduled, scheduled + 10, scheduled + 20, "status", status=500, nbytes=7)
        else:
            rec.ok(scheduled, scheduled + 100, scheduled + 600, 200, 10)
    run = rec.finish(0, n * 1000, cpu_s=0.5)
    bad = len(range(0, n, 100))
    bad_status = len(range(1, n, 100))
    assert run.requests == n
    assert run.errors == {"timeout": bad, "status": bad_status}
    assert run.statuses == {200: n - bad - bad_status, 500: bad_status}
    assert run.bytes_received == 10 * (n - bad - bad_status) + 7 * bad_status
    assert run.latency.total == n - bad - bad_status
    assert run.latency.quantiles([0.5]) == [600.0]
    assert run.service.quantiles([0.5]) == [500.0]
    assert run.wait.quantiles([0.5]) == [100.0]
    assert len(run.sample) == 100
    assert np.all(np.diff(run.sample[:, 1]) >= 0)  # start order
    # A uniform sample over the whole run, not just its beginning.
    assert run.sample[:, 0].max() > n * 1000 // 2


def test_merge_adds_counts_and_keeps_a_proportional_sample() -> None:
    runs = []
    for worker, (count, kind) in enumerate([(3000, "reset"), (1000, "refused")]):
        rec = Recorder(open_loop=False, sample_cap=500, seed=worker)
        for i in range(count):
            start = i * 10 + worker
            if i % 10 == 0:
                rec.fail(start, start, start + 5, kind)
            else:
                rec.ok(start, start, start + 1000 * (worker + 1), 200, 1)
        runs.append(rec.finish(0, count * 10, cpu_s=0.1))
    merged = merge_runs(runs, sample_cap=400)
    assert merged.requests == 4000
    assert merged.errors == {"reset": 300, "refused": 100}
    assert merged.workers == 2
    assert merged.latency.total == 3600
    assert len(merged.sample) == 400
    from_first = int(np.count_nonzero(merged.sample[:, 2] - merged.sample[:, 1] == 1000))
    assert 250 <= from_first <= 300  # 3/4 of the sample, less the failed rows
    names = {merged.error_names[c] for c in merged.sample[:, 4].tolist() if c}
    assert names <= {"reset", "refused"}


def test_closed_tickets_split_runs_across_workers() -> None:
    plan = LoadPlan(concurrency=3, runs=10, workers=3)
    counts = []
    for worker in range(3):
        tickets = Tickets(plan, start_ns=0, worker=worker)
        taken = []
        while (t := tickets.take(0)) is not None:
            taken.append(t)
        assert set(taken) == {CLOSED}
        counts.append(len(taken))
    assert counts == [4, 3, 3]


def test_open_tickets_follow_one_global_schedule() -> None:
    plan = LoadPlan(concurrency=2, duration_s=1.0, rate=10, workers=2)
    times = []
    for worker in range(2):
        tickets = Tickets(plan, start_ns=1_000, worker=worker)
        while (t := tickets.take(0)) is not None:
            times.append(t)
    assert sorted(times) == [1_000 + i * 100_000_000 for i in range(10)]


def test_duration_ends_closed_tickets_and_stop_ends_any() -> None:
    tickets = Tickets(LoadPlan(duration_s=1.0), start_ns=0)
    assert tickets.take(999_999_999) == CLOSED
    assert tickets.take(1_000_000_000) is None
    tickets = Tickets(LoadPlan(runs=5, rate=1.0), start_ns=0)
    tickets.stop()
    assert tickets.take(0) is None


def test_plan_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        LoadPlan()
    with pytest.raises(ValueError):
        LoadPlan(runs=1, rate=0)


def test_load_section_carries_figures_and_a_sample_of_requests() -> None:
    rec = Recorder(open_loop=False, sample_cap=50, seed=0)
    for i in range(1, 1001):
        rec.ok(i * 10**6, i * 10**6, i * 10**6 + i * 1000, 200, 100)
    rec.fail(0, 0, 5, "refused")
    run = rec.finish(0, 10**9, cpu_s=0.95)
    load = load_section(run, LoadPlan(runs=1001), "run with more --workers")
    summary = summary_from_histogram(run.latency)
    assert summary.n == 1000
    assert summary.median == pytest.approx(500e-6, rel=1e-3)
    assert summary.mean == pytest.approx(500.5e-6)
    assert load["errors"] == {"refused": 1}
    assert load["status_codes"] == {"200": 1000}
    assert load["throughput"]["requests_per_s"] == pytest.approx(1001)
    assert load["latency"]["p99_9"] == pytest.approx(999e-6, rel=1e-3)
    assert any("bottleneck" in w for w in load["warnings"])
    sample = load["sample"]
    assert sample["kept"] == 50 and sample["of"] == 1001 and len(sample["rows"]) == 50
    assert sample["columns"] == ["start_s", "latency_s", "service_s", "status", "error"]
    starts = [row[0] for row in sample["rows"]]
    assert starts == sorted(starts)
    assert all(row[1] == pytest.approx(row[2]) for row in sample["rows"])  # closed loop


def test_summary_from_histogram_matches_exact_summary_closely() -> None:
    from pbench.load.histogram import LatencyHistogram
    from pbench.stats.summary import summarize

    rng = np.random.default_rng(11)
    values = rng.lognormal(13, 0.7, 5000).astype(np.int64)
    h = LatencyHistogram()
    h.record_many(values)
    approx, exact = summary_from_histogram(h), summarize((values / 1e9).tolist())
    for field in ("mean", "median", "p90", "p99", "min", "max", "mad"):
        assert getattr(approx, field) == pytest.approx(getattr(exact, field), rel=2e-3), field
    assert approx.median_ci.low <= approx.median <= approx.median_ci.high
