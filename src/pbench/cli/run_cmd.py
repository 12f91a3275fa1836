"""``pbench run COMMAND...`` (also plain ``pbench COMMAND...``): hyperfine's interface."""

from __future__ import annotations

from typing import Any

import click

from pbench.cli.common import DURATION, LEVELS, flags_from, guarded
from pbench.cli.options import (
    budget_option,
    comparison_options,
    display_options,
    export_options,
    invocation_from,
    notify_options,
    order_option_with,
    parameter_options,
    precision_options,
    run_count_options,
    slice_option,
    start_at_option,
    store_options,
)
from pbench.plan.options import RunFlags
from pbench.plan.values import concurrency_levels
from pbench.session.measure import finish


class RunCommand(click.Command):
    """Accepts hyperfine's ``--ignore-failure=CODES`` beside the bare ``-i`` flag."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rewritten: list[str] = []
        for arg in args:
            if arg.startswith("--ignore-failure="):
                rewritten += ["--ignore-failure-codes", arg.split("=", 1)[1]]
            elif arg.startswith("-i=") and len(arg) > 3:
                rewritten += ["--ignore-failure-codes", arg[3:]]
            else:
                rewritten.append(arg)
        return super().parse_args(ctx, rewritten)


@click.command(cls=RunCommand, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("commands", nargs=-1, required=True)
@run_count_options("one run = one execution of the command")
@click.option(
    "-s",
    "--setup",
    "setups",
    multiple=True,
    metavar="CMD",
    help="Run once before all runs of a benchmark (once, or once per benchmark); if it differs "
    "between benchmarks, they are measured one after another (see --order).",
)
@click.option(
    "-p",
    "--prepare",
    "prepares",
    multiple=True,
    metavar="CMD",
    help="Run before every run, untimed (once, or once per benchmark: the --reference first).",
)
@click.option(
    "-C",
    "--conclude",
    "concludes",
    multiple=True,
    metavar="CMD",
    help="Run after every run, untimed (once, or once per benchmark: the --reference first).",
)
@click.option(
    "-c",
    "--cleanup",
    "cleanups",
    multiple=True,
    metavar="CMD",
    help="Run once after all runs of a benchmark (once, or once per benchmark); if it differs "
    "between benchmarks, they are measured one after another (see --order).",
)
@parameter_options("{VAR} in commands, names and hooks takes each value")
@click.option(
    "-S",
    "--shell",
    default="auto",
    show_default=True,
    metavar="SHELL",
    help="auto: a shell only for shell syntax; none: never; or a shell such as bash.",
)
@click.option("-N", "no_shell", is_flag=True, help="Run commands without a shell (--shell=none).")
@click.option(
    "-i",
    "--ignore-failure",
    is_flag=True,
    help="Keep going on non-zero exit codes and deaths by a signal; --ignore-failure=1,2 "
    "for only those codes. Timeouts (--timeout) still stop the run.",
)
@click.option("--ignore-failure-codes", hidden=True, default=None)
@display_options
@export_options
@click.option("--show-output", is_flag=True, help="Show the commands' output (--output=inherit).")
@click.option(
    "--output",
    multiple=True,
    metavar="WHERE",
    help="Where commands' output goes: null (the default), pipe, inherit, or a FILE (emptied "
    "before every run, as hyperfine does: it keeps the last run's output; hooks never write "
    "to it). Once, or once per benchmark (the --reference first).",
)
@click.option(
    "--input",
    "input_path",
    default=None,
    metavar="FILE",
    help="Feed FILE to every run's standard input, each run (warmups too) from its start "
    "(default: nothing).",
)
@click.option(
    "-n",
    "--command-name",
    "names",
    multiple=True,
    metavar="NAME",
    help="Name a command (once per command, in order; with parameters also once for all or "
    "once per benchmark); {VAR} placeholders allowed.",
)
@click.option(
    "--reference",
    default=None,
    metavar="CMD",
    help="Measure CMD first, with the hooks, and compare every command with it (or the "
    "benchmark given this name with -n).",
)
@click.option(
    "--reference-name",
    default=None,
    metavar="NAME",
    help="The name of the --reference command.",
)
@click.option(
    "--timeout",
    type=DURATION,
    default=None,
    help="Kill a run's process tree after this long; counts as a failure.",
)
@click.option(
    "--env",
    "env_pairs",
    multiple=True,
    metavar="NAME=VALUE",
    help="Set an environment variable for the commands; repeatable.",
)
@click.option("--seed", type=int, default=None, help="Seed of the run order and padding.")
@order_option_with(
    "Setups and cleanups that differ between benchmarks ({VAR} in them, or one per command) "
    "need sequential order: pbench then uses it, and says so."
)
@precision_options
@click.option(
    "-j",
    "--concurrency",
    type=LEVELS,
    default=None,
    help="Run N copies of each command at once, each starting its next run when its last "
    "ends: a load run (runs/s, latency percentiles, failures by exit code, exact CPU and "
    "peak memory of every run; -r counts the runs of all copies). 1,2,4,8 sweeps the "
    "levels and ends with a scaling table. --prepare/--conclude do not apply.",
)
@click.option(
    "-d",
    "--duration",
    type=DURATION,
    default=None,
    help="Load run: load each command for this long (default 10s; not with -r).",
)
@click.option(
    "--rate",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Load run, open loop: runs started per second on one schedule, latency counted "
    "from each run's scheduled start (-j copies take the due runs).",
)
@slice_option
@start_at_option
@click.option(
    "--measure",
    type=click.Choice(["wall", "cpu", "instructions", "cycles"]),
    default="wall",
    show_default=True,
    help="The figure of each run that statistics, comparisons and budgets use: wall "
    "time; CPU time (user + system of the process tree, from the kernel); instructions "
    "counted under Valgrind's cachegrind over the whole process tree (deterministic; "
    "runs are 50-200x slower); or cycles, estimated from cachegrind's simulated caches "
    "as iai-callgrind does: L1 hit 1, last-level hit 5, RAM 35 cycles. Hooks run "
    "outside Valgrind; Valgrind missing is exit 2.",
)
@click.option("--no-sample", is_flag=True, help="Do not follow the process tree with psutil.")
@click.option(
    "--sample-interval",
    type=DURATION,
    default="10ms",
    show_default=True,
    help="How often the process-tree sampler looks.",
)
@comparison_options
@budget_option
@notify_options
@store_options
@guarded
def run(**options: Any) -> int:
    """Benchmark shell commands, hyperfine style.

    \b
    pbench 'sleep 0.1' 'sleep 0.2'
    pbench -w 3 -P n 1 4 'xz -{n} -k -c big.tar'
    pbench -N --runs 1000 true --export-json out.json
    """
    from pbench.plan.run_plans import run_plans

    invocation = invocation_from("run", options)
    levels = concurrency_levels(options["concurrency"])
    flags = flags_from(RunFlags, options, concurrency=None)
    if invocation.report.budgets:
        from pbench.plan.budgets import budgets_from_options, check_measure

        check_measure(budgets_from_options(invocation.report.budgets), flags.measure)
    plans, reference, notes = run_plans(flags, levels)
    for note in notes:
        click.echo(f"pbench: note: {note}", err=True)
    return finish(plans, invocation.session, reference)
