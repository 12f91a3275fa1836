"""The result files of other harnesses, read as pbench's own: a registry of formats,
each found from the file's content (or forced by name with ``--format NAME``).

:func:`as_document` is the one hook the result readers call: it returns a decoded
pbench or hyperfine JSON document unchanged, and turns any other known format into
the same shape (:mod:`pbench.results.formats.common`). A file of no known shape gets
one message naming the formats tried and the one it is closest to; a file recognised
as one format but truncated or inconsistent is refused whole (:class:`Damaged`, exit
2), so nothing of it reaches a comparison, a report or the history.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pbench.errors import UsageError
from pbench.results.formats import (
    aggregates,
    benchmarkdotnet,
    criterion,
    go_bench,
    google_benchmark,
    jmh,
    pyperf,
    pytest_benchmark,
)
from pbench.results.formats.common import Damaged

__all__ = ["FORMATS", "NAMES", "Damaged", "as_document", "check_format"]

NATIVE = "pbench"  # pbench's and hyperfine's JSON export, and pbench compare's JSON


@dataclass(frozen=True)
class Format:
    name: str
    detect: Callable[[Any], float]  # 1.0: this format; below: how close it is
    read: Callable[[Any, str], dict[str, Any]]
    text: bool = False  # read from the text, not from decoded JSON


def _native(found: Any) -> float:
    if not isinstance(found, dict):
        return 0.0
    if isinstance(found.get("results"), list) or "compare_schema_version" in found:
        return 1.0
    return 0.0


def _same(found: Any, path: str) -> dict[str, Any]:
    return found  # type: ignore[no-any-return]


FORMATS: tuple[Format, ...] = (
    Format(NATIVE, _native, _same),
    Format(pytest_benchmark.NAME, pytest_benchmark.detect, pytest_benchmark.read),
    Format(pyperf.NAME, pyperf.detect, pyperf.read),
    Format(google_benchmark.NAME, google_benchmark.detect, google_benchmark.read),
    Format(jmh.NAME, jmh.detect, jmh.read),
    Format(criterion.NAME, criterion.detect, criterion.read),
    Format(benchmarkdotnet.NAME, benchmarkdotnet.detect, benchmarkdotnet.read),
    Format(go_bench.NAME, go_bench.detect_text, go_bench.read_text, text=True),
    Format(aggregates.BMF, aggregates.detect_bmf, aggregates.read_bmf),
    Format(aggregates.LOCUST, aggregates.detect_locust, aggregates.read_locust, text=True),
    Format(aggregates.CATCH2, aggregates.detect_catch2, aggregates.read_catch2, text=True),
)
NAMES = tuple(f.name for f in FORMATS)


def check_format(name: str) -> str:
    """``name`` when it names a format (``--input-format``), else a :class:`UsageError`."""
    if name not in NAMES:
        raise UsageError(f"unknown --input-format '{name}'", hint=f"use one of: {', '.join(NAMES)}")
    return name


def as_document(text: str, path: str, role: str, forced: str | None = None) -> Any:
    """The pbench-shaped document of a result file's ``text`` (see the module docstring),
    read as the format named ``forced`` (``--input-format``) or the one its content shows."""
    decoded: Any = None
    error: json.JSONDecodeError | None = None
    try:
        decoded = json.loads(text)
    except json.JSONDecodeError as exc:
        error = exc
    except RecursionError:
        raise UsageError(
            f"{role} file {path} is malformed: nested too deep to be a result file",
            hint="pass a file written by 'pbench --export-json' or 'hyperfine --export-json'",
        ) from None
    if forced is not None:
        chosen = next(f for f in FORMATS if f.name == forced)
        if not chosen.text and error is not None:
            raise _not_json(role, path, error, forced)
        if chosen.detect(text if chosen.text else decoded) <= 0.0:
            raise UsageError(
                f"{role} file {path} is not a {forced} file",
                hint="drop --input-format to have the format found from the content",
            )
        return chosen.read(text if chosen.text else decoded, path)
    closest, best = None, 0.0
    for candidate in FORMATS:
        if candidate.text != (error is not None):
            continue
        score = candidate.detect(text if candidate.text else decoded)
        if score >= 1.0:
            return candidate.read(text if candidate.text else decoded, path)
        if score > best:
            closest, best = candidate, score
    if error is not None and (closest is None or text.lstrip()[:1] in "{["):
        raise _not_json(role, path, error, None)
    near = f"; closest: {closest.name}" if closest is not None else ""
    raise UsageError(
        f"{role} file {path} has no 'results' list (pbench, hyperfine) and is of no other "
        f"known shape (tried: {', '.join(NAMES)}){near}",
        hint="pass a file one of these writes, or force one with --input-format NAME",
    )


def _not_json(role: str, path: str, error: json.JSONDecodeError, forced: str | None) -> UsageError:
    as_what = f" ({forced})" if forced else ""
    return UsageError(
        f"{role} file {path} is not valid JSON{as_what} (line {error.lineno}, column "
        f"{error.colno}: {error.msg})",
        hint="the file is truncated or damaged; pass a file written by pbench, hyperfine "
        f"or a harness pbench reads ({', '.join(NAMES[1:])})",
    )
