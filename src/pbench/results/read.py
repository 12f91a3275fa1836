"""The one reader of result files (pbench's JSON export and hyperfine's), with one
validation, giving two views of the same parse: :func:`parse_results` the per-run
times ``pbench compare`` and history import need (:class:`ResultFile`), and
:func:`restore` the whole :class:`~pbench.models.RunResults` ``pbench report`` and
``pbench merge`` need. The key names and what each holds come from
:mod:`pbench.results.schema`, shared with the writer (:mod:`pbench.export.json`):
a value of the wrong type at a known key (a string where a number belongs, a list
where an object belongs) is a :class:`UsageError` naming the file and the key path
(``f.json: results[0].measurements[3].wall is "x", not a number``), exit 2.

Both share hyperfine's shape: a top-level ``results`` list whose entries carry
``command`` and per-run ``times`` in seconds (hyperfine has written ``times`` since its
JSON export's first versions; ``exit_codes``, ``memory_usage_byte`` and ``parameters``
come and go with its version and options and are not needed here). pbench adds
``schema_version`` and ``metadata`` at the top and ``name`` per result. A benchmark is
known by its ``name`` when present, else by its ``command``.

The unit of comparison is the *slice* (:func:`pbench.stats.summary.slice_values`): one value
per slice id, the median of the measurements' ``wall`` that share a ``round``. A
command's runs each have their own round, so its slices are its times; a load run's
measurements are already one per slice (or a few per slice for single-client SQL).
Without ``measurements`` (hyperfine) the slices are the ``times``. A load result is an
entry with a ``load`` section.

A :class:`Side` is one or several files: several files are separate runs of the same
benchmarks, compared with the spread between them (:mod:`pbench.stats.hierarchy`).

Every defect of a file is a :class:`UsageError` naming the file and, where it applies,
the entry; commands read from hyperfine files are scrubbed of credentials before they
are shown anywhere.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from pbench.errors import UsageError
from pbench.results.records import DAMAGED, shown
from pbench.results.redact import redact
from pbench.results.schema import (
    DOCUMENT_KEYS,
    METRIC_PREFIX,
    RECORD_KEYS,
    RESULT_FILE_SCHEMA_VERSION,
    RESULT_KEYS,
    SECTION_PREFIX,
)
from pbench.stats.summary import slice_values

if TYPE_CHECKING:
    from pbench.models import BenchmarkResult, Measure, Measurement, RunResults, StopReason
    from pbench.stats.aggregate import Aggregate
    from pbench.stats.summary import Summary

Format = Literal["pbench", "hyperfine"]
LoadKind = Literal["http", "sql"]
# The target sections of a pbench result entry that Benchmark keeps.
SECTIONS = ("load", "sql", "process_tree")


@dataclass(frozen=True)
class Benchmark:
    """One benchmark's per-run times (seconds, execution order) from a result file.

    ``slices`` are the values compared (one per slice, see the module docstring);
    ``load`` says which load command wrote it, None for commands.
    """

    name: str
    command: str
    times: tuple[float, ...]
    parameters: Mapping[str, str] = field(default_factory=dict)
    slices: tuple[float, ...] = ()
    load: LoadKind | None = None
    # What pbench files add (for pbench history import): each time's round (empty
    # when the file has no usable ``measurements``), the file's ``statistics`` and
    # ``info`` of the result, and its target sections (load, sql, process_tree).
    rounds: tuple[int, ...] = ()
    statistics: Mapping[str, Any] | None = None
    info: Mapping[str, Any] = field(default_factory=dict)
    sections: Mapping[str, Any] = field(default_factory=dict)
    # --measure: what ``times`` and ``slices`` hold (wall time when the file says nothing)
    measure: Measure = "wall"

    @property
    def values(self) -> tuple[float, ...]:
        """The slice values, or the times when the file had no per-run rounds."""
        return self.slices or self.times

    @property
    def aggregate(self) -> Aggregate | None:
        """Its mean, sd and n when the file holds only those (no per-run values)."""
        from pbench.stats.aggregate import of_info

        return of_info(self.info) if not self.times else None

    def as_aggregate(self) -> Aggregate:
        """Its aggregates, or its values reduced to their mean, sd and n."""
        from pbench.stats.aggregate import of_sample

        return self.aggregate or of_sample(self.values)


@dataclass(frozen=True)
class ResultFile:
    path: str
    format: Format
    benchmarks: Mapping[str, Benchmark]  # by name, in file order
    metadata: Mapping[str, Any] = field(default_factory=dict)  # pbench files' metadata
    budgets: tuple[Mapping[str, Any], ...] = ()  # pbench files' budget checks


@dataclass(frozen=True)
class Side:
    """The baseline or the candidate: one result file, or several separate runs."""

    files: tuple[ResultFile, ...]

    @classmethod
    def of(cls, results: ResultFile | Side) -> Side:
        return results if isinstance(results, Side) else cls((results,))

    @property
    def path(self) -> str:
        """The file's path, or the paths joined by ", " for several files."""
        return ", ".join(f.path for f in self.files)

    @property
    def paths(self) -> list[str]:
        return [f.path for f in self.files]

    @property
    def format(self) -> str:
        formats = {f.format for f in self.files}
        return formats.pop() if len(formats) == 1 else "mixed"

    @property
    def benchmarks(self) -> dict[str, tuple[Benchmark, ...]]:
        """Name → its run in every file that has it; names in order of first appearance."""
        runs: dict[str, list[Benchmark]] = {}
        for results in self.files:
            for name, benchmark in results.benchmarks.items():
                runs.setdefault(name, []).append(benchmark)
        return {name: tuple(found) for name, found in runs.items()}


def read_side(paths: Sequence[str], role: str, input_format: str | None = None) -> Side:
    """Read every file of one side; the same file twice is refused (it is one run).
    ``input_format``: the format to read them as (None: found from each file)."""
    seen: set[Path] = set()
    for path in paths:
        resolved = Path(path).resolve()
        if resolved in seen:
            raise UsageError(
                f"{role} file {path} is given twice",
                hint="each file is one separate run; pass every run once",
            )
        seen.add(resolved)
    return Side(tuple(read_results(path, role, input_format) for path in paths))


def read_results(path: str, role: str, input_format: str | None = None) -> ResultFile:
    """Load ``path`` (``role`` is "baseline" or "candidate", for messages)."""
    return parse_results(read_json(path, role, input_format), path, role)


def read_json(path: str, role: str, input_format: str | None = None) -> Any:
    """The decoded JSON of a result file; a :class:`UsageError` naming the file when it
    is missing, unreadable or not JSON (``role`` names the file in messages)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(
            f"{role} file {path} does not exist",
            hint="pass a file written by 'pbench --export-json' or 'hyperfine --export-json'",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(
            f"cannot read {role} file {path}: {reason}", hint="check the path and permissions"
        ) from None
    from pbench.results.formats import as_document

    return as_document(text, path, role, input_format)


def parse_results(document: Any, path: str, role: str) -> ResultFile:
    """Validate a decoded JSON document and index its benchmarks by name."""
    _check_document(
        document, path, f"{role} file {path}", "not a pbench or hyperfine JSON export",
        "pass a file written by 'pbench --export-json' or 'hyperfine --export-json'",
        "compare it with the pbench version that wrote it, or upgrade pbench",
    )  # fmt: skip
    file_format: Format = "pbench" if "schema_version" in document else "hyperfine"
    benchmarks: dict[str, Benchmark] = {}
    for index, entry in enumerate(document["results"]):
        benchmark = _benchmark(entry, index, path, file_format)
        if benchmark.name in benchmarks:
            raise UsageError(
                f"{role} file {path} has two benchmarks named '{benchmark.name}'",
                hint="give each command its own name when running (-n/--command-name)",
            )
        benchmarks[benchmark.name] = benchmark
    _check_keys(document, DOCUMENT_KEYS, path)
    if not benchmarks:
        raise UsageError(f"{role} file {path} holds no benchmark results", hint="rerun and export")
    metadata = document.get("metadata")
    budgets = document.get("budgets")
    return ResultFile(
        path=path,
        format=file_format,
        benchmarks=benchmarks,
        metadata=metadata if isinstance(metadata, dict) else {},
        budgets=tuple(b for b in budgets if isinstance(b, dict))
        if isinstance(budgets, list)
        else (),
    )


def _check_document(
    document: Any, path: str, label: str, what: str, hint: str, version_hint: str
) -> None:
    """A document with a ``results`` list and a schema version this pbench reads
    (``label`` names the file in messages, ``what`` says what it then is not)."""
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        raise UsageError(f"{label} has no 'results' list: {what}", hint=hint)
    version = document.get("schema_version")
    if version is None:
        return
    _check(version, DOCUMENT_KEYS["schema_version"], f"{path}: schema_version")
    if version > RESULT_FILE_SCHEMA_VERSION:
        raise UsageError(
            f"{label} has schema_version {version}, newer than this pbench reads "
            f"({RESULT_FILE_SCHEMA_VERSION})",
            hint=version_hint,
        )
    if version < 1:
        raise UsageError(
            f"{label} has schema_version {version}; this pbench reads 1 to "
            f"{RESULT_FILE_SCHEMA_VERSION}",
            hint=version_hint,
        )


_KINDS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "number": ("a number", lambda v: isinstance(v, int | float) and not isinstance(v, bool)),
    "integer": ("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    "string": ("a string", lambda v: isinstance(v, str)),
    "bool": ("true or false", lambda v: isinstance(v, bool)),
    "object": ("an object", lambda v: isinstance(v, dict)),
    "list": ("a list", lambda v: isinstance(v, list)),
}


def _check(value: Any, kind: str, where: str) -> None:
    """``value`` is of ``kind`` (schema's names; "?": or null), else exit 2 at ``where``."""
    if value is None and kind.endswith("?"):
        return
    name, test = _KINDS[kind.rstrip("?")]
    if not test(value):
        raise UsageError(f"{where} is {shown(value)}, not {name}", hint=DAMAGED)


class _Absent:
    """A key the mapping does not hold: any kind allows it."""


_TYPES: dict[str, tuple[type, ...]] = {
    "number": (int, float),  # exact types: a bool is no number
    "integer": (int,),
    "string": (str,),
    "bool": (bool,),
    "object": (dict,),
    "list": (list,),
}


def _allowed(kind: str) -> frozenset[type]:
    """The exact types of what JSON decodes that ``kind`` admits (and an absent key)."""
    null = (type(None),) if kind.endswith("?") else ()
    return frozenset((*_TYPES[kind.rstrip("?")], *null, _Absent))


_RECORD_TYPES = tuple((key, _allowed(kind)) for key, kind in RECORD_KEYS.items())
_ABSENT = _Absent()


def _check_records(found: list[Any], where: str) -> None:
    """Every measurement record an object, its known keys of the right type. A file may
    hold millions of records of a few shapes: each record's tuple of value types is
    judged once per shape, the message built only on a defect."""
    keys = tuple(RECORD_KEYS)
    absent = itertools.repeat(_ABSENT)
    good: set[tuple[type, ...]] = set()
    for rec in found:
        if type(rec) is dict:
            shape = tuple(map(type, map(rec.get, keys, absent)))
            if shape in good:
                continue
            if all(t in allowed for t, (_, allowed) in zip(shape, _RECORD_TYPES, strict=True)):
                good.add(shape)
                continue
        at = f"{where}.measurements[{found.index(rec)}]"
        _check(rec, "object", at)
        _check_keys(rec, RECORD_KEYS, at)


def _check_keys(mapping: Mapping[str, Any], kinds: Mapping[str, str], where: str) -> None:
    """Every known key present in ``mapping`` holds what :mod:`pbench.results.schema`
    says (``where`` is the key path so far, keys are joined to it)."""
    for key, kind in kinds.items():
        if key in mapping:
            _check(mapping[key], kind, f"{where}.{key}" if ":" in where else f"{where}: {key}")


def _checked_entry(
    entry: Any, index: int, path: str
) -> tuple[Mapping[str, Any], str, str, tuple[float, ...] | None]:
    """One result entry with every known key of the right type (its measurements'
    too): the entry, its command and its name (both scrubbed of credentials), and its
    times (None: no ``times`` list)."""
    where = f"{path}: results[{index}]"
    if not isinstance(entry, dict):
        raise UsageError(f"{where} is not an object", hint="the file is damaged; re-export it")
    command = entry.get("command")
    if not isinstance(command, str):
        raise UsageError(f"{where} has no 'command' string", hint="the file is damaged")
    command = redact(command)
    name = entry.get("name")
    if name is None:
        name = command
    elif isinstance(name, str):
        name = redact(name)
    else:
        raise UsageError(f"{where}.name is not a string", hint="the file is damaged")
    times = entry.get("times")
    parsed = _times(times, f"{path}: '{name}'") if isinstance(times, list) else None
    _parameters(entry.get("parameters"), f"{path}: '{name}'")
    _check_keys(entry, RESULT_KEYS, where)
    measurements = entry.get("measurements")
    if isinstance(measurements, list):
        _check_records(measurements, where)
    return entry, command, name, parsed


def _benchmark(entry: Any, index: int, path: str, file_format: Format) -> Benchmark:
    entry, command, name, parsed = _checked_entry(entry, index, path)
    where = f"{path}: '{name}'"
    times = entry.get("times")
    if not isinstance(times, list):
        hint = (
            "this hyperfine version did not export per-run times; rerun with a newer hyperfine"
            if file_format == "hyperfine"
            else "the file is damaged; re-export it"
        )
        raise UsageError(f"{where} has no per-run 'times' list", hint=hint)
    if not times and not _aggregate_only(entry):
        raise UsageError(f"{where} has no runs", hint="rerun it with at least 5 runs")
    load: LoadKind | None = None
    if isinstance(entry.get("load"), dict):
        load = "sql" if "sql" in entry else "http"
    assert parsed is not None  # times is a list
    rounds = _rounds(entry.get("measurements"))
    statistics, info = entry.get("statistics"), entry.get("info")
    measure = _measure(entry, where)
    return Benchmark(
        name=name,
        command=command,
        times=parsed,
        parameters=_parameters(entry.get("parameters"), where),
        slices=_slices(entry.get("measurements"), measure),
        load=load,
        rounds=rounds if len(rounds) == len(parsed) else (),
        statistics=statistics if isinstance(statistics, dict) else None,
        info=info if isinstance(info, dict) else {},
        sections={k: entry[k] for k in SECTIONS if isinstance(entry.get(k), dict)},
        measure=measure,
    )


def _measure(entry: Mapping[str, Any], where: str) -> Measure:
    """The entry's ``measure`` (or its ``info``'s, as the first files had it; wall time
    when neither says)."""
    from pbench.models import measure_named

    info = entry.get("info")
    found = entry.get("measure")
    if found is None and isinstance(info, dict):
        found = info.get("measure")
    return measure_named(found, where)


def _aggregate_only(entry: Mapping[str, Any]) -> bool:
    """An entry of a harness file that kept only mean, sd and n (``info.aggregate``)."""
    from pbench.stats.aggregate import of_info

    info = entry.get("info")
    return isinstance(info, dict) and of_info(info) is not None


def _rounds(measurements: Any) -> tuple[int, ...]:
    """Each measurement's ``round``; () when any is missing."""
    if not isinstance(measurements, list):
        return ()
    found = [r.get("round") if isinstance(r, dict) else None for r in measurements]
    ok = all(isinstance(r, int) and not isinstance(r, bool) for r in found)
    return tuple(int(r) for r in found if isinstance(r, int)) if ok else ()


def _slices(measurements: Any, measure: Measure = "wall") -> tuple[float, ...]:
    """Slice values from ``measurements`` (the measure's figure grouped by round); ()
    when unusable.

    Records without a finite, non-negative figure (``wall``; ``user`` + ``system`` for
    cpu; the count for instructions and cycles) or an integer ``round`` make the whole
    list unusable, and the caller falls back to ``times``.
    """
    if not isinstance(measurements, list) or not measurements:
        return ()
    walls: list[float] = []
    rounds: list[int] = []
    for record in measurements:
        if not isinstance(record, dict):
            return ()
        wall, key = _figure(record, measure), record.get("round")
        if not isinstance(wall, int | float) or isinstance(wall, bool):
            return ()
        # a count (instructions, cycles) is no time: only times are bounded
        bound = MAX_TIME_S if measure in ("wall", "cpu") else math.inf
        if not math.isfinite(wall) or not 0 <= wall <= bound:
            return ()
        if not isinstance(key, int) or isinstance(key, bool):
            return ()
        walls.append(float(wall))
        rounds.append(key)
    return tuple(slice_values(walls, rounds))


# A time longer than this (about 31 years) cannot be meant: larger ones overflowed the
# statistics (a run of 2.7e154 s squared), whatever the format that held them.
MAX_TIME_S = 1e9


def _figure(record: Mapping[str, Any], measure: Measure) -> Any:
    """One record's figure of ``measure`` as written (None when it has none)."""
    if measure == "wall":
        return record.get("wall")
    if measure == "cpu":
        user, system = record.get("user"), record.get("system")
        numbers = [v for v in (user, system) if isinstance(v, int | float)]
        return sum(numbers) if numbers and not isinstance(user, bool) else None
    return record.get(measure, record.get(f"{METRIC_PREFIX}{measure}"))


def _times(values: Sequence[Any], where: str) -> tuple[float, ...]:
    times: list[float] = []
    for position, value in enumerate(values):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or not 0 <= value <= MAX_TIME_S:
            raise UsageError(
                f"{where}: times[{position}] is {json.dumps(value)}, not a time in seconds",
                hint="the file is damaged; re-export it",
            )
        times.append(float(value))
    return tuple(times)


def _parameters(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UsageError(f"{where}: 'parameters' is not an object", hint="the file is damaged")
    return {str(k): str(v) for k, v in value.items()}


_STOP_REASONS = frozenset(
    ("runs", "time", "precision", "budget", "max-runs", "interrupted", "failed")
)


def is_result_document(document: Any) -> bool:
    return isinstance(document, dict) and isinstance(document.get("results"), list)


def restore(document: Any, path: str, max_runs: int | None = None) -> RunResults:
    """The :class:`RunResults` of a decoded pbench or hyperfine JSON export.

    ``max_runs`` (``pbench report``: :data:`REPORT_RUNS`): a benchmark of more runs
    keeps that many of them, evenly spaced in run order, for the charts and tables;
    its statistics are still of every run (the file's own, or computed from all its
    times), and a warning says so. Every run is checked either way."""
    _check_document(
        document, path, path,
        "not a pbench or hyperfine JSON export, nor a 'pbench compare' JSON",
        "pass files written by --export-json (pbench, hyperfine, pbench compare)",
        "report it with the pbench version that wrote it, or upgrade pbench",
    )  # fmt: skip
    hyperfine = document.get("schema_version") is None
    results: list[BenchmarkResult] = []
    summaries: dict[str, Summary | None] = {}
    warnings: dict[str, list[str]] = {}
    for index, entry in enumerate(document["results"]):
        result, summary, found = _result(entry, path, index, hyperfine, max_runs)
        if any(r.name == result.name for r in results):
            raise UsageError(
                f"{path} has two benchmarks named '{result.name}'",
                hint="give each command its own name when running (-n/--command-name)",
            )
        results.append(result)
        if summary is not None:
            summaries[result.name] = summary
        if found:
            warnings[result.name] = found
    _check_keys(document, DOCUMENT_KEYS, path)
    return _document_level(document, path, results, summaries, warnings)


def _document_level(
    document: Mapping[str, Any],
    path: str,
    results: list[BenchmarkResult],
    summaries: dict[str, Summary | None],
    warnings: dict[str, list[str]],
) -> RunResults:
    from pbench.models import RunResults
    from pbench.results import records
    from pbench.stats.score import benchmark_score

    comparisons = [
        records.comparison_of(c, f"{path}: comparisons[{i}]")
        for i, c in enumerate(_list(document, "comparisons", path))
    ]
    budgets = [
        records.budget_check_of(b, f"{path}: budgets[{i}]")
        for i, b in enumerate(_list(document, "budgets", path))
    ]
    scores = {r.name: benchmark_score(r.name, budgets) for r in results} if budgets else {}
    found = document.get("recommendations") or {}
    if not isinstance(found, dict):
        raise UsageError(f"{path}: 'recommendations' is not an object", hint=DAMAGED)
    recommendations = {str(k): _texts(v, f"{path}: recommendations") for k, v in found.items()}
    others = document.get("other_diagnoses") or {}
    if not isinstance(others, dict):
        raise UsageError(f"{path}: 'other_diagnoses' is not an object", hint=DAMAGED)
    other_diagnoses = {str(k): _texts(v, f"{path}: other_diagnoses") for k, v in others.items()}
    metadata = document.get("metadata")
    reference = document.get("reference")
    return RunResults(
        results=results,
        metadata=metadata if isinstance(metadata, dict) else {},
        reference=reference if isinstance(reference, str) else None,
        warnings=warnings,
        comparisons=comparisons,
        summaries=summaries,
        budgets=budgets,
        scores=scores,
        recommendations=recommendations,
        other_diagnoses=other_diagnoses,
    )


# The runs of one benchmark a report holds at most (a result file of 5 million runs took
# 2.1 GB and 51 s or more to report): an evenly spaced subsample of them, said so.
REPORT_RUNS = 100_000


def _result(
    value: Any, path: str, index: int, hyperfine: bool, max_runs: int | None = None
) -> tuple[BenchmarkResult, Summary | None, list[str]]:
    from pbench.models import BenchmarkResult
    from pbench.results import records

    entry, command, name, parsed = _checked_entry(value, index, path)
    where = f"{path}: '{name}'"
    runs, keep = _kept(entry, max_runs)
    info = dict(entry["info"]) if isinstance(entry.get("info"), dict) else {}
    if hyperfine:
        for key in ("user", "system"):
            if isinstance(entry.get(key), int | float):
                info[f"hyperfine_{key}_mean_s"] = entry[key]
    stop = entry.get("stop_reason")
    statistics = entry.get("statistics")
    result = BenchmarkResult(
        name=name,
        command=redact(str(entry.get("command_line") or command)),
        parameters=_parameters(entry.get("parameters"), where),
        info=info,
        measurements=_measurements(entry, where, keep),
        warmups=_int_or_none(entry.get("warmups")) or 0,
        stop_reason=cast("StopReason", stop) if stop in _STOP_REASONS else None,
        notes=_texts(entry.get("notes"), f"{where}.notes"),
        sections=_sections(entry),
        measure=_measure(entry, where),
    )
    summary = (
        records.summary_of_record(statistics, f"{where}.statistics")
        if isinstance(statistics, dict)
        else None
    )
    notes = _texts(entry.get("warnings"), f"{where}.warnings")
    if keep is not None:
        if summary is None:
            summary = _summary_of_all(entry, parsed)
        notes.append(
            f"{runs:,} runs: the report shows {len(keep):,} of them, evenly spaced in run "
            f"order (at most {max_runs:,} a benchmark); its statistics are of all {runs:,}"
        )
    return result, summary, notes


def _kept(entry: Mapping[str, Any], max_runs: int | None) -> tuple[int, list[int] | None]:
    """How many runs the entry holds, and which to keep (None: all)."""
    found = entry.get("measurements")
    times = entry.get("times")
    if isinstance(found, list) and (found or not times):
        runs = len(found)
    else:
        runs = len(times) if isinstance(times, list) else 0
    if max_runs is None or runs <= max_runs:
        return runs, None
    step = runs / max_runs
    return runs, [int(i * step) for i in range(max_runs)]


def _summary_of_all(entry: Mapping[str, Any], times: tuple[float, ...] | None) -> Summary:
    """The summary of every run of an entry whose runs the report does not all keep."""
    from pbench.stats.summary import summarize, summarize_in_slices

    found = entry.get("measurements")
    if isinstance(found, list) and found:  # every record checked by _measurements
        return summarize_in_slices([m["wall"] for m in found], [m["round"] for m in found])
    assert times  # _kept counted runs in them
    return summarize(times)


def _measurements(
    entry: Mapping[str, Any], where: str, keep: Sequence[int] | None = None
) -> list[Measurement]:
    from pbench.models import Measurement
    from pbench.results.records import number, record

    found = entry.get("measurements")
    if isinstance(found, list) and (found or not entry.get("times")):
        built = []
        kept = None if keep is None else set(keep)
        for i, m in enumerate(found):  # every record is checked, the kept ones kept
            at = f"{where}.measurements[{i}]"
            one = _measurement(record(m, at), at)
            if kept is None or i in kept:
                built.append(one)
        return built
    times = entry.get("times")
    if not isinstance(times, list):
        raise UsageError(f"{where} has no per-run 'times' list", hint=DAMAGED)
    # Every time was checked by _checked_entry; only those kept are built.
    memory = entry.get("memory_usage_byte")
    codes = entry.get("exit_codes")
    runs = []
    for i in range(len(times)) if keep is None else keep:
        wall = times[i]
        seconds = number({"times": wall}, "times", f"{where}: times[{i}]")
        if not math.isfinite(seconds) or seconds < 0:
            raise UsageError(f"{where}: times[{i}] is {wall}, not a time in seconds", hint=DAMAGED)
        peak = memory[i] if isinstance(memory, list) and i < len(memory) else None
        code = codes[i] if isinstance(codes, list) and i < len(codes) else 0
        runs.append(
            Measurement(
                wall_s=seconds, user_s=None, system_s=None,
                peak_rss_bytes=peak if isinstance(peak, int) else None,
                exit_code=code if isinstance(code, int) else None, signal=None,
                timed_out=False, error=None, round=i, position=0, iteration=i,
            )
        )  # fmt: skip
    return runs


def _measurement(rec: Mapping[str, Any], where: str) -> Measurement:
    from pbench.models import Measurement
    from pbench.results import records
    from pbench.results.records import number

    metrics: dict[str, float] = {}
    for key, value in rec.items():
        if key in RECORD_KEYS or not isinstance(value, int | float) or isinstance(value, bool):
            continue
        plain = key.removeprefix(METRIC_PREFIX)
        metrics[plain if plain in RECORD_KEYS else key] = value
    error = rec.get("error")
    wall = number(rec, "wall", where)
    if wall > MAX_TIME_S:
        raise UsageError(f"{where}: 'wall' is {wall:g}, not a time in seconds", hint=DAMAGED)
    return Measurement(
        wall_s=wall,
        user_s=records.optional_number(rec, "user", where),
        system_s=records.optional_number(rec, "system", where),
        peak_rss_bytes=_int_or_none(rec.get("peak_memory_bytes")),
        exit_code=_int_or_none(rec.get("exit_code")),
        signal=_int_or_none(rec.get("signal")),
        timed_out=rec.get("timed_out") is True,
        error=error if isinstance(error, str) else None,
        round=records.integer(rec, "round", where),
        position=records.integer(rec, "position", where, default=0),
        iteration=records.integer(rec, "iteration", where, default=0),
        loops=records.integer(rec, "loops", where, default=1),
        metrics=metrics,
    )


def _sections(entry: Mapping[str, Any]) -> dict[str, Any]:
    sections = {}
    for key, value in entry.items():
        if key in RESULT_KEYS:
            continue
        plain = key.removeprefix(SECTION_PREFIX)
        sections[plain if plain in RESULT_KEYS else key] = value
    return sections


def _texts(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{where} is not a list of strings", hint=DAMAGED)
    return list(value)


def _list(document: Mapping[str, Any], key: str, path: str) -> list[Any]:
    value = document.get(key) or []
    if not isinstance(value, list):
        raise UsageError(f"{path}: '{key}' is not a list", hint=DAMAGED)
    return value


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
