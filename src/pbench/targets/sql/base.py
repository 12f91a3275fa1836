"""What the SQL target and its two sessions share: the choices, a query, a batch, the
errors, the session protocol and the placeholder syntax.

:mod:`pbench.targets.sql.sqlite` and :mod:`pbench.targets.sql.postgres` import only
this module; :mod:`pbench.targets.sql.target` builds on them (no import cycle).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from pbench.errors import UsageError

BATCH_NS = 1_000_000  # a calibrated batch lasts at least 1 ms
MAX_LOOPS = 1 << 20
ErrorKind = Literal["timeout", "connection", "query", "rows", "interrupted"]
Clock = Callable[[], int]


@dataclass(frozen=True, slots=True)
class SqlOptions:
    """How a query is executed; every field is recorded in the JSON export."""

    connect_each: bool = False
    prepared: bool = False
    transaction: bool = False
    expect_rows: int | None = None
    timeout_s: float | None = None
    loops: int | None = None  # None: calibrate (SQLite) or 1 (PostgreSQL)

    def describe(self) -> dict[str, object]:
        return {
            "connection": "per-run (timed)" if self.connect_each else "reused (untimed)",
            "execution": "prepared" if self.prepared else "simple",
            "transaction": "per-run" if self.transaction else "autocommit",
            "expect_rows": self.expect_rows,
            "timeout_s": self.timeout_s,
            "loops": "auto" if self.loops is None else self.loops,
        }


@dataclass(frozen=True, slots=True)
class SqlQuery:
    """The statement to time and its bind values (``{name}`` marks a parameter)."""

    text: str
    params: Mapping[str, str] = field(default_factory=dict)


HINTS = {
    "timeout": "raise --timeout, or look at the plan with EXPLAIN ANALYZE",
    "connection": "the connection to the database was lost; is the server still running?",
    "query": "check the query, and that --setup-sql creates what it needs",
    "rows": "check --expect-rows against what the query returns",
    "interrupted": "pbench was interrupted (Ctrl-C or SIGTERM): run again to measure",
}
INTERRUPTED = "the query was cancelled: pbench was interrupted (Ctrl-C or SIGTERM)"


class QueryFailed(Exception):
    """A query that did not complete; ``kind`` groups errors in load results."""

    def __init__(self, kind: ErrorKind, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.detail = detail or message  # without the "query failed: " framing


@dataclass(frozen=True, slots=True)
class Batch:
    """What a session measured: ``loops`` queries in ``elapsed_ns``."""

    elapsed_ns: int
    rows: int  # summed over the loops
    nbytes: int  # of the last result


class SqlSession(Protocol):
    """One database connection (or a connection per run) for one query."""

    def open(self) -> None: ...

    def run(self, loops: int) -> Batch: ...

    def run_script(self, sql: str) -> None: ...

    def client(self, shared: object | None = None) -> SqlSession: ...

    def close(self) -> None: ...


def read_sql(text: str, what: str) -> str:
    """Inline SQL, or the contents of ``@file.sql``."""
    if not text.startswith("@"):
        return text
    path = Path(text[1:])
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise UsageError(
            f"{what}: cannot read {str(path)!r}: {exc.strerror or exc}",
            "give the query inline or as @path/to/file.sql",
        ) from None


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def named_placeholders(text: str, names: frozenset[str]) -> str:
    """``{name}`` → ``:name`` (SQLite's named style), for the given parameter names."""
    return _PLACEHOLDER.sub(lambda m: f":{m[1]}" if m[1] in names else m[0], text)


def number_placeholders(text: str, names: frozenset[str]) -> tuple[str, list[str]]:
    """``{name}`` → ``$1``, ``$2``, ... (libpq's style); returns the names in that order."""
    order: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match[1] not in names:
            return match[0]
        if match[1] not in order:
            order.append(match[1])
        return f"${order.index(match[1]) + 1}"

    return _PLACEHOLDER.sub(number, text), order
