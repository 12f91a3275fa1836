"""The store: where saved runs live, and the one interface to them.

Open one with :func:`pbench.history.backends.open_store` and a :class:`StoreAddress`
(``pbench.plan.store.store_address`` makes one from ``--store``, ``PBENCH_STORE`` or
the default ``.pbench/history.db`` under the git top level). Every backend (SQLite,
PostgreSQL) implements :class:`Store` over the one schema of
:mod:`pbench.history.schema`, upgrading an older store in place when it opens it.

Query API (what baselines and trends are built on)::

    with open_store(address) as store:
        run_id = store.save(record)                 # one transaction; returns the id
        store.runs(RunFilter(branch="main", limit=20))  # -> list[RunInfo], newest first
        store.run(run_id)                           # -> RunInfo | None
        store.benchmarks()                          # -> names, in order of first save
        store.machines("ci-1")                      # -> Machines by fingerprint prefix or host
        points = store.series("parse", machine=fp, branch="main", since=t, limit=100)
        store.samples(points[-1].result_id)         # -> Samples (raw times, rounds, sections)
        store.result(run_id, "parse")               # -> StoredResult | None
        store.latest(benchmark="parse", machine=fp, branch="main")  # -> RunInfo | None
        store.mark_baseline("release-1.2", run_id)  # names a run (moves the name if taken)
        store.baseline("release-1.2")               # -> run id | None
        store.baselines()                           # -> {name: run id}, by name
        store.benchmarks(run_id)                    # -> the names one run holds
        store.imported(digest)                      # -> the RunInfo imported from that file

``series`` returns points oldest first (with ``limit``: the most recent ``limit``
points); with ``machine`` it reads the index ``results_series (benchmark, machine,
time)`` and nothing else of the results table. A point's ``fit`` says whether its
run's machine was fit to measure (``RunRecord.fitness``; None when not checked).
Errors of the database (unreachable, locked beyond the timeout, a newer schema) are
:class:`StoreError`, whose message names the store by its redacted address.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Literal, Protocol

from pbench.errors import ExitCode, PbenchError

if TYPE_CHECKING:  # the records load with a backend, not with every `pbench` start
    from pbench.history.records import (
        Machine,
        Point,
        RunFilter,
        RunInfo,
        RunRecord,
        Samples,
        StoredResult,
    )

Scheme = Literal["sqlite", "postgresql"]


class StoreError(PbenchError):
    """The store cannot be opened, read or written: exit 1 (the results were still
    reported and exported)."""

    exit_code = ExitCode.BENCHMARK_FAILED


def _no_scrub(text: str) -> str:
    return text


@dataclass(frozen=True)
class StoreAddress:
    """Where a store is. ``shown`` is the address with any password masked, the only
    form that appears in messages; ``path`` is an SQLite file; ``connect`` holds
    PostgreSQL's connection parameters (the password among them: never shown);
    ``scrub`` masks this address's secrets in a driver's message; ``create_folder``:
    pbench chose the place (the default store), so it may create the folder."""

    scheme: Scheme
    shown: str
    path: str | None = None
    create_folder: bool = False
    connect: Mapping[str, str] = field(default_factory=dict, repr=False)
    scrub: Callable[[str], str] = field(default=_no_scrub, repr=False, compare=False)


class Store(Protocol):
    """Saved runs of one store (see the module docstring for the whole API)."""

    @property
    def address(self) -> StoreAddress: ...

    def save(self, run: RunRecord) -> int:
        """Save a run and its results in one transaction; its new id."""
        ...

    def runs(self, filters: RunFilter | None = None) -> list[RunInfo]:
        """Saved runs that pass ``filters`` (default: all), newest first."""
        ...

    def run(self, run_id: int) -> RunInfo | None:
        """One saved run, or None."""
        ...

    def imported(self, digest: str) -> RunInfo | None:
        """The first run imported (``pbench history import``) from a file whose bytes
        have the SHA-256 ``digest`` (hex), or None."""
        ...

    def benchmarks(self, run_id: int | None = None) -> list[str]:
        """Every benchmark name saved, in order of its first save (with ``run_id``:
        the names that run holds)."""
        ...

    def machines(self, match: str | None = None) -> list[Machine]:
        """Machines whose fingerprint starts with ``match`` or whose host is ``match``
        (all without it)."""
        ...

    def series(
        self,
        benchmark: str,
        *,
        machine: str | Sequence[str] | None = None,
        branch: str | None = None,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[Point]:
        """One benchmark's points, oldest first; ``machine``: a fingerprint or several."""
        ...

    def samples(self, result_id: int) -> Samples | None:
        """The raw samples of one stored result."""
        ...

    def result(self, run_id: int, benchmark: str) -> StoredResult | None:
        """One stored result with its samples, or None."""
        ...

    def latest(
        self,
        *,
        benchmark: str | None = None,
        machine: str | None = None,
        branch: str | None = None,
    ) -> RunInfo | None:
        """The most recent run that passes the conditions."""
        ...

    def mark_baseline(self, name: str, run_id: int) -> None:
        """Name run ``run_id`` as baseline ``name`` (a name marks one run at a time)."""
        ...

    def baseline(self, name: str) -> int | None:
        """The run id baseline ``name`` marks, or None."""
        ...

    def baselines(self) -> dict[str, int]:
        """Every baseline name and the run it marks, by name."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...
