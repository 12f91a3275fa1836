"""Load from BLOCKING clients, one thread each (the SQL target's driver).

``run_threads(open_client, plan)`` starts ``plan.concurrency`` threads; thread i calls
``open_client(i)`` to get its own client (its own connection), runs ``plan.warmup``
unrecorded requests shared among all threads, then requests paced by
:class:`pbench.load.schedule.Tickets`: closed loop for ``plan.runs`` requests or
``plan.duration_s`` seconds, or open loop at ``plan.rate`` requests per second (a
thread sleeps until its request is due; when all are busy, due requests are sent late
and charged from their due time). Each request is one ``client.run_once()`` call that
returns a :class:`pbench.models.Outcome`; a failed outcome counts under its error
kind (``outcome.error``, ``"timeout"``, or ``"exit N"``), ``outcome.metrics["bytes"]``
adds to the bytes received.

Clients that cannot be opened: the first error raised by ``open_client`` is raised
again after every thread stopped. Ctrl-C (KeyboardInterrupt in the calling thread) or
``stop.set()`` ends the run early; the partial :class:`LoadRun` is returned with
``interrupted=True``.

Worker processes are not used here: the GIL is released while a client waits on its
database, and a pure-Python client that needs more than one core is the bottleneck
the ``cpu`` figures report.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Protocol

from pbench.load.recorder import LoadRun, Recorder
from pbench.load.schedule import CLOSED, LoadPlan, Tickets
from pbench.models import Outcome

Clock = Callable[[], int]


class BlockingClient(Protocol):
    """One connection to the target, used by one thread only."""

    def run_once(self) -> Outcome: ...

    def close(self) -> None: ...


def cpu_seconds() -> float:
    """User + system CPU time of this process so far."""
    times = os.times()
    return times.user + times.system


def outcome_error(outcome: Outcome) -> str:
    """The error kind under which a failed outcome is counted."""
    if outcome.timed_out:
        return "timeout"
    if outcome.error is not None:
        return outcome.error
    if outcome.signal is not None:
        return f"signal {outcome.signal}"
    return f"exit {outcome.exit_code}"


class _Shared:
    def __init__(self, plan: LoadPlan, recorder: Recorder, stop: threading.Event) -> None:
        self.plan = plan
        self.recorder = recorder
        self.stop = stop
        self.lock = recorder.lock
        self.warmup_left = plan.warmup
        self.failures: list[BaseException] = []
        self.tickets: Tickets | None = None
        self.started_ns = 0
        self.barriers: list[threading.Barrier] = []


def run_threads(
    open_client: Callable[[int], BlockingClient],
    plan: LoadPlan,
    stop: threading.Event | None = None,
    clock: Clock = time.perf_counter_ns,
) -> LoadRun:
    """Run ``plan`` over ``plan.concurrency`` threads; see the module docstring."""
    stop = stop if stop is not None else threading.Event()
    recorder = Recorder(plan.open_loop, plan.sample_cap, plan.seed)
    shared = _Shared(plan, recorder, stop)
    count = plan.concurrency

    def begin() -> None:  # runs once, when every thread finished its warmup
        shared.started_ns = clock()
        shared.tickets = Tickets(plan, shared.started_ns)

    opened = threading.Barrier(count)
    warmed = threading.Barrier(count, action=begin)
    shared.barriers = [opened, warmed]
    threads = [
        threading.Thread(
            target=_worker,
            args=(i, open_client, shared, opened, warmed, clock),
            name=f"pbench-load-{i}",
            daemon=True,
        )
        for i in range(count)
    ]
    cpu_before = cpu_seconds()
    for thread in threads:
        thread.start()
    interrupted = False
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.1)
    except KeyboardInterrupt:
        interrupted = True
        _halt(shared)
        for thread in threads:
            thread.join()
    if shared.failures:
        raise shared.failures[0]
    interrupted = interrupted or stop.is_set()
    finished = clock()
    return recorder.finish(
        shared.started_ns or finished, finished, cpu_seconds() - cpu_before, interrupted
    )


def _halt(shared: _Shared) -> None:
    shared.stop.set()
    for barrier in shared.barriers:
        barrier.abort()  # threads still waiting give up (BrokenBarrierError)
    with shared.lock:
        if shared.tickets is not None:
            shared.tickets.stop()


def _worker(
    index: int,
    open_client: Callable[[int], BlockingClient],
    shared: _Shared,
    opened: threading.Barrier,
    warmed: threading.Barrier,
    clock: Clock,
) -> None:
    client: BlockingClient | None = None
    try:
        client = open_client(index)
    except BaseException as exc:  # reported by run_threads, in the calling thread
        with shared.lock:
            shared.failures.append(exc)
    try:
        opened.wait()
        if shared.failures or client is None:
            warmed.wait()
            return
        _warm_up(client, shared)
        warmed.wait()
        _measure(client, shared, clock)
    except threading.BrokenBarrierError:
        return  # another thread failed or the run was interrupted
    except BaseException as exc:
        with shared.lock:
            shared.failures.append(exc)
        _halt(shared)
    finally:
        if client is not None:
            client.close()


def _warm_up(client: BlockingClient, shared: _Shared) -> None:
    while not shared.stop.is_set():
        with shared.lock:
            if shared.warmup_left <= 0:
                return
            shared.warmup_left -= 1
        client.run_once()


def _measure(client: BlockingClient, shared: _Shared, clock: Clock) -> None:
    tickets, recorder, stop, lock = shared.tickets, shared.recorder, shared.stop, shared.lock
    assert tickets is not None
    while True:
        with lock:
            scheduled = tickets.take(clock())
        if scheduled is None:
            return
        if scheduled != CLOSED:
            delay = scheduled - clock()
            if delay > 0 and stop.wait(delay / 1e9):
                return
        sent = clock()
        outcome = client.run_once()
        done = clock()
        start = sent if scheduled == CLOSED else scheduled
        nbytes = int(outcome.metrics.get("bytes", 0))
        with lock:
            if outcome.failed:
                recorder.fail(start, sent, done, outcome_error(outcome), 0, nbytes)
            else:
                recorder.ok(start, sent, done, 0, nbytes)
