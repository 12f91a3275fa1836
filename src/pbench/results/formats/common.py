"""What every reader of another harness's file shares: the pbench-shaped document it
builds, and the one way a reader says the file is damaged.

A reader turns a harness's file into the document pbench's own JSON export is (a
``results`` list of entries with ``name``, ``command``, per-run ``times`` in seconds
and ``measurements`` with their ``round`` and an ``exit_code`` of 0: the harness
reported them as measured, not failed), so that ``pbench compare``, ``pbench
report`` and ``pbench history import`` read it as they read their own. Each entry
says where it came from in ``info``: ``format`` (the reader's name), ``unit`` (the
harness's unit of the values), ``direction`` (``lower`` is better for times, bytes and
allocations, ``higher`` for throughput) and, when the harness reported them, its
``counters`` (name → ``{"value", "unit", "direction"}``).

A benchmark the harness kept only as aggregates has no ``times`` (an empty list) and
its ``info`` holds ``aggregate``: ``{"mean", "stddev", "n"}`` in seconds (``stddev`` and
``n`` null where the format does not keep them), judged as such by
:mod:`pbench.stats.aggregate` and never turned into made-up values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from pbench.errors import UsageError
from pbench.results.schema import RESULT_FILE_SCHEMA_VERSION
from pbench.stats.aggregate import INFO_KEY as AGGREGATE

# Seconds per unit of the time units the harnesses write.
TIME_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}


class Damaged(UsageError):
    """A file recognised as one format whose content is truncated or inconsistent."""


@dataclass
class Entry:
    """One benchmark of a harness's file: its values in seconds, each with a round
    (a repetition, a process), and what the harness said beside them."""

    name: str
    command: str
    times: list[float] = field(default_factory=list)
    rounds: list[int] = field(default_factory=list)
    counters: dict[str, dict[str, Any]] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    # Only aggregates kept (no per-run values): mean and sd in seconds, n a count
    # (None where the format does not keep it); see pbench.stats.aggregate.
    aggregate: dict[str, Any] | None = None

    def aggregates(self, mean: Any, sd: Any, n: Any, where: str) -> None:
        """Keep the harness's mean (s), sd (s) and n of this benchmark, as they are."""
        if not finite(mean) or mean < 0:
            raise Damaged(f"{where}: the mean {mean!r} is not a time", hint=HINT)
        self.aggregate = {
            "mean": float(mean),
            "stddev": float(sd) if finite(sd) and sd >= 0 else None,
            "n": int(n) if finite(n) and n >= 1 and float(n).is_integer() else None,
        }

    def add(self, seconds: float, round_: int, where: str) -> None:
        if not math.isfinite(seconds) or seconds < 0:
            raise Damaged(f"{where}: {seconds!r} is not a time", hint=HINT)
        self.times.append(seconds)
        self.rounds.append(round_)


AGGREGATE_NOTE = (
    "the harness kept only aggregates (mean, sd, n), no per-run values: pbench judges "
    "from them (the mean's t interval, Welch's t-test) and invents none"
)
HINT = "the file is truncated or damaged; rerun the harness and pass the file it writes"


def document(format_name: str, entries: Sequence[Entry], unit: str, path: str) -> dict[str, Any]:
    """The pbench-shaped document of a harness's benchmarks (see the module docstring)."""
    if not entries:
        raise Damaged(f"{path} ({format_name}) holds no benchmark results", hint=HINT)
    results = []
    seen: set[str] = set()
    for entry in entries:
        if entry.name in seen:
            raise Damaged(f"{path} ({format_name}) has two benchmarks named '{entry.name}'",
                          hint=HINT)  # fmt: skip
        seen.add(entry.name)
        if not entry.times and entry.aggregate is None:
            raise Damaged(f"{path} ({format_name}): '{entry.name}' has no measured values",
                          hint=HINT)  # fmt: skip
        info = {"format": format_name, "unit": unit, "direction": "lower", **entry.info}
        notes = []
        if entry.aggregate is not None and not entry.times:
            info[AGGREGATE] = entry.aggregate
            notes.append(AGGREGATE_NOTE)
        if entry.counters:
            info["counters"] = entry.counters
        results.append({
            "name": entry.name,
            "command": entry.command,
            "times": entry.times,
            "measurements": [
                {"wall": t, "exit_code": 0, "round": r, "iteration": i}
                for i, (t, r) in enumerate(zip(entry.times, entry.rounds, strict=True))
            ],
            "info": info,
            **({"notes": notes} if notes else {}),
        })  # fmt: skip
    return {
        "schema_version": RESULT_FILE_SCHEMA_VERSION,
        "metadata": {"source_format": format_name},
        "results": results,
    }


def likeness(signs: int, of: int) -> float:
    """A detector's score from the ``signs`` of a format found, of ``of``: 1.0 (this
    format) when all are there, else a share below 1 (only the closest, for the message
    when no format matches)."""
    return 1.0 if signs == of else signs / (of + 1)


def finite(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise Damaged(f"{where} is not an object", hint=HINT)
    return value


def listing(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise Damaged(f"{where} is not a list", hint=HINT)
    return value


def aggregate_only(format_name: str, path: str, name: str, fix: str) -> Damaged:
    """The refusal for a benchmark whose aggregates cannot be read as a mean time."""
    return Damaged(
        f"{path} ({format_name}): '{name}' has only aggregates that are not a mean time "
        "per operation, and no per-run values; pbench will not invent them",
        hint=fix,
    )
