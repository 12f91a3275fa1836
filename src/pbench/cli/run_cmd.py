"""``pbench run COMMAND...`` (also plain ``pbench COMMAND...``): hyperfine's interface."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from pbench.cli.common import (
    DURATION,
    FRACTION,
    STYLES,
    TIME_UNITS,
    ProgressBar,
    build_report,
    export_options,
    export_specs,
    guarded,
    render_report,
    resolve_display,
    write_all,
)
from pbench.errors import BenchmarkFailed, ExitCode


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
@click.option(
    "-w",
    "--warmup",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Runs before measuring, to fill caches.",
)
@click.option(
    "-m",
    "--min-runs",
    type=click.IntRange(min=1),
    default=None,
    help="Measure at least NUM runs (default 10).",
)
@click.option(
    "-M",
    "--max-runs",
    type=click.IntRange(min=1),
    default=None,
    help="Measure at most NUM runs (default: no limit).",
)
@click.option(
    "-r", "--runs", type=click.IntRange(min=1), default=None, help="Measure exactly NUM runs."
)
@click.option(
    "--min-time",
    type=DURATION,
    default="3s",
    show_default=True,
    help="Keep measuring until this much time was spent in runs.",
)
@click.option(
    "-s",
    "--setup",
    "setups",
    multiple=True,
    metavar="CMD",
    help="Run once before all runs of a command (once, or once per command).",
)
@click.option(
    "-p",
    "--prepare",
    "prepares",
    multiple=True,
    metavar="CMD",
    help="Run before every run, untimed (once, or once per command).",
)
@click.option(
    "-C",
    "--conclude",
    "concludes",
    multiple=True,
    metavar="CMD",
    help="Run after every run, untimed (once, or once per command).",
)
@click.option(
    "-c",
    "--cleanup",
    "cleanups",
    multiple=True,
    metavar="CMD",
    help="Run once after all runs of a command (once, or once per command).",
)
@click.option(
    "-P",
    "--parameter-scan",
    "scans",
    multiple=True,
    nargs=3,
    metavar="VAR MIN MAX",
    help="Benchmark for each VAR from MIN to MAX; {VAR} in commands.",
)
@click.option(
    "-D",
    "--parameter-step-size",
    "step",
    default=None,
    metavar="STEP",
    help="Step of --parameter-scan (default 1).",
)
@click.option(
    "-L",
    "--parameter-list",
    "lists",
    multiple=True,
    nargs=2,
    metavar="VAR VALUES",
    help="Benchmark for each of the comma-separated VALUES; repeatable.",
)
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
    help="Keep going on non-zero exit codes; --ignore-failure=1,2 for only those.",
)
@click.option("--ignore-failure-codes", hidden=True, default=None)
@click.option(
    "--style", type=click.Choice(STYLES), default="auto", show_default=True, help="Output style."
)
@click.option(
    "--sort",
    type=click.Choice(["auto", "command", "mean-time"]),
    default="auto",
    show_default=True,
    help="Order of the summary and the result blocks.",
)
@click.option(
    "-u",
    "--time-unit",
    type=click.Choice(TIME_UNITS),
    default=None,
    help="Unit of times in the output (default: chosen per value).",
)
@export_options
@click.option("--show-output", is_flag=True, help="Show the commands' output (--output=inherit).")
@click.option(
    "--output",
    default="null",
    show_default=True,
    metavar="WHERE",
    help="Where commands' output goes: null, pipe, inherit, or a FILE.",
)
@click.option(
    "--input",
    "input_path",
    default=None,
    metavar="FILE",
    help="Feed FILE to every run's standard input (default: nothing).",
)
@click.option(
    "-n",
    "--command-name",
    "names",
    multiple=True,
    metavar="NAME",
    help="Name a command (once per command, in order); {VAR} placeholders allowed.",
)
@click.option(
    "--reference",
    default=None,
    metavar="CMD",
    help="Compare every command with this one (a name, or a command to add).",
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
@click.option(
    "--order",
    type=click.Choice(["interleaved", "sequential"]),
    default="interleaved",
    show_default=True,
    help="Interleave commands in random rounds, or hyperfine's order.",
)
@click.option(
    "--precision",
    type=FRACTION,
    default=None,
    help="Run until the 95% CI of the median is this narrow, e.g. 2%.",
)
@click.option(
    "--precision-of",
    type=click.Choice(["median", "mean"]),
    default="median",
    show_default=True,
    help="Statistic --precision applies to.",
)
@click.option(
    "--max-time",
    type=DURATION,
    default=None,
    help="Time budget of --precision for the measuring phase.",
)
@click.option("--no-sample", is_flag=True, help="Do not follow the process tree with psutil.")
@click.option(
    "--sample-interval",
    type=DURATION,
    default="10ms",
    show_default=True,
    help="How often the process-tree sampler looks.",
)
@click.option(
    "--alpha",
    type=float,
    default=0.05,
    show_default=True,
    help="Significance level of the comparisons.",
)
@click.option(
    "--threshold",
    type=FRACTION,
    default="1%",
    show_default=True,
    help="Differences smaller than this count as noise.",
)
@guarded
def run(**options: Any) -> int:
    """Benchmark shell commands, hyperfine style.

    \b
    pbench 'sleep 0.1' 'sleep 0.2'
    pbench -w 3 -P n 1 4 'xz -{n} -k -c big.tar'
    pbench -N --runs 1000 true --export-json out.json
    """
    from pbench.cli.run_plan import plan_from_options

    display = resolve_display(options["style"])
    specs = export_specs(
        options["export_json"],
        options["export_csv"],
        options["export_markdown"],
        options["exports"],
    )
    plan, reference = plan_from_options(options)
    return _execute(plan, reference, specs, display, options)


def _execute(
    plan: Any, reference: str | None, specs: Sequence[Any], display: Any, options: dict[str, Any]
) -> int:
    from pbench.metadata import collect_metadata
    from pbench.runner import Runner

    metadata = collect_metadata()
    unit = options["time_unit"]
    bar = ProgressBar(display.progress, unit)

    def rewrite(_: Any) -> None:
        report = build_report(
            runner.results, metadata, reference=reference, time_unit=unit, compare=False
        )
        write_all([s for s in specs if s.path != "-"], report)

    runner = Runner(plan, on_progress=bar.update, on_finished=rewrite if specs else None)
    status = ExitCode.OK
    failure: BenchmarkFailed | None = None
    try:
        runner.run()
    except BenchmarkFailed as exc:
        failure, status = exc, ExitCode.BENCHMARK_FAILED
    except KeyboardInterrupt:
        status = ExitCode.INTERRUPTED
    finally:
        bar.clear()
    _attach_process_tree(runner.results)
    interrupted = status == ExitCode.INTERRUPTED
    report = build_report(
        runner.results,
        metadata,
        reference=reference,
        time_unit=unit,
        compare=status == ExitCode.OK,
        alpha=options["alpha"],
        threshold=options["threshold"],
        seed=options["seed"],
    )
    if not display.quiet:
        click.echo(render_report(report, display, options["sort"]), color=display.color)
    write_all(specs, report)
    if failure is not None:
        click.echo(failure.render(), err=True)
    if interrupted:
        kept = sum(len(r.measurements) for r in runner.results)
        where = " and exported" if specs else ""
        click.echo(f"pbench: interrupted; {kept} finished runs were kept{where}", err=True)
    return int(status)


def _attach_process_tree(results: Sequence[Any]) -> None:
    """Per-benchmark summary of the sampler's per-run figures (JSON and terminal)."""
    from pbench.sampler import summarize_runs

    for result in results:
        per_run = [m.metrics for m in result.measurements if m.metrics]
        if per_run:
            result.sections["process_tree"] = summarize_runs(per_run)
