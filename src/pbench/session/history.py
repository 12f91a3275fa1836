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
    and ``host`` for files whose metadata does not say. A file already imported (the
    same bytes: its SHA-256 is saved with its run) is skipped with a note, unless
    ``request.allow_duplicate``. Every file is read and checked before anything is
    saved. The exit status."""
    from pbench.history.backends import open_store
    from pbench.history.importing import Given, file_digest, import_record
    from pbench.results.read import read_results
    from pbench.session.stores import named

    address = named(request.store)
    records = []
    for path in request.files:
        found = read_results(path, "imported", request.input_format)
        modified = datetime.fromtimestamp(Path(path).stat().st_mtime, UTC)
        given = Given(modified, request.when, request.commit, request.branch, request.host)
        try:  # its sections are redacted and stored as JSON, both recursive
            record, notes = import_record(found, given, file_digest(path))
            _stored_form(record)
        except RecursionError:
            raise UsageError(
                f"imported file {path} is malformed: nested too deep to be a result file",
                hint="pass a file written by 'pbench --export-json' or 'hyperfine --export-json'",
            ) from None
        for note in notes:
            output.echo(f"pbench: note: {note}", err=True)
        records.append((path, record))
    ids: list[int] = []
    count = skipped = 0
    with open_store(address) as store:
        seen: dict[str, str] = {}  # digest -> the file of this import that had it
        for path, record in records:
            digest = record.source_digest
            assert digest is not None
            before = None if request.allow_duplicate else _already(store, digest, seen)
            if before is not None:
                output.echo(
                    f"pbench: note: {path}: skipped, already imported ({before}); "
                    "--allow-duplicate imports it again",
                    err=True,
                )
                skipped += 1
                continue
            seen.setdefault(digest, path)
            ids.append(store.save(record))
            count += len(record.results)
    runs = f"{len(ids)} run{'s' * (len(ids) != 1)}"
    first = f" (#{ids[0]}{f'-#{ids[-1]}' if len(ids) > 1 else ''})" if ids else ""
    left = f"; skipped {skipped} file{'s' * (skipped != 1)} already imported" if skipped else ""
    output.echo(f"imported {runs}{first}, {count} benchmark results, into {address.shown}{left}")
    return int(ExitCode.OK)


def _stored_form(record: Any) -> None:
    """What the store writes of ``record``'s nested parts, made once so that a part
    too deep to write fails here (a RecursionError), before anything is saved."""
    import json

    for result in record.results:
        json.dumps([result.settings, result.samples.sections, list(result.budgets)])


def _already(store: Any, digest: str, seen: dict[str, str]) -> str | None:
    """Where a file of this ``digest`` was imported before (a saved run, or a file
    earlier in this import), or None."""
    if digest in seen:
        return f"the same content as {seen[digest]}"
    run = store.imported(digest)
    if run is None:
        return None
    return f"run #{run.id} of {run.time:%Y-%m-%d %H:%M:%S} UTC, the same content"
