"""``pbench suite``: a real suite file with command, HTTP (a real server on 127.0.0.1)
and SQL (a real SQLite file) benchmarks, run end to end by tier and tag, with budgets,
exports and exit codes; and the repository's own benchmarks.toml."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from support.cli import Result, run_pbench
from support.httpserver import HttpTestServer

ROOT = Path(__file__).parents[2]

SUITE = """
[defaults]
warmup = 1

[tier.quick]
max_time = "5s"
duration = "0.5s"  # for the HTTP benchmark; the others set their runs themselves

[tier.load]
tags = ["web"]
concurrency = 2
duration = "1s"

[[benchmark]]
name = "echo {n}"
command = "echo {n}"
shell = "none"
runs = 5
tags = ["cli"]
parameters = { n = [1, 2] }
budgets = { mean = "5s", rss = { warn = "1GB" } }

[[benchmark]]
name = "fast page"
kind = "http"
url = "${BASE_URL}/fast"
tags = ["web"]
tiers = ["quick"]
budgets = { p95 = "2s", error_rate = "5%" }

[[benchmark]]
name = "count rows"
kind = "sql"
query = "SELECT count(*) FROM t"
db = "sqlite:///data.db"
setup_sql = "CREATE TABLE IF NOT EXISTS t (x INTEGER)"
runs = 20
tags = ["db"]
"""


def suite(folder: Path, text: str, *args: str, env: dict[str, str] | None = None) -> Result:
    path = folder / "benchmarks.toml"
    path.write_text(text)
    return run_pbench("suite", str(path), "--style", "basic", *args, env=env)


def exported(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def test_quick_tier_runs_every_kind_end_to_end(server: HttpTestServer, tmp_path: Path) -> None:
    out = tmp_path / "out" / "results.json"
    out.parent.mkdir()
    result = suite(
        tmp_path,
        SUITE,
        "--tier",
        "quick",
        "--export-json",
        str(out),
        env={"BASE_URL": server.base_url},
    )
    assert result.code == 0, result.err
    data = exported(out)
    names = [r["name"] for r in data["results"]]
    assert names == ["echo 1", "echo 2", "fast page", "count rows"]
    by_name = {r["name"]: r for r in data["results"]}
    assert by_name["echo 1"]["info"]["suite_benchmark"] == "echo {n}"
    assert len(by_name["echo 1"]["times"]) == 5
    assert by_name["fast page"]["load"]["elapsed_s"] < 1  # the tier's duration
    assert by_name["count rows"]["info"]["suite_benchmark"] == "count rows"
    assert by_name["fast page"]["load"]["failed"] == 0
    assert data["metadata"]["suite"]["tier"] == "quick"
    # The variants of one benchmark are compared with each other, and only them.
    assert {(c["reference"], c["name"]) for c in data["comparisons"]} <= {
        ("echo 1", "echo 2"),
        ("echo 2", "echo 1"),
    }
    assert len(data["comparisons"]) == 1
    statuses = {(b["benchmark"], b["metric"], b["level"]): b["status"] for b in data["budgets"]}
    assert statuses[("echo 1", "mean", "error")] == "met"
    assert statuses[("fast page", "p95", "error")] == "met"
    assert data["scores"]["benchmarks"]["count rows"]["reason"].startswith("no budgets")
    # relative paths in the file are relative to the file's folder
    assert (tmp_path / "data.db").exists()
    assert "[1/3] echo {n} (command)" in result.err
    assert "Budgets" in result.out and "Suite score:" in result.out


def test_tags_and_patterns_select(server: HttpTestServer, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    env = {"BASE_URL": server.base_url}
    result = suite(tmp_path, SUITE, "--tier", "quick", "--tag", "db", "--export-json", str(out))
    assert result.code == 0, result.err
    assert [r["name"] for r in exported(out)["results"]] == ["count rows"]
    result = suite(tmp_path, SUITE, "--tier", "quick", "-k", "ECHO", "--export-json", str(out))
    assert result.code == 0, result.err
    assert [r["name"] for r in exported(out)["results"]] == ["echo 1", "echo 2"]
    # The load tier holds what its tags name (the HTTP benchmark, with the tier's
    # settings) and every benchmark in no tier; the full tier is not the HTTP one's.
    result = suite(tmp_path, SUITE, "--tier", "load", "--list", env=env)
    assert result.code == 0, result.err
    assert "fast page" in result.out and "concurrency = 2" in result.out
    assert "echo {n}" in result.out
    result = suite(tmp_path, SUITE, "--tier", "full", "--list", env=env)
    assert result.code == 0, result.err
    assert "fast page" not in result.out and "count rows" in result.out


def test_a_broken_error_budget_exits_4_after_every_export(tmp_path: Path) -> None:
    text = """
[[benchmark]]
name = "slow"
command = "sleep 0.02"
runs = 5
budgets = { median = "1ms" }

[[benchmark]]
name = "fine"
command = "sleep 0.01"
runs = 5
budgets = { median = { warn = "1ms", error = "10s" } }
"""
    junit, out = tmp_path / "junit.xml", tmp_path / "r.json"
    result = suite(tmp_path, text, "--export-junit", str(junit), "--export-json", str(out))
    assert result.code == 4, result.err
    assert "budget broken: median of 'slow'" in result.err
    data = exported(out)
    statuses = {(b["benchmark"], b["level"]): b["status"] for b in data["budgets"]}
    assert statuses == {("slow", "error"): "broken", ("fine", "warn"): "broken",
                        ("fine", "error"): "met"}  # fmt: skip
    assert junit.read_text().count("<failure") == 1
    # A warn level never fails the run.
    result = suite(tmp_path, text.replace('median = "1ms"', 'median = "10s"'))
    assert result.code == 0, result.err


def test_a_failing_benchmark_exits_1_and_the_others_still_run(tmp_path: Path) -> None:
    text = """
[[benchmark]]
name = "fails"
command = "false"
runs = 3

[[benchmark]]
name = "works"
command = "true"
runs = 3
"""
    out = tmp_path / "r.json"
    result = suite(tmp_path, text, "--export-json", str(out))
    assert result.code == 1
    assert "'false'" in result.err or "fails" in result.err
    assert "Traceback" not in result.err
    assert [r["name"] for r in exported(out)["results"]] == ["fails", "works"]
    assert len(exported(out)["results"][1]["times"]) == 3


def test_every_problem_of_a_malformed_file_at_once(tmp_path: Path) -> None:
    text = """
[defaults]
warmpu = 2

[[benchmark]]
name = "a"
command = "true"
budgets = { p95 = "fast" }

[[benchmark]]
name = "a"
kind = "http"
"""
    result = suite(tmp_path, text)
    assert result.code == 2
    file = str(tmp_path / "benchmarks.toml")
    assert "did you mean `warmup`?" in result.err
    assert 'budgets.p95: expected a duration like "250ms", got "fast"' in result.err
    assert "url" in result.err  # the HTTP benchmark has no URL
    assert "names must be unique" in result.err
    assert result.err.count(f"{file}:") >= 4
    assert "Traceback" not in result.err
    result = suite(tmp_path, "[[benchmark]\nname = 'x'\n")
    assert result.code == 2
    assert f"{file}:1:" in result.err


def test_missing_file_and_unknown_tier(tmp_path: Path) -> None:
    result = run_pbench("suite", str(tmp_path / "nope.toml"))
    assert result.code == 2 and "nope.toml" in result.err
    result = suite(tmp_path, 'name = 1\n[[benchmark]]\nname = "x"\ncommand = "true"\n')
    assert result.code == 2
    result = suite(tmp_path, '[[benchmark]]\nname = "x"\ncommand = "true"\n', "--tier", "quik")
    assert result.code == 2 and "quick" in result.err


def test_list_masks_secrets_and_dry_run_measures_nothing(tmp_path: Path) -> None:
    text = """
[[benchmark]]
name = "pg"
kind = "sql"
query = "SELECT 1"
db = "postgresql://me:${PGPW}@127.0.0.1:1/app"

[[benchmark]]
name = "touch"
command = "touch marker"
env = { PGPASSWORD = "${PGPW}", MODE = "fast" }
"""
    result = suite(tmp_path, text, "--list", env={"PGPW": "s3cret-pw"})
    assert 'MODE = "fast"' in result.out and 'PGPASSWORD = "***"' in result.out
    assert result.code == 0, result.err
    assert "s3cret-pw" not in result.out + result.err
    assert "pg  (sql)" in result.out and "touch  (command)" in result.out
    result = suite(tmp_path, text, "-k", "touch", "--dry-run", env={"PGPW": "x"})
    assert result.code == 0, result.err
    assert "nothing was measured" in result.out
    assert not (tmp_path / "marker").exists()


def test_a_plan_problem_names_the_benchmark(tmp_path: Path) -> None:
    text = '[[benchmark]]\nname = "q"\nkind = "sql"\nquery = "@missing.sql"\n'
    result = suite(tmp_path, text, "--dry-run")
    assert result.code == 2
    assert "benchmark 'q'" in result.err and "missing.sql" in result.err


def test_step_summary_of_a_suite_is_appended(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n")
    text = '[[benchmark]]\nname = "t"\ncommand = "true"\nruns = 3\nbudgets = { mean = "5s" }\n'
    result = suite(tmp_path, text, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.code == 0, result.err
    written = summary.read_text()
    assert written.startswith("# earlier step\n")
    assert "Budgets" in written and "| t |" in written.replace("`", "")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_the_repository_suite_passes_its_budgets(tmp_path: Path) -> None:
    # pbench's own benchmarks.toml, quick tier, as the README says to run it.
    out = tmp_path / "results.json"
    env = {
        "PBENCH": f"{sys.executable} -m pbench",
        "PBENCH_FIXTURE_PORT": str(_free_port()),
    }
    result = run_pbench(
        "suite", str(ROOT / "benchmarks.toml"), "--tier", "quick", "--style", "basic",
        "--export-json", str(out), env=env,
    )  # fmt: skip
    # Whether pbench's own speed meets its budgets is a figure of the machine, for
    # `pbench suite --tier quick` on a quiet one: a shared test machine can break them.
    # What no load changes: every benchmark runs and every budget is judged, and the
    # exit code is the one the budgets' statuses call for (0, or 4 for a broken one).
    data = exported(out)
    assert len(data["results"]) == 6
    statuses = {b["status"] for b in data["budgets"] if b["level"] == "error"}
    assert statuses and statuses <= {"met", "at_risk", "broken"}, statuses  # none no_data
    assert result.code == (4 if "broken" in statuses else 0), result.out + result.err


def test_the_readme_example_is_a_valid_suite(tmp_path: Path) -> None:
    import re

    readme = (ROOT / "README.md").read_text()
    found = re.search(r"## Suites.*?```toml\n(.*?)```", readme, re.S)
    assert found is not None
    result = suite(tmp_path, found.group(1), "--list", env={"API_TOKEN": "t0ken-value"})
    assert result.code == 0, result.err
    assert "build index" in result.out and "t0ken-value" not in result.out
    result = suite(tmp_path, found.group(1), "--tier", "load", "--list", env={"API_TOKEN": "x"})
    assert result.code == 0 and "concurrency = 32" in result.out


def test_load_runs_and_sweeps_in_a_suite(server: HttpTestServer, tmp_path: Path) -> None:
    text = """
[tier.quick]
duration = "0.4s"   # for the load benchmarks: never makes `plain` a load run

[[benchmark]]
name = "plain"
command = "sleep 0.01"
runs = 3

[[benchmark]]
name = "copies"
command = "sleep 0.02"
concurrency = 2
duration = "0.5s"

[[benchmark]]
name = "page"
kind = "http"
url = "${BASE_URL}/fast"
concurrency = [1, 2]
"""
    out = tmp_path / "r.json"
    result = suite(
        tmp_path, text, "--tier", "quick", "--export-json", str(out),
        env={"BASE_URL": server.base_url},
    )  # fmt: skip
    assert result.code == 0, result.err
    data = exported(out)
    by_name = {r["name"]: r for r in data["results"]}
    assert "load" not in by_name["plain"] and len(by_name["plain"]["times"]) == 3
    assert by_name["copies"]["load"]["concurrency"] == 2
    assert {"page (c=1)", "page (c=2)"} <= set(by_name)
    [table] = data["scaling"]
    assert [level["concurrency"] for level in table["levels"]] == [1, 2]
    assert "Concurrency" in result.out or "scaling" in result.out.lower()


def test_ctrl_c_keeps_what_finished_and_exits_130(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess

    from support.events import runs_started, unique, wait_until

    text = """
[[benchmark]]
name = "first"
command = "true"
runs = 3

[[benchmark]]
name = "long"
command = "sleep {duration}"
runs = 1000
""".format(duration=unique("0.2"))
    (tmp_path / "benchmarks.toml").write_text(text)
    out = tmp_path / "partial.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    process = subprocess.Popen(
        [sys.executable, "-m", "pbench", "suite", str(tmp_path / "benchmarks.toml"),
         "--style", "none", "--export-json", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    long_runs = runs_started(process.pid, unique("0.2"))
    wait_until(lambda: long_runs() >= 2, "a run of the second benchmark finished")
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    results = {r["name"]: r for r in json.loads(out.read_text())["results"]}
    assert len(results["first"]["times"]) == 3
    assert results["long"]["stop_reason"] == "interrupted" and results["long"]["times"]


def test_ignore_failure_takes_exit_codes_as_run_does(tmp_path: Path) -> None:
    text = """
[[benchmark]]
name = "three"
command = "sh -c 'exit {code}'"
parameters = { code = [3] }
runs = 3
ignore_failure = [3]
"""
    result = suite(tmp_path, text)
    assert result.code == 0, result.err  # as pbench run -i=3
    result = suite(tmp_path, text.replace("code = [3]", "code = [4]"))
    assert result.code == 1 and "exit code 4" in result.err
    result = suite(tmp_path, text.replace("ignore_failure = [3]", 'ignore_failure = "3"'))
    assert result.code == 2 and "a list of exit codes" in result.err
    http = '[[benchmark]]\nname = "h"\nkind = "http"\nurl = "http://127.0.0.1:9/"\n'
    result = suite(tmp_path, http + "ignore_failure = [3]\n", "--list")
    assert result.code == 2 and "ignore_failure" in result.err
