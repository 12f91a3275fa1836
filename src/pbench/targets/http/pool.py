"""The pool behind ``pbench http``: one worker in this process, or several forked worker
processes (``--workers``) that run every phase together and merge their results.

Worker processes live as long as the load run, each with its own event loop,
clients and connections; the parent sends each phase (warm-up, slice) to all of them
with one common start time and merges what they measured
(:func:`pbench.load.recorder.merge_runs`), so a slice of several processes is one
slice.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from pbench.errors import BenchmarkFailed
from pbench.load.recorder import LoadRun, merge_runs
from pbench.load.schedule import LoadPlan
from pbench.targets.http.spec import HttpRequestSpec
from pbench.targets.http.worker import OWN_SIGNALS, START_TIMEOUT_S, LocalWorker, now

START_DELAY_NS = 2_000_000  # for every worker process to wake up before a slice starts


class HttpPool:
    """A :class:`pbench.run.load.LoadPool` of HTTP clients over ``plan.workers``."""

    def __init__(self, specs: Sequence[HttpRequestSpec], plan: LoadPlan) -> None:
        self.specs = list(specs)
        self.plan = plan
        self._local: LocalWorker | None = None
        self._pipes: list[Any] = []
        self._processes: list[Any] = []
        self._ticker: Callable[[int | None], None] | None = None
        self._tick_s = 0.25

    def set_ticker(self, tick: Callable[[int | None], None] | None, every_s: float) -> None:
        """The live view's tick within a slice (:class:`pbench.run.load.TickingPool`):
        on the worker's loop in this process; with worker processes, while waiting for
        their slice (the requests done are then not known until it ends)."""
        self._ticker, self._tick_s = tick, every_s
        if self._local is not None:
            self._local.worker.ticker, self._local.worker.tick_s = tick, every_s

    def open(self) -> None:
        if self.plan.workers == 1:
            self._local = LocalWorker(self.specs, self.plan)
            self.set_ticker(self._ticker, self._tick_s)
            self._local.open()
            return
        import multiprocessing

        context = multiprocessing.get_context("fork")
        for index in range(self.plan.workers):
            parent, child = context.Pipe(duplex=True)
            process = context.Process(
                target=_child,
                args=(self.specs, self.plan, index, child, list(self._pipes), os.getpid()),
                daemon=True,
            )
            process.start()
            child.close()
            self._pipes.append(parent)
            self._processes.append(process)
        self._all(("open",))

    def warm_up(self, target: int, requests: int) -> None:
        if self._local is not None:
            self._local.warm_up(target, requests)
            return
        self._all(("warm", target, requests))

    def run_slice(self, target: int, plan: LoadPlan, hard_limit_s: float | None) -> LoadRun:
        limit = None if hard_limit_s is None else int(hard_limit_s * 1e9)
        if self._local is not None:
            return self._local.run_slice(target, plan, None, limit)
        start = now() + START_DELAY_NS  # every worker process starts the slice together
        runs: list[LoadRun] = self._all(("slice", target, plan, start, limit))
        return merge_runs(runs, plan.sample_cap, plan.seed)

    def interrupt_soon(self) -> bool:
        """A signal: the worker in this process ends its phase early when one runs (a
        KeyboardInterrupt raised in the event loop's callbacks would be dropped);
        worker processes are told by :meth:`_receive`, where it is raised."""
        return self._local is not None and self._local.interrupt_soon()

    def close(self) -> None:
        if self._local is not None:
            local, self._local = self._local, None
            local.close()
            return
        for pipe in self._pipes:
            with contextlib.suppress(OSError):
                pipe.send(("close",))
        for process in self._processes:
            process.join(5)
            if process.is_alive():
                process.kill()
        self._pipes, self._processes = [], []

    def _all(self, message: tuple[Any, ...]) -> list[Any]:
        for pipe in self._pipes:
            pipe.send(message)
        return [self._receive(pipe) for pipe in self._pipes]

    def _wait(self, pipe: Any) -> bool:
        """Wait for ``pipe``'s answer (False: none in time), ticking meanwhile."""
        ticker = self._ticker
        if ticker is None:
            return bool(pipe.poll(START_TIMEOUT_S * 10))
        deadline = time.monotonic() + START_TIMEOUT_S * 10
        while not pipe.poll(self._tick_s):
            if time.monotonic() > deadline:
                return False
            ticker(None)
        return True

    def _receive(self, pipe: Any) -> Any:
        while True:
            try:
                if not self._wait(pipe):
                    raise BenchmarkFailed(
                        "an HTTP worker process stopped answering",
                        "run again with --workers 1 to see the error",
                    )
                status, value = pipe.recv()
            except EOFError:
                raise BenchmarkFailed(
                    "an HTTP worker process ended without a result",
                    "run again with --workers 1 to see the error",
                ) from None
            except KeyboardInterrupt:
                for process in self._processes:  # Ctrl-C may have reached only this process
                    if process.pid is not None and process.is_alive():
                        os.kill(process.pid, signal.SIGINT)
                continue
            if status == "error":
                raise BenchmarkFailed(f"an HTTP worker process failed: {value}", "run again")
            return value


def _child(
    specs: Sequence[HttpRequestSpec],
    plan: LoadPlan,
    index: int,
    pipe: Any,
    siblings: Sequence[Any],
    parent: int,
) -> None:
    for signum in OWN_SIGNALS:  # until the loop's handlers are in place
        signal.signal(signum, signal.SIG_IGN)
    # Nothing outlives pbench, even killed with -9: this process dies with it (Linux),
    # and holds no copy of the pipes to the workers started before it, whose ends would
    # otherwise never close for them.
    _die_with_parent(parent)
    for other in siblings:
        other.close()
    local: LocalWorker | None = None
    try:
        local = LocalWorker(specs, plan, index, own_signals=True)
        while True:
            message = pipe.recv()
            kind = message[0]
            if kind == "close":
                break
            if kind == "open":
                local.open()
                pipe.send(("ok", None))
            elif kind == "warm":
                share = len(range(index, message[2], plan.workers))
                local.warm_up(message[1], share)
                pipe.send(("ok", None))
            elif kind == "slice":
                _, target, slice_plan, start, limit = message
                pipe.send(("ok", local.run_slice(target, slice_plan, start, limit)))
    except (EOFError, OSError):
        pass
    except BaseException as exc:  # reported by the parent, which owns the terminal
        with contextlib.suppress(OSError):
            pipe.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        if local is not None:
            with contextlib.suppress(Exception):
                local.close()
        pipe.close()
        os._exit(0)


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """SIGKILL this process when its parent (pid ``parent``) dies (Linux's
    PR_SET_PDEATHSIG); elsewhere the closed pipe ends it at its next phase."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took hold
        os._exit(0)


def run_http(spec: HttpRequestSpec, plan: LoadPlan) -> LoadRun:
    """``plan`` against one request as a single phase (warm-up first): the pool's
    simplest use, for tests and scripts; ``pbench http`` runs slices of it instead."""
    from dataclasses import replace

    pool = HttpPool([spec], plan)
    pool.open()
    try:
        if plan.warmup:
            pool.warm_up(0, plan.warmup)
        return pool.run_slice(0, replace(plan, warmup=0), plan.duration_s)
    finally:
        pool.close()
