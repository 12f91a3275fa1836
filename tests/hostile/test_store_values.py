"""Hostile stores: bad values inside a store's rows (changed outside pbench) end in one
message naming the table, the row and the column, exit 1 (the store could not be
read), in ``--save``, ``--baseline``, ``history`` and ``trend``; never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from support.cli import run_pbench
from support.stores import store_of_two_runs

COMMANDS = {
    "history": ("history",),
    "trend": ("trend",),
    "save": ("run", "-r", "2", "--style", "none", "-n", "x", "--save", "true"),
    "baseline": ("run", "-r", "2", "--style", "none", "-n", "x", "--baseline", "latest",
                 "--any-machine", "true"),
}  # fmt: skip

# (what is changed, the table, row and column the message names, the commands that
# read that value)
BAD_VALUES = [
    ("UPDATE schema_version SET version = 'abc'", "schema_version", 1, "version", "'abc'",
     ("history", "trend", "save", "baseline")),
    ("UPDATE schema_version SET version = -5", "schema_version", 1, "version", "-5",
     ("history", "trend", "save", "baseline")),
    ("UPDATE runs SET time = 'yesterday' WHERE id = 2", "runs", 2, "time", "'yesterday'",
     ("baseline",)),
    ("UPDATE results SET time = 'noon' WHERE id = 2", "results", 2, "time", "'noon'",
     ("history", "trend")),
    ("UPDATE results SET median = 'x' WHERE id = 2", "results", 2, "median", "'x'",
     ("history", "trend", "baseline")),
    ("UPDATE samples SET times = '[1,'", "samples", 2, "times", "'[1,'", ("baseline",)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "table", "row", "column", "shown", "command"),
    [
        (change, table, row, column, shown, command)
        for change, table, row, column, shown, commands in BAD_VALUES
        for command in commands
    ],
)
def test_a_bad_value_in_a_row_is_named_by_table_row_and_column(
    tmp_path: Path, change: str, table: str, row: int, column: str, shown: str, command: str
) -> None:
    store = store_of_two_runs(tmp_path)
    with sqlite3.connect(store) as conn:
        conn.execute(change)
    result = run_pbench(*COMMANDS[command], "--store", str(store))
    assert result.code == 1, (result.code, result.err)
    assert "Traceback" not in result.err
    assert f"bad value in table {table}, row {row}, column {column}: {shown} is not" in result.err
    assert "changed outside pbench" in result.err
