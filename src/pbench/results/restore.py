"""A result file read back as the :class:`~pbench.models.RunResults` that wrote it, for
reports (``pbench report``): pbench's JSON export (schema 1 and 2) and hyperfine's.

A pbench result comes back whole: its measurements from ``measurements`` (or, in a
file without them, from ``times``, ``memory_usage_byte`` and ``exit_codes``), its
statistics from ``statistics`` (so a load run's summary over its full histogram is
kept, not recomputed from the capped sample of runs), ``warmups``, ``stop_reason``,
``info``, ``notes``, ``warnings`` and every target-specific section (any key the
export does not define). The document's ``reference``, ``comparisons`` (restored as
written, see :mod:`pbench.results.records`), ``budgets`` and ``recommendations`` come
back as they were; scores are recomputed from the budgets (the same function of the
same checks gives the same figures).

A hyperfine result has per-run ``times`` (always), ``memory_usage_byte`` and
``exit_codes`` (newer versions): each run becomes one measurement in its own round, as
a sequential command run's would. hyperfine's ``user``/``system`` are only means, not
per-run values, and are kept in ``info`` (``hyperfine_user_mean_s``,
``hyperfine_system_mean_s``) rather than invented per run. Its commands are scrubbed
of credentials, as ``pbench compare`` does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast

from pbench.errors import UsageError
from pbench.models import BenchmarkResult, Measurement, RunResults, StopReason
from pbench.results import records
from pbench.results.records import DAMAGED, number, record
from pbench.results.redact import redact
from pbench.results.schema import RESULT_FILE_SCHEMA_VERSION
from pbench.stats.summary import Summary

# The keys the JSON export writes for every result: any other key is a section.
_RESULT_KEYS = frozenset(
    ("command", "mean", "stddev", "median", "user", "system", "min", "max", "times",
     "memory_usage_byte", "exit_codes", "parameters", "name", "command_line", "statistics",
     "measurements", "warmups", "stop_reason", "info", "notes", "warnings")
)  # fmt: skip
_RECORD_KEYS = frozenset(
    ("wall", "user", "system", "peak_memory_bytes", "exit_code", "signal", "timed_out",
     "error", "round", "position", "iteration", "loops")
)  # fmt: skip
_STOP_REASONS = frozenset(
    ("runs", "time", "precision", "budget", "max-runs", "interrupted", "failed")
)


def is_result_document(document: Any) -> bool:
    return isinstance(document, dict) and isinstance(document.get("results"), list)


def restore(document: Any, path: str) -> RunResults:
    """The :class:`RunResults` of a decoded pbench or hyperfine JSON export."""
    if not is_result_document(document):
        raise UsageError(
            f"{path} has no 'results' list: not a pbench or hyperfine JSON export, nor "
            "a 'pbench compare' JSON",
            hint="pass files written by --export-json (pbench, hyperfine, pbench compare)",
        )
    version = document.get("schema_version")
    hyperfine = version is None
    if not hyperfine and (not isinstance(version, int) or version > RESULT_FILE_SCHEMA_VERSION):
        raise UsageError(
            f"{path} has schema_version {records.shown(version)}; this pbench reads 1 to "
            f"{RESULT_FILE_SCHEMA_VERSION}",
            hint="report it with the pbench version that wrote it, or upgrade pbench",
        )
    results: list[BenchmarkResult] = []
    summaries: dict[str, Summary | None] = {}
    warnings: dict[str, list[str]] = {}
    for index, entry in enumerate(document["results"]):
        rec = record(entry, f"{path}: results[{index}]")
        result, summary, found = _result(rec, path, index, hyperfine)
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
    return _document_level(document, path, results, summaries, warnings)


def _document_level(
    document: Mapping[str, Any],
    path: str,
    results: list[BenchmarkResult],
    summaries: dict[str, Summary | None],
    warnings: dict[str, list[str]],
) -> RunResults:
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
    )


def _result(
    entry: Mapping[str, Any], path: str, index: int, hyperfine: bool
) -> tuple[BenchmarkResult, Summary | None, list[str]]:
    where = f"{path}: results[{index}]"
    command = redact(_string(entry, "command", where))
    name = redact(_string(entry, "name", where)) if entry.get("name") is not None else command
    where = f"{path}: '{name}'"
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
        measurements=_measurements(entry, where),
        warmups=_int_or_none(entry.get("warmups")) or 0,
        stop_reason=cast(StopReason, stop) if stop in _STOP_REASONS else None,
        notes=_texts(entry.get("notes"), f"{where}.notes"),
        sections=_sections(entry),
    )
    summary = (
        records.summary_of_record(statistics, f"{where}.statistics")
        if isinstance(statistics, dict)
        else None
    )
    return result, summary, _texts(entry.get("warnings"), f"{where}.warnings")


def _measurements(entry: Mapping[str, Any], where: str) -> list[Measurement]:
    found = entry.get("measurements")
    if isinstance(found, list) and (found or not entry.get("times")):
        return [_measurement(record(m, f"{where}.measurements[{i}]"), f"{where}.measurements[{i}]")
                for i, m in enumerate(found)]  # fmt: skip
    times = entry.get("times")
    if not isinstance(times, list):
        raise UsageError(f"{where} has no per-run 'times' list", hint=DAMAGED)
    memory = entry.get("memory_usage_byte")
    codes = entry.get("exit_codes")
    runs = []
    for i, wall in enumerate(times):
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
    metrics: dict[str, float] = {}
    for key, value in rec.items():
        if key in _RECORD_KEYS or not isinstance(value, int | float) or isinstance(value, bool):
            continue
        plain = key.removeprefix("metric_")
        metrics[plain if plain in _RECORD_KEYS else key] = value
    error = rec.get("error")
    return Measurement(
        wall_s=number(rec, "wall", where),
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
        if key in _RESULT_KEYS:
            continue
        plain = key.removeprefix("section_")
        sections[plain if plain in _RESULT_KEYS else key] = value
    return sections


def _string(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str):
        raise UsageError(f"{where} has no '{key}' string", hint=DAMAGED)
    return value


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


def _parameters(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UsageError(f"{where}: 'parameters' is not an object", hint=DAMAGED)
    return {str(k): str(v) for k, v in value.items()}


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
