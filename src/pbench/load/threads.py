"""Load from BLOCKING clients, one thread each: the pool behind ``pbench sql`` load runs.

A :class:`ThreadPool` is a :class:`pbench.run.load.LoadPool`. Client 0 runs on the
benchmarks' own targets (opened by the pool, so their setup ran on that connection);
every further client asks each target for a ``client(shared)`` of its own, one
``shared`` token per client (PostgreSQL sessions given the same token take turns on
one connection). A phase starts one thread per client: warm-ups share
``requests`` unrecorded calls; a slice takes tickets
(:class:`pbench.load.schedule.Tickets`) and times one ``run_once()`` per ticket, from
its scheduled start in open loop (a thread sleeps until its request is due; when all
are busy, due requests are sent late and charged from their due time). A failed
outcome counts under its error kind (``outcome.error``, ``"timeout"``, or ``"exit
N"``); ``outcome.metrics["bytes"]`` adds to the bytes received.

A blocking call cannot be abandoned: at a slice's hard time limit no new request is
sent and the running ones finish. An error raised by a client (or while opening one)
is raised again after every thread stopped. Ctrl-C (KeyboardInterrupt in the calling
thread) ends the phase early, returned with ``interrupted=True``, and every later one;
the requests it made fail (cancelled, interrupted) count as unfinished, not as errors.

Worker processes are not used here: the GIL is released while a client waits on its
database, and a pure-Python client that needs more than one core is the bottleneck
the ``cpu`` figures report.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from pbench.load.recorder import LoadRun, Recorder
from pbench.load.schedule import CLOSED, LoadPlan, Tickets, slice_end
from pbench.models import Outcome

now = time.perf_counter_ns


class PooledTarget(Protocol):
    """A benchmark's target as a thread pool drives it."""

    def open(self) -> None: ...

    def run_once(self) -> Outcome: ...

    def client(self, shared: object | None = None) -> PooledTarget: ...

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


class ThreadPool:
    """``plan.concurrency`` blocking clients over a load run's benchmarks.

    Subclasses may record more per request: :attr:`extra_columns` names them, and
    :meth:`record` (called under the recorder's lock) passes them on.
    """

    extra_columns: tuple[str, ...] = ()

    def __init__(
        self,
        targets: Sequence[PooledTarget],
        plan: LoadPlan,
        share: Callable[[], object] | None = None,
    ) -> None:
        self.targets = list(targets)
        self.plan = plan
        self.share = share
        self.clients: list[list[PooledTarget]] = []
        self._opened: list[PooledTarget] = []
        self.stop = threading.Event()
        # The live view's tick (pbench.run.load.TickingPool), from the thread that
        # waits for the clients, with the running slice's recorder.
        self._ticker: Callable[[int | None], None] | None = None
        self._tick_s = 0.25
        self._recorder: Recorder | None = None
        # Set on Ctrl-C or SIGTERM: the requests it cuts short (a query cancelled on the
        # server, an interrupted SQLite statement) are counted as unfinished, not failed.
        self.interrupting = False

    def set_ticker(self, tick: Callable[[int | None], None] | None, every_s: float) -> None:
        self._ticker, self._tick_s = tick, every_s

    def open(self) -> None:
        for target in self.targets:
            target.open()
            self._opened.append(target)
        self.clients = [self.targets]
        for _ in range(1, self.plan.concurrency):
            shared = self.share() if self.share is not None else None
            clients: list[PooledTarget] = []
            self.clients.append(clients)
            for target in self.targets:
                clients.append(target.client(shared))

    def warm_up(self, target: int, requests: int) -> None:
        left = [requests]
        lock = threading.Lock()

        def work(client: PooledTarget) -> None:
            while not self.stop.is_set():
                with lock:
                    if left[0] <= 0:
                        return
                    left[0] -= 1
                client.run_once()

        self._threads([clients[target] for clients in self.clients], work)

    def run_slice(self, target: int, plan: LoadPlan, hard_limit_s: float | None) -> LoadRun:
        cpu_before = cpu_seconds()
        recorder = Recorder(plan.open_loop, plan.sample_cap, plan.seed, self.extra_columns)
        start = now()
        tickets = Tickets(plan, start)
        hard_end = None if hard_limit_s is None else start + int(hard_limit_s * 1e9)
        lock = recorder.lock
        stop = self.stop
        cut = [0]  # requests that failed because an interrupt cut them short

        def work(client: PooledTarget) -> None:
            while True:
                with lock:
                    t = now()
                    scheduled = None if hard_end is not None and t >= hard_end else tickets.take(t)
                if scheduled is None:
                    return
                if scheduled != CLOSED:
                    delay = scheduled - now()
                    if delay > 0 and stop.wait(delay / 1e9):
                        return
                sent = now()
                outcome = client.run_once()
                done = now()
                start_ns = sent if scheduled == CLOSED else scheduled
                with lock:
                    if outcome.failed and (outcome.interrupted or self.interrupting):
                        cut[0] += 1  # a shutdown is not a request error
                    else:
                        self.record(recorder, start_ns, sent, done, outcome)

        self._recorder = recorder
        clients = [each[target] for each in self.clients]
        try:
            interrupted = self._threads(clients, work, tickets)
        finally:
            self._recorder = None
        return recorder.finish(
            start,
            slice_end(plan, start, now()),
            cpu_seconds() - cpu_before,
            interrupted,
            unfinished=cut[0],
        )

    def interrupt_soon(self) -> bool:
        """A signal: the calling thread only waits on the client threads, so the
        KeyboardInterrupt it raises there ends the phase (see :meth:`_threads`)."""
        return False

    def interrupt(self) -> None:
        """Ctrl-C: cut short the calls the client threads are blocked in, if the
        clients can be (the default cannot: the running calls finish)."""

    def record(
        self, recorder: Recorder, scheduled: int, sent: int, done: int, outcome: Outcome
    ) -> None:
        """One finished request (closed loop: ``scheduled == sent``)."""
        nbytes = int(outcome.metrics.get("bytes", 0))
        if outcome.failed:
            recorder.fail(scheduled, sent, done, outcome_error(outcome), 0, nbytes)
        else:
            recorder.ok(scheduled, sent, done, 0, nbytes)

    def _threads(
        self,
        clients: Sequence[PooledTarget],
        work: Callable[[PooledTarget], None],
        tickets: Tickets | None = None,
    ) -> bool:
        """Run ``work(client)`` in one thread per client; True when stopped early."""
        failures: list[BaseException] = []

        def body(client: PooledTarget) -> None:
            try:
                work(client)
            except BaseException as exc:  # reported below, in the calling thread
                failures.append(exc)
                self.stop.set()

        threads = [
            threading.Thread(target=body, args=(client,), name=f"pbench-load-{i}", daemon=True)
            for i, client in enumerate(clients)
        ]
        for thread in threads:
            thread.start()
        interrupted = False
        try:
            self._join(threads)
        except KeyboardInterrupt:
            interrupted = True
            self.interrupting = True
            self.stop.set()
            if tickets is not None:
                tickets.stop()
            self.interrupt()
            for thread in threads:
                thread.join()
        if failures:
            raise failures[0]
        return interrupted or self.stop.is_set()

    def _join(self, threads: Sequence[threading.Thread]) -> None:
        """Wait for every thread; with a ticker, tick every ``tick_s`` meanwhile."""
        ticker, recorder = self._ticker, self._recorder
        if ticker is None or recorder is None:
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.1)
            return
        next_tick = time.monotonic() + self._tick_s
        for thread in threads:
            while thread.is_alive():
                thread.join(max(min(next_tick - time.monotonic(), 0.1), 0.0))
                if time.monotonic() >= next_tick:
                    ticker(recorder.count)
                    next_tick = time.monotonic() + self._tick_s

    def close(self) -> None:
        for clients in self.clients[1:]:
            for client in clients:
                client.close()
        for target in self._opened:
            target.close()
        self.clients, self._opened = [], []
