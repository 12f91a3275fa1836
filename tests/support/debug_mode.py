"""hyperfine's ``--debug-mode`` on pbench's fake clock.

hyperfine's debug mode runs nothing: ``sleep X`` takes X seconds and a ``--shell
'sleep S'`` spawns in S seconds. :func:`published` does the same through pbench: the
command line is parsed by the real ``pbench run`` command and planned by the real
planner (names, order, reference, hooks, run counts), then every benchmarked command and
hook is swapped for a fake that advances a fake clock by its ``sleep`` time (a command
that is not a sleep takes no time), the shell's spawn time added when it runs through
one. The real runner measures on that clock, and the real session prints the report
and writes the exports, so stdout and stderr are pbench's own, exactly reproducible.
"""

from __future__ import annotations

import dataclasses

from pbench.cli.common import flags_from
from pbench.cli.options import invocation_from
from pbench.cli.run_cmd import run
from pbench.errors import PbenchError
from pbench.plan.options import RunFlags
from pbench.plan.run import plan_from_options
from pbench.session.output import Output, say_error
from support.cli import Result
from support.fakes import FakeClock, fake_spec, sleep_ns
from support.output import RecordingOutput


def debug_session(*args: str, output: Output) -> int:
    """``pbench run ARGS`` in debug mode through the application layer alone: the
    flags parsed by the real command, the plan measured on the fake clock, published by
    a real session that says everything through ``output``; the exit status."""
    options = run.make_context("run", list(args)).params
    invocation = invocation_from("run", options, output)
    spawn_ns = sleep_ns(str(options["shell"]))
    plan, reference = plan_from_options(flags_from(RunFlags, options))
    clock = FakeClock()
    fake = dataclasses.replace(
        plan, benchmarks=[fake_spec(spec, clock, spawn_ns) for spec in plan.benchmarks]
    )
    session = invocation.session(reference)
    return session.finish(*session.run(fake, clock=clock))


def published(*args: str) -> Result:
    """``pbench run ARGS`` in debug mode (:func:`debug_session`) into a recording
    output: the exit status and what the session said on stdout and stderr, an error
    that ends it said as the CLI says it (:func:`pbench.session.output.say_error`)."""
    output = RecordingOutput()
    try:
        code = debug_session(*args, output=output)
    except PbenchError as exc:
        code = say_error(exc, output)
    return Result(code, output.out, output.err)
