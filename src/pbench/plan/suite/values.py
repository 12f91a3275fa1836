"""The TOML types of option values, and ``parameters`` turned into -P/-D and -L.

:func:`normalize` checks a value against its key's shape and gives it the form the
command line would: numbers of seconds as text, one string as a list of one, an ``env``
table as ``NAME=value`` pairs. What a value means (is ``"fast"`` a duration?) is the
option's own business, checked afterwards by the schema's ``convert``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from pbench.errors import UsageError, shorten
from pbench.plan.suite.schema import Shape

Normal = bool | int | float | str | tuple[str, ...]

_EXPECTED: dict[Shape, str] = {
    "flag": "true or false",
    "int": "an integer",
    "number": "a number",
    "duration": 'a duration like "250ms" or a number of seconds',
    "fraction": 'a fraction like "2%" or 0.02',
    "text": "a string",
    "texts": "a string or a list of strings",
    "codes": 'a status like 200 or "2xx", or a list of them',
    "assignments": 'a table like { NAME = "value" }',
    "levels": "an integer, or a list of them like [1, 2, 4, 8]",
    "flag_or_codes": "true or false, or a list of exit codes like [1, 2]",
}


def shown(value: object) -> str:
    """A TOML value as a message shows it: strings quoted, containers by their type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{shorten(value, 60)}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime.date | datetime.time):
        return "a date or time"
    return repr(value)


def number_text(value: int | float) -> str:
    """A TOML number as the command line would write it (no exponent)."""
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# No count (runs, warmups, connections, ...) of a suite goes past this.
MAX_COUNT = 1_000_000_000


def normalize(shape: Shape, value: object) -> Normal:
    """``value`` in its command-line form; UsageError ``expected ..., got ...``."""
    fail = UsageError(f"expected {_EXPECTED[shape]}, got {shown(value)}")
    if shape == "flag":
        if not isinstance(value, bool):
            raise fail
        return value
    if shape == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise fail
        if abs(value) > MAX_COUNT:
            raise UsageError(f"{value} cannot be meant: the limit is {MAX_COUNT:,}")
        return value
    if shape == "flag_or_codes":  # ignore_failure = true, or [1, 2] (-i=1,2)
        if isinstance(value, bool):
            return value
        if not isinstance(value, list) or not value:
            raise fail
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in value):
            raise fail
        return ",".join(map(str, value))
    if shape == "levels":  # one concurrency, or a sweep's
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(i, int) and not isinstance(i, bool) for i in items):
            raise fail
        return value if isinstance(value, int) else ",".join(map(str, items))
    if shape == "number":
        if not _is_number(value):
            raise fail
        return value  # type: ignore[return-value]  # an int or a float, checked above
    if shape in ("duration", "fraction"):
        if _is_number(value):
            return number_text(value)  # type: ignore[arg-type]  # checked above
        if not isinstance(value, str):
            raise fail
        return value
    if shape == "text":
        if not isinstance(value, str):
            raise fail
        return value
    if shape == "assignments":
        return _assignments(value, fail)
    items = value if isinstance(value, list) else [value]
    numbers_too = shape == "codes"
    texts: list[str] = []
    for item in items:
        if isinstance(item, str):
            texts.append(item)
        elif numbers_too and isinstance(item, int) and not isinstance(item, bool):
            texts.append(str(item))
        else:
            raise fail
    return tuple(texts)


def _assignments(value: object, fail: UsageError) -> tuple[str, ...]:
    if isinstance(value, Mapping):
        pairs = []
        for name, item in value.items():
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise UsageError(f"{name}: expected a string, got {shown(item)}")
            pairs.append(f"{name}={item if isinstance(item, str) else number_text(item)}")
        return tuple(pairs)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise fail


@dataclass(frozen=True)
class Parameters:
    """A ``parameters`` table as the subcommand's -P/-D and -L, and the names in the
    order they were written."""

    scans: tuple[tuple[str, str, str], ...] = ()
    step: str | None = None
    lists: tuple[tuple[str, str], ...] = ()
    names: tuple[str, ...] = ()


def parameters(value: object) -> tuple[Parameters, list[tuple[tuple[str, ...], str]]]:
    """``{ n = [1, 2, 4] }`` -> -L n 1,2,4; ``{ n = { min = 1, max = 8, step = 2 } }``
    -> -P n 1 8 -D 2. Problems come back as (keys below ``parameters``, message)."""
    problems: list[tuple[tuple[str, ...], str]] = []
    if not isinstance(value, Mapping):
        return Parameters(), [((), f"expected a table of parameters, got {shown(value)}")]
    scans: list[tuple[str, str, str]] = []
    steps: dict[str, str | None] = {}
    lists: list[tuple[str, str]] = []
    for name, spec in value.items():
        if isinstance(spec, list):
            texts = [_item(x) for x in spec]
            bad = next((x for x in spec if _item(x) is None), None)
            if not spec or bad is not None:
                got = "an empty list" if not spec else shown(bad)
                problems.append(((name,), f"expected a list of strings or numbers, got {got}"))
            elif any("," in text for text in texts if text is not None):
                problems.append(((name,), "a value cannot contain a comma (-L splits on commas)"))
            else:
                lists.append((name, ",".join(t for t in texts if t is not None)))
        elif isinstance(spec, Mapping):
            unknown = [key for key in spec if key not in ("min", "max", "step")]
            bounds = [_item(spec.get(key)) for key in ("min", "max")]
            if unknown:
                problems.append(((name, unknown[0]), "unknown key: a scan has min, max and step"))
            elif bounds[0] is None or bounds[1] is None:
                problems.append(((name,), "a scan needs min and max (numbers), step optional"))
            else:
                scans.append((name, bounds[0], bounds[1]))
                steps[name] = _item(spec["step"]) if "step" in spec else None
        else:
            problems.append(
                ((name,), f"expected a list of values or {{ min, max, step }}, got {shown(spec)}")
            )
    if len(set(steps.values())) > 1:
        problems.append(((), "every scan takes the same step (the command line has one -D)"))
    step = next(iter(steps.values()), None)
    return Parameters(tuple(scans), step, tuple(lists), tuple(value)), problems


def _item(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if _is_number(value):
        return number_text(value)  # type: ignore[arg-type]  # checked above
    return None
