"""The command-line interface: the only package that talks to the terminal.

``pbench COMMAND...`` is ``pbench run COMMAND...``; other subcommands sit beside it.
Subcommands live in their own modules and are imported only when invoked, so that
``pbench --version`` and ``pbench --help`` stay fast.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

import click

from pbench import __version__

# name -> "module:attribute"; loaded on first use.
SUBCOMMANDS: dict[str, str] = {
    "run": "pbench.cli.run_cmd:run",
    "http": "pbench.cli.http_cmd:http",
    "sql": "pbench.cli.sql_cmd:sql",
    "compare": "pbench.cli.compare_cmd:compare",
    "suite": "pbench.cli.suite_cmd:suite",
    "system-check": "pbench.cli.system_check_cmd:system_check",
    "report": "pbench.cli.report_cmd:report",
    "merge": "pbench.cli.merge_cmd:merge",
    "history": "pbench.cli.history_cmd:history",
    "trend": "pbench.cli.trend_cmd:trend",
}

# name -> the line `pbench --help` lists it with, so that the listing imports no
# subcommand (tests/test_startup.py checks each against the command's own help).
SHORT_HELP: dict[str, str] = {
    "run": "Benchmark shell commands, hyperfine style.",
    "http": "Load HTTP endpoints with an in-process HTTP/1.1 client.",
    "sql": "Benchmark SQL queries: SQLite (built in) or PostgreSQL.",
    "compare": "Compare result files (pbench's or hyperfine's --export-json).",
    "suite": "Run the benchmarks of a suite file (./benchmarks.toml).",
    "system-check": "Check this machine for what makes timings noisy.",
    "report": "Make a report from result files, compare files and saved runs.",
    "merge": "Merge load results of the same benchmarks, several machines.",
    "history": "Saved runs (--save): list them, or import result files.",
    "trend": "Change points and recent trends of saved runs.",
}

EXIT_CODES_HELP = """\b
Exit codes:
  0    success; no budget broken, no regression
  1    a benchmark failed (non-zero exit without -i, timeout,
       unreachable target, query error), or --save could not save
       (or --baseline could not read the store)
  2    usage or configuration error (bad flag, bad file, bad DSN/URL,
       unknown --baseline REF, a baseline of another machine)
  3    a regression was detected against the baseline (--baseline REF,
       pbench compare)
  4    a budget was broken
  5    inconclusive: too noisy to decide (only where asked)
  130  interrupted (Ctrl-C); partial results were written
"""


class PbenchGroup(click.Group):
    """A group whose subcommands load lazily and whose default subcommand is ``run``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(SUBCOMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The listing from SHORT_HELP: importing every subcommand to ask it would
        # triple the time `pbench --help` takes.
        with formatter.section("Commands"):
            formatter.write_dl([(name, SHORT_HELP[name]) for name in SUBCOMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        command = getattr(module, attr)
        assert isinstance(command, click.Command)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        # Anything that is not a known subcommand is a command to benchmark.
        if args and args[0] not in SUBCOMMANDS:
            run = self.get_command(ctx, "run")
            assert run is not None
            return "run", run, args
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `pbench -w 3 'sleep 1'`: options before the command belong to `run`.
        if args and args[0].startswith("-") and args[0] not in ("--help", "-h", "--version", "-V"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(
    cls=PbenchGroup,
    invoke_without_command=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXIT_CODES_HELP,
)
@click.version_option(__version__, "-V", "--version", prog_name="pbench")
def main_group() -> None:
    """Benchmark shell commands, HTTP endpoints and SQL queries.

    \b
    pbench 'sleep 0.1' 'sleep 0.2'          compare two commands
    pbench --warmup 3 'grep -r foo .' 'rg foo'
    pbench http http://127.0.0.1:8000/api    time an endpoint
    pbench sql 'SELECT 1'                    time a query (SQLite in memory)
    pbench compare base.json new.json        gate CI on a regression
    pbench run --baseline main ./app         ... against a saved run (--save-baseline)
    pbench suite --tier quick                run ./benchmarks.toml's quick tier
    pbench system-check                      is this machine fit to measure?
    pbench report results.json -o pr.md      a Markdown report for a PR comment
    pbench history                           runs saved with --save, with trends
    pbench trend                             change points in the saved runs
    pbench merge m1.json m2.json -o all.json  load runs of several machines, combined
    """


def top_help_text() -> str:
    """``pbench --help`` as click renders it on a terminal 80 or more columns wide
    (what :mod:`pbench._top_help` holds for the entry point's fast path)."""
    # The group's own context settings (its -h): a bare Context would render only
    # --help, unless an earlier context had made click cache the group's help option.
    settings = {**main_group.context_settings, "terminal_width": 80}
    ctx = click.Context(main_group, info_name="pbench", **settings)
    return main_group.get_help(ctx) + "\n"


def run_cli(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit status (never raises SystemExit)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        # In non-standalone mode click returns what the subcommand returned: its
        # exit status.
        status = main_group.main(args=args, prog_name="pbench", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("pbench: interrupted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return 2 if isinstance(exc, click.UsageError) else exc.exit_code
    return status if isinstance(status, int) else 0
