"""``pbench run`` as a load run: N copies of each command at once (``-j/--concurrency``),
for a time (``-d``), a number of runs (``-r``, all copies together) or at a rate
(``--rate``, open loop), in slices shared with the other commands as HTTP and SQL
load runs are (:mod:`pbench.run.load`).

The hooks: ``--setup`` and ``--cleanup`` run once per benchmark, before the first
slice and after the last (also after a failure or Ctrl-C). ``--prepare`` and
``--conclude`` are refused: in a closed loop each copy starts its next run when its
last one ends, so a hook between two runs of one copy would run while the other
copies' runs are timed, its CPU and I/O landing on their figures, and its time
would count against the runs per second. Benchmarks whose setups or cleanups differ
are refused too: a load run sets every benchmark up before its first slice, so a
setup that prepares one benchmark's state (``git checkout {rev} && make``) would be
undone by the next one's before any run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from pbench.errors import UsageError
from pbench.load.schedule import LoadPlan
from pbench.models import Hooks, RunPlan
from pbench.plan.options import RunFlags
from pbench.plan.rules import load_duration, runs_or_duration
from pbench.plan.rules import precision as precision_of_flags
from pbench.plan.run import plan_from_options
from pbench.plan.values import parse_start_at
from pbench.run.load import SlicePlan
from pbench.targets.command.hooks import CommandHook
from pbench.targets.command.target import CommandOptions, CommandTarget

DEFAULT_MIN_TIME_S = 3.0  # --min-time's default: given otherwise, it is refused


@dataclass(frozen=True)
class CommandLoadPlan:
    """The benchmarks (``run.benchmarks``: command targets without a tree sampler), the
    load on each and how they share the pool, and the options every copy starts with."""

    run: RunPlan
    reference: str | None
    slices: SlicePlan
    options: CommandOptions
    targets: tuple[CommandTarget, ...]

    @property
    def load(self) -> LoadPlan:
        return self.slices.load

    @property
    def measured_as(self) -> str:
        """How pbench.session.measure measures it."""
        return "command load"

    @property
    def noun(self) -> str:
        """What a sweep's throughput counts."""
        return "runs"


def plan_load(options: RunFlags) -> CommandLoadPlan:
    """Validate a load run's flags and build its plan; UsageError (exit 2) otherwise."""
    _refuse(options)
    run, reference = plan_from_options(options)
    if any(len({_hook_text(s.hooks, kind) for s in run.benchmarks} - {None}) > 1
           for kind in ("setup", "cleanup")):  # fmt: skip
        raise UsageError(
            "--setup/--cleanup differ between benchmarks, which a load run cannot honour: it "
            "runs every setup before its first slice and every cleanup after its last",
            "give one --setup/--cleanup for all, or measure the commands in separate runs",
        )
    adaptive = precision_of_flags(options)
    if adaptive is not None and options.duration is not None:
        raise UsageError("-d/--duration fixes how long to measure, --precision adapts it",
                         "give one of them")  # fmt: skip
    runs_or_duration(options.runs, options.duration, "runs")
    duration = load_duration(options.runs, options.duration, adaptive, options.max_time)
    load = LoadPlan(
        concurrency=options.concurrency or 1,
        runs=options.runs,
        duration_s=duration,
        rate=options.rate,
        warmup=options.warmup,
        seed=run.seed or 0,
    )
    slices = SlicePlan(
        load=load,
        slice_s=options.slice_s,
        order=run.order,
        precision=adaptive,
        seed=run.seed or 0,
        start_at=parse_start_at(options.start_at),
    )
    targets = tuple(s.target for s in run.benchmarks if isinstance(s.target, CommandTarget))
    assert len(targets) == len(run.benchmarks)  # the run plan makes command targets only
    return CommandLoadPlan(run, reference, slices, targets[0].options, targets)


def _refuse(options: RunFlags) -> None:
    """The flags that have no meaning in a load run, each with what to do instead."""
    if any(options.prepares) or any(options.concludes):
        flag = "--prepare" if any(options.prepares) else "--conclude"
        raise UsageError(
            f"{flag} cannot be combined with --concurrency, --duration or --rate: a hook "
            "between one copy's runs would run while the other copies' runs are timed",
            "put that work in --setup/--cleanup (once per benchmark), or measure without "
            "--concurrency",
        )
    for value, flag in ((options.min_runs, "--min-runs"), (options.max_runs, "--max-runs")):
        if value is not None:
            raise UsageError(
                f"{flag} does not apply to a load run (--concurrency, --duration, --rate)",
                "use -r/--runs N for a number of runs (of all copies together), or -d",
            )
    if options.min_time != DEFAULT_MIN_TIME_S:
        raise UsageError(
            "--min-time does not apply to a load run (--concurrency, --duration, --rate)",
            "use -d/--duration for how long each command is loaded",
        )
    if len(set(options.output)) > 1:
        raise UsageError(
            "a load run (--concurrency, --duration, --rate) takes one --output for all "
            "its commands",
            "give --output once",
        )
    copies = options.concurrency or 1
    if copies > 1 and any(o not in ("null", "pipe", "inherit") for o in options.output):
        raise UsageError(
            f"--output FILE cannot take the output of {copies} copies at once",
            "use --output null, pipe or inherit with --concurrency",
        )


def _hook_text(hooks: Hooks, kind: str) -> str | None:
    """A hook's command line (benchmarks without one do not count)."""
    hook = getattr(hooks, kind)
    return hook.command if isinstance(hook, CommandHook) else None


def plan_levels(flags: RunFlags, levels: Sequence[int]) -> dict[int, CommandLoadPlan]:
    """The plan of each level (one, at ``flags.concurrency``, without ``levels``); every
    level is checked before the first is measured, so a bad flag exits 2 at once."""
    if not levels:
        return {flags.concurrency or 1: plan_load(flags)}
    return {level: plan_load(dataclasses.replace(flags, concurrency=level)) for level in levels}
