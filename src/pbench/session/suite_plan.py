"""A suite's benchmarks planned by their kinds' own planners (``pbench suite``): one plan
each, or one per level of a concurrency sweep; every problem reported at once."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING

from pbench.errors import UsageError
from pbench.session.suite import Planned

if TYPE_CHECKING:
    from pbench.plan.suite.read import Suite, SuiteBenchmark


def plan_all(selected: Suite) -> list[Planned]:
    """Every selected benchmark planned by its kind's planner; every problem (a bad
    DSN, an unreadable @file.sql or --input) reported at once, exit 2."""
    import os

    planned: list[Planned] = []
    problems: list[str] = []
    environ = dict(os.environ)  # read once: the commands' environment, as of now
    for benchmark in selected.benchmarks:
        try:
            planned.append(_plan(benchmark, environ))
        except UsageError as exc:
            where = f"{selected.file}:{benchmark.line}" if benchmark.line else str(selected.file)
            hint = f" ({exc.hint})" if exc.hint else ""
            problems.append(f"{where}: benchmark {benchmark.name!r}: {exc.message}{hint}")
    if problems:
        raise UsageError("\n  ".join(problems) if len(problems) > 1 else problems[0])
    return planned


def _plan(benchmark: SuiteBenchmark, environ: Mapping[str, str]) -> Planned:
    from pbench.plan.budgets import check_measure
    from pbench.plan.options import HttpFlags, RunFlags, SqlFlags
    from pbench.plan.values import concurrency_levels

    flags = benchmark.flags
    check_measure(benchmark.budgets, getattr(flags, "measure", "wall"), "budgets:")
    if benchmark.harness is not None:
        from pbench.plan.harness import HarnessPlan

        assert isinstance(flags, RunFlags)  # a harness benchmark runs one command
        return Planned(benchmark, {1: HarnessPlan(benchmark.name, benchmark.harness,
                                                  flags.commands[0])}, None, ())  # fmt: skip
    if isinstance(flags, RunFlags):
        from pbench.plan.run_plans import run_plans

        plans, reference, notes = run_plans(flags, concurrency_levels(flags.concurrency), environ)
        return Planned(benchmark, dict(plans), reference, notes)
    if isinstance(flags, SqlFlags):
        from pbench.plan.sql import plan_from_options as plan_sql

        sqls = {
            level: plan_sql(dataclasses.replace(flags, clients=level))
            for level in concurrency_levels(flags.clients) or (1,)
        }
        sql_plan = next(iter(sqls.values()))
        notice = (sql_plan.notice,) if sql_plan.notice else ()
        return Planned(benchmark, dict(sqls), sql_plan.reference, notice)
    assert isinstance(flags, HttpFlags)
    from pbench.plan.http import plan_from_options as plan_http

    https = {
        level: plan_http(dataclasses.replace(flags, concurrency=level))
        for level in concurrency_levels(flags.concurrency) or (1,)
    }
    return Planned(benchmark, dict(https), next(iter(https.values())).reference, ())
