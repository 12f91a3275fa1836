"""Values read from a store's rows, checked: a store changed outside pbench (a
``schema_version`` of ``'abc'``, a run time that is no time, a median of ``'x'``, a
JSON column that does not parse) ends in one :class:`StoreError` naming the table,
the row and the column, never in a traceback further on.

Reading a long series stays fast: rows are built with cheap converters first
(:func:`rows_checked`); only when one of them raises are the rows looked through
again, column by column, to name the first bad value.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pbench.history.store import StoreError

T = TypeVar("T")
Convert = Callable[[Any], Any]
BAD = (ValueError, TypeError, OverflowError, AttributeError, KeyError)


def integer(value: Any) -> int:
    """an integer"""
    if type(value) is int:
        return value
    raise TypeError


def count(value: Any) -> int:
    """a whole number, 0 or more"""
    if type(value) is int and value >= 0:
        return value
    raise ValueError


def real(value: Any) -> float | None:
    """a number or NULL"""
    if value is None or type(value) is float:
        return value
    if type(value) is int:
        return float(value)
    raise TypeError


def flag(value: Any) -> bool | None:
    """0, 1 or NULL"""
    if value is None:
        return None
    if type(value) is int or type(value) is bool:
        return bool(value)
    raise TypeError


def text(value: Any) -> str:
    """a text"""
    if type(value) is str:
        return value
    raise TypeError


def measure(value: Any) -> str:
    """wall, cpu, instructions, cycles or NULL (wall time)"""
    if value is None:
        return "wall"
    if type(value) is str and value in ("wall", "cpu", "instructions", "cycles"):
        return value
    raise TypeError


def json_list(value: Any) -> list[Any]:
    """a JSON list"""
    parsed = json.loads(value)
    if type(parsed) is not list:
        raise TypeError
    return parsed


def json_object(value: Any) -> dict[str, Any]:
    """a JSON object"""
    parsed = json.loads(value)
    if type(parsed) is not dict:
        raise TypeError
    return parsed


def numbers(value: Any) -> tuple[float, ...]:
    """a JSON list of numbers"""
    parsed = json_list(value)
    if not all(type(v) is float or type(v) is int for v in parsed):
        raise TypeError
    return tuple(parsed)


def integers(value: Any) -> tuple[int, ...]:
    """a JSON list of integers"""
    parsed = json_list(value)
    if not all(type(v) is int for v in parsed):
        raise TypeError
    return tuple(parsed)


@dataclass(frozen=True)
class Column:
    """Where a value of a query's row comes from: ``table``'s ``name``, at ``index`` of
    the row, the table's row id at ``id_index``; ``convert`` checks it."""

    table: str
    name: str
    index: int
    id_index: int
    convert: Convert


def bad_value(
    store: str, table: str, row_id: Any, column: str, value: Any, what: str
) -> StoreError:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return StoreError(
        f"the store {store} holds a bad value in table {table}, row {row_id!r}, column "
        f"{column}: {shown} is not {what}",
        "the file was changed outside pbench: correct or delete that row, or use another --store",
    )


def checked_value(store: str, column: Column, row: Sequence[Any]) -> Any:
    """One value of ``row``, converted, or the StoreError naming it."""
    value = row[column.index]
    try:
        return column.convert(value)
    except BAD:
        what = (column.convert.__doc__ or "what pbench wrote").strip()
        raise bad_value(
            store, column.table, row[column.id_index], column.name, value, what
        ) from None


def rows_checked(
    store: str,
    rows: Sequence[Sequence[Any]],
    build: Callable[[Sequence[Any]], T],
    columns: Sequence[Column],
) -> list[T]:
    """``build(row)`` for every row; when it raises on a bad value, the StoreError
    naming the first bad one of ``columns``."""
    try:
        return [build(row) for row in rows]
    except BAD:
        for row in rows:
            for column in columns:
                checked_value(store, column, row)
        raise  # none of the columns checked: not a bad value but a bug, shown as one
