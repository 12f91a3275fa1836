"""``pbench compare``'s flags, typed (:class:`CompareFlags`), and which result files or
stored run each side is.

Two positional files, or ``--baseline FILE`` and ``--candidate FILE`` each repeated
(a quoted glob is expanded here); ``--match OLD=NEW`` pairs benchmarks of other names.

``pbench compare --baseline REF FILE`` compares result files with a stored run. Which
``--baseline`` values are files: a value that exists, has a path separator, ends
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
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

from pbench.errors import UsageError
from pbench.stats.settings import Settings, settings_with

STORED_HINT = "e.g. pbench compare --baseline main new.json (--store URL for another store)"
SIDES_HINT = (
    "give BASELINE.json CANDIDATE.json, or repeat --baseline FILE and --candidate FILE "
    "(quote a glob, e.g. --baseline 'base-*.json', to let pbench expand it)"
)


@dataclass(frozen=True)
class CompareExports:
    """The export flags of ``pbench compare`` (a path, '-' for stdout, or None)."""

    json: str | None = None
    markdown: str | None = None
    html: str | None = None
    junit: str | None = None
    github_benchmark: str | None = None
    github_benchmark_bigger: str | None = None
    bmf: str | None = None


@dataclass(frozen=True, kw_only=True)
class CompareFlags:
    """``pbench compare``: the files (positional, ``--baseline``, ``--candidate``) or
    the stored run (``--baseline REF``, ``--baseline-ref``, ``--store``,
    ``--any-machine``), ``--match``, the comparison settings, ``--fail-if`` and
    ``--fail-on-inconclusive``, and the export paths."""

    files: tuple[str, ...]
    input_format: str | None
    baselines: tuple[str, ...]
    baseline_ref: str | None
    store: str | None
    any_machine: bool
    candidates: tuple[str, ...]
    matches: tuple[str, ...]
    alpha: float
    threshold: float | None  # None: not given (the measure's default)
    statistic: str
    seed: int
    fail_if: tuple[str, ...]
    fail_on_inconclusive: bool
    export_json: str | None
    export_markdown: str | None
    export_html: str | None
    export_junit: str | None
    export_github_benchmark: str | None
    export_github_benchmark_bigger: str | None
    export_bmf: str | None

    @property
    def settings(self) -> Settings:
        return settings_with(
            alpha=self.alpha, threshold=self.threshold, statistic=self.statistic, seed=self.seed
        )

    @property
    def exports(self) -> CompareExports:
        return CompareExports(
            self.export_json, self.export_markdown, self.export_html, self.export_junit,
            self.export_github_benchmark, self.export_github_benchmark_bigger, self.export_bmf,
        )  # fmt: skip


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


def sides(
    files: tuple[str, ...], baselines: tuple[str, ...], candidates: tuple[str, ...]
) -> tuple[list[str], list[str]]:
    """The baseline and candidate paths: two positional files, or the repeated options."""
    hint = SIDES_HINT
    if not baselines and not candidates:
        if len(files) != 2:
            raise UsageError(
                f"compare takes two result files, not {len(files)}"
                if files
                else "compare needs a baseline and a candidate result file",
                hint=hint,
            )
        return [files[0]], [files[1]]
    if files:
        raise UsageError(
            f"result files given both as arguments ({', '.join(files)}) and with "
            "--baseline/--candidate",
            hint=hint,
        )
    if not baselines or not candidates:
        missing = "--candidate" if baselines else "--baseline"
        raise UsageError(f"{missing} is missing: each side needs a result file", hint=hint)
    return expand(baselines, "--baseline"), expand(candidates, "--candidate")


def candidate_paths(files: tuple[str, ...], candidates: tuple[str, ...]) -> list[str]:
    """The candidate files against a stored run: positional FILEs and --candidate."""
    if not files and not candidates:
        raise UsageError("compare with a stored run needs a candidate result file",
                         hint=STORED_HINT)  # fmt: skip
    return [*files, *expand(candidates, "--candidate")]


def expand(values: tuple[str, ...], flag: str) -> list[str]:
    """Each value as given, or its glob's matches (sorted) when it is a pattern."""
    paths: list[str] = []
    for value in values:
        if Path(value).exists() or not glob.has_magic(value):
            paths.append(value)
            continue
        found = sorted(glob.glob(value))
        if not found:
            raise UsageError(f"{flag} {value!r} matches no file", hint="check the pattern")
        paths.extend(found)
    return paths


def parse_match(text: str, old_names: Container[str], new_names: Container[str]) -> tuple[str, str]:
    """Split OLD=NEW; names may hold '=' themselves, so prefer the split naming real benchmarks."""
    splits = [(text[:i], text[i + 1 :]) for i, ch in enumerate(text) if ch == "="]
    for old, new in splits:
        if old in old_names and new in new_names:
            return old, new
    if not splits or not all(splits[0]):
        raise UsageError(
            f"--match {text!r} is not OLD=NEW", hint="e.g. --match 'old name=new name'"
        )
    return splits[0]
