"""``pbench http [OPTIONS] URL...``: load HTTP endpoints, one benchmark per URL."""

from __future__ import annotations

from dataclasses import replace
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
    precision_options,
    slice_option,
    start_at_option,
    store_options,
)
from pbench.plan.options import HttpFlags
from pbench.plan.rules import DEFAULT_LOAD_DURATION_S
from pbench.plan.values import concurrency_levels
from pbench.session.measure import finish

if TYPE_CHECKING:
    pass


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("urls", nargs=-1, required=True)
@click.option(
    "-n",
    "--command-name",
    "names",
    multiple=True,
    metavar="NAME",
    help="Name a benchmark (once per URL, in order).",
)
@click.option(
    "--setup",
    "setups",
    multiple=True,
    metavar="CMD",
    help="Shell command run once before the load (once, or once per URL), e.g. to start "
    "the server; it must return (start a server in the background).",
)
@click.option(
    "--cleanup",
    "cleanups",
    multiple=True,
    metavar="CMD",
    help="Shell command run once after the load (once, or once per URL), also after a "
    "failure or Ctrl-C.",
)
@click.option("-X", "--method", default="GET", show_default=True, help="HTTP method.")
@click.option(
    "-H", "--header", "headers", multiple=True, metavar="'NAME: VALUE'", help="Repeatable."
)
@click.option("--body", default=None, metavar="TEXT|@FILE", help="Request body.")
@click.option(
    "--timeout",
    type=DURATION,
    default="30s",
    show_default=True,
    help="Per request; a request without a full answer by then counts as a timeout.",
)
@click.option("--no-keepalive", is_flag=True, help="A new connection for every request.")
@click.option("--insecure", is_flag=True, help="Do not verify TLS certificates.")
@click.option(
    "--expect-status",
    multiple=True,
    metavar="CODES",
    help="Accepted statuses, e.g. 200,204 or 3xx (default 2xx); others count as errors.",
)
@click.option(
    "-w",
    "--warmup",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Unrecorded requests before measuring.",
)
@click.option(
    "-c",
    "--concurrency",
    type=LEVELS,
    default=1,
    show_default=True,
    help="Connections (each with one request in flight); 1,2,4,8 sweeps the levels (one "
    "load run each) and ends with a scaling table.",
)
@click.option(
    "-r",
    "--runs",
    "--requests",
    "runs",
    type=click.IntRange(min=1),
    default=None,
    help="Measure this many requests (one run = one request).",
)
@click.option(
    "-d",
    "--duration",
    type=DURATION,
    default=None,
    help=f"Measure for this long (default {DEFAULT_LOAD_DURATION_S:g}s without -r).",
)
@click.option(
    "--rate",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Open loop: requests per second on one global schedule; latency counts from "
    "each request's scheduled start (late requests are queued and charged, never skipped).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Client processes (to use more than one core).",
)
@click.option(
    "--keep-samples",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Raw latencies kept per benchmark for the exports (all feed the histogram).",
)
@display_options
@export_options
@ignore_failure_option
@click.option("--reference", default=None, metavar="NAME", help="Compare every URL with this one.")
@click.option("--seed", type=int, default=None, help="Seed of sampling and comparisons.")
@order_option
@slice_option
@start_at_option
@precision_options
@comparison_options
@budget_option
@notify_options
@store_options
@guarded
def http(**options: Any) -> int:
    """Load HTTP endpoints with an in-process HTTP/1.1 client; compare them.

    \b
    pbench http http://127.0.0.1:8000/api -c 10 -d 10s
    pbench http -r 10000 http://127.0.0.1:8000/a http://127.0.0.1:8000/b
    pbench http --rate 2000 -c 50 -d 30s http://127.0.0.1:8000/api

    Several URLs share the same connections: each gets short slices of the load
    (--slice) in random rounds, so that the machine's changes over the run hit all of
    them alike; each slice's median latency is one observation of the comparison.
    """
    from pbench.plan.http import plan_from_options

    levels = concurrency_levels(options["concurrency"])
    flags = flags_from(HttpFlags, options, concurrency=levels[0])
    plans = {level: plan_from_options(replace(flags, concurrency=level)) for level in levels}
    invocation = invocation_from("http", options)
    return finish(
        plans, invocation.session, plans[levels[0]].reference, invocation.report.ignore_failure
    )
