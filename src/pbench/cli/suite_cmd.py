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
from pbench.cli.suite_plan import Planned, plan_all
from pbench.cli.suite_show import dry_run, listing
from pbench.errors import ExitCode, UsageError, worst
from pbench.plan.options import ReportFlags
from pbench.session.load import wait_for_start
from pbench.session.measure import measure_levels
from pbench.session.publish import Session
from pbench.stats.settings import DEFAULT_ALPHA, DEFAULT_THRESHOLD

if TYPE_CHECKING:
    from pbench.export import ExportSpec
    from pbench.history.store import StoreAddress
    from pbench.models import RunResults
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
    specs = [_absolute(spec) for spec in _specs(options)]
    extra = _cli_budgets(options["budgets"])
    store = _store(options, selected, path)
    history = _history(options, selected)
    history_store = store or (_address(options, selected, path) if history.baseline else None)
    from pbench.plan.values import parse_start_at

    start_at = parse_start_at(options["start_at"])
    with _folder(path.parent):
        planned = plan_all(selected)
        if options["dry_run"]:
            click.echo(dry_run(selected, planned))
            return int(ExitCode.OK)
        report = _report_flags(options, _webhooks(options["notify"], selected))
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
            session.metadata["fitness"] = _fitness()
        wait_for_start(start_at, display.quiet, ECHO)
        return _measure_all(session, planned, extra)


def _webhooks(given: tuple[str, ...], selected: Suite) -> tuple[str, ...]:
    """--notify, else the file's [history] notify (each URL checked: exit 2)."""
    if given or not selected.history.notify:
        return given
    from pbench.notify.send import check_url

    try:
        return tuple(check_url(url) for url in selected.history.notify)
    except UsageError as exc:
        message = exc.message.replace("--notify", f"{selected.file}: [history] notify", 1)
        raise UsageError(message, exc.hint) from None


def _fitness() -> dict[str, Any]:
    """The machine fitness check, before anything is measured (the suite's own load
    would count against it afterwards); saved with the run (about 0.5 s)."""
    from pbench.system.fitness import fitness

    return fitness().as_dict()


def _specs(options: dict[str, Any]) -> list[ExportSpec]:
    return export_specs(options)


def _store(options: dict[str, Any], selected: Suite, path: Path) -> StoreAddress | None:
    """Where the run is saved (see :func:`_address`); saved with --save, --store,
    --save-baseline or the file's save = true (None: not saved)."""
    saving = options["save"] or options["store"] is not None or options["save_baseline"]
    if not (saving or selected.history.save):
        return None
    return _address(options, selected, path)


def _history(options: dict[str, Any], selected: Suite) -> StoreFlags:
    """The history flags; the file's [history] baseline is the default --baseline."""
    from pbench.cli.common import flags_from
    from pbench.plan.store import StoreFlags

    flags = flags_from(StoreFlags, options)
    if flags.baseline is None and selected.history.baseline is not None:
        flags = replace(flags, baseline=selected.history.baseline)
    return flags


def _address(options: dict[str, Any], selected: Suite, path: Path) -> StoreAddress:
    """The store: --store, else the file's [history] store (relative to the file's
    folder), else $PBENCH_STORE or the default."""
    from pbench.plan.store import store_address

    history = selected.history
    if options["store"] is not None:
        return store_address(options["store"])
    if history.store is not None:
        return store_address(history.store, cwd=path.parent.absolute(), option="[history] store")
    return store_address(None)


def _absolute(spec: ExportSpec) -> ExportSpec:
    """An export path as given from where pbench started (the run changes folder)."""
    if spec.to_stdout:
        return spec
    return replace(spec, path=os.path.abspath(spec.path))


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


def _measure_all(session: Session, planned: Sequence[Planned], extra: Sequence[Budget]) -> int:
    """Measure the benchmarks in file order (a failed one does not stop the others;
    Ctrl-C does), then one report, the exports and the exit status."""
    from pbench.plan.budgets import merge_budgets
    from pbench.run.results import build_results, combine

    quiet = session.display.quiet
    status = ExitCode.OK
    failures = []
    parts: list[tuple[str, RunResults]] = []
    any_budgets = bool(extra) or any(item.benchmark.budgets for item in planned)
    for index, item in enumerate(planned, start=1):
        benchmark = item.benchmark
        heading = f"[{index}/{len(planned)}] {benchmark.name} ({benchmark.kind})"
        if not quiet:
            click.echo(heading, err=True)
            for note in item.notes:
                click.echo(f"pbench: note: {note}", err=True)
        results, part_status, failure = measure_levels(
            item.levels, session, benchmark.report.ignore_failure
        )
        for result in results:
            result.info = {**result.info, "suite_benchmark": benchmark.name}
        session.earlier += results
        budgets = merge_budgets(benchmark.budgets, extra)
        report = benchmark.report
        parts.append(
            (
                heading.split("] ", 1)[1],
                build_results(
                    results,
                    session.metadata,
                    reference=item.reference,
                    time_unit=session.options.time_unit,
                    compare=part_status == ExitCode.OK and not item.sweep,
                    alpha=report.alpha,
                    threshold=report.threshold,
                    seed=report.seed,
                    budgets={r.name: budgets for r in results} if any_budgets else None,
                    recommend=True,
                    scaling=item.sweep,
                ),
            )
        )
        status = worst(status, part_status)
        if failure is not None:
            failures.append(failure)
        if part_status == ExitCode.INTERRUPTED:
            break
    run_results = combine([part for _, part in parts], session.metadata)
    return session.publish(run_results, status, failures, parts)
