"""The store over a DB-API connection: every query of :class:`~pbench.history.store.Store`
written once, for both dialects.

A backend (:mod:`~pbench.history.sqlite`, :mod:`~pbench.history.postgres`) supplies
the connection, its :class:`Dialect` (column types, placeholder, how times travel)
and two context managers: :meth:`SqlStore._transaction` (one write transaction,
rolled back on any error, database errors turned into
:class:`~pbench.history.store.StoreError`) and :meth:`SqlStore._reading`. Queries are
written with ``?`` placeholders; the dialect rewrites them.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from pbench.history import rows as checks
from pbench.history import schema
from pbench.history.records import (
    Machine,
    Point,
    ResultRecord,
    RunFilter,
    RunInfo,
    RunRecord,
    Samples,
    StoredResult,
)
from pbench.history.store import StoreAddress, StoreError

Cursor = Any  # a DB-API cursor of the backend's driver

_RUN_COLUMNS = (
    "r.id, r.time, r.commit_sha, r.branch, r.dirty, r.machine, m.host, r.suite_file, "
    "r.suite_tier, r.suite_tags, r.status, r.source, "
    "(SELECT count(*) FROM results c WHERE c.run_id = r.id)"
)
_RESULT_FIELDS = ("kind", "command", "settings", "n", "unit", "median", "median_low",
                  "median_high", "mean", "mean_low", "mean_high", "stddev", "min", "max",
                  "measure", "budgets")  # fmt: skip


@dataclass(frozen=True)
class Dialect:
    """What differs between the databases: column types, the placeholder, and how a
    time is passed in (``time_in``) and read back (``time_out``)."""

    types: schema.Types
    placeholder: str
    time_in: Callable[[datetime], object]
    time_out: Callable[[Any], datetime]

    def sql(self, text: str) -> str:
        return text if self.placeholder == "?" else text.replace("?", self.placeholder)


class SqlStore(ABC):
    """:class:`~pbench.history.store.Store` over one connection (see the module)."""

    dialect: Dialect

    def __init__(self, address: StoreAddress) -> None:
        self._address = address

    @property
    def address(self) -> StoreAddress:
        return self._address

    @abstractmethod
    def _transaction(self, doing: str) -> AbstractContextManager[Cursor]:
        """A cursor inside one write transaction (``doing`` names it in errors)."""

    @abstractmethod
    def _reading(self, doing: str) -> AbstractContextManager[Cursor]:
        """A cursor for reads."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # -- schema ----------------------------------------------------------------

    def _migrate(self, cursor: Cursor) -> None:
        """Bring the schema up to date, inside the caller's transaction."""
        cursor.execute(schema.VERSION_TABLE)
        cursor.execute("SELECT version FROM schema_version")
        row = cursor.fetchone()
        current = self._schema_version(row[0]) if row else 0
        if current > schema.STORE_SCHEMA_VERSION:
            raise StoreError(
                f"the store {self.address.shown} has schema version {current}, newer than "
                f"this pbench knows ({schema.STORE_SCHEMA_VERSION})",
                "upgrade pbench, or use another store with --store",
            )
        for version, statements in schema.steps(current, self.dialect.types):
            for statement in statements:
                cursor.execute(statement)
            if row is None and version == 1:
                cursor.execute(self._sql("INSERT INTO schema_version (version) VALUES (?)"), (1,))
            else:
                cursor.execute(self._sql("UPDATE schema_version SET version = ?"), (version,))

    def _schema_version(self, value: Any) -> int:
        """The schema version a store's one row of ``schema_version`` holds, checked."""
        column = checks.Column("schema_version", "version", 0, 1, checks.count)
        return int(checks.checked_value(self.address.shown, column, (value, 1)))

    def _sql(self, text: str) -> str:
        return self.dialect.sql(text)

    def _moment(self) -> checks.Convert:
        time_out = self.dialect.time_out

        def moment(value: Any) -> Any:
            """a time"""
            return time_out(value)

        return moment

    def _json(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    # -- writing ---------------------------------------------------------------

    def save(self, run: RunRecord) -> int:
        with self._transaction("save a run to") as cursor:
            return self._save(cursor, run)

    def _save(self, cursor: Cursor, run: RunRecord) -> int:
        machine, when = run.machine, self.dialect.time_in(run.time)
        cursor.execute(
            self._sql(
                "INSERT INTO machines (fingerprint, host, cpu_model, cores, memory_bytes, "
                "kernel, python, pbench_version, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (fingerprint) DO NOTHING"
            ),
            (machine.fingerprint, machine.host, machine.cpu_model, machine.cores,
             machine.memory_bytes, machine.kernel, machine.python, machine.pbench_version,
             when),
        )  # fmt: skip
        cursor.execute(
            self._sql(
                "INSERT INTO runs (time, commit_sha, branch, dirty, machine, suite_file, "
                "suite_tier, suite_tags, status, source, fit, fitness, source_digest) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
            ),
            (when, run.commit, run.branch, run.dirty, machine.fingerprint, run.suite_file,
             run.suite_tier, self._json(list(run.suite_tags)), run.status, run.source,
             run.fit, None if run.fitness is None else self._json(dict(run.fitness)),
             run.source_digest),
        )  # fmt: skip
        run_id = int(cursor.fetchone()[0])
        for result in run.results:
            self._save_result(cursor, run_id, machine.fingerprint, when, result)
        return run_id

    def _save_result(
        self, cursor: Cursor, run_id: int, machine: str, when: object, result: ResultRecord
    ) -> None:
        values = [getattr(result, name) for name in _RESULT_FIELDS]
        values[2] = self._json(result.settings)
        values[-2] = None if result.measure == "wall" else result.measure
        values[-1] = self._json(list(result.budgets))
        names = ", ".join(_RESULT_FIELDS)
        marks = ", ".join("?" * (len(_RESULT_FIELDS) + 4))
        cursor.execute(
            self._sql(
                f"INSERT INTO results (run_id, benchmark, machine, time, {names}) "
                f"VALUES ({marks}) RETURNING id"
            ),
            (run_id, result.benchmark, machine, when, *values),
        )
        result_id = int(cursor.fetchone()[0])
        samples = result.samples
        cursor.execute(
            self._sql(
                "INSERT INTO samples (result_id, times, rounds, sections) VALUES (?, ?, ?, ?)"
            ),
            (result_id, self._json(list(samples.times)), self._json(list(samples.rounds)),
             self._json(dict(samples.sections))),
        )  # fmt: skip

    def mark_baseline(self, name: str, run_id: int) -> None:
        with self._transaction("mark a baseline in") as cursor:
            cursor.execute(self._sql("SELECT 1 FROM runs WHERE id = ?"), (run_id,))
            if cursor.fetchone() is None:
                raise StoreError(
                    f"no run #{run_id} in the store {self.address.shown}",
                    "pbench history lists the saved runs",
                )
            cursor.execute(
                self._sql(
                    "INSERT INTO baselines (name, run_id, marked_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET run_id = excluded.run_id, "
                    "marked_at = excluded.marked_at"
                ),
                (name, run_id, self.dialect.time_in(datetime.now(UTC))),
            )

    # -- reading ---------------------------------------------------------------

    def baseline(self, name: str) -> int | None:
        with self._reading("read") as cursor:
            cursor.execute(self._sql("SELECT run_id, name FROM baselines WHERE name = ?"), (name,))
            row = cursor.fetchone()
        column = checks.Column("baselines", "run_id", 0, 1, checks.integer)
        return None if row is None else int(checks.checked_value(self.address.shown, column, row))

    def baselines(self) -> dict[str, int]:
        with self._reading("read") as cursor:
            cursor.execute("SELECT name, run_id FROM baselines ORDER BY name")
            rows = cursor.fetchall()
        column = checks.Column("baselines", "run_id", 1, 0, checks.integer)
        store = self.address.shown
        return {str(row[0]): int(checks.checked_value(store, column, row)) for row in rows}

    def benchmarks(self, run_id: int | None = None) -> list[str]:
        query = "SELECT benchmark, min(id) FROM results GROUP BY benchmark ORDER BY 2"
        params: tuple[object, ...] = ()
        if run_id is not None:
            query, params = "SELECT benchmark FROM results WHERE run_id = ? ORDER BY id", (run_id,)
        with self._reading("read") as cursor:
            cursor.execute(self._sql(query), params)
            return [str(row[0]) for row in cursor.fetchall()]

    def machines(self, match: str | None = None) -> list[Machine]:
        query = "SELECT * FROM machines"
        params: tuple[object, ...] = ()
        if match is not None:
            query += " WHERE substr(fingerprint, 1, ?) = ? OR host = ?"
            params = (len(match), match, match)
        with self._reading("read") as cursor:
            cursor.execute(self._sql(query + " ORDER BY first_seen"), params)
            return [Machine(*row[:8]) for row in cursor.fetchall()]

    def runs(self, filters: RunFilter | None = None) -> list[RunInfo]:
        filters = filters or RunFilter()
        where, params = self._run_conditions(filters)
        query = f"SELECT {_RUN_COLUMNS} FROM runs r JOIN machines m ON m.fingerprint = r.machine"
        query += (
            " WHERE " + " AND ".join(where) if where else ""
        ) + " ORDER BY r.time DESC, r.id DESC"
        if filters.limit is not None:
            query += " LIMIT ?"
            params.append(filters.limit)
        with self._reading("read") as cursor:
            cursor.execute(self._sql(query), params)
            rows = cursor.fetchall()
        return checks.rows_checked(self.address.shown, rows, self._run_info, self._run_columns())

    def _run_conditions(self, filters: RunFilter) -> tuple[list[str], list[object]]:
        where: list[str] = []
        params: list[object] = []
        if filters.since is not None:
            where.append("r.time >= ?")
            params.append(self.dialect.time_in(filters.since))
        if filters.until is not None:
            where.append("r.time < ?")
            params.append(self.dialect.time_in(filters.until))
        if filters.branch is not None:
            where.append("r.branch = ?")
            params.append(filters.branch)
        if filters.commit is not None:
            where.append("substr(r.commit_sha, 1, ?) = ?")
            params += [len(filters.commit), filters.commit]
        if filters.machines is not None:
            where.append(_in("r.machine", filters.machines))
            params += list(filters.machines)
        if filters.benchmark is not None:
            where.append(
                "EXISTS (SELECT 1 FROM results x WHERE x.run_id = r.id AND x.benchmark = ?)"
            )
            params.append(filters.benchmark)
        return where, params

    def latest(
        self,
        *,
        benchmark: str | None = None,
        machine: str | None = None,
        branch: str | None = None,
    ) -> RunInfo | None:
        machines = None if machine is None else (machine,)
        found = self.runs(RunFilter(branch=branch, machines=machines, benchmark=benchmark, limit=1))
        return found[0] if found else None

    def series(
        self,
        benchmark: str,
        *,
        machine: str | Sequence[str] | None = None,
        branch: str | None = None,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[Point]:
        query = (
            "SELECT x.run_id, x.id, x.benchmark, x.time, r.commit_sha, r.branch, x.machine, "
            "x.median, x.median_low, x.median_high, x.n, x.unit, r.fit, x.measure "
            "FROM results x JOIN runs r ON r.id = x.run_id WHERE x.benchmark = ?"
        )
        params: list[object] = [benchmark]
        if machine is not None:
            machines = (machine,) if isinstance(machine, str) else tuple(machine)
            query += " AND " + _in("x.machine", machines)
            params += machines
        if since is not None:
            query += " AND x.time >= ?"
            params.append(self.dialect.time_in(since))
        if branch is not None:
            query += " AND r.branch = ?"
            params.append(branch)
        query += " ORDER BY x.time DESC, x.id DESC"
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        with self._reading("read") as cursor:
            cursor.execute(self._sql(query), params)
            rows = cursor.fetchall()
        time_out, real, integer = self.dialect.time_out, checks.real, checks.integer

        def point(row: Sequence[Any]) -> Point:
            return Point(
                run_id=integer(row[0]),
                result_id=integer(row[1]),
                benchmark=row[2],
                time=time_out(row[3]),
                commit=row[4],
                branch=row[5],
                machine=row[6],
                median=real(row[7]),
                median_low=real(row[8]),
                median_high=real(row[9]),
                n=integer(row[10]),
                unit=row[11],
                fit=checks.flag(row[12]),
                measure=checks.measure(row[13]),
            )

        columns = [
            checks.Column("results", "time", 3, 1, self._moment()),
            *(checks.Column("results", name, i, 1, real)
              for i, name in ((7, "median"), (8, "median_low"), (9, "median_high"))),
            checks.Column("results", "n", 10, 1, integer),
            checks.Column("runs", "fit", 12, 0, checks.flag),
            checks.Column("results", "measure", 13, 1, checks.measure),
        ]  # fmt: skip
        rows.reverse()
        return checks.rows_checked(self.address.shown, rows, point, columns)

    def samples(self, result_id: int) -> Samples | None:
        with self._reading("read") as cursor:
            cursor.execute(
                self._sql(
                    "SELECT times, rounds, sections, result_id FROM samples WHERE result_id = ?"
                ),
                (result_id,),
            )
            row = cursor.fetchone()
        if row is None:
            return None
        store = self.address.shown
        times, rounds, sections = (
            checks.checked_value(store, checks.Column("samples", name, i, 3, convert), row)
            for i, (name, convert) in enumerate(
                (("times", checks.numbers), ("rounds", checks.integers),
                 ("sections", checks.json_object))
            )
        )  # fmt: skip
        return Samples(times, rounds, sections)

    def result(self, run_id: int, benchmark: str) -> StoredResult | None:
        names = ", ".join(_RESULT_FIELDS)
        with self._reading("read") as cursor:
            cursor.execute(
                self._sql(f"SELECT id, {names} FROM results WHERE run_id = ? AND benchmark = ?"),
                (run_id, benchmark),
            )
            row = cursor.fetchone()
        if row is None:
            return None
        run = self.run(run_id)
        samples = self.samples(int(row[0]))
        assert run is not None and samples is not None  # saved in one transaction
        fields = {
            name: checks.checked_value(
                self.address.shown,
                checks.Column("results", name, i, 0, _RESULT_CHECKS.get(name, checks.real)),
                row,
            )
            for i, name in enumerate(_RESULT_FIELDS, start=1)
        }
        fields["budgets"] = tuple(fields["budgets"])
        record = ResultRecord(benchmark=benchmark, samples=samples, **fields)
        return StoredResult(run=run, result_id=int(row[0]), record=record)

    def imported(self, digest: str) -> RunInfo | None:
        """The first run imported from a file whose bytes hash to ``digest``, or None."""
        query = f"SELECT {_RUN_COLUMNS} FROM runs r JOIN machines m ON m.fingerprint = r.machine"
        with self._reading("read") as cursor:
            cursor.execute(self._sql(query + " WHERE r.source_digest = ? ORDER BY r.id"), (digest,))
            row = cursor.fetchone()
        return None if row is None else self._run_info(row)

    def run(self, run_id: int) -> RunInfo | None:
        query = f"SELECT {_RUN_COLUMNS} FROM runs r JOIN machines m ON m.fingerprint = r.machine"
        with self._reading("read") as cursor:
            cursor.execute(self._sql(query + " WHERE r.id = ?"), (run_id,))
            row = cursor.fetchone()
        if row is None:
            return None
        return checks.rows_checked(self.address.shown, [row], self._run_info, self._run_columns())[
            0
        ]

    def _run_info(self, row: Sequence[Any]) -> RunInfo:
        return RunInfo(
            id=checks.integer(row[0]),
            time=self.dialect.time_out(row[1]),
            commit=row[2],
            branch=row[3],
            dirty=checks.flag(row[4]),
            machine=row[5],
            host=row[6],
            suite_file=row[7],
            suite_tier=row[8],
            suite_tags=tuple(checks.json_list(row[9])),
            status=checks.integer(row[10]),
            source=row[11],
            benchmarks=int(row[12]),
        )

    def _run_columns(self) -> list[checks.Column]:
        return [
            checks.Column("runs", "id", 0, 0, checks.integer),
            checks.Column("runs", "time", 1, 0, self._moment()),
            checks.Column("runs", "dirty", 4, 0, checks.flag),
            checks.Column("runs", "suite_tags", 9, 0, checks.json_list),
            checks.Column("runs", "status", 10, 0, checks.integer),
        ]


# How each column of a stored result is checked as it is read (the rest: checks.real).
_RESULT_CHECKS: dict[str, checks.Convert] = {
    "kind": checks.text,
    "command": checks.text,
    "settings": checks.json_object,
    "n": checks.integer,
    "unit": checks.text,
    "budgets": checks.json_list,
    "measure": checks.measure,
}


def _in(column: str, values: Sequence[str]) -> str:
    if not values:
        return "1 = 0"
    return f"{column} IN ({', '.join('?' * len(values))})"
