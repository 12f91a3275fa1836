"""Running an HTTP load in this process or across forked worker processes that start
together and merge their results (``--workers``)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import Any

from pbench.errors import BenchmarkFailed
from pbench.load.recorder import LoadRun, merge_runs
from pbench.load.schedule import LoadPlan
from pbench.targets.http import HttpRequestSpec
from pbench.targets.http_worker import START_TIMEOUT_S, now, run_worker


def run_http(spec: HttpRequestSpec, plan: LoadPlan) -> LoadRun:
    """Run ``plan`` against ``spec``, in this process or ``plan.workers`` forked ones."""
    if plan.workers == 1:
        return run_worker(spec, plan)
    import multiprocessing

    context = multiprocessing.get_context("fork")
    start = context.Value("q", 0, lock=False)

    def set_start() -> None:
        start.value = now() + 2_000_000  # 2 ms for every worker to wake up

    barrier = context.Barrier(plan.workers, action=set_start)

    def wait_for_start() -> int:
        barrier.wait(timeout=START_TIMEOUT_S)
        return int(start.value)

    pipes: list[Any] = []
    processes = []
    for index in range(plan.workers):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_child, args=(spec, plan, index, wait_for_start, sender), daemon=True
        )
        process.start()
        sender.close()
        pipes.append(receiver)
        processes.append(process)
    runs = [_receive(pipe, processes) for pipe in pipes]
    for process in processes:
        process.join()
    return merge_runs(runs, plan.sample_cap, plan.seed)


def _child(
    spec: HttpRequestSpec,
    plan: LoadPlan,
    index: int,
    wait_for_start: Callable[[], int],
    sender: Any,
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # until the loop's handler is in place
    try:
        sender.send(run_worker(spec, plan, index, wait_for_start))
    finally:
        sender.close()
        os._exit(0)


def _receive(pipe: Any, processes: list[Any]) -> LoadRun:
    while True:
        try:
            while not pipe.poll(0.1):
                pass
            run: LoadRun = pipe.recv()
            return run
        except EOFError:
            raise BenchmarkFailed(
                "an HTTP worker process ended without a result",
                "run again with --workers 1 to see the error",
            ) from None
        except KeyboardInterrupt:
            for process in processes:  # Ctrl-C may have reached only this process
                if process.pid is not None and process.is_alive():
                    os.kill(process.pid, signal.SIGINT)
