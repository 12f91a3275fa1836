"""The pool of blocking clients with real threads and sleeping fake targets."""

from __future__ import annotations

import threading
import time

import pytest

from pbench.errors import BenchmarkFailed
from pbench.load.schedule import LoadPlan
from pbench.load.threads import ThreadPool
from pbench.models import Outcome


class SleepyTarget:
    """Answers in ~1 ms; every 5th call fails; call ``stall_at`` stalls for ``stall_s``."""

    def __init__(self, stall_at: int = -1, stall_s: float = 0.0, fail_client: int = -1) -> None:
        self.calls = 0
        self.stall_at, self.stall_s = stall_at, stall_s
        self.fail_client = fail_client
        self.clients: list[SleepyTarget] = []
        self.shared: list[object | None] = []
        self.opened = self.closed = 0

    def open(self) -> None:
        self.opened += 1

    def client(self, shared: object | None = None) -> SleepyTarget:
        if len(self.clients) + 1 == self.fail_client:
            raise BenchmarkFailed("cannot connect", "start the database")
        other = SleepyTarget(self.stall_at, self.stall_s)
        self.clients.append(other)
        self.shared.append(shared)
        return other

    def run_once(self) -> Outcome:
        self.calls += 1
        time.sleep(self.stall_s if self.calls == self.stall_at else 0.001)
        if self.calls % 5 == 0:
            return Outcome(error="query")
        return Outcome(metrics={"bytes": 3})

    def close(self) -> None:
        self.closed += 1


def test_slices_run_over_every_client_and_count_every_request() -> None:
    a, b = SleepyTarget(), SleepyTarget()
    pool = ThreadPool([a, b], LoadPlan(concurrency=3, runs=60), share=object)
    pool.open()
    pool.warm_up(0, 6)
    run = pool.run_slice(1, LoadPlan(concurrency=3, runs=60), None)
    pool.close()
    assert a.opened == b.opened == 1 and a.closed == b.closed == 1
    assert len(b.clients) == 2 and all(c.closed == 1 for c in b.clients)
    # One token per further client, the same for both targets: their sessions share it.
    assert a.shared == b.shared and len(set(map(id, a.shared))) == 2
    assert a.calls + sum(c.calls for c in a.clients) == 6  # the warm-up, unrecorded
    assert run.requests == 60
    assert b.calls + sum(c.calls for c in b.clients) == 60
    assert run.errors["query"] >= 9
    assert run.bytes_received == 3 * run.succeeded
    assert run.latency.min >= 1_000_000  # each call sleeps at least 1 ms


def test_open_loop_charges_a_stall_to_the_requests_queued_behind_it() -> None:
    # One client, 100 req/s for 1 s; the 20th call stalls 300 ms. About 30 requests
    # fall due during the stall: they are sent late and their latency counts from
    # their due time, so well over 3% of requests exceed 100 ms.
    target = SleepyTarget(stall_at=20, stall_s=0.3)
    plan = LoadPlan(concurrency=1, duration_s=1.0, rate=100)
    pool = ThreadPool([target], plan)
    pool.open()
    run = pool.run_slice(0, plan, None)
    pool.close()
    assert run.requests == 100
    latency_ms = [v / 1e6 for v in run.latency.quantiles([0.5, 0.97, 1.0])]
    assert latency_ms[0] < 50
    assert latency_ms[1] > 100
    assert 250 < latency_ms[2] < 1000
    assert run.wait.quantiles([1.0])[0] / 1e6 > 200  # the wait is reported on its own
    assert run.service.quantiles([0.97])[0] / 1e6 < 50  # service time stays short


def test_a_hard_limit_stops_sending() -> None:
    plan = LoadPlan(concurrency=2, duration_s=30.0)
    pool = ThreadPool([SleepyTarget()], plan)
    pool.open()
    began = time.monotonic()
    run = pool.run_slice(0, plan, 0.2)
    pool.close()
    assert time.monotonic() - began < 2
    assert 0 < run.requests < 2 * 0.2 / 0.001 + 10


def test_a_client_that_cannot_open_fails_the_pool() -> None:
    pool = ThreadPool([SleepyTarget(fail_client=2)], LoadPlan(concurrency=3, runs=10))
    with pytest.raises(BenchmarkFailed):
        pool.open()
    pool.close()


def test_stop_ends_a_slice_early_as_interrupted() -> None:
    plan = LoadPlan(concurrency=2, duration_s=30, rate=50)
    pool = ThreadPool([SleepyTarget()], plan)
    pool.open()
    timer = threading.Timer(0.2, pool.stop.set)
    timer.start()
    began = time.monotonic()
    run = pool.run_slice(0, plan, None)
    pool.close()
    assert time.monotonic() - began < 10
    assert run.interrupted
    assert run.requests < 100
