"""The blocking-client thread driver with real threads and a sleeping client."""

from __future__ import annotations

import threading
import time

import pytest

from pbench.errors import BenchmarkFailed
from pbench.load.schedule import LoadPlan
from pbench.load.threads import run_threads
from pbench.models import Outcome


class SleepyClient:
    """Answers in ~1 ms; one call in ``stall_at`` stalls for ``stall_s`` (once)."""

    def __init__(self, index: int, stall_at: int = -1, stall_s: float = 0.0) -> None:
        self.calls = 0
        self.stall_at, self.stall_s = stall_at, stall_s

    def run_once(self) -> Outcome:
        self.calls += 1
        if self.calls == self.stall_at:
            time.sleep(self.stall_s)
        else:
            time.sleep(0.001)
        if self.calls % 5 == 0:
            return Outcome(error="query")
        return Outcome(metrics={"bytes": 3})

    def close(self) -> None:
        pass


def test_closed_loop_runs_exactly_n_requests_over_threads() -> None:
    run = run_threads(SleepyClient, LoadPlan(concurrency=3, runs=60, warmup=6))
    assert run.requests == 60
    assert run.errors["query"] >= 9  # every client's 5th call fails
    assert run.succeeded + run.failed == 60
    assert run.bytes_received == 3 * run.succeeded
    assert run.latency.min >= 1_000_000  # each call sleeps at least 1 ms


def test_open_loop_charges_a_stall_to_the_requests_queued_behind_it() -> None:
    # One thread, 100 req/s for 1 s; the 20th call stalls 300 ms. About 30 requests
    # fall due during the stall: they are sent late and their latency counts from
    # their due time, so well over 3% of requests exceed 100 ms.
    plan = LoadPlan(concurrency=1, duration_s=1.0, rate=100)
    run = run_threads(lambda i: SleepyClient(i, stall_at=20, stall_s=0.3), plan)
    assert run.requests == 100
    latency_ms = [v / 1e6 for v in run.latency.quantiles([0.5, 0.97, 1.0])]
    assert latency_ms[0] < 50
    assert latency_ms[1] > 100
    assert 250 < latency_ms[2] < 1000
    assert run.wait.quantiles([1.0])[0] / 1e6 > 200  # the wait is reported on its own
    assert run.service.quantiles([0.97])[0] / 1e6 < 50  # service time stays short


def test_open_failure_is_raised_after_all_threads_stop() -> None:
    def open_client(index: int) -> SleepyClient:
        if index == 1:
            raise BenchmarkFailed("cannot connect", "start the database")
        return SleepyClient(index)

    with pytest.raises(BenchmarkFailed):
        run_threads(open_client, LoadPlan(concurrency=3, runs=10))


def test_stop_event_ends_the_run_early_as_interrupted() -> None:
    stop = threading.Event()
    timer = threading.Timer(0.2, stop.set)
    timer.start()
    began = time.monotonic()
    run = run_threads(SleepyClient, LoadPlan(concurrency=2, duration_s=30, rate=50), stop)
    assert time.monotonic() - began < 10
    assert run.interrupted
    assert run.requests < 100
