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
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pbench.cli.common import guarded, resolve_display
from pbench.cli.options import (
    budget_option,
    display_options,
    export_options,
    export_specs,
    notify_options,
    start_at_option,
    store_options,
)
from pbench.cli.output import ECHO, command_name
from pbench.cli.suite_plan import plan_all
from pbench.errors import ExitCode
from pbench.plan.options import ReportFlags
from pbench.session import suite as planned_suite
from pbench.session.load import wait_for_start
from pbench.session.publish import Session
from pbench.session.suite_show import dry_run, listing
from pbench.stats.settings import DEFAULT_ALPHA, DEFAULT_THRESHOLD

if TYPE_CHECKING:
    from pbench.plan.store import StoreFlags
    from pbench.plan.suite.read import Suite
    from pbench.stats.budget import Budget

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

    path = Path(options["file"])
    selected = read_suite_file(
        path, tier=options["tier"], tags=options["tags"], pattern=options["pattern"]
    )
    display = resolve_display(options["style"])
    if options["list_only"]:
        click.echo(listing(selected))
        return int(ExitCode.OK)
    specs = [planned_suite.absolute(spec) for spec in export_specs(options)]
    extra = _cli_budgets(options["budgets"])
    saving = options["save"] or bool(options["save_baseline"])
    store = planned_suite.saved_to(options["store"], saving, selected, path)
    history = _history(options, selected)
    history_store = store or (
        planned_suite.address(options["store"], selected, path) if history.baseline else None
    )
    from pbench.plan.values import parse_start_at

    start_at = parse_start_at(options["start_at"])
    with _folder(path.parent):
        planned = plan_all(selected)
        if options["dry_run"]:
            click.echo(dry_run(selected, planned))
            return int(ExitCode.OK)
        report = _report_flags(options, planned_suite.webhooks(options["notify"], selected))
        session = Session(
            specs,
            display,
            report,
            None,
            store=store,
            history=history,
            history_store=history_store,
            output=ECHO,
            command=command_name(),
        )
        session.metadata["suite"] = {
            "file": str(path),
            "tier": selected.selection.tier,
            "tags": list(selected.selection.tags),
            "pattern": selected.selection.pattern,
        }
        if store is not None:
            session.metadata["fitness"] = planned_suite.fitness()
        wait_for_start(start_at, display.quiet, ECHO)
        return planned_suite.measure_all(session, planned, extra)


def _history(options: dict[str, Any], selected: Suite) -> StoreFlags:
    """The history flags; the file's [history] baseline is the default --baseline."""
    from pbench.cli.common import flags_from
    from pbench.plan.store import StoreFlags

    flags = flags_from(StoreFlags, options)
    if flags.baseline is None and selected.history.baseline is not None:
        flags = replace(flags, baseline=selected.history.baseline)
    return flags


def _cli_budgets(texts: Sequence[str]) -> tuple[Budget, ...]:
    from pbench.plan.budgets import budgets_from_options

    return budgets_from_options(texts)


def _report_flags(options: dict[str, Any], notify: tuple[str, ...]) -> ReportFlags:
    """The invocation's report settings; each benchmark's alpha, threshold, seed and
    ignore_failure come from the file."""
    return ReportFlags(
        time_unit=options["time_unit"],
        sort=options["sort"],
        alpha=DEFAULT_ALPHA,
        threshold=DEFAULT_THRESHOLD,
        seed=None,
        ignore_failure=False,
        notify=notify,
        notify_timeout=options["notify_timeout"],
    )


@contextlib.contextmanager
def _folder(folder: Path) -> Iterator[None]:
    """Run inside the suite file's folder (its relative paths are relative to it)."""
    previous = os.getcwd()
    os.chdir(folder if str(folder) else ".")
    try:
        yield
    finally:
        os.chdir(previous)
