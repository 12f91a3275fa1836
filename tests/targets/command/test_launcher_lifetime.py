"""The resident launcher's lifetime against real process trees: nothing it started
outlives pbench, and an interrupted run never waits on it for long.

Survivors are looked for among the processes the launcher started (its descendants,
noted while they run), never by name: other programs on the machine may run the same
commands."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator, Mapping

import psutil
import pytest

from pbench.targets.command.launcher import Launcher, launcher_path
from pbench.targets.command.shell import plan_invocation
from pbench.targets.command.target import CommandIO, CommandOptions, CommandTarget

# A tree of four: a shell, two sleeps in its process group, one that left it (setsid).
TREE = "sleep 30 & setsid sleep 30 & sleep 30; wait"
BOUND_S = 10.0  # generous: only a process that never dies takes this long

pytestmark = pytest.mark.skipif(launcher_path() is None, reason="x86-64 Linux launcher")


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def wait_for_tree(launcher_pid: int, size: int = 4) -> list[psutil.Process]:
    """The launcher's descendants once ``size`` of them run (fails after BOUND_S)."""
    deadline = time.monotonic() + BOUND_S
    while time.monotonic() < deadline:
        tree = descendants(launcher_pid)
        if len(tree) >= size:
            return tree
        time.sleep(0.01)
    raise AssertionError(f"the tree never formed: {descendants(launcher_pid)}")


def running(process: psutil.Process) -> bool:
    """Alive, and not a zombie (dead, waiting for whoever reaps orphans)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def survivors(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Those of ``processes`` still running after BOUND_S (at once when none is)."""
    deadline = time.monotonic() + BOUND_S
    alive = [p for p in processes if running(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.01)
        alive = [p for p in alive if running(p)]
    return alive


@pytest.fixture
def launcher() -> Iterator[Launcher]:
    program = launcher_path()
    assert program is not None
    null = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
    started = Launcher(program, null, null)
    yield started
    started.close()
    os.close(null)


def test_the_launcher_kills_the_tree_when_pbench_goes(launcher: Launcher) -> None:
    # pbench's death (even kill -9) closes the launcher's request pipe: the launcher
    # itself, not pbench, must then kill the tree, the setsid'd sleep too.
    launcher.start("/bin/sh", ["sh", "-c", TREE], dict(os.environ))
    tree = wait_for_tree(launcher.pid)
    launcher._close_request()  # what the kernel does to the pipe when pbench dies
    assert survivors(tree) == []
    deadline = time.monotonic() + BOUND_S
    while os.waitpid(launcher.pid, os.WNOHANG)[0] == 0:  # and it exits
        assert time.monotonic() < deadline, "the launcher outlived its pipe"
        time.sleep(0.01)
    launcher._reaped = True


def test_closing_with_a_run_in_flight_leaves_nothing(launcher: Launcher) -> None:
    launcher.start("/bin/sh", ["sh", "-c", TREE], dict(os.environ))
    tree = wait_for_tree(launcher.pid)
    launcher.close()
    assert launcher.dead
    with pytest.raises(ChildProcessError):  # reaped by close()
        os.waitpid(launcher.pid, os.WNOHANG)
    assert survivors(tree) == []


class InterruptingSampler:
    """Raises KeyboardInterrupt (Ctrl-C, SIGTERM) while the run's tree runs; with
    ``freeze``, first stops the launcher, which then never reports the run's end."""

    def __init__(self, io: CommandIO, freeze: bool = False) -> None:
        self.io = io
        self.freeze = freeze
        self.tree: list[psutil.Process] = []

    def begin(self, pid: int, exact_totals: bool = False, via_parent: bool = False) -> None:
        self.tree = wait_for_tree(pid)
        if self.freeze:
            os.kill(pid, signal.SIGSTOP)
        raise KeyboardInterrupt

    def end(self) -> Mapping[str, float]:
        return {}

    def abandon(self) -> None:
        pass

    def close(self) -> None:
        pass


def targets(io: CommandIO) -> tuple[CommandTarget, CommandTarget]:
    """A target that starts the tree and one that runs `true`, on one launcher."""
    tree = CommandTarget(plan_invocation(TREE, "sh"), io.options, io=io)
    quick = CommandTarget(plan_invocation("true", None), io.options, io=io)
    tree.open()
    quick.open()
    return tree, quick


@pytest.mark.parametrize("freeze", [False, True], ids=["answers", "stopped"])
def test_an_interrupt_kills_the_run_and_the_next_run_works(freeze: bool) -> None:
    io = CommandIO(CommandOptions(env=dict(os.environ)))
    tree, quick = targets(io)
    try:
        assert io.launcher is not None
        first = io.launcher
        sampler = InterruptingSampler(io, freeze)
        io.sampler = sampler
        with pytest.raises(KeyboardInterrupt):
            tree.execute(0)
        assert survivors(sampler.tree) == []
        if freeze:  # it could not report the run's end: killed, reaped, replaced
            assert first.dead
            with pytest.raises(ChildProcessError):
                os.waitpid(first.pid, os.WNOHANG)
        io.sampler = None
        assert quick.execute(1).exit_code == 0
        assert io.launcher is not None and not io.launcher.dead
        if freeze:
            assert io.launcher is not first
    finally:
        tree.close()
        quick.close()
    assert io.launcher is None
