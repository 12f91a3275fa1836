"""Several clients, a duration or a rate: a SQL query under load.

Each client is a thread with its own connection (:meth:`SqlTarget.client`), driven by
the shared blocking-client driver :func:`pbench.load.threads.run_threads`; latency
is measured per query (from its scheduled start in open loop) and folded into the
shared histogram, so percentiles cover every query, not a sample. The benchmark's
setup and teardown SQL run once, on the benchmark's own connection, around the load.
"""

from __future__ import annotations

import threading
from typing import Any

from pbench.load.schedule import LoadPlan
from pbench.models import BenchmarkResult, BenchmarkSpec
from pbench.targets.sql import SqlTarget

BOTTLENECK_HINT = (
    "pbench's Python client work per query may be what limits the rate; "
    "fewer rows per query or fewer clients tell the two apart"
)


def run_load(
    spec: BenchmarkSpec, plan: LoadPlan, stop: threading.Event | None = None
) -> BenchmarkResult:
    """Open the target, run its setup, put it under ``plan``, run its teardown, close."""
    from pbench.load.result import to_benchmark_result
    from pbench.load.threads import run_threads

    target = spec.target
    assert isinstance(target, SqlTarget)
    target.open()
    try:
        if spec.hooks.setup is not None:
            spec.hooks.setup(None)
        try:
            run = run_threads(lambda _: target.client(), plan, stop)
        finally:
            if spec.hooks.cleanup is not None:
                spec.hooks.cleanup(None)
    finally:
        target.close()
    result = to_benchmark_result(
        run, plan, spec.name, spec.command, spec.info, spec.parameters, BOTTLENECK_HINT
    )
    result.sections["sql"] = sql_section(result.sections["load"])
    return result


def sql_section(load: dict[str, Any]) -> dict[str, Any]:
    """Per-query figures of a load run: queries per second and bytes per query."""
    succeeded = load["succeeded"]
    return {
        "queries": load["requests"],
        "queries_per_s": load["throughput"]["requests_per_s"],
        "bytes_per_query": load["bytes_received"] / succeeded if succeeded else None,
        "errors": load["errors"],
    }
