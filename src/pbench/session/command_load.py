"""``pbench run`` as a load run: ``-j/--concurrency N``, ``-d/--duration``, ``--rate``;
see :mod:`pbench.plan.run_load` and :mod:`pbench.targets.command.pool`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pbench.errors import BenchmarkFailed, ExitCode
from pbench.models import BenchmarkResult, IgnoreFailure
from pbench.run.results import load_failure
from pbench.session.load import measure_load
from pbench.session.publish import Measured, Session

if TYPE_CHECKING:
    from pbench.plan.run_load import CommandLoadPlan


def measure_command_load(plan: CommandLoadPlan, session: Session) -> Measured:
    """Run a command load plan; each result gets its ``command_load`` section."""
    from pbench.run.load import LoadBenchmark, LoadRunner
    from pbench.targets.command.pool import BOTTLENECK_HINT, CommandPool, command_section

    specs = plan.run.benchmarks
    pool = CommandPool(plan.targets, plan.load, plan.options)
    benchmarks = [
        LoadBenchmark(s.name, s.command, {**s.info, "copies": plan.load.concurrency},
                      s.parameters, s.hooks)
        for s in specs
    ]  # fmt: skip
    runner = LoadRunner(pool, benchmarks, plan.slices, bottleneck_hint=BOTTLENECK_HINT)
    ignore = plan.run.ignore_failure
    results, status, failure = measure_load(
        runner,
        session,
        "runs",
        ignore_failure=ignore.enabled,
        sections=command_section,
        key="command_load",
        shows_output=plan.options.output == "inherit",  # --show-output: no live view
    )
    if status == ExitCode.OK and ignore.enabled and ignore.codes is not None:
        failure = _not_ignored(results, ignore)
        status = ExitCode.OK if failure is None else ExitCode.BENCHMARK_FAILED
    return results, status, failure


def _not_ignored(
    results: Sequence[BenchmarkResult], ignore: IgnoreFailure
) -> BenchmarkFailed | None:
    """With ``-i=CODES``: the first result with failures other than those exit codes."""
    allowed = {f"exit {code}" for code in ignore.codes or ()}
    for result in results:
        load = result.sections.get("load")
        if load is None:
            continue
        others = {kind: n for kind, n in load["errors"].items() if kind not in allowed}
        if others:
            return load_failure(result.name, {**load, "errors": others,
                                              "failed": sum(others.values())}, "runs")  # fmt: skip
    return None
