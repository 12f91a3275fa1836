"""The pool behind ``pbench sql -c/-d/--rate``: one thread and one connection per client.

Client 0 runs on the benchmarks' own sessions (the connection their setup SQL ran
on; for PostgreSQL in interleaved order one connection shared by all of them, see
:mod:`pbench.plan.sql`); every further client opens one session per benchmark
through :meth:`SqlTarget.client`, PostgreSQL ones sharing one connection per client.
A slice starts one thread per client, each taking tickets
(:class:`pbench.load.schedule.Tickets`) and timing one query per ticket, from its
scheduled start in open loop; the threads end when the tickets do. A blocking query
cannot be abandoned: at a hard time limit no new query is sent and the ones running
finish (``--timeout`` cancels them on the server).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from pbench.load.recorder import LoadRun, Recorder
from pbench.load.schedule import CLOSED, LoadPlan, Tickets, slice_end
from pbench.load.threads import cpu_seconds, outcome_error
from pbench.targets.sql.target import SqlTarget

BOTTLENECK_HINT = (
    "pbench's Python client work per query may be what limits the rate; "
    "fewer rows per query or fewer clients tell the two apart"
)

now = time.perf_counter_ns


class SqlPool:
    """A :class:`pbench.run.load.LoadPool` of ``plan.concurrency`` SQL clients."""

    def __init__(self, targets: Sequence[SqlTarget], plan: LoadPlan) -> None:
        self.targets = list(targets)
        self.plan = plan
        self.clients: list[list[SqlTarget]] = []
        self._opened: list[SqlTarget] = []
        self.stop = threading.Event()

    def open(self) -> None:
        for target in self.targets:
            target.open()
            self._opened.append(target)
        self.clients = [self.targets]
        from pbench.targets.sql.postgres import SharedConnection

        for _ in range(1, self.plan.concurrency):
            shared = SharedConnection()
            clients: list[SqlTarget] = []
            self.clients.append(clients)
            for target in self.targets:
                clients.append(target.client(shared))

    def warm_up(self, target: int, requests: int) -> None:
        left = [requests]
        lock = threading.Lock()

        def work(client: SqlTarget) -> None:
            while not self.stop.is_set():
                with lock:
                    if left[0] <= 0:
                        return
                    left[0] -= 1
                client.run_once()

        self._threads([clients[target] for clients in self.clients], work)

    def run_slice(self, target: int, plan: LoadPlan, hard_limit_s: float | None) -> LoadRun:
        cpu_before = cpu_seconds()
        recorder = Recorder(plan.open_loop, plan.sample_cap, plan.seed)
        start = now()
        tickets = Tickets(plan, start)
        hard_end = None if hard_limit_s is None else start + int(hard_limit_s * 1e9)
        lock = recorder.lock
        stop = self.stop

        def work(client: SqlTarget) -> None:
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
                nbytes = int(outcome.metrics.get("bytes", 0))
                with lock:
                    if outcome.failed:
                        recorder.fail(start_ns, sent, done, outcome_error(outcome), 0, nbytes)
                    else:
                        recorder.ok(start_ns, sent, done, 0, nbytes)

        interrupted = self._threads([clients[target] for clients in self.clients], work, tickets)
        return recorder.finish(
            start, slice_end(plan, start, now()), cpu_seconds() - cpu_before, interrupted
        )

    def _threads(
        self,
        clients: Sequence[SqlTarget],
        work: Callable[[SqlTarget], None],
        tickets: Tickets | None = None,
    ) -> bool:
        """Run ``work(client)`` in one thread per client; True when Ctrl-C stopped it."""
        failures: list[BaseException] = []

        def body(client: SqlTarget) -> None:
            try:
                work(client)
            except BaseException as exc:  # reported below, in the calling thread
                failures.append(exc)
                self.stop.set()

        threads = [
            threading.Thread(target=body, args=(client,), name=f"pbench-sql-{i}", daemon=True)
            for i, client in enumerate(clients)
        ]
        for thread in threads:
            thread.start()
        interrupted = False
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.1)
        except KeyboardInterrupt:
            interrupted = True
            self.stop.set()
            if tickets is not None:
                tickets.stop()
            for thread in threads:
                thread.join()
        if failures:
            raise failures[0]
        return interrupted or self.stop.is_set()

    def close(self) -> None:
        for clients in self.clients[1:]:
            for client in clients:
                client.close()
        for target in self._opened:
            target.close()
        self.clients, self._opened = [], []


def sql_section(load: dict[str, Any]) -> dict[str, Any]:
    """Per-query figures of a load run: queries per second and bytes per query."""
    succeeded = load["succeeded"]
    return {
        "queries": load["requests"],
        "queries_per_s": load["throughput"]["requests_per_s"],
        "bytes_per_query": load["bytes_received"] / succeeded if succeeded else None,
        "errors": load["errors"],
    }
