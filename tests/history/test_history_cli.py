"""The CLI end to end: --save/--store on run, http, sql and suite, pbench history
(table, csv, json, filters, a benchmark named "import"), an unreachable store (exit 1
after the export was written), and no secret in any table of the store."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from history.conftest import pg_schema_url
from pbench.history.backends import open_store
from pbench.plan.store import store_address
from pgserver import TEST_PASSWORD, PostgresServer
from support.cli import run_pbench
from support.httpserver import HttpTestServer

RUN = ("run", "-N", "-r", "3", "--style", "basic")


def listing(store: Path | str, *args: str) -> list[dict[str, Any]]:
    result = run_pbench("history", "--store", str(store), "--format", "json", *args)
    assert result.code == 0, result.err
    rows: list[dict[str, Any]] = json.loads(result.out)["rows"]
    return rows


def test_runs_saved_with_store_are_listed(tmp_path: Path) -> None:
    store = tmp_path / "h.db"
    first = run_pbench(*RUN, "--store", str(store), "true", "-n", "noop")
    assert first.code == 0, first.err
    assert f"pbench: saved run #1 to sqlite:///{store}\n" in first.err
    quiet = run_pbench(*RUN[:-2], "--style", "none", "--store", str(store), "true", "-n", "noop")
    assert quiet.code == 0 and "saved run" not in quiet.err
    rows = listing(store)
    assert [(r["run"], r["benchmark"], r["n"], r["unit"]) for r in rows] == [
        (1, "noop", 3, "runs"),
        (2, "noop", 3, "runs"),
    ]
    assert rows[0]["change"] is None and isinstance(rows[1]["change"], float)
    assert rows[1]["change"] == pytest.approx(rows[1]["median"] / rows[0]["median"] - 1)
    assert rows[0]["median_low"] <= rows[0]["median"] <= rows[0]["median_high"]
    table = run_pbench("history", "--store", str(store), "noop")
    assert table.code == 0
    heading, *lines = table.out.splitlines()
    assert heading.startswith("noop  ") and "2 runs, machine " in heading
    assert any(bar in heading for bar in "▁▂▃▄▅▆▇█")
    assert lines[0].startswith("  #1  ") and lines[1].rstrip().endswith("%")
    csv = run_pbench("history", "--store", str(store), "--format", "csv", "--limit", "1")
    assert csv.out.splitlines()[0].startswith("run,time,commit,branch,machine,benchmark,median")
    assert len(csv.out.splitlines()) == 2 and csv.out.splitlines()[1].startswith("2,")


def test_save_uses_the_default_store_under_the_git_top_level(tmp_path: Path) -> None:
    import os
    import subprocess

    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    here = os.getcwd()
    os.chdir(repo / "sub")
    try:
        result = run_pbench(*RUN, "--save", "true", env={"PBENCH_STORE": ""})
    finally:
        os.chdir(here)
    assert result.code == 0, result.err
    store = repo / ".pbench" / "history.db"
    assert f"saved run #1 to sqlite:///{store}" in result.err
    assert (repo / ".pbench" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert [r["benchmark"] for r in listing(store)] == ["true"]


def test_filters_and_a_benchmark_named_like_a_subcommand(tmp_path: Path) -> None:
    store = tmp_path / "h.db"
    env = {"PBENCH_STORE": str(store)}
    for name in ("import", "other"):
        assert run_pbench(*RUN, "--save", "true", "-n", name, env=env).code == 0
    named = run_pbench("history", "--format", "json", "--", "import", env=env)
    assert named.code == 0, named.err
    assert [r["benchmark"] for r in json.loads(named.out)["rows"]] == ["import"]
    assert listing(store, "--since", "1d") != [] and listing(store, "--since", "2999-01-01") == []
    assert listing(store, "--branch", "no-such-branch") == []
    machine = listing(store)[0]["machine"]
    assert len(listing(store, "--machine", machine[:5])) == 2
    unknown = run_pbench("history", "--store", str(store), "--machine", "nowhere")
    assert unknown.code == 2 and "--machine: no machine 'nowhere'" in unknown.err
    bad = run_pbench("history", "--store", str(store), "--since", "soon")
    assert bad.code == 2 and "--since: 'soon' is not a date" in bad.err
    missing = run_pbench("history", "--store", str(tmp_path / "none.db"))
    assert missing.code == 1 and "no store at sqlite:///" in missing.err
    assert not (tmp_path / "none.db").exists()


def test_an_unreachable_store_exits_1_after_the_export_was_written(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    url = "postgresql://bench:hunter2@127.0.0.1:1/x"
    result = run_pbench(*RUN, "--store", url, "--export-json", str(out), "true")
    assert result.code == 1
    assert json.loads(out.read_text())["results"][0]["command"] == "true"
    [line, hint] = [line for line in result.err.splitlines() if "store" in line]
    assert line.startswith("pbench: error: the run was reported and exported but not saved: ")
    assert "cannot connect to the store postgresql://bench:***@127.0.0.1:1/x" in line
    assert hint.startswith("  hint: check that the server is running")
    assert "hunter2" not in result.err + result.out
    broken = run_pbench(
        *RUN, "--store", "ftp://x/y", "--export-json", str(tmp_path / "no.json"), "true"
    )
    assert broken.code == 2 and "--store: unsupported scheme" in broken.err
    assert not (tmp_path / "no.json").exists()


def test_import_of_a_pbench_file_and_a_hyperfine_file(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parents[1] / "data" / "compare"
    store = tmp_path / "h.db"
    document = json.loads((data / "pbench_base.json").read_text())
    document["metadata"]["git"] = {"commit": "0123abcd" * 5, "branch": "main", "dirty": False}
    pbench_file = tmp_path / "pbench.json"
    pbench_file.write_text(json.dumps(document))
    hyperfine_file = data / "hyperfine_1.18_slower.json"
    hyperfine = json.loads(hyperfine_file.read_text())
    result = run_pbench(
        "history", "import", "--store", str(store), "--commit", "feedface", "--branch", "dev",
        "--time", "2026-02-03T04:05:06Z", str(pbench_file), str(hyperfine_file),
    )  # fmt: skip
    assert result.code == 0, result.err
    count = len(document["results"]) + len(hyperfine["results"])
    assert result.out == (
        f"imported 2 runs (#1-#2), {count} benchmark results, into sqlite:///{store}\n"
    )
    assert f"{pbench_file}: --commit ignored: the file says 0123abcd" in result.err
    rows = listing(store)
    from_pbench = [r for r in rows if r["run"] == 1]
    assert {r["benchmark"] for r in from_pbench} == {
        r.get("name", r["command"]) for r in document["results"]
    }
    assert {(r["commit"], r["branch"], r["time"]) for r in from_pbench} == {
        ("0123abcd" * 5, "main", "2025-01-01T00:00:00.000000Z")  # the file's, not the flags'
    }
    from_hyperfine = [r for r in rows if r["run"] == 2]
    assert {(r["commit"], r["branch"], r["time"]) for r in from_hyperfine} == {
        ("feedface", "dev", "2026-02-03T04:05:06.000000Z")
    }
    with open_store(store_address(str(store))) as opened:
        stored = opened.result(2, hyperfine["results"][0]["command"])
        assert stored is not None and stored.run.source == "hyperfine-file"
        assert list(stored.record.samples.times) == hyperfine["results"][0]["times"]
        assert stored.record.n == len(hyperfine["results"][0]["times"])
        assert stored.record.median == pytest.approx(hyperfine["results"][0]["median"])
        first = document["results"][0]
        saved = opened.result(1, first.get("name", first["command"]))
        assert saved is not None and saved.run.source == "pbench-file"
        assert list(saved.record.samples.times) == first["times"]


def test_a_suite_saves_where_its_history_table_says(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "benchmarks.toml").write_text(
        '[history]\nsave = true\nstore = "${STORE_NAME}.db"\n\n'
        '[[benchmark]]\nname = "noop"\ncommand = "true"\nruns = 3\nshell = "none"\n'
    )
    env = {"STORE_NAME": "suite-history"}
    result = run_pbench("suite", str(folder / "benchmarks.toml"), "--style", "basic", env=env)
    assert result.code == 0, result.err
    store = folder / "suite-history.db"
    assert f"saved run #1 to sqlite:///{store}" in result.err
    with open_store(store_address(str(store))) as opened:
        [run] = opened.runs()
        assert run.suite_file == str(folder / "benchmarks.toml") and run.suite_tags == ()
    override = tmp_path / "cli.db"
    again = run_pbench("suite", str(folder / "benchmarks.toml"), "--store", str(override), env=env)
    assert again.code == 0 and override.exists()


def test_history_table_keys_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.toml"
    path.write_text(
        '[history]\nsav = true\nstore = 3\n\n[[benchmark]]\nname = "a"\ncommand = "true"\n'
        "save = true\n"
    )
    result = run_pbench("suite", str(path), "--dry-run")
    assert result.code == 2
    lines = result.err.splitlines()
    assert f"pbench: error: {path}:2: history.sav: unknown key `sav`, did you mean `save`?" in lines
    assert any("history.store: expected a store address" in line for line in lines)
    assert any("`save` cannot be set in a suite file: saving is the suite run's own" in line
               for line in lines)  # fmt: skip


def dump(path: Path) -> str:
    """Every value of every table of an SQLite store, as text."""
    conn = sqlite3.connect(path)
    tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    text = "\n".join(repr(row) for t in tables for row in conn.execute(f"SELECT * FROM {t}"))
    conn.close()
    return text


def test_secrets_never_reach_the_store(
    tmp_path: Path, server: HttpTestServer, pg_server: PostgresServer
) -> None:
    store = tmp_path / "h.db"
    token = "tok-Zx81-secret"
    http = run_pbench(
        "http", "-r", "200", "--style", "basic", "--store", str(store),
        "-H", f"Authorization: Bearer {token}", server.base_url + "/fast",
    )  # fmt: skip
    assert http.code == 0, http.err
    sql = run_pbench(
        "sql", "-r", "5", "--style", "basic", "--store", str(store), "--db", pg_server.dsn(),
        "SELECT 1",
    )  # fmt: skip
    assert sql.code == 0, sql.err
    # Without a shell the words are apart in the result's info.argv: still masked.
    command = run_pbench(*RUN, "--store", str(store), f"echo Authorization: Bearer {token}")
    assert command.code == 0, command.err
    text = dump(store)
    assert "Authorization: ***" in text and "pbench:***@127.0.0.1" in text
    assert token not in text and TEST_PASSWORD not in text
    # A PostgreSQL store named with its password: saved, and the password shown nowhere.
    url = pg_schema_url(pg_server)
    saved = run_pbench(*RUN, "--store", url, "true")
    assert saved.code == 0, saved.err
    assert (
        TEST_PASSWORD not in saved.err and "saved run #1 to postgresql://pbench:***@" in saved.err
    )
    with (
        open_store(store_address(url)) as opened,
        opened._reading("dump") as cursor,  # type: ignore[attr-defined]
    ):
        texts = []
        for table in ("machines", "runs", "results", "samples", "baselines"):
            cursor.execute(f"SELECT * FROM {table}")
            texts += [repr(row) for row in cursor.fetchall()]
    assert texts and TEST_PASSWORD not in "\n".join(texts)
