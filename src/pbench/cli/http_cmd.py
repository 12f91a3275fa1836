"""``pbench http [OPTIONS] URL...``: load HTTP endpoints, one benchmark per URL."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from pbench.cli.common import DURATION, guarded, resolve_display
from pbench.cli.options import (
    comparison_options,
    display_options,
    export_options,
    ignore_failure_option,
    load_precision,
    order_option,
    precision_options,
    runs_or_duration,
    slice_option,
)
from pbench.cli.session import (
    Session,
    error_kinds,
    export_specs,
    finish_load,
    loading_line,
    slice_plan,
)
from pbench.errors import BenchmarkFailed, UsageError, shorten
from pbench.models import BenchmarkResult

DEFAULT_DURATION_S = 10.0
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
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Connections (each with one request in flight).",
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
    help=f"Measure for this long (default {DEFAULT_DURATION_S:g}s without -r).",
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
@precision_options
@comparison_options
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
    display = resolve_display(options["style"])
    specs = request_specs(options)
    precision = load_precision(options)
    plan = load_plan(options, DEFAULT_DURATION_S, precision)
    names = _names(options["names"], [spec.display() for spec in specs])
    reference = options["reference"]
    if reference is not None and reference not in names:
        raise UsageError(
            f"--reference {reference!r} names no benchmark", f"use one of: {', '.join(names)}"
        )
    exports = export_specs(
        options["export_json"],
        options["export_csv"],
        options["export_markdown"],
        options["exports"],
    )
    session = Session(exports, display, options, options["reference"])
    slices = slice_plan(options, plan, precision)
    return _execute(list(zip(names, specs, strict=True)), slices, session)


def _names(given: Sequence[str], displays: Sequence[str]) -> list[str]:
    if len(given) > len(displays):
        raise UsageError(
            f"{len(given)} names (-n) for {len(displays)} URLs", "give at most one -n per URL"
        )
    names = list(given) + list(displays[len(given) :])
    if len(set(names)) != len(names):
        raise UsageError("two benchmarks have the same name", "name them apart with -n")
    return names


def _execute(benchmarks: Sequence[tuple[str, Any]], plan: Any, session: Session) -> int:
    from pbench.load.runner import LoadBenchmark, LoadRunner
    from pbench.targets.http.pool import HttpPool

    pool = HttpPool([spec for _, spec in benchmarks], plan.load)
    runner = LoadRunner(
        pool,
        [LoadBenchmark(name, spec.display(), spec.info()) for name, spec in benchmarks],
        plan,
        bottleneck_hint="run with more --workers, or fewer connections per worker",
    )
    if session.display.progress:
        click.echo(loading_line(len(benchmarks), plan), err=True)
    return finish_load(runner, session, "requests", _all_failed)


def _all_failed(name: str, result: BenchmarkResult) -> BenchmarkFailed:
    load = result.sections["load"]
    errors: dict[str, int] = load["errors"]
    if not errors:
        return BenchmarkFailed(
            f"no request to {name!r} finished in time ({load['unfinished']} still in flight"
            " were abandoned when time was up)",
            "the server accepted connections but did not answer: check it, or raise -d",
        )
    kinds = error_kinds(load, result.info)
    main = max(errors, key=lambda kind: errors[kind])
    detail = f" ({'; '.join(result.notes[:1])})" if main == "dns" and result.notes else ""
    return BenchmarkFailed(
        f"every request to {shorten(name)!r} failed ({kinds}){detail}",
        HINTS.get(main, "see the errors by kind above"),
    )


def read_body(text: str | None) -> bytes:
    """``--body TEXT`` or ``--body @FILE``."""
    if text is None:
        return b""
    if not text.startswith("@"):
        return text.encode()
    path = Path(text[1:])
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(
            f"--body: cannot read {str(path)!r}: {exc.strerror}", "give a readable file after @"
        ) from None


def request_specs(options: dict[str, Any]) -> list[Any]:
    """One spec per URL; UsageError (exit 2) for a bad URL, header, status or body."""
    from pbench.targets.http.spec import HttpRequestSpec, parse_expect_status, parse_header

    headers = tuple(parse_header(h) for h in options["headers"])
    expect = parse_expect_status(options["expect_status"])
    body = read_body(options["body"])
    method = options["method"].upper()
    return [
        HttpRequestSpec(
            url=url,
            method=method,
            headers=headers,
            body=body,
            timeout_s=options["timeout"],
            keepalive=not options["no_keepalive"],
            insecure=options["insecure"],
            expect_status=expect,
        )
        for url in options["urls"]
    ]


def load_plan(options: dict[str, Any], default_duration_s: float, precision: Any = None) -> Any:
    from pbench.load.runner import DEFAULT_PRECISION_BUDGET_S
    from pbench.load.schedule import LoadPlan

    runs, duration = options["runs"], options["duration"]
    runs_or_duration(runs, duration, "requests")
    if precision is not None:
        duration = precision.max_time_s or DEFAULT_PRECISION_BUDGET_S
    elif runs is None and duration is None:
        duration = default_duration_s
    workers, concurrency = options["workers"], options["concurrency"]
    if workers > concurrency:
        raise UsageError(
            f"--workers {workers} needs at least as many connections (-c {concurrency})",
            f"use -c {workers} or more",
        )
    return LoadPlan(
        concurrency=concurrency,
        runs=runs,
        duration_s=duration,
        rate=options["rate"],
        warmup=options["warmup"],
        workers=workers,
        timeout_s=options["timeout"],
        sample_cap=options["keep_samples"],
        seed=options["seed"] or 0,
    )
