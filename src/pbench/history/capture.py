"""A finished invocation (:class:`~pbench.models.RunResults`) as a :class:`RunRecord`.

Every text that goes into a record passes through :func:`pbench.results.redact.redact`
here (commands, names, settings, sections, budget notes, suite fields; a mapping key
that names a secret, such as ``PGPASSWORD``, has its value masked), so nothing a store
keeps can hold a password or a token that the exports would not show.

The machine fitness check (``metadata["fitness"]``, which ``pbench suite`` records
when it saves) goes with the run.

Saved: benchmarks that finished (a failed or interrupted benchmark's figures are
incomplete and would mislead a trend). A load run's request sample is left out (up
to ``--keep-samples`` rows a benchmark; the export files keep it): its slices and its
latency figures are kept.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pbench.history.fingerprint import machine_from, this_host
from pbench.history.records import ResultRecord, RunRecord, Samples, Unit
from pbench.models import BenchmarkResult, RunResults
from pbench.results.redact import MASK, redact, secret_name
from pbench.stats.aggregate import of_info, record_figures

UNSAVED_STOPS = ("failed", "interrupted")


def record_run(run_results: RunResults, status: int = 0, host: str | None = None) -> RunRecord:
    """The record of one invocation, measured on ``host`` (default: this machine)."""
    metadata = run_results.metadata
    git = _section(metadata, "git")
    suite = _section(metadata, "suite")
    results = [
        _result(result, run_results)
        for result in run_results.results
        if (result.measurements or of_info(result.info) is not None)
        and result.stop_reason not in UNSAVED_STOPS
    ]
    tags = suite.get("tags") or ()
    return RunRecord(
        time=parse_time(metadata.get("start_time")) or datetime.now(UTC),
        commit=_text(git.get("commit")),
        branch=_text(git.get("branch")),
        dirty=git.get("dirty") if isinstance(git.get("dirty"), bool) else None,
        machine=machine_from(metadata, host if host is not None else this_host()),
        results=results,
        suite_file=_text(suite.get("file")),
        suite_tier=_text(suite.get("tier")),
        suite_tags=tuple(redact(str(tag)) for tag in tags),
        status=status,
        fitness=fitness_of(metadata),
    )


def _result(result: BenchmarkResult, run_results: RunResults) -> ResultRecord:
    summary = run_results.summary(result)
    rounds = [m.round for m in result.measurements]
    sliced = "load" in result.sections or len(set(rounds)) < len(rounds)
    unit: Unit = "slices" if sliced else "runs"
    n = len(set(rounds)) if sliced else len(rounds)
    if result.summary_override is None and summary is not None and not sliced:
        n = summary.n
    checks = [_check(check) for check in run_results.budgets if check.benchmark == result.name]
    aggregate = of_info(result.info) if not result.measurements else None
    if aggregate is not None:  # a harness kept only mean, sd and n: saved as those
        return ResultRecord(
            benchmark=redact(result.name),
            kind=kind_of(result.info, result.sections),
            command=redact(result.command),
            settings=redacted({"info": dict(result.info), "parameters": dict(result.parameters)}),
            n=aggregate.n or 0,
            unit="runs",
            samples=Samples(times=(), rounds=(), sections=sections(result.sections)),
            budgets=checks,
            measure=result.measure,
            **record_figures(aggregate),
        )
    return ResultRecord(
        benchmark=redact(result.name),
        kind=kind_of(result.info, result.sections),
        command=redact(result.command),
        settings=redacted({"info": dict(result.info), "parameters": dict(result.parameters)}),
        n=n,
        unit=unit,
        median=None if summary is None else _finite(summary.median),
        median_low=None if summary is None else _finite(summary.median_ci.low),
        median_high=None if summary is None else _finite(summary.median_ci.high),
        mean=None if summary is None else _finite(summary.mean),
        mean_low=None if summary is None else _finite(summary.mean_ci.low),
        mean_high=None if summary is None else _finite(summary.mean_ci.high),
        stddev=None if summary is None else _finite(summary.stddev),
        min=None if summary is None else _finite(summary.min),
        max=None if summary is None else _finite(summary.max),
        samples=Samples(
            times=tuple(result.times), rounds=tuple(rounds), sections=sections(result.sections)
        ),
        budgets=checks,
        measure=result.measure,
    )


def fitness_of(metadata: Mapping[str, Any]) -> dict[str, Any] | None:
    """The machine fitness check in ``metadata["fitness"]`` (``pbench suite`` records it
    when it saves), redacted; None when there is none or it says nothing of ``fit``."""
    found = metadata.get("fitness")
    if not isinstance(found, Mapping) or not isinstance(found.get("fit"), bool):
        return None
    result: dict[str, Any] = redacted(found)
    return result


def kind_of(info: Mapping[str, Any], found: Mapping[str, Any]) -> str:
    """command, http or sql: what the result's ``info`` says (its ``type`` or
    ``kind``), else what its sections say."""
    kind = info.get("type") or info.get("kind")
    if isinstance(kind, str) and kind in ("command", "http", "sql"):
        return kind
    if "sql" in found:
        return "sql"
    return "http" if "load" in found else "command"


def sections(found: Mapping[str, Any]) -> dict[str, Any]:
    """The result's sections to keep, redacted, without a load run's request sample."""
    kept: dict[str, Any] = {}
    for key, value in found.items():
        if key == "load" and isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if k != "sample"}
        kept[key] = value
    result: dict[str, Any] = redacted(kept)
    return result


def _check(check: Any) -> dict[str, Any]:
    import dataclasses

    fields = {f.name: getattr(check, f.name) for f in dataclasses.fields(check)}
    return {key: _finite(v) if isinstance(v, float) else v for key, v in redacted(fields).items()}


def redacted(value: Any) -> Any:
    """``value`` (JSON-like data) with every text redacted, and the values of keys
    that name a secret masked. A list of words that holds a secret only when joined
    (a command's argv: ``Authorization:``, ``Bearer``, the token) is kept as one
    redacted text."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {
            redact(str(key)): MASK if secret_name(str(key)) and isinstance(item, str)
            else redacted(item)
            for key, item in value.items()
        }  # fmt: skip
    if isinstance(value, list | tuple):
        items = [redacted(item) for item in value]
        if value and all(isinstance(item, str) for item in value):
            joined = " ".join(value)  # a secret split over words: argv = [..., "Bearer", "x"]
            if redact(joined) != " ".join(items):
                return [redact(joined)]
        return items
    if isinstance(value, float):
        return _finite(value)
    return value


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time (``2026-01-02T03:04:05.678Z``) as an aware UTC datetime."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _section(metadata: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    found = metadata.get(key)
    return found if isinstance(found, Mapping) else {}


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _text(value: Any) -> str | None:
    return None if value is None else redact(str(value))
