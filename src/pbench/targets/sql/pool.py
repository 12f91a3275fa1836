"""The pool behind ``pbench sql -c/-d/--rate``: one thread and one connection per client.

Client 0 runs on the benchmarks' own sessions (the connection their setup SQL ran
on; for PostgreSQL in interleaved order one connection shared by all of them, see
:mod:`pbench.plan.sql`); every further client opens one session per benchmark
through :meth:`SqlTarget.client`, PostgreSQL ones sharing one connection per client.
The threads are :class:`pbench.load.threads.ThreadPool`'s. A blocking query cannot be
abandoned: at a hard time limit no new query is sent and the ones running finish
(``--timeout`` cancels them on the server).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pbench.load.schedule import LoadPlan
from pbench.load.threads import ThreadPool
from pbench.targets.sql.target import SqlTarget

BOTTLENECK_HINT = (
    "pbench's Python client work per query may be what limits the rate; "
    "fewer rows per query or fewer clients tell the two apart"
)


class SqlPool(ThreadPool):
    """A :class:`pbench.load.threads.ThreadPool` of SQL clients; every client beyond the
    first has one connection of its own, which PostgreSQL sessions share."""

    def __init__(self, targets: Sequence[SqlTarget], plan: LoadPlan) -> None:
        from pbench.targets.sql.postgres import SharedConnection

        super().__init__(targets, plan, share=SharedConnection)


def sql_section(load: dict[str, Any]) -> dict[str, Any]:
    """Per-query figures of a load run: queries per second and bytes per query."""
    succeeded = load["succeeded"]
    return {
        "queries": load["requests"],
        "queries_per_s": load["throughput"]["requests_per_s"],
        "bytes_per_query": load["bytes_received"] / succeeded if succeeded else None,
        "errors": load["errors"],
    }
