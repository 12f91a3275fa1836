"""What a store keeps and gives back: plain frozen data, no database in here.

Saving takes one :class:`RunRecord` (one invocation: when, which commit, which
machine, which suite, and one :class:`ResultRecord` per benchmark). Queries return
:class:`RunInfo` (a saved invocation), :class:`Point` (one benchmark's figures in one
run: what a trend is made of) and :class:`StoredResult` (one saved result with its raw
samples). Times are timezone-aware UTC datetimes; durations are in seconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Unit = Literal["runs", "slices"]


@dataclass(frozen=True)
class Machine:
    """Where a run was measured; ``fingerprint`` is a stable hash of the other fields
    (see :mod:`pbench.history.fingerprint`). Unknown parts are None."""

    fingerprint: str
    host: str | None
    cpu_model: str | None
    cores: int | None
    memory_bytes: int | None
    kernel: str | None
    python: str | None
    pbench_version: str | None


@dataclass(frozen=True)
class Samples:
    """A result's raw samples: ``times`` (seconds, execution order; for load runs each
    slice's median latency), ``rounds`` (the slice or round of each time: runs that
    share one are one observation), and ``sections``, the export's target-specific
    sections (a load run's latency figures, the process tree, SQL rows), without a load
    run's request sample."""

    times: tuple[float, ...]
    rounds: tuple[int, ...] = ()
    sections: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ResultRecord:
    """One benchmark of a run, as saved: already redacted.

    ``median_low``/``median_high`` and ``mean_low``/``mean_high`` are the 95%
    intervals; ``n`` counts ``unit``s (runs, or slices for runs that came in slices);
    ``settings`` holds the result's ``info`` and ``parameters``; ``budgets`` its budget
    checks (the JSON export's fields)."""

    benchmark: str
    kind: str  # command, http, sql
    command: str
    settings: Mapping[str, Any]
    n: int
    unit: Unit
    median: float | None
    median_low: float | None
    median_high: float | None
    mean: float | None
    mean_low: float | None
    mean_high: float | None
    stddev: float | None
    min: float | None
    max: float | None
    samples: Samples
    budgets: Sequence[Mapping[str, Any]] = ()
    # --measure: what the figures are (wall time, CPU time, instructions, cycles)
    measure: str = "wall"


@dataclass(frozen=True)
class RunRecord:
    """One invocation to save: ``time`` (UTC) it started, git state, machine, suite
    (file, tier, tags; None outside ``pbench suite``), its exit ``status``,
    ``source`` ("pbench" for a live run, "pbench-file"/"hyperfine-file" when imported)
    and ``fitness``: the machine fitness check's JSON form (``{"fit": bool, "summary":
    ..., "checks": [...]}``, see :mod:`pbench.system.fitness`), None when not checked;
    ``source_digest``: the SHA-256 (hex) of the file an imported run came from, None
    for a live run."""

    time: datetime
    commit: str | None
    branch: str | None
    dirty: bool | None
    machine: Machine
    results: Sequence[ResultRecord]
    suite_file: str | None = None
    suite_tier: str | None = None
    suite_tags: tuple[str, ...] = ()
    status: int = 0
    source: str = "pbench"
    fitness: Mapping[str, Any] | None = None
    source_digest: str | None = None

    @property
    def fit(self) -> bool | None:
        """Whether the machine was fit to measure (None: not checked)."""
        found = None if self.fitness is None else self.fitness.get("fit")
        return found if isinstance(found, bool) else None


@dataclass(frozen=True)
class RunInfo:
    """A saved invocation (without its results): what :meth:`Store.runs` lists."""

    id: int
    time: datetime
    commit: str | None
    branch: str | None
    dirty: bool | None
    machine: str  # fingerprint
    host: str | None
    suite_file: str | None
    suite_tier: str | None
    suite_tags: tuple[str, ...]
    status: int
    source: str
    benchmarks: int  # how many results it holds


@dataclass(frozen=True)
class Point:
    """One benchmark's figures in one saved run: an element of a series.

    ``result_id`` names the stored result: :meth:`Store.samples` gives its raw samples,
    :meth:`Store.result` the whole of it."""

    run_id: int
    result_id: int
    benchmark: str
    time: datetime
    commit: str | None
    branch: str | None
    machine: str  # fingerprint
    median: float | None
    median_low: float | None
    median_high: float | None
    n: int
    unit: Unit
    fit: bool | None = None
    measure: str = "wall"  # what median is (--measure): a series is of one measure


@dataclass(frozen=True)
class StoredResult:
    """One saved result with everything that was kept, and the run it belongs to."""

    run: RunInfo
    result_id: int
    record: ResultRecord


@dataclass(frozen=True)
class RunFilter:
    """Which runs :meth:`Store.runs` returns (all conditions hold; None: any).

    ``machines``: fingerprints; ``benchmark``: runs that hold a result of that name;
    ``limit``: the most recent that many."""

    since: datetime | None = None
    until: datetime | None = None
    branch: str | None = None
    commit: str | None = None  # a full commit or a prefix of one
    machines: tuple[str, ...] | None = None
    benchmark: str | None = None
    limit: int | None = None
