"""``pbench trend``'s work below the CLI: the change points, recent slope and newest
run's verdict of each benchmark's saved runs, per machine (:mod:`pbench.history.trend`),
shown as a table or JSON, and the news posted to the --notify webhooks
(:mod:`pbench.notify.changes`), printing through the
:class:`~pbench.session.output.Output`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pbench.errors import ExitCode, UsageError
from pbench.session.output import Output

if TYPE_CHECKING:
    from pbench.history.records import Machine
    from pbench.history.store import Store
    from pbench.history.trend import Trend
    from pbench.plan.history import TrendQuery


def report_trends(query: TrendQuery, output: Output) -> int:
    """The trends ``query`` asks for in the store it names (None: the default), shown,
    and sent with --notify; the exit status (0 whatever is found)."""
    from pbench.history.trend import read_trends
    from pbench.session.stores import reading

    with reading(query.store) as (store, address):
        machines = machines_matching(store, query.machine, address.shown)
        names = benchmark_names(store, query.names, address.shown)
        trends = read_trends(
            store, names, machines, branch=query.branch, since=query.since, last=query.last,
            alpha=query.alpha, bands=query.bands, slope_runs=query.slope_runs,
        )  # fmt: skip
    _show(trends, query, address.shown, output)
    if query.notify:
        _send(trends, query, output)
    return int(ExitCode.OK)


def machines_matching(store: Store, match: str | None, shown: str) -> list[Machine]:
    """The machines ``--machine`` names (all without it); exit 2 for none."""
    machines = store.machines(match)
    if match is not None and not machines:
        raise UsageError(
            f"--machine: no machine {match!r} in {shown}",
            "give a fingerprint (or its first digits) or a host name that saved runs",
        )
    return machines


def benchmark_names(store: Store, names: tuple[str, ...], shown: str) -> list[str]:
    """``names`` (every saved benchmark without any); exit 2 for one not saved, with
    what is."""
    saved = store.benchmarks()
    unknown = [name for name in names if name not in set(saved)]
    if unknown:
        from difflib import get_close_matches

        more = f" (and {len(saved) - 10} more)" if len(saved) > 10 else ""
        listed = ", ".join(saved[:10]) + more
        close = [m for name in unknown for m in get_close_matches(name, saved, n=1)]
        hint = f"did you mean {close[0]!r}? " if close else ""
        which = ", ".join(repr(name) for name in unknown)
        raise UsageError(
            f"no benchmark {which} in {shown}",
            hint + (f"saved: {listed}" if saved else "the store holds no saved run yet"),
        )
    return list(names) or saved


def _show(trends: list[Trend], query: TrendQuery, store: str, output: Output) -> None:
    if query.format == "json":
        from pbench.export.trend import trends_json

        output.echo(
            trends_json(trends, store, query.alpha, query.bands, query.notify_within), nl=False
        )
    elif trends:
        from pbench.report.trend import render_trends

        output.echo(render_trends(trends))
    else:
        output.echo(f"pbench: no saved runs match in {store}", err=True)


def _send(trends: list[Trend], query: TrendQuery, output: Output) -> None:
    """POST the news to the --notify webhooks; a failure is a warning, never the exit
    status."""
    from pbench.notify.changes import trend_events, trend_metadata
    from pbench.notify.send import notify

    events = trend_events(trends, query.notify_within)
    try:
        deliveries = notify(query.notify, events, trend_metadata(trends), query.notify_timeout)
    except KeyboardInterrupt:
        output.echo("pbench: warning: notification interrupted", err=True)
        return
    for delivery in deliveries:
        if delivery.delivered:
            count = f"{len(events)} event{'s' * (len(events) != 1)}"
            output.echo(f"pbench: {count} sent to {delivery.url}", err=True)
        else:
            output.echo(f"pbench: warning: {delivery.warning()}", err=True)
