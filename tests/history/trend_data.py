"""Series with known shapes, saved through the store's API (tests of pbench trend and
of the reports' history)."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Collection, Sequence

from history.conftest import T0, hours, record
from pbench.history.store import Store

UNFIT = {"fit": False, "summary": "unfit: load", "checks": [{"name": "load", "status": "bad"}]}
FIT = {"fit": True, "summary": "fit", "checks": []}


def commit(index: int, host: str = "ci-1") -> str:
    """A distinct commit per run, distinct in its first 8 digits too."""
    return f"{index:08x}" + f"{sum(map(ord, host)):08x}" * 4


def step(count: int = 60, at: int = 30, size: float = 0.10, noise: float = 0.005,
         level: float = 0.010, seed: int = 1) -> list[float]:  # fmt: skip
    """``count`` medians around ``level`` that step up by ``size`` from index ``at``."""
    rng = random.Random(seed)
    return [level * (1 + size * (i >= at)) * (1 + rng.uniform(-noise, noise)) for i in range(count)]


def fill(
    store: Store,
    values: Sequence[float],
    name: str = "parse",
    host: str = "ci-1",
    unfit: Collection[int] = (),
    start: int = 0,
) -> list[int]:
    """Save one run per value (an hour apart, from hour ``start``); runs whose index is
    in ``unfit`` record an unfit machine, the others a fit one. The run ids."""
    ids = []
    for i, value in enumerate(values):
        run = record(name, at=T0 + hours(start + i), commit=commit(i, host), host=host,
                     median=value)  # fmt: skip
        ids.append(store.save(dataclasses.replace(run, fitness=UNFIT if i in unfit else FIT)))
    return ids
