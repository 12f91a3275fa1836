"""Result files (pbench's or hyperfine's JSON, read by :mod:`pbench.results.read`) as
records to save: ``pbench history import``.

When and where: a pbench file's metadata gives the start time, the git commit, branch
and dirtiness, and the machine (without its host, which result files leave out:
``host`` supplies it). What the file does not say comes from the caller (``--time``,
``--commit``, ``--branch``); a file without a time takes its modification time. A
hyperfine file says none of it, so its machine is unknown but for ``host``.

Figures: a pbench file's own ``statistics`` (a load run's median and interval come
from its exact histogram, which the file no longer has), counted in slices where its
runs came in slices; a hyperfine file's are computed from its ``times``. Everything
textual is redacted as for a live run (:func:`pbench.history.capture.redacted`).

A file once imported is known by the SHA-256 of its bytes (:func:`file_digest`), saved
with its run (``runs.source_digest``): importing it again is skipped, since the same
measurements twice would double their weight in a trend and move ``latest``. The hash
of the bytes covers a pbench file's start time; a hyperfine file has none (its time is
its modification time or ``--time``, which a copy changes), so the time is not part of
the key.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pbench.history.capture import fitness_of, kind_of, parse_time, redacted, sections
from pbench.history.fingerprint import machine_from
from pbench.history.records import ResultRecord, RunRecord, Samples, Unit
from pbench.results.read import Benchmark, ResultFile
from pbench.results.redact import redact


@dataclass(frozen=True)
class Given:
    """What the caller says about a file where the file is silent."""

    modified: datetime  # the file's modification time, the last resort for its time
    time: datetime | None = None
    commit: str | None = None
    branch: str | None = None
    host: str | None = None


def file_digest(path: str) -> str:
    """The SHA-256 (hex) of the file's bytes: what recognises a file already imported."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def import_record(
    found: ResultFile, given: Given, digest: str | None = None
) -> tuple[RunRecord, list[str]]:
    """The record of one result file (``digest``: its :func:`file_digest`), and notes on
    what the file overrode."""
    metadata = found.metadata
    git = metadata.get("git") if isinstance(metadata.get("git"), Mapping) else None
    from_file = {
        "time": parse_time(metadata.get("start_time")),
        "commit": _text(git.get("commit")) if git else None,
        "branch": _text(git.get("branch")) if git else None,
    }
    notes = [
        f"{found.path}: --{key} ignored: the file says {from_file[key]}"
        for key in ("time", "commit", "branch")
        if from_file[key] is not None and getattr(given, key) is not None
        and from_file[key] != getattr(given, key)
    ]  # fmt: skip
    time = from_file["time"] or given.time or given.modified
    assert isinstance(time, datetime)
    commit = from_file["commit"] or given.commit
    branch = from_file["branch"] or given.branch
    dirty = git.get("dirty") if git and isinstance(git.get("dirty"), bool) else None
    record = RunRecord(
        time=time,
        commit=None if commit is None else str(commit),
        branch=None if branch is None else str(branch),
        dirty=dirty,
        machine=machine_from(metadata, given.host),
        results=[_result(b, found) for b in found.benchmarks.values()],
        source=f"{found.format}-file",
        fitness=fitness_of(metadata),
        source_digest=digest,
    )
    return record, notes


def _result(benchmark: Benchmark, found: ResultFile) -> ResultRecord:
    """One benchmark as saved; one a file holds only as mean, sd and n is saved as
    those (n 0 when the file does not say; no median, no samples)."""
    from pbench.stats.aggregate import record_figures

    times = benchmark.times
    rounds = benchmark.rounds or tuple(range(len(times)))
    sliced = benchmark.load is not None or len(set(rounds)) < len(rounds)
    unit: Unit = "slices" if sliced else "runs"
    aggregate = benchmark.aggregate
    figures = _figures(benchmark) if aggregate is None else record_figures(aggregate)
    checks = [redacted(dict(c)) for c in found.budgets if c.get("benchmark") == benchmark.name]
    return ResultRecord(
        benchmark=benchmark.name,
        kind=kind_of(benchmark.info, benchmark.sections),
        command=redact(benchmark.command),
        settings=redacted({"info": dict(benchmark.info), "parameters": dict(benchmark.parameters)}),
        n=(len(set(rounds)) if sliced else len(times)) if aggregate is None else aggregate.n or 0,
        unit=unit,
        samples=Samples(times=times, rounds=rounds, sections=sections(benchmark.sections)),
        budgets=checks,
        measure=benchmark.measure,
        **figures,
    )


def _figures(benchmark: Benchmark) -> dict[str, float | None]:
    """Median, mean, their intervals, stddev, min and max: the file's statistics when
    it has them, else computed from the slices (or times)."""
    stats = benchmark.statistics
    if stats is not None and _number(stats.get("median")) is not None:
        median_ci, mean_ci = _pair(stats.get("median_ci")), _pair(stats.get("mean_ci"))
        return {
            "median": _number(stats.get("median")),
            "median_low": median_ci[0],
            "median_high": median_ci[1],
            "mean": _number(stats.get("mean")),
            "mean_low": mean_ci[0],
            "mean_high": mean_ci[1],
            "stddev": _number(stats.get("stddev")),
            "min": _number(stats.get("min")),
            "max": _number(stats.get("max")),
        }
    from pbench.stats.summary import summarize, summarize_in_slices

    rounds = benchmark.rounds
    summary = summarize_in_slices(benchmark.times, rounds) if rounds else summarize(benchmark.times)
    return {
        "median": summary.median,
        "median_low": summary.median_ci.low,
        "median_high": summary.median_ci.high,
        "mean": summary.mean,
        "mean_low": summary.mean_ci.low,
        "mean_high": summary.mean_ci.high,
        "stddev": summary.stddev,
        "min": summary.min,
        "max": summary.max,
    }


def _pair(value: Any) -> tuple[float | None, float | None]:
    if isinstance(value, list) and len(value) == 2:
        return _number(value[0]), _number(value[1])
    return None, None


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _text(value: Any) -> str | None:
    return None if value is None else redact(str(value))
