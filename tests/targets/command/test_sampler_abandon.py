"""A run cut short is dropped by the sampler at once, and the idle thread parks (waits
untimed) after a pause, woken by the next begin(): no niced thread waking while pbench
reports after an interrupt."""

from __future__ import annotations

import os
import time

from pbench.targets.command import sampler as sampler_module
from pbench.targets.command.sampler import TreeSampler


def test_abandon_drops_the_run_and_the_idle_thread_parks_until_begin() -> None:
    tree = TreeSampler(interval_s=0.001)
    try:
        tree.begin(os.getpid(), exact_totals=True, via_parent=True)
        tree.abandon()
        assert tree._run is None and not tree._active
        deadline = time.monotonic() + 10
        while not tree._parked:  # _IDLE_LOOKS looks of 1 ms, however slow the machine
            assert time.monotonic() < deadline, "the idle thread never parked"
            time.sleep(0.005)
        assert sampler_module._IDLE_LOOKS > 0
        tree.begin(os.getpid(), exact_totals=True, via_parent=True)
        assert not tree._parked  # woken
        tree.end()
    finally:
        tree.close()
