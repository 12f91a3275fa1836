"""``pbench sql [OPTIONS] QUERY...``: time SQL queries on SQLite or PostgreSQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from pbench.cli.common import (
    DURATION,
    LEVELS,
    flags_from,
    guarded,
)
from pbench.cli.options import (
    budget_option,
    comparison_options,
    display_options,
    export_options,
    ignore_failure_option,
    invocation_from,
    notify_options,
    order_option,
    parameter_options,
    precision_options,
    run_count_options,
    slice_option,
    start_at_option,
    store_options,
)
from pbench.plan.options import SqlFlags
from pbench.plan.values import concurrency_levels
from pbench.session.measure import finish

if TYPE_CHECKING:
    pass


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
    "--command-name",
    "names",
    multiple=True,
    metavar="NAME",
    help="Name a query (once per query, in order); {VAR} placeholders allowed.",
)
@run_count_options("one run = one execution of the query")
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
@parameter_options("{VAR} in queries becomes a bind value")
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
    type=LEVELS,
    default=1,
    show_default=True,
    help="Concurrent connections: a load run (latency per query, queries/s, errors by kind; "
    "any failed query exits 1); 1,2,4,8 sweeps the levels (one load run each) and ends "
    "with a scaling table.",
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
@display_options
@export_options
@ignore_failure_option
@click.option(
    "--reference",
    default=None,
    metavar="NAME",
    help="Compare every query with this one (a name or a query).",
)
@click.option("--seed", type=int, default=None, help="Seed of the run order.")
@order_option
@slice_option
@start_at_option
@precision_options
@comparison_options
@budget_option
@notify_options
@store_options
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
    from pbench.plan.sql import check_sweep, plan_levels

    invocation = invocation_from("sql", options)
    levels = concurrency_levels(options["clients"])
    plans = plan_levels(flags_from(SqlFlags, options, clients=levels[0]), levels)
    plan = plans[levels[0]]
    if plan.notice is not None and not invocation.display.quiet:
        click.echo(f"pbench: {plan.notice}", err=True)
    check_sweep(plans)
    return finish(plans, invocation.session, plan.reference, invocation.report.ignore_failure)
