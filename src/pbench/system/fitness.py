"""Every check of :mod:`pbench.system.checks` at once: is this machine fit to measure?

``fitness()`` takes about ``steal_sample_s`` (0.5 s: CPU steal is the difference of two
samples of /proc/stat) and returns plain data; ``as_dict()`` is its JSON form::

    {"fit": true, "summary": "fit (warnings: turbo, smt)",
     "checks": [{"name": "cpu_governor", "status": "ok", "value": "performance (CPU 0-7)",
                 "meaning": "...", "fix": null}, ...]}

The machine is *fit* when no check is ``bad``: warnings are noise to know about and
keep down, ``bad`` readings (a CPU queue, 10 % steal, memory pressure) distort the
figures themselves.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pbench.system import checks, sources
from pbench.system.checks import Check

STEAL_SAMPLE_S = 0.5


@dataclass(frozen=True)
class Fitness:
    checks: tuple[Check, ...]

    @property
    def fit(self) -> bool:
        return not any(c.status == "bad" for c in self.checks)

    def named(self, status: str) -> list[str]:
        return [c.name for c in self.checks if c.status == status]

    @property
    def summary(self) -> str:
        """``fit``, ``fit (warnings: turbo, smt)`` or ``unfit: load (warnings: smt)``."""
        bad, warn = self.named("bad"), self.named("warn")
        head = f"unfit: {', '.join(bad)}" if bad else "fit"
        return head + (f" (warnings: {', '.join(warn)})" if warn else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "fit": self.fit,
            "summary": self.summary,
            "checks": [c.as_dict() for c in self.checks],
        }


def fitness(
    root: Path | str = "/",
    steal_sample_s: float = STEAL_SAMPLE_S,
    sleep: Callable[[float], None] = time.sleep,
    affinity: set[int] | None = None,
) -> Fitness:
    """Check the machine under ``root``. ``sleep`` waits between the two samples of CPU
    time (tests pass one that changes the fake tree); ``affinity`` is the CPUs pbench may
    run on (default: this process's)."""
    root = Path(root)
    if affinity is None and hasattr(os, "sched_getaffinity"):
        affinity = set(os.sched_getaffinity(0))
    before = sources.cpu_times(root)
    if before is not None:
        sleep(steal_sample_s)
    after = sources.cpu_times(root) if before is not None else None
    return Fitness(
        (
            checks.governor(root),
            checks.turbo(root),
            checks.smt(root),
            checks.load(root),
            checks.steal(before, after),
            checks.aslr(root),
            checks.memory(root),
            checks.power(root),
            checks.isolation(root, affinity),
        )
    )
