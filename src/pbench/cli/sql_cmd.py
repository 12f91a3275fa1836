"""``pbench sql [OPTIONS] QUERY...``: time SQL queries on SQLite or PostgreSQL."""

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
    ignore_failure_option,
    load_failure,
    render_report,
    resolve_display,
    write_all,
)
from pbench.errors import BenchmarkFailed, ExitCode
from pbench.models import BenchmarkResult


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("queries", nargs=-1, required=True)
@click.option(
    "--db",
    "dsn",
    default="sqlite:///:memory:",
    show_default=True,
    metavar="DSN",
    help="sqlite:///rel.db, sqlite:////abs.db, sqlite:///:memory:, or "
    "postgresql://user:password@host:port/dbname.",
)
@click.option(
    "-n",
    "--name",
    "names",
    multiple=True,
    metavar="NAME",
    help="Name a query (once per query, in order); {VAR} placeholders allowed.",
)
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
    "-M", "--max-runs", type=click.IntRange(min=1), default=None, help="Measure at most NUM runs."
)
@click.option(
    "-r",
    "--runs",
    type=click.IntRange(min=1),
    default=None,
    help="Measure exactly NUM runs (one run = one execution of the query).",
)
@click.option(
    "--min-time",
    type=DURATION,
    default="3s",
    show_default=True,
    help="Keep measuring until this much time was spent in runs.",
)
@click.option(
    "--setup-sql",
    "setups",
    multiple=True,
    metavar="SQL",
    help="SQL (or @file.sql) run once before a query's runs (once, or once per query).",
)
@click.option(
    "--prepare-sql",
    "prepares",
    multiple=True,
    metavar="SQL",
    help="SQL run before every run, untimed (disables batching).",
)
@click.option(
    "--teardown-sql",
    "teardowns",
    multiple=True,
    metavar="SQL",
    help="SQL run once after a query's runs.",
)
@click.option(
    "-P",
    "--parameter-scan",
    "scans",
    multiple=True,
    nargs=3,
    metavar="VAR MIN MAX",
    help="Bind {VAR} to each value from MIN to MAX (one benchmark per value).",
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
    help="Bind {VAR} to each of the comma-separated VALUES; repeatable.",
)
@click.option(
    "--expect-rows",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Fail unless every execution returns N rows.",
)
@click.option(
    "--timeout",
    type=DURATION,
    default=None,
    help="Cancel a query (on the server) after this long; counts as a failure.",
)
@click.option(
    "--connect-each", is_flag=True, help="Open a new connection for every run, inside the timing."
)
@click.option(
    "--prepared",
    is_flag=True,
    help="Prepared statements for every run (default: simple execution).",
)
@click.option(
    "--transaction",
    is_flag=True,
    help="Run each execution in its own transaction (default: autocommit).",
)
@click.option(
    "--loops",
    type=click.IntRange(min=1),
    default=None,
    help="Queries per timed batch (default: calibrated for SQLite, 1 for PostgreSQL).",
)
@click.option(
    "-c",
    "--clients",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Concurrent connections: a load run (latency per query, queries/s, errors by kind; "
    "any failed query exits 1).",
)
@click.option(
    "-d",
    "--duration",
    type=DURATION,
    default=None,
    help="Load run for this long instead of -r runs (default 10s with -c/--rate).",
)
@click.option(
    "--rate",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Open loop: queries per second, latency counted from the scheduled start.",
)
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
    help="Unit of times in the output.",
)
@export_options
@ignore_failure_option
@click.option(
    "--reference",
    default=None,
    metavar="NAME",
    help="Compare every query with this one (a name or a query).",
)
@click.option("--seed", type=int, default=None, help="Seed of the run order.")
@click.option(
    "--order",
    type=click.Choice(["interleaved", "sequential"]),
    default="interleaved",
    show_default=True,
    help="Interleave queries in random rounds, or one after another.",
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
def sql(**options: Any) -> int:
    """Benchmark SQL queries: SQLite (built in) or PostgreSQL (pip install 'pbench[postgres]').

    Queries are given inline or as @file.sql; {VAR} placeholders of -P/-L become bind
    values. One run is one execution with every row fetched; connecting is not timed
    unless --connect-each. Quick SQLite queries are timed in batches and reported per
    query.

    \b
    pbench sql --db sqlite:///app.db 'SELECT * FROM users WHERE id = 42'
    pbench sql --db postgresql://me:pw@127.0.0.1/app --prepared -r 1000 @q1.sql @q2.sql
    pbench sql --db postgresql://127.0.0.1/app -c 8 -d 10s --rate 2000 @point.sql
    """
    from pbench.cli.sql_plan import plan_from_options

    display = resolve_display(options["style"])
    specs = export_specs(
        options["export_json"],
        options["export_csv"],
        options["export_markdown"],
        options["exports"],
    )
    plan = plan_from_options(options)
    if plan.load is not None:
        return _execute_load(plan, specs, display, options)
    return _execute(plan, specs, display, options)


def _execute(plan: Any, specs: Sequence[Any], display: Any, options: dict[str, Any]) -> int:
    from pbench.metadata import collect_metadata
    from pbench.runner import Runner

    metadata = collect_metadata()
    unit = options["time_unit"]
    bar = ProgressBar(display.progress, unit)

    def finished(result: BenchmarkResult) -> None:
        add_sql_section(result, plan)
        if specs:
            report = build_report(
                runner.results, metadata, reference=plan.reference, time_unit=unit, compare=False
            )
            write_all([s for s in specs if s.path != "-"], report)

    runner = Runner(plan.run, on_progress=bar.update, on_finished=finished)
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
    for result in runner.results:
        if "sql" not in result.sections and result.measurements:
            add_sql_section(result, plan)
    return _finish(runner.results, metadata, status, failure, specs, display, options, plan)


def _execute_load(plan: Any, specs: Sequence[Any], display: Any, options: dict[str, Any]) -> int:
    from pbench.metadata import collect_metadata
    from pbench.targets.sql_load import run_load

    metadata = collect_metadata()
    unit = options["time_unit"]
    results: list[BenchmarkResult] = []
    status = ExitCode.OK
    failure: BenchmarkFailed | None = None
    try:
        for spec in plan.run.benchmarks:
            if not display.quiet and display.progress:
                click.echo(f"Loading {spec.name[:60]!r} ...", err=True)
            result = run_load(spec, plan.load)
            results.append(result)
            if specs:
                report = build_report(
                    results, metadata, reference=plan.reference, time_unit=unit, compare=False
                )
                write_all([s for s in specs if s.path != "-"], report)
            if result.stop_reason == "interrupted":
                status = ExitCode.INTERRUPTED
                break
            failed = load_failure(spec.name, result.sections["load"], "queries")
            if failed is not None and not options["ignore_failure"]:
                failure, status = failed, ExitCode.BENCHMARK_FAILED
                break
    except BenchmarkFailed as exc:
        failure, status = exc, ExitCode.BENCHMARK_FAILED
    except KeyboardInterrupt:
        status = ExitCode.INTERRUPTED
    return _finish(results, metadata, status, failure, specs, display, options, plan)


def _finish(
    results: Sequence[BenchmarkResult],
    metadata: dict[str, Any],
    status: ExitCode,
    failure: BenchmarkFailed | None,
    specs: Sequence[Any],
    display: Any,
    options: dict[str, Any],
    plan: Any,
) -> int:
    report = build_report(
        results,
        metadata,
        reference=plan.reference,
        time_unit=options["time_unit"],
        compare=status == ExitCode.OK,
        alpha=options["alpha"],
        threshold=options["threshold"],
        seed=options["seed"],
    )
    if not display.quiet:
        click.echo(render_report(report, display, options["sort"]))
    write_all(specs, report)
    if failure is not None:
        click.echo(failure.render(), err=True)
    if status == ExitCode.INTERRUPTED:
        where = " and exported" if specs else ""
        click.echo(f"pbench: interrupted; finished runs were kept{where}", err=True)
    return int(status)


def add_sql_section(result: BenchmarkResult, plan: Any) -> None:
    """Rows and bytes per query, and the batch size, into ``result.sections["sql"]``."""
    good = [m for m in result.measurements if not m.failed]
    rows = [m.metrics["rows"] for m in good if "rows" in m.metrics]
    nbytes = [m.metrics["bytes"] for m in good if "bytes" in m.metrics]
    loops = sorted({m.loops for m in result.measurements})
    result.sections["sql"] = {
        "rows_per_query": sum(rows) / len(rows) if rows else None,
        "bytes_per_query": sum(nbytes) / len(nbytes) if nbytes else None,
        "loops": loops[0] if len(loops) == 1 else loops,
        "queries": sum(m.loops for m in result.measurements),
    }
