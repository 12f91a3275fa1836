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

from pbench.errors import UsageError


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
