"""``pbench http`` end to end: exit codes, stdout/stderr apart, exports, verdicts."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from support.cli import run_pbench
from support.events import wait_until
from support.httpserver import HttpTestServer


def pbench(*args: str) -> tuple[int, str, str]:
    result = run_pbench("http", *args)
    return result.code, result.out, result.err


def test_fast_vs_slow_endpoint_gets_the_right_verdict(
    server: HttpTestServer, tmp_path: Path
) -> None:
    out = tmp_path / "r.json"
    status, stdout, stderr = pbench(
        "-r",
        "300",
        "-c",
        "2",
        "--style",
        "basic",
        "--export-json",
        str(out),
        "-n",
        "fast",
        "-n",
        "slow",
        server.base_url + "/fast",
        server.base_url + "/slow?ms=5",
    )
    assert status == 0, stderr
    assert "'fast' ran" in stdout
    assert "'slow' is slower" in stdout
    data = json.loads(out.read_text())
    fast = data["results"][0]
    assert fast["command"] == "fast" or fast["name"] == "fast"
    # One observation per slice (300 requests in slices of at most 300 / 20 requests),
    # every request in the load figures.
    assert len(fast["times"]) == 20
    assert [m["requests"] for m in fast["measurements"]] == [15.0] * 20
    assert fast["load"]["requests"] == 300
    assert fast["load"]["slices"]["count"] == 20
    assert fast["load"]["status_codes"] == {"200": 300}
    assert fast["load"]["latency"]["p99_9"] >= fast["load"]["latency"]["p50"]
    assert fast["median"] < data["results"][1]["median"]


def test_every_request_failing_exits_1_with_a_clear_message(server: HttpTestServer) -> None:
    status, _, stderr = pbench("-r", "5", "--style", "none", server.base_url + "/status/503")
    assert status == 1
    assert "every request" in stderr and "status: 5" in stderr
    assert "Traceback" not in stderr


def test_invalid_url_exits_2_and_secrets_never_show(server: HttpTestServer, tmp_path: Path) -> None:
    status, _, stderr = pbench("ftp://user:hunter2@host/")
    assert status == 2 and "invalid URL" in stderr and "hunter2" not in stderr
    out = tmp_path / "r.json"
    status, stdout, stderr = pbench(
        "-r",
        "3",
        "--style",
        "basic",
        "--export-json",
        str(out),
        "-H",
        "Authorization: Bearer tok3n",
        "-H",
        "Cookie: sid=c00kie",
        server.base_url.replace("http://", "http://me:hunter2@") + "/fast",
    )
    assert status == 0, stderr
    everything = stdout + stderr + out.read_text()
    for secret in ("hunter2", "tok3n", "c00kie"):
        assert secret not in everything


def test_ctrl_c_exports_the_partial_result_and_exits_130(
    server: HttpTestServer, tmp_path: Path
) -> None:
    out = tmp_path / "partial.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pbench",
            "http",
            "-d",
            "30s",
            "--style",
            "none",
            "--export-json",
            str(out),
            server.base_url + "/slow?ms=2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    server.reset_counts()
    wait_until(lambda: server.hits["/slow"] >= 100, "100 requests answered")
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    result = json.loads(out.read_text())["results"][0]
    assert result["stop_reason"] == "interrupted"
    assert result["load"]["requests"] > 10


def test_some_requests_failing_exits_1_unless_ignored(server: HttpTestServer) -> None:
    url = server.base_url + "/flaky?every=4"  # one request in four answers 500
    status, _, stderr = pbench("-r", "20", "--style", "none", url)
    assert status == 1, stderr
    assert "5 of 20 requests to" in stderr and "status: 5" in stderr
    assert "--ignore-failure" in stderr
    assert "Traceback" not in stderr
    status, _, stderr = pbench("-r", "20", "--style", "none", "-i", url)
    assert status == 0, stderr


def test_https_with_insecure_and_without(tls_server: HttpTestServer) -> None:
    url = tls_server.base_url + "/fast"
    assert url.startswith("https://127.0.0.1:")
    status, stdout, stderr = pbench("-r", "20", "-c", "2", "--style", "basic", "--insecure", url)
    assert status == 0, stderr
    assert "Status codes:        200: 20" in stdout
    # Without --insecure the self-signed certificate fails verification: a tls error.
    status, _, stderr = pbench("-r", "5", "--style", "none", url)
    assert status == 1
    assert "tls" in stderr and "--insecure" in stderr
    assert "Traceback" not in stderr


def test_duration_bounds_the_run_even_when_the_server_never_answers(
    server: HttpTestServer,
) -> None:
    started = time.monotonic()
    status, stdout, stderr = pbench(
        "-d", "1s", "-c", "3", "--timeout", "30s", "--style", "basic", server.base_url + "/hang"
    )
    elapsed = time.monotonic() - started
    assert elapsed < 10, "the 30 s request timeout, not -d, ended the run"
    assert status == 1
    assert "Unfinished:          3 (in flight when time was up)" in stdout
    assert "no request to" in stderr and "3 still in flight" in stderr
    assert "Traceback" not in stderr


def test_requests_cut_off_by_the_duration_are_counted_and_warned_of_when_many(
    server: HttpTestServer, tmp_path: Path
) -> None:
    out = tmp_path / "r.json"
    # Fast answers: at most one request per connection is cut off, as with wrk: no word.
    status, stdout, stderr = pbench(
        "-d", "500ms", "-c", "2", "--style", "basic", "--export-json", str(out),
        server.base_url + "/fast",
    )  # fmt: skip
    assert status == 0, stderr
    load = json.loads(out.read_text())["results"][0]["load"]
    assert load["unfinished"] <= 2 and load["requests"] > 100
    assert "were still in flight" not in stdout
    # 300 ms answers for 1 s on 3 connections: 3 of about 12 requests are cut off.
    status, stdout, stderr = pbench(
        "-d", "1s", "-c", "3", "--slice", "1s", "--style", "basic", "--export-json", str(out),
        server.base_url + "/slow?ms=300",
    )  # fmt: skip
    assert status == 0, stderr
    load = json.loads(out.read_text())["results"][0]["load"]
    assert load["unfinished"] == 3
    assert "3 of 12 requests were still in flight when the time was up" in stdout
    assert "Unfinished:          3 (in flight when time was up)" in stdout


def test_several_urls_are_interleaved_in_slices_or_run_in_a_row(
    server: HttpTestServer, tmp_path: Path
) -> None:
    out = tmp_path / "r.json"
    urls = [server.base_url + "/fast", server.base_url + "/fast?b"]
    # --slice 5s: every slice ends by its share of the requests (400 / 20), never by time,
    # which a busy machine reached first (more than 20 slices, at load 13-19)
    status, stdout, stderr = pbench(
        "-r", "400", "--slice", "5s", "--seed", "7", "--style", "basic",
        "--export-json", str(out), *urls,
    )  # fmt: skip
    assert status == 0, stderr
    data = json.loads(out.read_text())
    a, b = data["results"]
    assert [m["round"] for m in a["measurements"]] == list(range(20))
    assert [m["round"] for m in b["measurements"]] == list(range(20))
    (comparison,) = data["comparisons"]
    assert comparison["method"]["interval"] == "bootstrap percentile, rounds resampled in pairs"
    positions = [m["position"] for m in a["measurements"]]
    assert set(positions) == {0, 1}
    assert [m["position"] for m in b["measurements"]] == [1 - p for p in positions]
    assert "20 vs 20 slices" in stdout
    assert "Slices:              20 of 5000 ms or more, interleaved" in stdout

    status, _, stderr = pbench(
        "-r", "400", "--slice", "5s", "--order", "sequential", "--style", "none",
        "--export-json", str(out), *urls,
    )  # fmt: skip
    assert status == 0, stderr
    data = json.loads(out.read_text())
    a, b = data["results"]
    assert [m["round"] for m in a["measurements"]] == list(range(20))
    assert [m["round"] for m in b["measurements"]] == list(range(20, 40))
    assert "Mann-Whitney" in data["comparisons"][0]["method"]["test"]


def test_precision_stops_on_the_interval_of_slices(server: HttpTestServer, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    status, _, stderr = pbench(
        "--precision", "50%", "--slice", "20ms", "--style", "none", "--export-json", str(out),
        server.base_url + "/fast",
    )  # fmt: skip
    assert status == 0, stderr
    result = json.loads(out.read_text())["results"][0]
    assert result["stop_reason"] in ("precision", "budget")
    assert len(result["times"]) >= 10
    status, _, stderr = pbench("--precision", "5%", "-d", "1s", server.base_url + "/fast")
    assert status == 2 and "--precision adapts it" in stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_setup_starts_the_server_and_cleanup_stops_it(tmp_path: Path) -> None:
    fixture = Path(__file__).parents[2] / "scripts" / "http_fixture.py"
    port, pidfile = _free_port(), tmp_path / "server.pid"
    out = tmp_path / "out.json"
    code, _, err = pbench(
        "--setup",
        f"{sys.executable} {fixture} start --port {port} --pidfile {pidfile}",
        "--cleanup",
        f"{sys.executable} {fixture} stop --pidfile {pidfile}",
        "-r",
        "200",
        "--export-json",
        str(out),
        f"http://127.0.0.1:{port}/",
    )
    assert code == 0, err
    assert json.loads(out.read_text())["results"][0]["load"]["succeeded"] == 200
    assert not pidfile.exists()  # cleanup ran
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0  # and the server is gone


def test_a_failing_setup_stops_before_any_request(server: HttpTestServer) -> None:
    code, _, err = pbench("--setup", "exit 3", "-r", "10", server.base_url + "/fast")
    assert code == 1
    assert "setup command 'exit 3' exited with code 3" in err
    assert "Traceback" not in err
