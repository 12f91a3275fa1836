"""--budget end to end: the table, the JSON, and exit 4 only for a broken error level
(the publishing of a command run's budgets: tests/session/test_budgets.py)."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import run_pbench, sql_json
from support.httpserver import HttpTestServer


def test_a_failed_benchmark_wins_over_a_broken_budget() -> None:
    result = run_pbench("run", "-r", "2", "--style", "basic", "--budget", "mean:1ns", "-N", "false")
    assert result.code == 1


def test_a_bad_budget_exits_2_before_measuring() -> None:
    result = run_pbench("run", "-r", "2", "--budget", "mean:fast", "sleep 1")
    assert result.code == 2
    assert "--budget 'mean:fast': expected a duration" in result.err
    assert result.out == ""
    unknown = run_pbench("run", "-r", "2", "--budget", "p95x:1s", "sleep 1")
    assert unknown.code == 2 and "unknown budget metric 'p95x'" in unknown.err


def test_http_p95_budget(server: HttpTestServer, tmp_path: Path) -> None:
    url = server.base_url + "/fast"
    out = tmp_path / "h.json"
    broken = run_pbench(
        "http", "-r", "200", "--style", "basic", "--budget", "p95:1us:warn", "--budget", "p95:2us",
        "--export-json", str(out), url,
    )  # fmt: skip
    assert broken.code == 4, broken.err
    warn, error = json.loads(out.read_text())["budgets"]
    assert (warn["level"], warn["limit"], warn["status"]) == ("warn", 1e-6, "broken")
    assert (error["level"], error["status"]) == ("error", "broken")
    assert error["low"] <= error["measured"] <= error["high"]
    assert "interval from the p95 of each of" in error["note"]
    met = run_pbench("http", "-r", "200", "--style", "basic", "--budget", "p95:10s", url)
    assert met.code == 0, met.err
    refused = run_pbench("http", "-r", "10", "--budget", "rss:1GB", url)
    assert refused.code == 2 and "pbench http does not measure rss" in refused.err


def test_sql_throughput_budget(tmp_path: Path, sqlite_file: Path) -> None:
    status, data, out, err = sql_json(
        tmp_path, "-r", "100", "--budget", "throughput:1000000000/s", "SELECT 1"
    )
    assert status == 4, err
    [check] = data["budgets"]
    assert check["bigger_is_better"] and check["status"] == "broken"
    assert "≥ 1,000,000,000.0/s" in out
    status, data, _, err = sql_json(
        tmp_path, "--db", f"sqlite:///{sqlite_file}", "-c", "2", "-d", "0.5s",
        "--budget", "throughput:1/s", "--budget", "p99.9:10s", "--budget", "error_rate:50%",
        "SELECT v FROM kv WHERE id = 7",
    )  # fmt: skip
    assert status == 0, err
    rate, p999, errors = data["budgets"]
    assert rate["status"] == "met" and rate["low"] < rate["measured"] < rate["high"]
    assert (
        p999["status"] == "met"
        and p999["measured"] == data["results"][0]["load"]["latency"]["p99_9"]
    )
    assert errors["measured"] == 0.0 and errors["status"] == "met"
    assert "slices" in errors["note"]
