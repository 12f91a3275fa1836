"""``pbench suite`` below click: the typed flags of one invocation
(:class:`SuiteInvocation`), where a suite's run is saved and which webhooks it calls
(the flags, else the file's ``[history]`` table), and the measuring of its benchmarks
in file order into one :class:`~pbench.session.publish.Session`.

A front end builds the :class:`SuiteInvocation` once, resolves it against the suite
it read (:meth:`SuiteInvocation.resolve`: every flag checked before anything is
planned) and hands the plans to :meth:`SuiteRun.measure`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pbench.errors import ExitCode, UsageError, worst
from pbench.session.measure import measure_levels

if TYPE_CHECKING:
    from pbench.export import ExportSpec
    from pbench.history.store import StoreAddress
    from pbench.models import RunPlan, RunResults
    from pbench.plan.harness import HarnessPlan
    from pbench.plan.http import HttpPlan
    from pbench.plan.options import ReportFlags
    from pbench.plan.run_load import CommandLoadPlan
    from pbench.plan.sql import SqlPlan
    from pbench.plan.store import StoreFlags
    from pbench.plan.suite.read import Suite, SuiteBenchmark
    from pbench.session.output import Display, Output
    from pbench.session.publish import Session
    from pbench.stats.budget import Budget


@dataclass(frozen=True)
class Planned:
    """One selected benchmark and its kind's plan, or one plan per level of a
    concurrency sweep (``concurrency = "1,2,4"``: a scaling table instead of comparisons)."""

    benchmark: SuiteBenchmark
    levels: dict[int, RunPlan | CommandLoadPlan | SqlPlan | HttpPlan | HarnessPlan]
    reference: str | None
    notes: tuple[str, ...]

    @property
    def plan(self) -> RunPlan | CommandLoadPlan | SqlPlan | HttpPlan | HarnessPlan:
        return next(iter(self.levels.values()))

    @property
    def sweep(self) -> bool:
        return len(self.levels) > 1

    @property
    def compared(self) -> bool:
        """Whether its results are compared with each other: variants of one benchmark
        are; a sweep's levels (a scaling table instead) and the unrelated benchmarks a
        harness reports are not."""
        return not self.sweep and self.benchmark.harness is None


@dataclass(frozen=True, kw_only=True)
class SuiteInvocation:
    """What one ``pbench suite`` run publishes with, typed: the suite ``file``, the
    report settings (``--budget`` texts, ``--notify``; the comparisons' come from each
    benchmark), the store flags, the exports (checked), the display, ``--start-at``
    (text) and the name it was invoked with."""

    file: Path
    report: ReportFlags
    history: StoreFlags
    exports: Sequence[ExportSpec]
    display: Display
    output: Output
    start_at: str | None = None
    command: str = "suite"

    def resolve(self, selected: Suite) -> SuiteRun:
        """These flags against the suite ``selected`` read from :attr:`file`: the
        budgets, the store it is saved to, the baseline (the file's ``[history]
        baseline`` unless ``--baseline``) and its store, and ``--start-at``, each
        checked (exit 2) before anything is planned; the exports' paths made absolute
        (the benchmarks run from the file's folder)."""
        from pbench.plan.budgets import budgets_from_options
        from pbench.plan.values import parse_start_at

        extra = budgets_from_options(self.report.budgets)
        store = saved_to(self.history.store, self.history.saving, selected, self.file)
        history = self.history
        if history.baseline is None and selected.history.baseline is not None:
            history = replace(history, baseline=selected.history.baseline)
        history_store = store or (
            address(history.store, selected, self.file) if history.baseline else None
        )
        return SuiteRun(
            invocation=replace(self, exports=[absolute(spec) for spec in self.exports]),
            selected=selected,
            budgets=extra,
            store=store,
            history=history,
            history_store=history_store,
            start_at=parse_start_at(self.start_at),
        )


@dataclass(frozen=True, kw_only=True)
class SuiteRun:
    """A :class:`SuiteInvocation` resolved against its suite: ready to measure."""

    invocation: SuiteInvocation
    selected: Suite
    budgets: tuple[Budget, ...]
    store: StoreAddress | None
    history: StoreFlags
    history_store: StoreAddress | None
    start_at: float | None

    def session(self) -> Session:
        """The one session every benchmark is measured into: the file's [history]
        notify unless --notify, the suite's metadata, and the machine fitness check
        when the run is saved."""
        from pbench.session.publish import Session

        flags, selection = self.invocation, self.selected.selection
        report = replace(flags.report, notify=webhooks(flags.report.notify, self.selected))
        session = Session(
            flags.exports,
            flags.display,
            report,
            None,
            store=self.store,
            history=self.history,
            history_store=self.history_store,
            output=flags.output,
            command=flags.command,
        )
        session.metadata["suite"] = {
            "file": str(flags.file),
            "tier": selection.tier,
            "tags": list(selection.tags),
            "pattern": selection.pattern,
        }
        if self.store is not None:
            session.metadata["fitness"] = fitness()
        return session

    def measure(self, planned: Sequence[Planned]) -> int:
        """Wait for ``--start-at``, measure ``planned`` in file order and publish; the
        exit status."""
        from pbench.session.load import wait_for_start

        session = self.session()
        wait_for_start(self.start_at, session.display.quiet, session.output)
        return measure_all(session, planned, self.budgets)


def webhooks(given: tuple[str, ...], selected: Suite) -> tuple[str, ...]:
    """--notify, else the file's [history] notify (each URL checked: exit 2)."""
    if given or not selected.history.notify:
        return given
    from pbench.session.exports import check_webhooks

    try:
        return check_webhooks(selected.history.notify)
    except UsageError as exc:
        message = exc.message.replace("--notify", f"{selected.file}: [history] notify", 1)
        raise UsageError(message, exc.hint) from None


def fitness() -> dict[str, Any]:
    """The machine fitness check, before anything is measured (the suite's own load
    would count against it afterwards); saved with the run (about 0.5 s)."""
    from pbench.system.fitness import fitness

    return fitness().as_dict()


def saved_to(store: str | None, saving: bool, selected: Suite, path: Path) -> StoreAddress | None:
    """Where the run is saved (see :func:`address`); saved with --save, --store,
    --save-baseline (``saving``) or the file's save = true (None: not saved)."""
    if not (saving or store is not None or selected.history.save):
        return None
    return address(store, selected, path)


def address(store: str | None, selected: Suite, path: Path) -> StoreAddress:
    """The store: --store, else the file's [history] store (relative to the file's
    folder), else $PBENCH_STORE or the default."""
    from pbench.session.stores import named

    history = selected.history
    if store is not None:
        return named(store)
    if history.store is not None:
        return named(history.store, path.parent.absolute(), "[history] store")
    return named(None)


def absolute(spec: ExportSpec) -> ExportSpec:
    """An export path as given from where pbench started (the run changes folder)."""
    if spec.to_stdout:
        return spec
    return replace(spec, path=os.path.abspath(spec.path))


def measure_all(session: Session, planned: Sequence[Planned], extra: Sequence[Budget]) -> int:
    """Measure the benchmarks in file order (a failed one does not stop the others;
    Ctrl-C does), then one report, the exports and the exit status."""
    from pbench.plan.budgets import merge_budgets
    from pbench.run.results import build_results, combine

    output = session.output

    quiet = session.display.quiet
    status = ExitCode.OK
    failures = []
    parts: list[tuple[str, RunResults]] = []
    any_budgets = bool(extra) or any(item.benchmark.budgets for item in planned)
    for index, item in enumerate(planned, start=1):
        benchmark = item.benchmark
        heading = f"[{index}/{len(planned)}] {benchmark.name} ({benchmark.shown_kind})"
        if not quiet:
            output.echo(heading, err=True)
            for note in item.notes:
                output.echo(f"pbench: note: {note}", err=True)
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
                    compare=part_status == ExitCode.OK and item.compared,
                    alpha=report.alpha,
                    threshold=report.threshold,
                    seed=report.seed,
                    budgets={r.name: budgets for r in results} if any_budgets else None,
                    recommend=item.benchmark.harness is None,  # advice names pbench's flags
                    scaling=item.sweep,
                    relative=item.benchmark.harness is None,
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
