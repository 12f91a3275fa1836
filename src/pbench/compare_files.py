"""Reading saved results for ``pbench compare``: pbench's JSON and hyperfine's JSON.

Both share hyperfine's shape: a top-level ``results`` list whose entries carry
``command`` and per-run ``times`` in seconds (hyperfine has written ``times`` since its
JSON export's first versions; ``exit_codes``, ``memory_usage_byte`` and ``parameters``
come and go with its version and options and are not needed here). pbench adds
``schema_version`` and ``metadata`` at the top and ``name`` per result. A benchmark is
known by its ``name`` when present, else by its ``command``.

Every defect of a file is a :class:`UsageError` naming the file and, where it applies,
the entry; commands read from hyperfine files are scrubbed of credentials before they
are shown anywhere.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pbench.dsn import scrub
from pbench.errors import UsageError

Format = Literal["pbench", "hyperfine"]

_HEADER_SECRET = re.compile(
    r"(?P<key>\b(?:authorization|proxy-authorization|cookie|x-api-key)\s*:\s*)"
    r"(?P<value>[^'\"\n]+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Benchmark:
    """One benchmark's per-run times (seconds, execution order) from a result file."""

    name: str
    command: str
    times: tuple[float, ...]
    parameters: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ResultFile:
    path: str
    format: Format
    benchmarks: Mapping[str, Benchmark]  # by name, in file order


def redact(text: str) -> str:
    """Mask credentials in URLs and DSNs and the values of secret-bearing headers."""
    return _HEADER_SECRET.sub(lambda m: f"{m['key']}***", scrub(text))


def read_results(path: str, role: str) -> ResultFile:
    """Load ``path`` (``role`` is "baseline" or "candidate", for messages)."""
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
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{role} file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg})",
            hint="pass a file written by 'pbench --export-json' or 'hyperfine --export-json'",
        ) from None
    return parse_results(document, path, role)


def parse_results(document: Any, path: str, role: str) -> ResultFile:
    """Validate a decoded JSON document and index its benchmarks by name."""
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        raise UsageError(
            f"{role} file {path} has no 'results' list: not a pbench or hyperfine JSON export",
            hint="pass a file written by 'pbench --export-json' or 'hyperfine --export-json'",
        )
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
    if not benchmarks:
        raise UsageError(f"{role} file {path} holds no benchmark results", hint="rerun and export")
    return ResultFile(path=path, format=file_format, benchmarks=benchmarks)


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
    return Benchmark(
        name=name,
        command=command,
        times=_times(times, where),
        parameters=_parameters(entry.get("parameters"), where),
    )


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
