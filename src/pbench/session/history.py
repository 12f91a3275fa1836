"""``pbench history``'s work below the CLI: saved runs listed (a table for people, CSV
or JSON) and result files imported into the store, printing through the
:class:`~pbench.session.output.Output`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pbench.errors import ExitCode, UsageError
from pbench.session.output import Output

if TYPE_CHECKING:
    from pbench.plan.history import HistoryImport, HistoryQuery


def list_history(query: HistoryQuery, output: Output) -> int:
    """List the saved runs ``query`` selects from the store it names (None: the
    default); the exit status."""
    from pbench.history.listing import listing
    from pbench.session.stores import reading

    with reading(query.store) as (store, address):
        machines = None
        if query.machine is not None:
            machines = [m.fingerprint for m in store.machines(query.machine)]
            if not machines:
                raise UsageError(
                    f"--machine: no machine {query.machine!r} in {address.shown}",
                    "give a fingerprint (or its first digits) or a host name that saved runs",
                )
        names = query.names or tuple(store.benchmarks())
        listings = [
            listing(
                name,
                store.series(
                    name, machine=machines, branch=query.branch, since=query.since,
                    limit=query.limit,
                ),
            )
            for name in names
        ]  # fmt: skip
    _show(listings, query.format, address.shown, output)
    return int(ExitCode.OK)


def _show(listings: list[Any], fmt: str, store: str, output: Output) -> None:
    if fmt == "csv":
        from pbench.export.history import history_csv

        output.echo(history_csv(listings), nl=False)
    elif fmt == "json":
        from pbench.export.history import history_json

        output.echo(history_json(listings, store), nl=False)
    elif any(found.rows for found in listings):
        from pbench.report.history import render_history

        output.echo(render_history(listings))
    else:
        output.echo(f"pbench: no saved runs match in {store}", err=True)


def import_results(request: HistoryImport, output: Output) -> int:
    """Import each result file of ``request`` (read as its ``input_format``, or the
    format its content shows) as one saved run; its ``when``, ``commit``, ``branch``
    and ``host`` for files whose metadata does not say. The exit status."""
    from pbench.history.backends import open_store
    from pbench.history.importing import Given, import_record
    from pbench.results.read import read_results
    from pbench.session.stores import named

    address = named(request.store)
    records = []
    for path in request.files:
        found = read_results(path, "imported", request.input_format)
        modified = datetime.fromtimestamp(Path(path).stat().st_mtime, UTC)
        given = Given(modified, request.when, request.commit, request.branch, request.host)
        record, notes = import_record(found, given)
        for note in notes:
            output.echo(f"pbench: note: {note}", err=True)
        records.append(record)
    with open_store(address) as store:
        ids = [store.save(record) for record in records]
    count = sum(len(record.results) for record in records)
    runs = f"{len(ids)} run{'s' * (len(ids) != 1)}"
    first = f" (#{ids[0]}{f'-#{ids[-1]}' if len(ids) > 1 else ''})"
    output.echo(f"imported {runs}{first}, {count} benchmark results, into {address.shown}")
    return int(ExitCode.OK)
