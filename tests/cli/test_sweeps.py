"""Concurrency sweeps end to end: `pbench run -j 1,2,4`, `pbench http -c 1,2`,
`pbench sql -c 1,2`: one load run per level, results `NAME (c=N)`, and the scaling
table in the terminal and the JSON.

Where the knee falls is decided by timing (on a busy machine even `sleep` stops
scaling), so it is tested on known throughputs (tests/run/test_scaling.py, and the
table's text in tests/report/test_scaling_text.py). Here a real sweep is checked for
what no noise can change: its levels and names, a table whose efficiency, gain and knee
follow from its own throughputs by the documented rule, text that shows that knee, and
`sleep` four times at once getting through more runs per second than one at a time."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from support.cli import Invoke
from support.httpserver import HttpTestServer


def sweep(invoke: Invoke, tmp_path: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    out = tmp_path / "sweep.json"
    result = invoke(*args, "--style", "basic", "--export-json", str(out))
    data: dict[str, Any] = json.loads(out.read_text()) if out.exists() else {}
    return result.code, data, result.out + result.err


def levels(table: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {row["concurrency"]: row for row in table["levels"]}


def knee_by_the_rule(rows: list[dict[str, Any]]) -> int | None:
    """The knee recomputed from the throughputs: the first level whose efficiency,
    throughput(N) / (N/N0 × throughput(N0)), is below 80% or that gained less than 10%."""
    base_level, base = rows[0]["concurrency"], rows[0]["throughput"]
    for before, row in itertools.pairwise(rows):
        efficiency = row["throughput"] / (row["concurrency"] / base_level * base)
        assert abs(row["efficiency"] - efficiency) < 1e-9
        assert abs(row["gain"] - (row["throughput"] / before["throughput"] - 1)) < 1e-9
        if efficiency < 0.8 or row["throughput"] / before["throughput"] - 1 < 0.1:
            return int(row["concurrency"])
    return None


def test_a_command_sweep_and_its_scaling_table(invoke: Invoke, tmp_path: Path) -> None:
    code, data, text = sweep(
        invoke, tmp_path, "run", "-j", "1,2,4", "-d", "0.5s", "sleep 0.05", "sleep 0.02"
    )
    assert code == 0, text
    names = [r["name"] for r in data["results"]]
    assert sorted(names) == sorted(
        f"{name} (c={level})" for name in ("sleep 0.05", "sleep 0.02") for level in (1, 2, 4)
    )
    assert {r["parameters"]["concurrency"] for r in data["results"]} == {"1", "2", "4"}
    assert data["comparisons"] == [] and data["reference"] is None  # the table instead
    tables = {t["benchmark"]: t for t in data["scaling"]}
    assert set(tables) == {"sleep 0.05", "sleep 0.02"}
    for name, table in tables.items():
        rows = table["levels"]
        assert [row["concurrency"] for row in rows] == [1, 2, 4]
        assert rows[0]["efficiency"] == 1.0 and rows[0]["gain"] is None
        assert all(row["throughput"] > 0 and row["p50_s"] <= row["p99_s"] for row in rows)
        assert table["knee"] == knee_by_the_rule(rows), table
        assert "efficiency" in table["rule"]
        block = text.split(f"Scaling of {name}")[1].split("Scaling of")[0]
        if table["knee"] is None:
            assert "Scales up to 4 at least (no knee)." in block and "<- knee" not in block
        else:
            assert f"Knee at {table['knee']} (" in block and block.count("<- knee") == 1
    # Four sleeping copies overlap: more runs per second than one copy, whatever the load.
    sleep = levels(tables["sleep 0.05"])
    assert sleep[4]["throughput"] > sleep[1]["throughput"]
    assert sleep[1]["p50_s"] >= 0.05


def test_http_sweep(invoke: Invoke, tmp_path: Path, server: HttpTestServer) -> None:
    url = f"{server.base_url}/slow?ms=20"
    code, data, text = sweep(invoke, tmp_path, "http", "-c", "1,2", "-d", "0.6s", url)
    assert code == 0, text
    assert [r["name"] for r in data["results"]] == [f"GET {url} (c=1)", f"GET {url} (c=2)"]
    assert [r["load"]["concurrency"] for r in data["results"]] == [1, 2]
    (table,) = data["scaling"]
    assert table["benchmark"] == f"GET {url}" and [
        row["concurrency"] for row in table["levels"]
    ] == [1, 2]
    assert levels(table)[2]["throughput"] > levels(table)[1]["throughput"]
    assert "Scaling of" in text and "requests/s" in text


def test_sql_sweep(invoke: Invoke, tmp_path: Path, sqlite_file: Path) -> None:
    code, data, text = sweep(
        invoke, tmp_path, "sql", "--db", f"sqlite:///{sqlite_file}", "-c", "1,2", "-d", "0.5s",
        "-n", "point", "SELECT v FROM kv WHERE id = 42",
    )  # fmt: skip
    assert code == 0, text
    assert [r["name"] for r in data["results"]] == ["point (c=1)", "point (c=2)"]
    assert all("load" in r and "sql" in r for r in data["results"])
    (table,) = data["scaling"]
    assert table["benchmark"] == "point" and levels(table)[1]["efficiency"] == 1.0
    assert "queries/s" in text


def test_sql_sweep_needs_a_load_at_one_client(invoke: Invoke, sqlite_file: Path) -> None:
    result = invoke("sql", "--db", f"sqlite:///{sqlite_file}", "-c", "1,2", "-r", "100",
                    "SELECT 1")  # fmt: skip
    assert result.code == 2 and "load run at every level" in result.err


def test_bad_levels_exit_2(invoke: Invoke, server: HttpTestServer) -> None:
    url = f"{server.base_url}/fast"
    for args in (
        ("http", "-c", "0", url),
        ("http", "-c", "1,x", url),
        ("sql", "-c", "2,2", "SELECT 1"),
    ):
        result = invoke(*args)
        assert result.code == 2, (args, result.err)
        assert "Traceback" not in result.err
