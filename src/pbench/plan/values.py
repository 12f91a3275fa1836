"""Parsing of user-facing values: durations, percentages, NAME=VALUE pairs.

Pure functions raising :class:`pbench.errors.UsageError` with the offending option named;
the click ParamTypes in :mod:`pbench.cli.common` wrap them.
"""

from __future__ import annotations

import re

from pbench.errors import UsageError

# The metadata key of a typed flag's field that names the function turning its option's
# text into the field's value (read by :func:`pbench.cli.common.flags_from`).
FROM_TEXT = "parse"

_DURATION = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(ns|us|µs|ms|s|m|min|h)?\s*$")
_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    None: 1.0,
    "m": 60.0,
    "min": 60.0,
    "h": 3600.0,
}


def parse_duration(text: str, option: str) -> float:
    """``"500ms"``, ``"2s"``, ``"1.5"`` (seconds), ``"1m"`` → seconds (> 0)."""
    match = _DURATION.match(text)
    if not match:
        raise UsageError(
            f"{option}: {text!r} is not a duration",
            "write a number with an optional unit: 500ms, 2s, 1.5, 1m",
        )
    seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise UsageError(f"{option}: the duration must be greater than 0", "e.g. 500ms or 2s")
    return seconds


def parse_fraction(text: str, option: str) -> float:
    """``"2%"`` or ``"0.02"`` → 0.02 (must lie in (0, 1))."""
    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise UsageError(f"{option}: {text!r} is not a percentage", "e.g. 2% or 0.02") from None
    if not 0 < value < 1:
        raise UsageError(f"{option}: {text!r} must lie between 0% and 100%", "e.g. 2% or 0.02")
    return value


def parse_assignment(text: str, option: str) -> tuple[str, str]:
    """``NAME=VALUE`` → (NAME, VALUE)."""
    name, sep, value = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise UsageError(f"{option}: {text!r} is not NAME=VALUE", f"e.g. {option} LANG=C")
    return name, value


def parse_exit_codes(text: str) -> frozenset[int] | None:
    """``--ignore-failure=CODES``: ``all`` → None (every code), ``1,2`` → {1, 2}."""
    if text.strip() in ("", "all", "all-non-zero"):
        return None
    try:
        codes = frozenset(int(part) for part in text.split(","))
    except ValueError:
        raise UsageError(
            f"--ignore-failure: {text!r} is not a list of exit codes",
            "write -i (any non-zero exit) or --ignore-failure=1,2",
        ) from None
    if any(not 0 <= code <= 255 for code in codes):
        raise UsageError("--ignore-failure: exit codes lie between 0 and 255", "e.g. 1,2")
    return codes


def parse_start_at(text: str | None, option: str = "--start-at") -> float | None:
    """``--start-at`` as seconds since the epoch: ISO 8601 (``2026-12-01T12:00:00Z``,
    with an offset, or without one in local time) or ``@EPOCH`` seconds."""
    if text is None:
        return None
    from datetime import datetime

    value = text.strip()
    try:
        if value.startswith("@"):
            return float(value[1:])
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{option}: {text!r} is not a time",
            "write an ISO 8601 wall-clock time, e.g. 2026-12-01T12:00:00Z, or @EPOCH seconds",
        ) from None
    return moment.timestamp()


def concurrency_levels(value: int | tuple[int, ...] | None) -> tuple[int, ...]:
    """The levels of a ``-j``/``-c``/``--clients`` value (``8``, or ``(1, 2, 4, 8)`` for
    a sweep; :class:`pbench.cli.common.LevelsType`): () when not given."""
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)
