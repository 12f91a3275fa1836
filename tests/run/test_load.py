"""The load runner with a fake pool: slices, their order, stopping rules (no I/O)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from pbench.load.recorder import LoadRun, Recorder
from pbench.load.schedule import LoadPlan
from pbench.models import BenchmarkResult, Precision
from pbench.run.load import LoadBenchmark, LoadRunner, SlicePlan


class FakePool:
    """Answers every request of a slice with a fixed latency per target; a slice
    lasts ``slice_ns`` (or its share of requests at one request per ``latency``)."""

    def __init__(
        self, latencies_ns: Sequence[int], errors: Sequence[str | None] = (), jitter: int = 0
    ) -> None:
        self.latencies = list(latencies_ns)
        self.jitter = jitter
        self.errors = list(errors) or [None] * len(latencies_ns)
        self.calls: list[tuple[int, LoadPlan, float | None]] = []
        self.warmed: list[tuple[int, int]] = []
        self.clock = 0
        self.opened = self.closed = False

    def open(self) -> None:
        self.opened = True

    def warm_up(self, target: int, requests: int) -> None:
        self.warmed.append((target, requests))

    def close(self) -> None:
        self.closed = True

    def run_slice(self, target: int, plan: LoadPlan, hard_limit_s: float | None) -> LoadRun:
        self.calls.append((target, plan, hard_limit_s))
        latency = self.latencies[target] + (len(self.calls) * 7919 % 13) * self.jitter
        assert plan.duration_s is not None
        count = max(1, round(plan.duration_s * 1e9 / latency))
        if plan.runs is not None:
            count = min(count, plan.runs)
        recorder = Recorder(open_loop=False, sample_cap=100)
        start = self.clock
        for i in range(count):
            sent = start + i * latency
            error = self.errors[target]
            if error is None:
                recorder.ok(sent, sent, sent + latency + (i % 3), 200, 10)
            else:
                recorder.fail(sent, sent, sent + latency, error)
        self.clock = start + count * latency
        return recorder.finish(start, self.clock, 0.0)


def run(
    pool: FakePool, plan: SlicePlan, names: Sequence[str] = ("a", "b")
) -> list[BenchmarkResult]:
    benchmarks = [LoadBenchmark(name, f"GET /{name}") for name in names]
    return LoadRunner(pool, benchmarks, plan, clock=lambda: pool.clock).run()


def test_interleaved_rounds_give_every_benchmark_one_slice_in_random_order() -> None:
    pool = FakePool([1_000_000, 2_000_000])
    plan = SlicePlan(LoadPlan(duration_s=1.0, warmup=5), slice_s=0.1, seed=3)
    a, b = run(pool, plan)
    assert pool.opened and pool.closed
    assert pool.warmed == [(0, 5), (1, 5)]
    assert len(a.measurements) == len(b.measurements) == 10
    rounds = [call[0] for call in pool.calls]
    for r in range(10):
        assert sorted(rounds[2 * r : 2 * r + 2]) == [0, 1]
    firsts = {m.round: m.position for m in a.measurements}
    assert set(firsts.values()) == {0, 1}  # each order happens
    assert a.stop_reason == b.stop_reason == "time"
    assert a.sections["load"]["slices"]["count"] == 10
    assert a.sections["load"]["elapsed_s"] == pytest.approx(1.0)
    assert a.sections["load"]["requests"] == 1000
    assert a.times[0] == pytest.approx(0.001, rel=1e-3)  # one median per slice


def test_sequential_order_runs_every_slice_of_one_before_the_next() -> None:
    pool = FakePool([1_000_000, 1_000_000])
    plan = SlicePlan(LoadPlan(duration_s=0.5), slice_s=0.1, order="sequential")
    a, b = run(pool, plan)
    assert [call[0] for call in pool.calls] == [0] * 5 + [1] * 5
    assert [m.round for m in a.measurements] == [0, 1, 2, 3, 4]
    assert [m.round for m in b.measurements] == [5, 6, 7, 8, 9]


def test_requests_are_split_into_at_least_twenty_slices() -> None:
    pool = FakePool([1_000, 1_000])
    a, b = run(pool, SlicePlan(LoadPlan(runs=1000), slice_s=0.1))
    assert a.sections["load"]["requests"] == b.sections["load"]["requests"] == 1000
    assert all(call[1].runs == 50 for call in pool.calls)
    assert len(a.measurements) == 20
    assert all(call[2] is None for call in pool.calls)  # no time limit with -r


def test_the_last_slice_may_not_run_past_the_duration() -> None:
    pool = FakePool([1_000_000])
    run(pool, SlicePlan(LoadPlan(duration_s=0.25), slice_s=0.1), names=["a"])
    limits = [call[2] for call in pool.calls]
    durations = [call[1].duration_s for call in pool.calls]
    assert limits == pytest.approx([0.25, 0.15, 0.05])
    assert durations == pytest.approx([0.1, 0.1, 0.05])


def test_slow_requests_get_longer_slices() -> None:
    pool = FakePool([50_000_000])  # 50 ms per request: a 100 ms slice would hold two
    run(pool, SlicePlan(LoadPlan(duration_s=2.0), slice_s=0.1), names=["a"])
    assert pool.calls[1][1].duration_s == pytest.approx(0.5, rel=0.01)


def test_precision_stops_when_every_benchmark_is_precise_or_the_budget_is_spent() -> None:
    pool = FakePool([1_000_000, 1_000_000])
    precision = Precision(0.05, "median", max_time_s=100.0)
    plan = SlicePlan(LoadPlan(duration_s=100.0), slice_s=0.01, precision=precision)
    a, b = run(pool, plan)
    assert a.stop_reason == b.stop_reason == "precision"
    assert len(a.measurements) == len(b.measurements) == 10  # the minimum number of slices
    pool = FakePool([1_000_000, 1_000_000], jitter=100_000)
    plan = SlicePlan(
        LoadPlan(duration_s=100.0), slice_s=0.01, precision=Precision(0.001, max_time_s=0.5)
    )
    a, b = run(pool, plan)
    assert a.stop_reason == b.stop_reason == "budget"


def test_an_unreachable_target_stops_the_run_at_once() -> None:
    pool = FakePool([1_000_000, 1_000_000], errors=[None, "refused"])
    _, b = run(pool, SlicePlan(LoadPlan(duration_s=10.0), slice_s=0.1, seed=1))
    assert b.stop_reason == "failed"
    assert len(pool.calls) <= 2
    assert b.sections["load"]["errors"] == {"refused": 100}


def test_failed_statuses_are_measured_to_the_end_and_then_called_failed() -> None:
    pool = FakePool([1_000_000], errors=["status"])
    (a,) = run(pool, SlicePlan(LoadPlan(duration_s=0.5), slice_s=0.1), names=["a"])
    assert len(pool.calls) == 5
    assert a.stop_reason == "failed"
    assert a.measurements == []
