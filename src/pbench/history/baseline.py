"""A run (or a result file) compared with a stored run: ``--baseline REF``.

The comparison is ``pbench compare``'s (:func:`pbench.results.pairing.compare_result_files`):
the stored run is the baseline :class:`~pbench.results.read.Side`, the current run the
candidate, benchmarks paired by name. Both sides are built from the same records: the
stored run's :class:`~pbench.history.records.ResultRecord` as the store gives them back,
the current run's as :func:`pbench.history.capture.record_run` would save them (so both
are redacted alike and only finished benchmarks count), each benchmark's values its
slices (:func:`pbench.stats.summary.slice_values` of its times by round), exactly what a
result file of the same run gives. A load run against one stored load run gets no
slower/faster verdict, as in ``pbench compare`` of two files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pbench.history.records import ResultRecord
from pbench.history.refs import Found, describe
from pbench.history.store import Store, StoreError
from pbench.models import measure_named
from pbench.results.pairing import FileComparison, compare_result_files
from pbench.results.read import Benchmark, LoadKind, ResultFile, Side
from pbench.stats.settings import Settings
from pbench.stats.summary import slice_values

CANDIDATE = "this run"


@dataclass(frozen=True)
class BaselineComparison:
    """What ``--baseline REF`` found: the stored run, whether other machines were
    allowed (``any_machine``), and the comparison (its baseline side is the stored run)."""

    found: Found
    comparison: FileComparison
    any_machine: bool = False

    @property
    def other_machine(self) -> bool:
        return self.found.other_machine

    def warnings(self) -> list[str]:
        """The line saying that the two runs come from two machines, when they do."""
        if not self.other_machine:
            return []
        return [
            f"--any-machine: {self.found.label} was measured on {describe(self.found.machine)}, "
            f"{self.comparison.candidate.path} on {describe(self.found.here)}: a difference "
            "may be the machines', not the code's"
        ]


def stored_side(store: Store, found: Found) -> Side:
    """The stored run's results (every benchmark it holds) as one baseline side."""
    benchmarks: dict[str, Benchmark] = {}
    for name in store.benchmarks(found.run.id):
        stored = store.result(found.run.id, name)
        if stored is None:  # saved in one transaction: only a concurrent delete
            raise StoreError(f"run #{found.run.id} lost its result '{name}' while read")
        benchmarks[name] = benchmark_of(stored.record)
    return Side((ResultFile(found.label, "pbench", benchmarks),))


def records_side(results: Sequence[ResultRecord], label: str = CANDIDATE) -> Side:
    """Records (a finished run's, as it would be saved) as one side."""
    benchmarks = {record.benchmark: benchmark_of(record) for record in results}
    return Side((ResultFile(label, "pbench", benchmarks),))


def benchmark_of(record: ResultRecord) -> Benchmark:
    """One record as :mod:`pbench.results.read` reads the same result from a file."""
    samples = record.samples
    times, rounds = tuple(samples.times), tuple(samples.rounds)
    usable = bool(rounds) and len(rounds) == len(times)
    load: LoadKind | None = None
    if "load" in samples.sections:
        load = "sql" if record.kind == "sql" or "sql" in samples.sections else "http"
    settings = record.settings
    parameters = settings.get("parameters") if isinstance(settings, dict) else None
    info = settings.get("info") if isinstance(settings, dict) else None
    return Benchmark(
        name=record.benchmark,
        command=record.command,
        times=times,
        parameters={str(k): str(v) for k, v in (parameters or {}).items()},
        slices=tuple(slice_values(times, rounds)) if usable else (),
        load=load,
        rounds=rounds if usable else (),
        info=info if isinstance(info, dict) else {},
        sections=dict(samples.sections),
        measure=measure_named(record.measure, record.benchmark),
    )


def compare_with(
    store: Store,
    found: Found,
    candidate: Side,
    settings: Settings,
    any_machine: bool = False,
) -> BaselineComparison:
    """``candidate`` compared with the stored run ``found`` (a UsageError when they have
    no benchmark in common; a StoreError when the store cannot be read)."""
    comparison = compare_result_files(stored_side(store, found), candidate, settings=settings)
    return BaselineComparison(found, comparison, any_machine)
