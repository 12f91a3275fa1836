"""--save-baseline / --baseline / --any-machine end to end, on both stores (SQLite and
PostgreSQL): a regression exits 3 after every export (the JSON ``baseline`` key, the
Markdown section, a failing JUnit case), no change exits 0, a broken budget's 4 wins,
each REF form through the CLI, another machine's run refused (exit 2, nothing
measured) or allowed with a warning, unknown REFs, an unreadable store (exit 1 after
the exports), ``pbench compare --baseline REF FILE``, a suite's ``[history] baseline``,
and the ``regression`` event POSTed to a real webhook on 127.0.0.1."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from history.conftest import T0, hours, record
from pbench.history.backends import open_store
from pbench.history.fingerprint import machine_from, this_host
from pbench.plan.store import store_address
from pbench.results.metadata import collect_metadata
from support.cli import Result, run_pbench
from support.httpserver import HttpTestServer

RUN = ("run", "-N", "-n", "s", "--style", "basic")


def measure(command: str, *args: str, runs: int = 15) -> Result:
    return run_pbench(*RUN, "-r", str(runs), *args, command)


def exported(path: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(path.read_text())
    return found


# A regression between real runs is twentyfold (sleep 0.005 against sleep 0.1): an effect
# no noise on the machine can undo (a busy machine adds milliseconds to every sleep, which
# shrank 0.003 against 0.03 to 4-7x, and the between-run allowance widened that further).
def save_main(store_url: str, command: str = "sleep 0.005") -> None:
    saved = measure(command, "--store", store_url, "--save-baseline", "main")
    assert saved.code == 0, saved.err
    assert "as baseline 'main'" in saved.err


def test_a_regression_exits_3_after_every_export(store_url: str, tmp_path: Path) -> None:
    save_main(store_url)
    out, md, xml = tmp_path / "r.json", tmp_path / "r.md", tmp_path / "r.xml"
    result = measure("sleep 0.1", "--store", store_url, "--baseline", "main",
                     "--export-json", str(out), "--export-markdown", str(md),
                     "--export-junit", str(xml))  # fmt: skip
    assert result.code == 3, result.err
    assert "Compared with baseline 'main' (run #1)" in result.out
    assert "slower" in result.out.split("Compared with")[1]
    assert "pbench: regression: 's' takes" in result.err
    baseline = exported(out)["baseline"]
    assert baseline["ref"] == "main" and baseline["run"]["id"] == 1
    assert baseline["run"]["machine"] == baseline["machine"] and not baseline["other_machine"]
    (entry,) = baseline["benchmarks"]
    assert entry["comparison"]["verdict"] == "slower" and baseline["regressions"] == ["s"]
    assert entry["baseline"]["command"] == "sleep 0.005"
    assert entry["candidate"]["command"] == "sleep 0.1"
    assert entry["comparison"]["ratio_median"] > 2
    assert "### Baseline `main`: run #1" in md.read_text()
    assert 'classname="pbench.baseline"' in xml.read_text()
    assert "<failure" in xml.read_text().split("pbench.baseline")[1]
    assert "saved run #2" in result.err  # --store saves too; the name stays on run #1
    with open_store(store_address(store_url)) as store:
        assert store.baselines() == {"main": 1}


def test_no_change_exits_0_and_a_broken_budget_wins(store_url: str, tmp_path: Path) -> None:
    save_main(store_url, "sleep 0.01")
    out = tmp_path / "r.json"
    env = {"PBENCH_STORE": store_url}  # read without saving
    same = run_pbench(*RUN, "-r", "15", "--baseline", "main", "--threshold", "50%",
                      "--export-json", str(out), "sleep 0.01", env=env)  # fmt: skip
    assert same.code == 0, same.err
    # "same" needs the interval inside ±50%: a busy machine can widen it past that (an
    # honest "inconclusive"); what no load can do is make it a change
    verdict = exported(out)["baseline"]["benchmarks"][0]["comparison"]["verdict"]
    assert verdict in ("same", "inconclusive")
    assert "saved run" not in same.err
    both = run_pbench(*RUN, "-r", "15", "--baseline", "main", "--budget", "mean:1ms",
                      "--export-json", str(out), "sleep 0.1", env=env)  # fmt: skip
    assert both.code == 4, both.err
    assert exported(out)["baseline"]["regressions"] == ["s"]
    assert "regression" in both.err and "budget" in both.err


def test_each_ref_form_through_the_cli(store_url: str, tmp_path: Path) -> None:
    here = machine_from(collect_metadata(), this_host())
    dev, main = "1234abcd" + "0" * 32, "feedbeef" + "0" * 32
    with open_store(store_address(store_url)) as store:
        ids = [
            store.save(replace(record("s", commit=dev, branch="dev"), machine=here)),
            store.save(replace(record("s", commit=main, branch="main"), machine=here)),
        ]
        # Newer runs of the same branches and commits on another machine: never picked.
        for commit, branch in ((dev, "dev"), (main, "main")):
            store.save(record("s", commit=commit, branch=branch, at=T0 + hours(1)))
        store.mark_baseline("old", ids[0])
    out = tmp_path / "r.json"
    for ref, expected in (("old", ids[0]), ("latest", ids[1]), ("branch:dev", ids[0]),
                          ("commit:feedbe", ids[1]), ("commit:1234abcd", ids[0])):  # fmt: skip
        result = run_pbench(*RUN, "-r", "3", "--baseline", ref, "--export-json", str(out),
                            "sleep 0.001", env={"PBENCH_STORE": store_url})  # fmt: skip
        assert result.code in (0, 3), (ref, result.err)
        assert exported(out)["baseline"]["run"]["id"] == expected, ref
        assert exported(out)["baseline"]["ref"] == ref
    wide = run_pbench(*RUN, "-r", "3", "--baseline", "branch:dev", "--any-machine",
                      "--export-json", str(out), "sleep 0.001",
                      env={"PBENCH_STORE": store_url})  # fmt: skip
    assert wide.code in (0, 3), wide.err
    assert exported(out)["baseline"]["run"]["id"] == 3  # the other machine's newer run


def test_another_machine_is_refused_unless_any_machine(store_url: str, tmp_path: Path) -> None:
    with open_store(store_address(store_url)) as store:
        store.mark_baseline("theirs", store.save(record("s", host="elsewhere", median=0.002)))
    out = tmp_path / "r.json"
    env = {"PBENCH_STORE": store_url}
    refused = run_pbench(*RUN, "-r", "3", "--baseline", "theirs", "--export-json", str(out),
                         "sleep 0.001", env=env)  # fmt: skip
    assert refused.code == 2 and not out.exists()  # refused before measuring
    assert "elsewhere (Test CPU" in refused.err
    assert f"{this_host()} (" in refused.err and "--any-machine" in refused.err
    allowed = run_pbench(*RUN, "-r", "3", "--baseline", "theirs", "--any-machine",
                         "--export-json", str(out), "sleep 0.001", env=env)  # fmt: skip
    assert allowed.code in (0, 3), allowed.err
    assert "pbench: warning: --any-machine: baseline 'theirs' (run #1) was measured on " \
        "elsewhere" in allowed.err  # fmt: skip
    baseline = exported(out)["baseline"]
    assert baseline["other_machine"] is True and baseline["any_machine"] is True
    assert baseline["run"]["machine"]["host"] == "elsewhere"
    assert baseline["warnings"][0].startswith("--any-machine:")


def test_unknown_refs_exit_2_with_what_exists(store_url: str, tmp_path: Path) -> None:
    save_main(store_url)
    env = {"PBENCH_STORE": store_url}
    for ref, shown in (("nightly", "'main' (run #1)"), ("branch:nope", "--any-machine"),
                       ("commit:abcdef", "--any-machine")):  # fmt: skip
        result = run_pbench(*RUN, "-r", "2", "--baseline", ref, "true", env=env)
        assert result.code == 2, result.err
        assert shown in result.err and "Time (mean" not in result.out
    named = run_pbench(*RUN, "-r", "2", "--save-baseline", "latest", "true", env=env)
    assert named.code == 2 and "cannot be baseline names" in named.err


def test_an_unreadable_store_exits_1_after_the_exports(tmp_path: Path) -> None:
    broken = tmp_path / "h.db"
    broken.write_text("not a database")
    out = tmp_path / "r.json"
    result = run_pbench(*RUN, "-r", "2", "--baseline", "main", "--export-json", str(out),
                        "true", env={"PBENCH_STORE": str(broken)})  # fmt: skip
    assert result.code == 1, result.err
    assert "reported and exported but not compared" in result.err
    assert exported(out)["results"] and "baseline" not in exported(out)
    missing = run_pbench(*RUN, "-r", "2", "--baseline", "main", "true",
                         env={"PBENCH_STORE": str(tmp_path / "none.db")})  # fmt: skip
    assert missing.code == 2 and "no history store at" in missing.err


def test_compare_a_file_with_a_stored_run(store_url: str, tmp_path: Path) -> None:
    save_main(store_url)
    new = tmp_path / "new.json"
    assert measure("sleep 0.1", "--export-json", str(new)).code == 0
    for flag in ("--baseline", "--baseline-ref"):
        result = run_pbench("compare", flag, "main", str(new), "--store", store_url)
        assert result.code == 3, result.err
        assert "slower" in result.out.splitlines()[-1]
    report = tmp_path / "c.json"
    latest = run_pbench("compare", "--baseline-ref", "latest", "--candidate", str(new),
                        "--store", store_url, "--export-json", str(report))  # fmt: skip
    assert latest.code == 3, latest.err
    assert exported(report)["baseline"]["path"] == "latest (run #1)"
    old = tmp_path / "old.json"  # a --baseline file keeps working
    assert measure("sleep 0.005", "--export-json", str(old)).code == 0
    files = run_pbench("compare", "--baseline", str(old), "--candidate", str(new))
    assert files.code == 3 and "old.json" not in files.err
    document = exported(new)
    document["metadata"]["cpu"]["model"] = "Another CPU"
    moved = tmp_path / "moved.json"
    moved.write_text(json.dumps(document))
    refused = run_pbench("compare", "--baseline", "main", str(moved), "--store", store_url)
    assert refused.code == 2 and "Another CPU" in refused.err and "--any-machine" in refused.err
    allowed = run_pbench("compare", "--baseline", "main", str(moved), "--store", store_url,
                         "--any-machine")  # fmt: skip
    assert allowed.code == 3 and "warning: --any-machine" in allowed.err
    unknown = run_pbench("compare", "--baseline", "nightly", str(new), "--store", store_url)
    assert unknown.code == 2 and "'main' (run #1)" in unknown.err


def test_a_suite_compares_with_its_history_baseline(store_url: str, tmp_path: Path) -> None:
    suite = tmp_path / "benchmarks.toml"
    suite.write_text(
        '[[benchmark]]\nname = "s"\ncommand = "sleep 0.005"\nruns = 10\nshell = "none"\n'
    )
    saved = run_pbench("suite", str(suite), "--style", "none", "--store", store_url,
                       "--save-baseline", "main")  # fmt: skip
    assert saved.code == 0, saved.err
    suite.write_text(
        suite.read_text().replace("0.005", "0.1") + f'[history]\nbaseline = "main"\n'
        f'store = "{store_url}"\n'
    )
    out = tmp_path / "r.json"
    result = run_pbench("suite", str(suite), "--style", "basic", "--export-json", str(out))
    assert result.code == 3, result.err
    assert exported(out)["baseline"]["regressions"] == ["s"]
    assert "Compared with baseline 'main' (run #1)" in result.out
    suite.write_text(suite.read_text().replace("runs = 10\n", 'runs = 10\nbaseline = "x"\n'))
    refused = run_pbench("suite", str(suite), "--dry-run")
    assert refused.code == 2 and "write [history] baseline" in refused.err


def test_a_regression_is_posted_to_notify(
    store_url: str, tmp_path: Path, server: HttpTestServer
) -> None:
    save_main(store_url)
    server.reset_counts()
    result = run_pbench(*RUN, "-r", "15", "--baseline", "main", "--notify",
                        f"{server.base_url}/echo", "sleep 0.1",
                        env={"PBENCH_STORE": store_url})  # fmt: skip
    assert result.code == 3, result.err
    ((_path, body),) = server.posts
    payload = json.loads(body)
    (event,) = payload["events"]
    assert event["kind"] == "regression" and event["benchmark"] == "s"
    assert event["metric"] == "median" and event["change"] > 1
    assert "1 regression" in payload["text"]
    quiet = run_pbench(*RUN, "-r", "5", "--baseline", "main", "--threshold", "90%", "--notify",
                       f"{server.base_url}/echo", "sleep 0.005",
                       env={"PBENCH_STORE": store_url})  # fmt: skip
    assert quiet.code == 0 and len(server.posts) == 1


def test_a_load_run_against_one_stored_load_run_gets_no_verdict(
    store_url: str, tmp_path: Path, sqlite_file: Path
) -> None:
    load = ("sql", "--db", f"sqlite:///{sqlite_file}", "-n", "q", "-c", "2", "-d", "500ms",
            "--style", "basic")  # fmt: skip
    saved = run_pbench(*load, "--store", store_url, "--save-baseline", "main", "SELECT 1")
    assert saved.code == 0, saved.err
    out = tmp_path / "r.json"
    env = {"PBENCH_STORE": store_url}
    query = "SELECT v FROM kv WHERE id = 7"
    result = run_pbench(*load, "--baseline", "main", "--export-json", str(out), query, env=env)
    assert result.code == 0, result.err
    assert "one load run per side" in result.err
    (entry,) = exported(out)["baseline"]["benchmarks"]
    assert entry["baseline"]["load"] == "sql" and entry["comparison"]["verdict"] == "inconclusive"


def test_a_load_run_of_commands_compares_with_its_baseline(store_url: str, tmp_path: Path) -> None:
    # pbench run -j is a load run: one stored load run against one gets no verdict, but
    # the comparison is made and exported like any other.
    load = ("-j", "2", "-d", "0.4s")
    saved = run_pbench(*RUN, *load, "--store", store_url, "--save-baseline", "main", "sleep 0.01")
    assert saved.code == 0, saved.err
    out = tmp_path / "r.json"
    result = run_pbench(*RUN, *load, "--store", store_url, "--baseline", "main",
                        "--export-json", str(out), "sleep 0.1")  # fmt: skip
    assert result.code == 0, result.err
    baseline = exported(out)["baseline"]
    (entry,) = baseline["benchmarks"]
    assert baseline["ref"] == "main" and entry["candidate"]["command"] == "sleep 0.1"
