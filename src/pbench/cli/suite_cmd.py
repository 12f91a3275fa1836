"""``pbench suite [FILE]``: run the benchmarks a suite file (``benchmarks.toml``) lists.

Each ``[[benchmark]]`` is planned by its kind's own planner (exactly as its subcommand
would plan the same options), measured in file order into one session (one report,
one set of exports rewritten after each benchmark), and compared only with its own
variants. Commands, hooks and relative paths in the file run from the file's folder;
export paths are taken from where pbench was started.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from pbench.cli.common import flags_from, guarded
from pbench.cli.options import (
    budget_option,
    display_options,
    export_options,
    notify_options,
    start_at_option,
    store_options,
    suite_invocation_from,
)
from pbench.errors import ExitCode
from pbench.plan.options import SuiteFlags
from pbench.session.suite_plan import plan_all
from pbench.session.suite_show import dry_run, listing

EPILOG = """\b
Examples:
  pbench suite                       every benchmark of ./benchmarks.toml
  pbench suite --tier quick          the quick tier (30 s per benchmark at most)
  pbench suite --tag db -k select    benchmarks tagged db whose name has "select"
  pbench suite --list                what would run, with the settings in effect
  pbench suite ci/bench.toml --export-junit junit.xml --export-json results.json

\b
Exit codes:
  0    every benchmark ran; no error-level budget broken
  1    a benchmark failed (the others still ran), or the history store
       could not be saved to or read for --baseline (after the report and
       the exports)
  2    malformed suite file, unknown tier, bad option (every problem listed),
       unknown --baseline REF or a baseline of another machine
  3    a benchmark regressed against --baseline (after every export)
  4    an error-level budget was broken (after every benchmark ran and every
       export was written)
  130  interrupted (Ctrl-C): what finished was reported and exported
"""


@click.command("suite", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("file", required=False, default="benchmarks.toml", metavar="[FILE]")
@click.option(
    "--tier",
    default=None,
    metavar="NAME",
    help="Run this tier: quick, full, load, or one the file defines ([tier.NAME]).",
)
@click.option(
    "--tag", "tags", multiple=True, metavar="TAG", help="Only benchmarks with this tag; repeatable."
)
@click.option(
    "-k",
    "pattern",
    default=None,
    metavar="PATTERN",
    help="Only benchmarks whose name contains PATTERN (or matches it as a glob).",
)
@click.option(
    "--list", "list_only", is_flag=True, help="Print what would run, with its settings, and exit."
)
@click.option(
    "--dry-run", is_flag=True, help="Check the file and plan every benchmark; measure nothing."
)
@budget_option
@display_options
@export_options
@notify_options
@store_options
@start_at_option
@guarded
def suite(**options: Any) -> int:
    """Run the benchmarks of a suite file (default: ./benchmarks.toml).

    A suite lists benchmarks of every kind (commands, HTTP endpoints, SQL queries)
    with the options of their subcommands, tiers (quick, full, load), tags and budgets;
    see the README's "Suites" section for the format.
    """
    from pbench.cli.suite_keys import read_suite_file

    flags = flags_from(SuiteFlags, options)
    path = Path(flags.file)
    selected = read_suite_file(path, tier=flags.tier, tags=flags.tags, pattern=flags.pattern)
    if flags.list_only:
        click.echo(listing(selected))
        return int(ExitCode.OK)
    run = suite_invocation_from(options, flags).resolve(selected)
    with _folder(path.parent):
        planned = plan_all(selected)
        if flags.dry_run:
            click.echo(dry_run(selected, planned))
            return int(ExitCode.OK)
        return run.measure(planned)


@contextlib.contextmanager
def _folder(folder: Path) -> Iterator[None]:
    """Run inside the suite file's folder (its relative paths are relative to it)."""
    previous = os.getcwd()
    os.chdir(folder if str(folder) else ".")
    try:
        yield
    finally:
        os.chdir(previous)
