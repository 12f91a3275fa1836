"""``pbench compare --baseline REF FILE``: result files compared with a stored run.

Which ``--baseline`` values are files: a value that exists, has a path separator, ends
in ``.json`` or is a glob pattern is a result file, exactly as before stored runs
existed, so every command line that worked keeps its meaning. Any other value (``main``,
``latest``, ``branch:dev``, ``commit:1a2b3c4``) names a stored run of the history store
(``--store``, else ``$PBENCH_STORE``, else the default; see
:mod:`pbench.history.refs`). ``--baseline-ref REF`` always names a stored run, for
scripts that must not depend on which files happen to exist where they run.

The candidate files' machine is their metadata's (CPU, cores, memory, kernel, Python,
pbench) on this host (result files leave the host out): ``latest``, ``branch:`` and
``commit:`` search that machine's runs, and a run of another machine is refused
unless ``--any-machine``.
"""

from __future__ import annotations

import glob
from pathlib import Path

import click

from pbench.errors import UsageError
from pbench.results.read import Side


def is_file_value(value: str) -> bool:
    """Whether a ``--baseline`` value is a result file (see the module docstring)."""
    return (
        Path(value).exists()
        or "/" in value
        or (Path(value).suffix.lower() == ".json")
        or glob.has_magic(value)
    )


def stored_ref(baselines: tuple[str, ...], baseline_ref: str | None) -> str | None:
    """The stored run's REF (None: the baselines are files); mixing is refused."""
    refs = [value for value in baselines if not is_file_value(value)]
    if baseline_ref is not None:
        refs.append(baseline_ref)
    if not refs:
        return None
    given = [*baselines, *([] if baseline_ref is None else [baseline_ref])]
    if len(given) > 1:
        raise UsageError(
            "a stored run is compared on its own: give one --baseline REF (or --baseline-ref "
            f"REF), without other --baseline values (got {', '.join(given)})",
            "compare with one stored run, or with result files (--baseline FILE, repeatable)",
        )
    return refs[0]


def stored_side(ref_text: str, store: str | None, any_machine: bool, candidate: Side) -> Side:
    """The stored run ``ref_text`` names, as the baseline side; the warning line when it
    is of another machine (only with ``any_machine``)."""
    from pbench.history.backends import open_store
    from pbench.history.baseline import stored_side as read_stored
    from pbench.history.fingerprint import machine_from, this_host
    from pbench.history.refs import describe, find_run, parse_ref
    from pbench.plan.store import store_address
    from pbench.session.baseline import missing_store

    ref = parse_ref(ref_text)
    address = store_address(store)
    missing_store(address, ref.text)
    here = machine_from(candidate.files[0].metadata, this_host())
    with open_store(address, create=False) as opened:
        found = find_run(opened, ref, here, any_machine)
        side = read_stored(opened, found)
    if found.other_machine:
        click.echo(
            f"pbench: warning: --any-machine: {found.label} was measured on "
            f"{describe(found.machine)}, {candidate.path} on {describe(here)}: a difference "
            "may be the machines', not the code's",
            err=True,
        )
    return side
