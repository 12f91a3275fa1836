"""The command pool: one resident launcher per client thread, so that N runs really
are N children at once; each run's own CPU time and peak memory from wait4."""

from __future__ import annotations

import os

import psutil

from pbench.load.schedule import LoadPlan
from pbench.targets.command.pool import CommandPool, PooledCommand, max_overlap
from pbench.targets.command.shell import plan_invocation
from pbench.targets.command.target import CommandIO, CommandOptions, CommandTarget


def make_pool(copies: int, command: str = "sleep 0.05") -> CommandPool:
    options = CommandOptions(env=dict(os.environ))
    io = CommandIO(options)
    targets = [CommandTarget(plan_invocation(command, "auto"), options, io=io)]
    return CommandPool(targets, LoadPlan(concurrency=copies, runs=6), options)


def test_each_client_has_its_own_launcher() -> None:
    pool = make_pool(3)
    pool.open()
    try:
        clients = [client for (client,) in pool.clients]
        assert all(isinstance(c, PooledCommand) for c in clients)
        pids = {c.target.io.launcher.pid for c in clients}  # type: ignore[union-attr]
        assert len(pids) == 3 and all(psutil.pid_exists(pid) for pid in pids)
        run = pool.run_slice(0, LoadPlan(concurrency=3, runs=6), None)
    finally:
        pool.close()
    assert run.requests == 6 and not run.errors
    assert not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"
                   for pid in pids)  # fmt: skip
    starts_ends = run.sample[:, 1:3]
    # Each run spans its 50 ms sleep, on the launcher's clock (fork to reap).
    assert (starts_ends[:, 1] - starts_ends[:, 0]).min() >= 50_000_000
    assert run.extras["peak_memory_bytes"].max < 20 << 20  # sleep's own, not pbench's


def test_max_overlap_of_a_sample() -> None:
    columns = ["start_s", "latency_s", "service_s", "status", "error", "end_s"]
    rows = [
        [0.0, 1.0, 1.0, None, None, 1.0],
        [0.5, 1.0, 1.0, None, None, 1.5],
        [1.0, 1.0, 1.0, None, None, 2.0],  # starts as the first ends: no overlap with it
        [1.2, 0.1, 0.1, None, None, 1.3],
    ]
    assert max_overlap({"columns": columns, "rows": rows}) == 3
    assert max_overlap({"columns": columns[:5], "rows": []}) == 0
