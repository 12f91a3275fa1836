"""hyperfine's ``--debug-mode`` on pbench's fake clock.

hyperfine's debug mode runs nothing: ``sleep X`` takes X seconds and a ``--shell
'sleep S'`` spawns in S seconds. :func:`debug_run` does the same through pbench: the
command line is parsed by the real ``pbench run`` command and planned by the real
planner (names, order, reference, hooks, run counts), then every benchmarked command and
hook is swapped for a fake that advances a fake clock by its ``sleep`` time (a command
that is not a sleep takes no time), the shell's spawn time added when it runs through
one. The real runner measures on that clock, and the real session prints the report
and writes the exports, so stdout and stderr are pbench's own, exactly reproducible.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from click.testing import CliRunner

from pbench.cli.common import flags_from, resolve_display
from pbench.cli.options import export_specs
from pbench.cli.output import ECHO
from pbench.cli.run_cmd import run
from pbench.models import BenchmarkSpec, Hook, Hooks, Outcome
from pbench.plan.options import ReportFlags, RunFlags
from pbench.plan.run import plan_from_options
from pbench.plan.store import StoreFlags
from pbench.session.invocation import session_for
from pbench.session.output import Output
from support.cli import Result

NS = 1_000_000_000


class FakeClock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


def sleep_ns(command: str) -> int:
    """How long ``sleep X`` takes in debug mode; anything else takes no time."""
    if command.startswith("sleep "):
        return round(float(command.removeprefix("sleep ")) * NS)
    return 0


class SleepTarget:
    """A command that takes its sleep time (and the shell's spawn time, given one)."""

    def __init__(self, clock: FakeClock, command: str, spawn_ns: int) -> None:
        self.clock, self.cost_ns = clock, sleep_ns(command) + spawn_ns
        self.runs = 0

    def open(self) -> None:
        pass

    def execute(self, iteration: int) -> Outcome:
        self.clock.now += self.cost_ns
        self.runs += 1
        return Outcome(exit_code=0)

    def close(self) -> None:
        pass


class ShellTarget(SleepTarget):
    """The same through a shell: the runner first times the shell's empty command."""

    def __init__(self, clock: FakeClock, command: str, spawn_ns: int) -> None:
        super().__init__(clock, command, spawn_ns)
        self.spawn_ns = spawn_ns

    def overhead_target(self) -> SleepTarget:
        return SleepTarget(self.clock, "", self.spawn_ns)


class SleepHook:
    def __init__(self, clock: FakeClock, hook: Hook, spawn_ns: int) -> None:
        self.clock, self.text = clock, str(getattr(hook, "command", ""))
        self.cost_ns = sleep_ns(self.text) + spawn_ns

    @property
    def description(self) -> str:
        return f"hook {self.text!r}"

    def __call__(self, iteration: int | None = None) -> None:
        self.clock.now += self.cost_ns


def _fake(spec: BenchmarkSpec, clock: FakeClock, spawn_ns: int) -> BenchmarkSpec:
    through_shell = spec.info.get("shell_mode") == "shell"
    spawn = spawn_ns if through_shell else 0
    make = ShellTarget if through_shell else SleepTarget
    hooks: dict[str, Any] = {}
    for field in dataclasses.fields(Hooks):
        hook = getattr(spec.hooks, field.name)
        hooks[field.name] = None if hook is None else SleepHook(clock, hook, spawn)
    return dataclasses.replace(spec, target=make(clock, spec.command, spawn), hooks=Hooks(**hooks))


def debug_run(*args: str) -> Result:
    """``pbench ARGS`` (the ``run`` subcommand) in hyperfine's debug mode."""
    runner = CliRunner()
    with runner.isolation() as (out, err, _):
        code = debug_session(*args, output=ECHO)
    return Result(code, out.getvalue().decode(), err.getvalue().decode())


def debug_session(*args: str, output: Output) -> int:
    """``pbench run ARGS`` in debug mode through the application layer alone: the
    flags parsed by the real command, the plan measured on the fake clock, published by
    a real session that says everything through ``output``; the exit status."""
    options = run.make_context("run", list(args)).params
    spawn_ns = sleep_ns(str(options["shell"]))
    display = resolve_display(options["style"])
    specs = export_specs(options)
    plan, reference = plan_from_options(flags_from(RunFlags, options))
    clock = FakeClock()
    fake = dataclasses.replace(
        plan, benchmarks=[_fake(spec, clock, spawn_ns) for spec in plan.benchmarks]
    )
    session = session_for(
        flags_from(ReportFlags, options),
        flags_from(StoreFlags, options),
        specs,
        display,
        "run",
        reference,
        output,
    )
    return session.finish(*session.run(fake, clock=clock))
