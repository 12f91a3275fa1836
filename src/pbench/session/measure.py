"""Measuring plans: one :func:`measure` for every kind of plan, one :func:`measure_levels`
for one level or a concurrency sweep, and :func:`finish` for a whole invocation.

What varies by kind is the plan's own: its ``measured_as`` names how it is measured
(``commands`` run by run, a ``command load`` run, ``sql`` queries run by run or as a
load run, ``http`` requests as a load run), and its ``noun`` says what a sweep's
throughput counts ("runs", "requests", "queries"). The plan modules are imported only
by the commands that make such plans: ``pbench run`` never loads the SQL or HTTP code.

A concurrency sweep (``-j 1,2,4,8`` for ``pbench run``, ``-c 1,2,4,8`` for ``http``
and ``sql``, ``concurrency = "1,2,4"`` in a suite) measures one load run per level,
each as long as a single one would be, and ends with a scaling table
(:mod:`pbench.run.scaling`). Each level is planned and measured on its own (its own
pool of N clients); its results are named ``NAME (c=N)`` with
``parameters["concurrency"] = "N"``, so that exports and reports see one benchmark per
level. Exports are rewritten after each level. A level that fails, or Ctrl-C, ends
the sweep: the levels measured so far are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from pbench.errors import BenchmarkFailed, ExitCode, shorten
from pbench.models import BenchmarkResult, Hooks
from pbench.session.load import live_view, measure_load
from pbench.session.publish import Measured, Session

if TYPE_CHECKING:
    from pbench.models import RunPlan
    from pbench.plan.harness import HarnessPlan
    from pbench.plan.http import HttpPlan
    from pbench.plan.run_load import CommandLoadPlan
    from pbench.plan.sql import SqlPlan


class Plan(Protocol):
    """What every plan says of itself: how it is measured, what a sweep of it counts."""

    @property
    def measured_as(self) -> str: ...

    @property
    def noun(self) -> str: ...


def measure(plan: Plan, session: Session, ignore_failure: bool = False) -> Measured:
    """Measure ``plan`` with the session's progress and checkpoints: its results, the
    status so far and what failed. ``ignore_failure`` (``-i`` of ``http`` and ``sql``)
    keeps failed requests or queries from failing the benchmark; a command plan
    carries its own."""
    return MEASURES[plan.measured_as](plan, session, ignore_failure)


def _commands(plan: RunPlan, session: Session, ignore_failure: bool) -> Measured:
    """Commands, run by run; each result gets its process tree section."""
    from pbench.targets.command.sampler import add_process_tree_section

    results, status, failure = session.run(plan, finished=add_process_tree_section)
    for result in results:  # the ones not finished (cut short, failed, interrupted)
        if "process_tree" not in result.sections:
            add_process_tree_section(result)
    return results, status, failure


def _command_load(plan: CommandLoadPlan, session: Session, ignore_failure: bool) -> Measured:
    """Commands as a load run (``-j``, ``-d``, ``--rate``)."""
    from pbench.session.command_load import measure_command_load

    return measure_command_load(plan, session)


def _sql(plan: SqlPlan, session: Session, ignore_failure: bool) -> Measured:
    """Queries, run by run or as a load run; each result gets its ``sql`` section."""
    if plan.load is not None:
        return _sql_load(plan, session, ignore_failure)
    from pbench.targets.sql.target import add_sql_section

    results, status, failure = session.run(
        plan.run, finished=lambda result: add_sql_section(result)
    )
    for result in results:
        if "sql" not in result.sections and result.measurements:
            add_sql_section(result)
    return results, status, failure


def _sql_load(plan: SqlPlan, session: Session, ignore_failure: bool) -> Measured:
    from pbench.run.load import LoadBenchmark, LoadRunner
    from pbench.targets.sql.pool import BOTTLENECK_HINT, SqlPool, sql_section
    from pbench.targets.sql.target import SqlTarget

    specs = plan.run.benchmarks
    load, slices = plan.load, plan.slices
    assert load is not None and slices is not None  # a load run has both
    targets = [spec.target for spec in specs if isinstance(spec.target, SqlTarget)]
    assert len(targets) == len(specs)  # the SQL plan makes SQL targets only
    pool = SqlPool(targets, load)
    benchmarks = [
        LoadBenchmark(spec.name, spec.command, spec.info, spec.parameters, spec.hooks)
        for spec in specs
    ]
    runner = LoadRunner(pool, benchmarks, slices, bottleneck_hint=BOTTLENECK_HINT)
    return measure_load(runner, session, "queries", ignore_failure=ignore_failure,
                        sections=sql_section)  # fmt: skip


def _http(plan: HttpPlan, session: Session, ignore_failure: bool) -> Measured:
    """URLs as a load run (their --setup first, their --cleanup after)."""
    from pbench.run.load import LoadBenchmark, LoadRunner
    from pbench.targets.http.pool import HttpPool

    benchmarks, slices = plan.benchmarks, plan.slices
    hooks = plan.hooks or tuple(Hooks() for _ in benchmarks)
    pool = HttpPool([spec for _, spec in benchmarks], slices.load)
    runner = LoadRunner(
        pool,
        [
            LoadBenchmark(name, spec.display(), spec.info(), hooks=hook)
            for (name, spec), hook in zip(benchmarks, hooks, strict=True)
        ],
        slices,
        bottleneck_hint="run with more --workers, or fewer connections per worker",
    )
    return measure_load(runner, session, "requests", _no_request_answered, ignore_failure,
                        gauge="connections")  # fmt: skip


def _harness(plan: HarnessPlan, session: Session, ignore_failure: bool) -> Measured:
    """Another harness run once and its results read (:mod:`pbench.run.harness`)."""
    from pbench.run.harness import run_harness

    return session.run_work(lambda: run_harness(plan.entry, plan.harness, plan.command))


HTTP_HINTS = {
    "dns": "check the host name in the URL",
    "refused": "is the server running and listening on that host and port?",
    "connect": "check that the host is reachable on the loopback or local network",
    "tls": "check the certificate, or pass --insecure for a self-signed one",
    "timeout": "the server did not answer in time: raise --timeout or check the server",
    "reset": "the server reset the connections: check its logs",
    "closed": "the server closed connections without answering: check its logs",
    "protocol": "the server did not answer with HTTP/1.x",
    "status": "the answers had unexpected status codes: see --expect-status",
}


def _no_request_answered(name: str, result: BenchmarkResult) -> BenchmarkFailed:
    """An HTTP benchmark of which no request succeeded: why, by its errors' kinds."""
    load = result.sections["load"]
    errors: dict[str, int] = load["errors"]
    if not errors:
        return BenchmarkFailed(
            f"no request to {name!r} finished in time ({load['unfinished']} still in flight"
            " were abandoned when time was up)",
            "the server accepted connections but did not answer: check it, or raise -d",
        )
    from pbench.run.results import error_kinds

    kinds = error_kinds(load, result.info)
    main = max(errors, key=lambda kind: errors[kind])
    detail = f" ({'; '.join(result.notes[:1])})" if main == "dns" and result.notes else ""
    return BenchmarkFailed(
        f"every request to {shorten(name)!r} failed ({kinds}){detail}",
        HTTP_HINTS.get(main, "see the errors by kind above"),
    )


# How each kind of plan is measured, by its ``measured_as``.
MEASURES: dict[str, Callable[[Any, Session, bool], Measured]] = {
    "commands": _commands,
    "command load": _command_load,
    "sql": _sql,
    "http": _http,
    "harness": _harness,
}


def measure_levels(
    plans: Mapping[int, Plan], session: Session, ignore_failure: bool = False
) -> Measured:
    """One plan measured, or a sweep: every level in turn, results labelled by level."""
    levels = list(plans)
    # No live view where the commands write on the terminal (--show-output).
    shown = getattr(getattr(plans[levels[0]], "options", None), "output", None) == "inherit"
    live = None if shown else live_view(session)
    if live is not None:  # a suite's earlier benchmark may have been a sweep
        live.sweep(levels if len(levels) > 1 else ())
    if len(levels) == 1:
        return measure(plans[levels[0]], session, ignore_failure)
    from pbench.run.scaling import label_level

    session.sweep = plans[levels[0]].noun
    done: list[BenchmarkResult] = []
    for index, level in enumerate(levels, start=1):
        if live is not None:
            live.level(level)  # its header says which level
        elif not session.display.quiet:
            session.output.echo(f"Concurrency {level} ({index} of {len(levels)})", err=True)
        results, status, failure = measure(plans[level], session, ignore_failure)
        for result in results:
            label_level(result, level)
        done += results
        session.checkpoint(done)
        if status != ExitCode.OK:
            return done, status, failure
    return done, ExitCode.OK, None


def finish(
    plans: Mapping[int, Plan],
    session_for: Callable[[str | None], Session],
    reference: str | None,
    ignore_failure: bool = False,
) -> int:
    """A whole invocation: one plan measured and finished (compared with
    ``reference``), or a sweep of several levels (no reference: its scaling table
    instead); the exit status."""
    session = session_for(reference if len(plans) == 1 else None)
    return session.finish(*measure_levels(plans, session, ignore_failure))
