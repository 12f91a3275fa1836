"""What was computed from each result, kept until the result changes.

Exports are rewritten after every finished benchmark. Rebuilding every result's
summary, warnings and export text each time made a run of n benchmarks cost O(n²)
(100 benchmarks: 22 s instead of 1.6 s). With a :class:`ResultMemo` a rewrite computes
only what changed since the previous one and joins the rest.

A result changes while it is measured by growing: more measurements and warmups, a
stop reason, notes, sections (and a sweep renames its levels' results). Its
:func:`revision` counts those, so anything memoised for an older revision is computed
again.

The session fills the memo for each benchmark once, as it finishes (:meth:`add`,
then :func:`pbench.export.prerender`), and the checkpoints and the final export
(complete or interrupted) reuse what it holds: what is memoised of a result depends on
the result alone (its summary, warnings, JSON entry, CSV row) or carries what else it
depends on in its key (the Markdown line: the unit and the reference row), so that the
texts are the same whichever of these renders them. After an interrupt, then, only
the benchmarks not finished yet are summarised and rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from pbench.models import BenchmarkResult

T = TypeVar("T")
Revision = tuple[Hashable, ...]


def revision(result: BenchmarkResult) -> Revision:
    """Changes whenever the runner (or a subcommand) adds to ``result``."""
    return (
        result.name,
        id(result.parameters),
        id(result.info),
        len(result.measurements),
        result.warmups,
        result.stop_reason,
        len(result.notes),
        tuple((key, id(value)) for key, value in result.sections.items()),
        id(result.summary_override),
    )


class ResultMemo:
    """Values computed from one result (and fixed extra inputs), per result revision."""

    def __init__(self) -> None:
        # id(result) → (the result itself, so that the id cannot be reused; its
        # revision; values by key)
        self._entries: dict[int, tuple[BenchmarkResult, Revision, dict[Hashable, Any]]] = {}
        self._current: dict[int, dict[Hashable, Any]] = {}

    def refresh(self, results: Sequence[BenchmarkResult]) -> None:
        """Look at every result once: drop what was computed for an older revision.

        Call it before a rewrite; :meth:`get` then costs one dictionary lookup.
        """
        current: dict[int, dict[Hashable, Any]] = {}
        for result in results:
            now = revision(result)
            entry = self._entries.get(id(result))
            if entry is None or entry[0] is not result or entry[1] != now:
                entry = self._entries[id(result)] = (result, now, {})
            current[id(result)] = entry[2]
        self._entries = {key: self._entries[key] for key in current}
        self._current = current

    def add(self, result: BenchmarkResult) -> None:
        """Look at one more result (as :meth:`refresh` does, keeping the others): what
        :meth:`get` computes for it from now on is kept for its current revision."""
        now = revision(result)
        entry = self._entries.get(id(result))
        if entry is None or entry[0] is not result or entry[1] != now:
            entry = self._entries[id(result)] = (result, now, {})
        self._current[id(result)] = entry[2]

    def get(self, result: BenchmarkResult, key: Hashable, compute: Callable[[], T]) -> T:
        """The value under ``key`` for ``result``, computed on first use since the result
        last changed (as seen by the last :meth:`refresh`)."""
        values = self._current.get(id(result))
        if values is None:  # a result not given to the last refresh(): nothing to reuse
            return compute()
        if key in values:
            value: T = values[key]
            return value
        value = values[key] = compute()
        return value


def memoised(
    memo: ResultMemo | None, result: BenchmarkResult, key: Hashable, compute: Callable[[], T]
) -> T:
    """``memo.get(result, key, compute)``, or just ``compute()`` without a memo."""
    return compute() if memo is None else memo.get(result, key, compute)
