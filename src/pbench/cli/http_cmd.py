"""``pbench http [OPTIONS] URL...``: load HTTP endpoints, one benchmark per URL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from pbench.cli.common import (
    DURATION,
    LEVELS,
    concurrency_levels,
    flags_from,
    guarded,
    resolve_display,
)
from pbench.cli.options import (
    budget_option,
    comparison_options,
    display_options,
    export_options,
    export_specs,
    ignore_failure_option,
    notify_options,
    order_option,
    precision_options,
    slice_option,
    start_at_option,
    store_options,
)
from pbench.cli.output import ECHO, command_name
from pbench.errors import BenchmarkFailed, shorten
from pbench.models import BenchmarkResult, Hooks
from pbench.plan.options import HttpFlags, ReportFlags
from pbench.plan.rules import DEFAULT_LOAD_DURATION_S
from pbench.plan.store import StoreFlags
from pbench.session.invocation import session_for
from pbench.session.load import measure_load
from pbench.session.publish import Measured, Session

if TYPE_CHECKING:
    from pbench.plan.http import HttpPlan

HINTS = {
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

    display = resolve_display(options["style"])
    levels = concurrency_levels(options["concurrency"])
    plans = {
        level: plan_from_options(flags_from(HttpFlags, {**options, "concurrency": level}))
        for level in levels
    }
    plan = plans[levels[0]]
    exports = export_specs(options)
    report = flags_from(ReportFlags, options)
    history = flags_from(StoreFlags, options)
    from pbench.session.sweep import finish_levels

    return finish_levels(
        plans,
        lambda reference: session_for(
            report, history, exports, display, "http", reference, ECHO, command_name()
        ),
        plan.reference,
        lambda level_plan, session: measure_http(level_plan, session, report.ignore_failure),
        "requests",
    )


def measure_http(http_plan: HttpPlan, session: Session, ignore_failure: bool) -> Measured:
    """Load the plan's URLs (their --setup first, their --cleanup after)."""
    from pbench.run.load import LoadBenchmark, LoadRunner
    from pbench.targets.http.pool import HttpPool

    benchmarks, plan = http_plan.benchmarks, http_plan.slices
    hooks = http_plan.hooks or tuple(Hooks() for _ in benchmarks)
    pool = HttpPool([spec for _, spec in benchmarks], plan.load)
    runner = LoadRunner(
        pool,
        [
            LoadBenchmark(name, spec.display(), spec.info(), hooks=hook)
            for (name, spec), hook in zip(benchmarks, hooks, strict=True)
        ],
        plan,
        bottleneck_hint="run with more --workers, or fewer connections per worker",
    )
    return measure_load(runner, session, "requests", _all_failed, ignore_failure)


def _all_failed(name: str, result: BenchmarkResult) -> BenchmarkFailed:
    load = result.sections["load"]
    errors: dict[str, int] = load["errors"]
    if not errors:
        return BenchmarkFailed(
            f"no request to {name!r} finished in time ({load['unfinished']} still in flight"
            " were abandoned when time was up)",
            "the server accepted connections but did not answer: check it, or raise -d",
        )
    from pbench.run.session import error_kinds

    kinds = error_kinds(load, result.info)
    main = max(errors, key=lambda kind: errors[kind])
    detail = f" ({'; '.join(result.notes[:1])})" if main == "dns" and result.notes else ""
    return BenchmarkFailed(
        f"every request to {shorten(name)!r} failed ({kinds}){detail}",
        HINTS.get(main, "see the errors by kind above"),
    )
