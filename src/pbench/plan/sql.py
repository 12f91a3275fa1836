"""Turning ``pbench sql`` options into frozen plans, once; nothing past here sees click."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pbench.errors import UsageError
from pbench.load.schedule import LoadPlan
from pbench.models import BenchmarkSpec, Hooks, RunPlan
from pbench.plan.options import SqlFlags
from pbench.plan.parameters import combinations, substitute
from pbench.plan.rules import (
    DEFAULT_LOAD_DURATION_S,
    check_unique,
    load_duration,
    load_precision,
    per_benchmark,
    run_counts,
    runs_or_duration,
)
from pbench.plan.rules import parameters as parameters_of
from pbench.plan.rules import precision as precision_of_flags
from pbench.plan.values import parse_start_at
from pbench.run.load import SlicePlan
from pbench.targets.sql.base import SqlOptions, SqlQuery, read_sql
from pbench.targets.sql.dsn import Dsn, PostgresDsn, parse_dsn
from pbench.targets.sql.postgres import SharedConnection
from pbench.targets.sql.target import SqlScript, make_target


@dataclass(frozen=True)
class SqlPlan:
    """The benchmarks, how to run them (``load`` set: concurrent clients in slices), the
    reference, and a notice for the user when the order had to change."""

    run: RunPlan
    load: LoadPlan | None
    reference: str | None
    slices: SlicePlan | None = None
    notice: str | None = None

    @property
    def measured_as(self) -> str:
        """How pbench.session.measure measures it."""
        return "sql"

    @property
    def noun(self) -> str:
        """What a sweep's throughput counts."""
        return "queries"


def plan_levels(flags: SqlFlags, levels: Sequence[int]) -> dict[int, SqlPlan]:
    """The plan of each level of ``--clients`` (one, or a sweep), each checked before
    the first is measured. A sweep is a load run at every level, 1 client included: as
    long as one load run of several clients would be by default (see
    :func:`check_sweep`)."""
    if len(levels) > 1 and flags.runs is None and flags.precision is None:
        flags = replace(flags, duration=flags.duration or DEFAULT_LOAD_DURATION_S)
    return {level: plan_from_options(replace(flags, clients=level)) for level in levels}


def check_sweep(plans: Mapping[int, SqlPlan]) -> None:
    """A sweep of ``--clients`` whose 1-client level would measure ordinary runs (-r or
    --precision without -d/--rate): UsageError (exit 2)."""
    if len(plans) > 1 and any(p.load is None for p in plans.values()):
        raise UsageError(
            "a sweep of --clients is a load run at every level, but at 1 client -r or "
            "--precision without -d/--rate measures ordinary runs",
            "give -d/--duration (e.g. -c 1,2,4 -d 5s) or --rate",
        )


def plan_from_options(options: SqlFlags) -> SqlPlan:
    dsn = parse_dsn(options.dsn)
    queries = [read_sql(q, "QUERY") for q in options.queries]
    for raw, text in zip(options.queries, queries, strict=True):
        if not text.strip():
            raise UsageError(f"the query {raw!r} is empty", "give a statement such as 'SELECT 1'")
    names = list(options.names)
    if len(names) > len(queries):
        raise UsageError(
            f"{len(names)} --name given for {len(queries)} queries",
            "give at most one -n per query, in the same order",
        )
    scripts = {
        flag: _per_query(getattr(options, key), len(queries), flag)
        for key, flag in (
            ("setups", "--setup-sql"),
            ("prepares", "--prepare-sql"),
            ("teardowns", "--teardown-sql"),
        )
    }
    load = _load_plan(options)
    sql_options = _sql_options(options, dsn, load, any(scripts["--prepare-sql"]))

    def build(shared: object | None) -> list[BenchmarkSpec]:
        return [
            spec
            for index, query in enumerate(queries)
            for spec in _query_specs(
                dsn, query, names[index] if index < len(names) else None,
                {flag: per[index] for flag, per in scripts.items()},
                parameters_of(options), sql_options, load, shared,
            )
        ]  # fmt: skip

    order = options.order
    share = isinstance(dsn, PostgresDsn) and not sql_options.connect_each and order != "sequential"
    specs = build(SharedConnection() if share else None)
    notice = None
    if order == "interleaved" and len(specs) > 1 and _hooks_differ(specs):
        order = "sequential"
        notice = (
            "the queries have different --setup-sql/--teardown-sql, which interleaved rounds "
            "cannot honour: running them one after another (--order sequential)"
        )
        specs = build(None)  # and each on its own connection: setups change sessions
    check_unique([s.name for s in specs])
    reference = options.reference
    if reference is not None:
        match = next((s for s in specs if reference in (s.name, s.command)), None)
        if match is None:
            raise UsageError(
                f"--reference {reference!r} names none of the queries",
                "give the -n name or the exact text of one of the queries",
            )
        reference = match.name
    min_runs, max_runs, min_time = _run_counts(options, load)
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**32)
    adaptive = precision_of_flags(options) if load is None else None
    run = RunPlan(
        benchmarks=specs,
        warmup=options.warmup,
        min_runs=min_runs,
        max_runs=max_runs,
        min_time_s=min_time,
        order=order,
        seed=seed,
        precision=adaptive,
        slice_s=options.slice_s,
    )
    slices = None
    if load is not None:
        slices = SlicePlan(
            load=load,
            slice_s=options.slice_s,
            order=order,
            precision=load_precision(options),
            seed=seed,
            start_at=parse_start_at(options.start_at),
        )
    return SqlPlan(run=run, load=load, reference=reference, slices=slices, notice=notice)


def _hooks_differ(specs: list[BenchmarkSpec]) -> bool:
    def text(hook: object) -> str | None:
        return getattr(hook, "sql", None)

    return len({(text(s.hooks.setup), text(s.hooks.cleanup)) for s in specs}) > 1


def _query_specs(
    dsn: Dsn,
    query: str,
    name_template: str | None,
    scripts: dict[str, str | None],
    parameters: list[Any],
    sql_options: SqlOptions,
    load: LoadPlan | None,
    shared: object | None = None,
) -> list[BenchmarkSpec]:
    """One benchmark per parameter combination of one query, with its SQL hooks."""
    specs: list[BenchmarkSpec] = []
    for values in combinations(parameters) if parameters else [{}]:
        shown = substitute(query, values)
        name = substitute(name_template, values) if name_template is not None else shown
        target = make_target(
            dsn,
            SqlQuery(query, values),
            sql_options,
            create_missing=scripts["--setup-sql"] is not None,
            shared=shared,
        )

        def hook(flag: str) -> SqlScript | None:
            sql = scripts[flag]
            if sql is None:
                return None
            return SqlScript(target, substitute(sql, values), flag)  # noqa: B023 - called now

        hooks = Hooks(
            setup=hook("--setup-sql"),
            prepare=hook("--prepare-sql"),
            cleanup=hook("--teardown-sql"),
        )
        info = {
            "type": "sql",
            "backend": dsn.scheme,
            "db": dsn.redacted(),
            "query": query,
            "bind_parameters": sorted(values),
            **sql_options.describe(),
        }
        if load is not None:
            info["clients"] = load.concurrency
        specs.append(BenchmarkSpec(name, shown, target, hooks, values, info))
    return specs


def _sql_options(
    options: SqlFlags, dsn: Dsn, load: LoadPlan | None, has_prepare: bool
) -> SqlOptions:
    loops = options.loops
    if has_prepare or load is not None:
        why = (
            "--prepare-sql runs before every query"
            if has_prepare
            else "a load run times each query"
        )
        if loops is not None and loops > 1:
            raise UsageError(f"--loops {loops} cannot batch queries: {why}", "leave --loops out")
        loops = 1
    if loops is None and isinstance(dsn, PostgresDsn):
        loops = 1  # a round trip dwarfs the timing overhead; keep per-query latencies
    return SqlOptions(
        connect_each=options.connect_each,
        prepared=options.prepared,
        transaction=options.transaction,
        expect_rows=options.expect_rows,
        timeout_s=options.timeout,
        loops=loops,
    )


def _load_plan(options: SqlFlags) -> LoadPlan | None:
    clients, duration, rate = options.clients, options.duration, options.rate
    if clients == 1 and duration is None and rate is None:
        return None
    for key, flag in (("min_runs", "--min-runs"), ("max_runs", "--max-runs")):
        if getattr(options, key) is not None:
            raise UsageError(
                f"{flag} does not apply to a load run (--clients, --duration, --rate)",
                "use -r/--runs N for a number of queries, or -d/--duration",
            )
    if any(options.prepares):
        raise UsageError(
            "--prepare-sql cannot be combined with --clients, --duration or --rate",
            "a load run sends queries back to back; put the preparation in --setup-sql",
        )
    runs = options.runs
    runs_or_duration(runs, duration, "queries")
    duration = load_duration(runs, duration, load_precision(options), options.max_time)
    return LoadPlan(
        concurrency=clients,
        runs=runs,
        duration_s=duration,
        rate=rate,
        warmup=options.warmup,
        timeout_s=options.timeout or 30.0,
        seed=options.seed or 0,
    )


def _run_counts(options: SqlFlags, load: LoadPlan | None) -> tuple[int, int | None, float]:
    if load is not None:
        return 1, options.runs, 0.0  # unused: the load plan decides
    return run_counts(options)


def _per_query(values: tuple[str, ...], count: int, flag: str) -> list[str | None]:
    texts = tuple(read_sql(v, flag) for v in values)
    return per_benchmark(texts, count, flag)
