"""Readable and fast JSON text: nested objects indented, long lists kept on few lines.

``json.dumps(indent=2)`` falls back to the pure-Python encoder and puts every number of
every run on its own line (3x slower, 10x longer). Here objects are indented, lists of
scalars (``times``) stay on one line and each item of a :class:`Rows` list (one record
per run) on one line of its own, all written by the C encoder.

Values that JSON cannot hold are made safe instead of failing: NaN and ±infinity become
``null``, other mappings become objects, tuples and sets become lists, and any other
object becomes its ``str()``.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Mapping, Set
from typing import Any

from pbench.results.escape import json_escaped

_INDENT = "  "
_SCALARS = (str, int, float, bool, type(None))


class Rows(list[Any]):
    """A list rendered one item per line (a table of records)."""


class Rendered(str):
    """JSON text rendered before (by :func:`pretty` at the level it is placed at),
    inserted as it is."""


def dumps(value: Any) -> str:
    """The JSON text of ``value`` followed by a newline."""
    return _pretty(value, 0) + "\n"


def pretty(value: Any, level: int) -> str:
    """The JSON text of ``value`` as it reads nested ``level`` deep (no newline)."""
    return _pretty(value, level)


def _pretty(value: Any, level: int) -> str:
    kind = type(value)
    if kind in _PLAIN:  # most values: no isinstance chain, no encoder call
        return _plain(value, kind)
    inner = _INDENT * (level + 1)
    outer = _INDENT * level
    if kind is dict:
        return _mapping(value, level, inner, outer)
    if isinstance(value, Rendered):
        return str(value)
    if isinstance(value, Rows):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _compact(v) for v in value) + "\n" + outer + "]"
    if isinstance(value, Mapping):
        return _mapping(value, level, inner, outer)
    if isinstance(value, list | tuple):
        if all(isinstance(v, _SCALARS) and not isinstance(v, Rendered) for v in value):
            return _compact(value)
        return "[\n" + ",\n".join(inner + _pretty(v, level + 1) for v in value) + "\n" + outer + "]"
    return _compact(value)


def _mapping(value: Mapping[Any, Any], level: int, inner: str, outer: str) -> str:
    if not value:
        return "{}"
    items = []
    keys = _KEYS
    for k, v in value.items():
        key = keys.get(k) if type(k) is str else None
        if key is None:
            key = _key(k)
        kind = type(v)
        # The commonest values written here, without a call (as _plain writes them).
        if kind is float:
            text = float.__repr__(v) if v - v == 0.0 else "null"  # nan, ±inf: null
        elif v is None:
            text = "null"
        elif kind is int:
            text = int.__repr__(v)
        else:
            text = _pretty(v, level + 1)
        items.append(f"{inner}{key}: {text}")
    return "{\n" + ",\n".join(items) + "\n" + outer + "}"


# Exact types whose text _plain writes without the encoder (subclasses, such as
# Rendered or numpy's float64, take the general path).
_PLAIN = frozenset({float, int, bool, type(None), str})
_KEYS: dict[str, str] = {}  # key -> its JSON text: the same few hundred keys recur
# Short string values -> their JSON text: stop reasons, modes, units recur in every
# result of a scan (its names and command lines fill the rest, up to the bound).
_STRINGS: dict[str, str] = {}


def _plain(value: Any, kind: type) -> str:
    if kind is float:
        return float.__repr__(value) if math.isfinite(value) else "null"
    if kind is str:
        text = _STRINGS.get(value)
        if text is None:
            text = _compact(value)
            if len(_STRINGS) < 4096 and len(value) <= 64:
                _STRINGS[value] = text
        return text
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    return "null"


def _key(key: Any) -> str:
    if type(key) is not str:  # 1 and True would share a cached text
        return _compact(str(key))
    text = _KEYS.get(key)
    if text is None:
        text = _compact(key)
        if len(_KEYS) < 4096:
            _KEYS[key] = text
    return text


def _fallback(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Set):
        return sorted(value, key=str)
    if isinstance(value, numbers.Integral):  # numpy integers
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return str(value)


_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_fallback)


def _compact(value: Any) -> str:
    try:
        return json_escaped(_ENCODER.encode(value))
    except (ValueError, TypeError):  # NaN or infinity, or keys JSON cannot hold
        return json_escaped(_ENCODER.encode(json_safe(value)))


def json_safe(value: Any) -> Any:
    """A copy of ``value`` that holds only what JSON can represent."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return json_safe(_fallback(value))
