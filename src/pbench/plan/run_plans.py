"""``pbench run``'s plans, one way for the command and for a suite's command benchmarks:
a load run's plan per level (``-j N``, ``-d``, ``--rate``; several levels: a sweep,
:mod:`pbench.plan.run_load`), else the one plan of ordinary runs
(:mod:`pbench.plan.run`) and the notes its planning left for the user."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from pbench.plan.options import RunFlags
from pbench.plan.run import is_load, plan_from_options

if TYPE_CHECKING:
    from pbench.models import RunPlan
    from pbench.plan.run_load import CommandLoadPlan


def run_plans(
    flags: RunFlags, levels: Sequence[int]
) -> tuple[Mapping[int, RunPlan | CommandLoadPlan], str | None, tuple[str, ...]]:
    """The plans of ``flags`` at ``levels`` (() without -j), their reference and the
    notes to say once (ordinary runs only)."""
    flags = dataclasses.replace(flags, concurrency=levels[0] if levels else None)
    if is_load(flags):
        from pbench.plan.run_load import plan_levels  # not before a plain run's first run

        loads = plan_levels(flags, levels)
        return loads, next(iter(loads.values())).reference, ()
    plan, reference = plan_from_options(flags)
    notes = tuple(dict.fromkeys(note for spec in plan.benchmarks for note in spec.notes))
    return {1: plan}, reference, notes
