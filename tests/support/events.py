"""Waiting for what a pbench process is doing, not for a number of seconds.

A test that interrupts a run (Ctrl-C) must do it once the run has got somewhere: a
fixed ``time.sleep`` before the signal is too short on a busy machine (the process
is still importing) and wasted time on an idle one. These helpers poll for the event
itself, and fail the test naming it when it never comes (:data:`PATIENCE_S` is a
bound on a test that went wrong, not a timing the test depends on).

``unique(text)`` makes a command line that only this test process runs: the machine
is shared, and another engineer's copy of the same test may be running the same
``sleep 0.0513`` at the same moment.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import psutil
import pytest

PATIENCE_S = 60.0
POLL_S = 0.01


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Return once ``condition()`` holds; fail the test when it does not within
    :data:`PATIENCE_S`."""
    deadline = time.monotonic() + PATIENCE_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never happened within {PATIENCE_S:.0f} s: {what}")
        time.sleep(POLL_S)


def unique(seconds: str) -> str:
    """``seconds`` (a decimal like "0.0513") with this process's id appended as further
    digits: the same duration for ``sleep`` to the microsecond, a command line no
    other test process runs."""
    return f"{seconds}{os.getpid():08d}"


def runs_started(process: psutil.Process | int, token: str) -> Callable[[], int]:
    """A counter of the distinct processes below ``process`` whose command line holds
    ``token`` that have been seen so far (each call looks again): ``n`` seen means at
    least ``n - 1`` of them finished, when they run one at a time."""
    parent = process if isinstance(process, psutil.Process) else psutil.Process(process)
    seen: set[int] = set()

    def count() -> int:
        try:
            children = parent.children(recursive=True)
        except psutil.NoSuchProcess:
            return len(seen)
        for child in children:
            try:
                if token in " ".join(child.cmdline()):
                    seen.add(child.pid)
            except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
                continue
        return len(seen)

    return count


def still_running(token: str) -> list[psutil.Process]:
    """Every process on the machine whose command line holds ``token`` (make it
    :func:`unique`)."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if token in " ".join(process.info["cmdline"] or ()):
            found.append(process)
    return found
