"""Reading saved results for ``pbench compare``: pbench's JSON and hyperfine's JSON.

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

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pbench.errors import UsageError
from pbench.results.redact import redact
from pbench.results.schema import RESULT_FILE_SCHEMA_VERSION
from pbench.stats.summary import slice_values

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

    @property
    def values(self) -> tuple[float, ...]:
        """The slice values, or the times when the file had no per-run rounds."""
        return self.slices or self.times


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
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        raise UsageError(
            f"{role} file {path} has no 'results' list: not a pbench or hyperfine JSON export",
            hint="pass a file written by 'pbench --export-json' or 'hyperfine --export-json'",
        )
    file_format: Format = "pbench" if "schema_version" in document else "hyperfine"
    version = document.get("schema_version")
    if _newer(version):
        raise UsageError(
            f"{role} file {path} has schema_version {version}, newer than this pbench "
            f"reads ({RESULT_FILE_SCHEMA_VERSION})",
            hint="compare it with the pbench version that wrote it, or upgrade pbench",
        )
    benchmarks: dict[str, Benchmark] = {}
    for index, entry in enumerate(document["results"]):
        benchmark = _benchmark(entry, index, path, file_format)
        if benchmark.name in benchmarks:
            raise UsageError(
                f"{role} file {path} has two benchmarks named '{benchmark.name}'",
                hint="give each command its own name when running (-n/--command-name)",
            )
        benchmarks[benchmark.name] = benchmark
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


def _newer(version: Any) -> bool:
    """A ``schema_version`` above the one this pbench writes (and so reads)."""
    number = isinstance(version, int | float) and not isinstance(version, bool)
    return number and float(version) > RESULT_FILE_SCHEMA_VERSION


def _benchmark(entry: Any, index: int, path: str, file_format: Format) -> Benchmark:
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
    where = f"{path}: '{name}'"
    times = entry.get("times")
    if not isinstance(times, list):
        hint = (
            "this hyperfine version did not export per-run times; rerun with a newer hyperfine"
            if file_format == "hyperfine"
            else "the file is damaged; re-export it"
        )
        raise UsageError(f"{where} has no per-run 'times' list", hint=hint)
    if not times:
        raise UsageError(f"{where} has no runs", hint="rerun it with at least 5 runs")
    load: LoadKind | None = None
    if isinstance(entry.get("load"), dict):
        load = "sql" if "sql" in entry else "http"
    parsed = _times(times, where)
    rounds = _rounds(entry.get("measurements"))
    statistics, info = entry.get("statistics"), entry.get("info")
    return Benchmark(
        name=name,
        command=command,
        times=parsed,
        parameters=_parameters(entry.get("parameters"), where),
        slices=_slices(entry.get("measurements")),
        load=load,
        rounds=rounds if len(rounds) == len(parsed) else (),
        statistics=statistics if isinstance(statistics, dict) else None,
        info=info if isinstance(info, dict) else {},
        sections={k: entry[k] for k in SECTIONS if isinstance(entry.get(k), dict)},
    )


def _rounds(measurements: Any) -> tuple[int, ...]:
    """Each measurement's ``round``; () when any is missing."""
    if not isinstance(measurements, list):
        return ()
    found = [r.get("round") if isinstance(r, dict) else None for r in measurements]
    ok = all(isinstance(r, int) and not isinstance(r, bool) for r in found)
    return tuple(int(r) for r in found if isinstance(r, int)) if ok else ()


def _slices(measurements: Any) -> tuple[float, ...]:
    """Slice values from ``measurements`` (wall grouped by round); () when unusable.

    Records without a finite, non-negative ``wall`` or an integer ``round`` make the
    whole list unusable, and the caller falls back to ``times``.
    """
    if not isinstance(measurements, list) or not measurements:
        return ()
    walls: list[float] = []
    rounds: list[int] = []
    for record in measurements:
        if not isinstance(record, dict):
            return ()
        wall, key = record.get("wall"), record.get("round")
        if not isinstance(wall, int | float) or isinstance(wall, bool):
            return ()
        if not math.isfinite(wall) or wall < 0:
            return ()
        if not isinstance(key, int) or isinstance(key, bool):
            return ()
        walls.append(float(wall))
        rounds.append(key)
    return tuple(slice_values(walls, rounds))


def _times(values: Sequence[Any], where: str) -> tuple[float, ...]:
    times: list[float] = []
    for position, value in enumerate(values):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value < 0:
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
