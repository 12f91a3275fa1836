"""Load warnings and failed statuses reach the user (issue 8), against 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import run_pbench
from support.httpserver import HttpTestServer


def pbench(*args: str) -> tuple[int, str, str]:
    result = run_pbench("http", *args)
    return result.code, result.out, result.err


def test_a_target_behind_the_rate_is_a_warning_on_the_terminal_and_in_json(
    server: HttpTestServer, tmp_path: Path
) -> None:
    out = tmp_path / "r.json"
    # One connection to an endpoint that takes 20 ms cannot answer 200 requests/s.
    status, stdout, stderr = pbench(
        "--rate", "200", "-d", "0.3s", "--style", "basic", "--export-json", str(out),
        server.base_url + "/slow?ms=20",
    )  # fmt: skip
    assert status == 0, stderr
    assert "Warning: the schedule was not kept: 200 req/s asked, " in stdout
    assert "1 connection with one request in flight each" in stdout and "raise -c" in stdout
    assert "requests/s scheduled (" in stdout and "): NOT reached" in stdout
    (result,) = json.loads(out.read_text())["results"]
    assert any(w.startswith("the schedule was not kept") for w in result["warnings"])
    rate = result["load"]["rate"]
    assert rate["target"] == 200 and rate["reached"] is False
    assert rate["achieved"] < 60  # one connection, 20 ms each: at most 50 sent per second


def test_requests_failing_on_status_name_the_statuses(server: HttpTestServer) -> None:
    status, stdout, stderr = pbench("-r", "5", "--style", "basic", server.base_url + "/status/503")
    assert status == 1
    assert "Status codes:        503: 5" in stdout
    assert "Failed:" in stdout and "all 5 requests failed" in stdout
    assert "failed (status: 503 ×5)" in stderr
    assert "hint: the answers had unexpected status codes" in stderr


def test_error_kinds_name_only_the_failed_statuses_when_the_accepted_ones_are_known() -> None:
    from pbench.run.results import error_kinds

    load = {
        "succeeded": 75,
        "errors": {"reset": 2, "status": 25},
        "status_codes": {"200": 75, "500": 20, "503": 5},
    }
    assert error_kinds(load, {"expect_status": "2xx"}) == "reset: 2, status: 500 ×20, 503 ×5"
    assert error_kinds(load, {"expect_status": [200, 503]}) == "reset: 2, status: 500 ×20"
    assert error_kinds(load) == "reset: 2, status: 25 (statuses seen: 200 ×75, 500 ×20, 503 ×5)"
