"""The pool behind ``pbench run --concurrency N``: N copies of a command at once.

A :class:`pbench.load.threads.ThreadPool` of command clients, as
:class:`pbench.targets.sql.pool.SqlPool` is one of SQL clients: each client thread
starts its next run when its last one ended (closed loop), or takes the next run due
on the global schedule (``--rate``, open loop). Client 0 runs the benchmarks' own
targets, on the plan's resident launcher; every further client has a
:class:`CommandIO` of its own, shared by its benchmarks: its own resident launcher
(a 5 KB process, one per client) and its own standard input and output. So N runs
really are N children of N launchers at once, and each is still forked from a
near-empty address space and reaped with ``wait4``: its CPU time and peak memory are
exact, whatever runs beside it.

Each run is placed in time by the launcher's own clock (CLOCK_MONOTONIC right before
fork, and its elapsed time to the reap), not by the client thread's, which a busy
interpreter wakes late: its start and end are the sample's ``start_s`` and ``end_s``.
In open loop a run's latency still counts from its scheduled start. The kernel's
``wait4`` figures go to the recorder's extra columns (:mod:`pbench.load.resources`).
A run that timed out has no such figures (its tree was killed): it records zeros.

Without the launcher (not x86-64 Linux) each client thread spawns with
``posix_spawn`` and reaps with ``wait4`` itself: times from pbench's clock, peak
memory inflated by pbench's own size (``info.peak_memory_exact: false``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from pbench.load.recorder import Recorder
from pbench.load.resources import RESOURCE_COLUMNS
from pbench.load.schedule import LoadPlan
from pbench.load.threads import ThreadPool, outcome_error
from pbench.models import Outcome
from pbench.targets.command.target import CommandIO, CommandOptions, CommandTarget

BOTTLENECK_HINT = (
    "starting each run costs pbench's client thread some CPU; with very short commands, "
    "fewer copies or a longer command tell the two apart"
)


class PooledCommand:
    """A :class:`CommandTarget` as a thread pool drives it (one client's copy)."""

    def __init__(self, target: CommandTarget, *, opened: bool = False) -> None:
        self.target = target
        self._opened = opened
        self._iteration = 0

    def open(self) -> None:
        if not self._opened:
            self.target.open()
            self._opened = True

    def run_once(self) -> Outcome:
        outcome = self.target.execute(self._iteration)
        self._iteration += 1
        return outcome

    def client(self, shared: object | None = None) -> PooledCommand:
        """Another copy of this command, on ``shared`` (one client's :class:`CommandIO`:
        its own launcher), opened."""
        original = self.target
        io = shared if isinstance(shared, CommandIO) else CommandIO(original.options)
        copy = CommandTarget(
            original.invocation,
            original.options,
            io=io,
            rng=random.Random(original.rng.random()),
        )
        copy.open()
        return PooledCommand(copy, opened=True)

    def close(self) -> None:
        if self._opened:
            self._opened = False
            self.target.close()


class CommandPool(ThreadPool):
    """``plan.concurrency`` copies of each benchmark's command, run in slices."""

    extra_columns = RESOURCE_COLUMNS

    def __init__(
        self, targets: Sequence[CommandTarget], plan: LoadPlan, options: CommandOptions
    ) -> None:
        super().__init__(
            [PooledCommand(t) for t in targets], plan, share=lambda: CommandIO(options)
        )

    def interrupt(self) -> None:
        """Ctrl-C: kill the running runs' trees (each in its own process group, so the
        terminal's SIGINT reached pbench alone); they are not recorded."""
        for clients in self.clients:
            for client in clients:
                if isinstance(client, PooledCommand):
                    client.target.interrupt()

    def record(
        self, recorder: Recorder, scheduled: int, sent: int, done: int, outcome: Outcome
    ) -> None:
        if self.stop.is_set():
            return  # cut short by Ctrl-C (or another client's error): no measurement
        if outcome.started_ns is not None and outcome.elapsed_ns is not None:
            sent, done = outcome.started_ns, outcome.started_ns + outcome.elapsed_ns
            if not recorder.open_loop:
                scheduled = sent
        user, system = outcome.user_ns or 0, outcome.system_ns or 0
        extra = (user, system, user + system, outcome.peak_rss_bytes or 0)
        kind = outcome_error(outcome) if outcome.failed else None
        recorder.record(scheduled, sent, done, kind, extra)


def command_section(load: dict[str, Any]) -> dict[str, Any]:
    """Per-command figures of a load run: runs per second, failures by kind (``exit N``,
    ``signal N``, ``timeout``), and the exact CPU time and peak memory of its runs."""
    resources = load.get("resources") or {}
    return {
        "runs": load["requests"],
        "runs_per_s": load["throughput"]["requests_per_s"],
        "failed": load["failed"],
        "failures": load["errors"],
        "copies": load["concurrency"],
        "cpu_s": resources.get("cpu"),
        "peak_memory_bytes": resources.get("peak_memory"),
        "cpu_utilisation": resources.get("cpu_utilisation"),
        "max_overlap": max_overlap(load["sample"]),
    }


def max_overlap(sample: dict[str, Any]) -> int:
    """The most runs of the sample in flight at one instant (each from its fork,
    ``end_s - service_s``, to its reap, ``end_s``; a lower bound when the sample holds
    only some of the runs)."""
    columns = sample["columns"]
    if "end_s" not in columns:
        return 0
    end, service = columns.index("end_s"), columns.index("service_s")
    rows = sample["rows"]
    # An end sorts before a start at the same instant: runs that only touch do not overlap.
    events = sorted([(r[end] - r[service], 1) for r in rows] + [(r[end], -1) for r in rows])
    running = most = 0
    for _, step in events:
        running += step
        most = max(most, running)
    return most
