"""Concurrency sweeps end to end: `pbench run -j 1,2,4`, `pbench http -c 1,2`,
`pbench sql -c 1,2`: one load run per level, results `NAME (c=N)`, and the scaling
table in the terminal and the JSON. The commands' scaling is known: `sleep` scales
perfectly, a CPU burner stops at the core count (2 here)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from support.cli import Invoke
from support.httpserver import HttpTestServer

BURNER = (
    'python3 -c "import time; t = time.process_time()\nwhile time.process_time() - t < 0.1: pass"'
)


def sweep(invoke: Invoke, tmp_path: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    out = tmp_path / "sweep.json"
    result = invoke(*args, "--style", "basic", "--export-json", str(out))
    data: dict[str, Any] = json.loads(out.read_text()) if out.exists() else {}
    return result.code, data, result.out + result.err


def levels(table: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {row["concurrency"]: row for row in table["levels"]}


def test_sleep_scales_and_a_cpu_burner_stops_at_the_cores(invoke: Invoke, tmp_path: Path) -> None:
    assert len(os.sched_getaffinity(0)) == 2  # the machine these expectations are for
    code, data, text = sweep(
        invoke, tmp_path, "run", "-j", "1,2,4", "-d", "1.5s", "sleep 0.05", BURNER
    )
    assert code == 0, text
    names = [r["name"] for r in data["results"]]
    assert sorted(names) == sorted(
        f"{name} (c={level})" for name in ("sleep 0.05", BURNER) for level in (1, 2, 4)
    )
    assert {r["parameters"]["concurrency"] for r in data["results"]} == {"1", "2", "4"}
    assert data["comparisons"] == [] and data["reference"] is None  # the table instead
    tables = {t["benchmark"]: t for t in data["scaling"]}
    sleep, burner = levels(tables["sleep 0.05"]), levels(tables[BURNER])
    assert tables["sleep 0.05"]["knee"] is None
    assert all(row["efficiency"] >= 0.8 for row in sleep.values())
    assert sleep[4]["throughput"] > 3 * sleep[1]["throughput"]
    # Two cores: four burners are no faster than two, so their efficiency halves.
    assert burner[4]["efficiency"] < 0.75 * burner[2]["efficiency"]
    assert tables[BURNER]["knee"] in (2, 4)
    assert burner[1]["p50_s"] is not None and burner[4]["p99_s"] is not None
    assert "Scaling of sleep 0.05" in text and "<- knee" in text
    assert "Scales up to 4 at least (no knee)." in text
    assert "efficiency" in tables[BURNER]["rule"]


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
