"""The live view of load runs in a real pseudo-terminal: real ``pbench`` processes
against the test HTTP server, an SQLite file and real commands. The frames arrive,
their counts agree with the report, and the screen keeps the report alone."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from support.httpserver import HttpTestServer
from support.pty_screen import PtyRun, Screen, run_in_pty

pytestmark = pytest.mark.slow

ERASE = re.compile(r"\r(?:\x1b\[1A)*\x1b\[J")
SGR = re.compile(r"\x1b\[[0-9;]*m")
BLOCK_WORDS = ("ETA ", " conns, ", "Loading ", "busy ", "waiting")


def pbench_in_pty(*args: str, env: dict[str, str] | None = None, **options: object) -> PtyRun:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    return run_in_pty(
        [sys.executable, "-m", "pbench", *args],
        {**base, "TERM": "xterm-256color", **(env or {})},
        **options,  # type: ignore[arg-type]
    )


def split(run: PtyRun) -> tuple[list[list[str]], str]:
    """The frames (each as the lines it shows) and what follows the last one."""
    pieces = ERASE.split(run.text)
    frames = [Screen().feed(piece).text.splitlines() for piece in pieces[:-1]]
    return frames, pieces[-1]


def requests_in(line: str) -> int:
    match = re.search(r"([\d,]+) (?:requests|queries|runs)", line)
    assert match is not None, line
    return int(match.group(1).replace(",", ""))


def report_counts(screen: str) -> list[int]:
    """The requests of each benchmark, from the report's Load lines."""
    return [
        int(n.replace(",", ""))
        for n in re.findall(r"Load: .*? ([\d,]+) (?:requests|queries|runs) in", screen)
    ]


def assert_only_the_report(run: PtyRun, first: str = "Benchmark 1:", exact: bool = True) -> str:
    """The final screen is what came after the last frame (``exact``), and nothing of
    a frame."""
    screen = Screen().feed(run.text).text
    if exact:
        assert screen == Screen().feed(split(run)[1]).text
    assert screen.startswith(first), screen[:500]
    for word in BLOCK_WORDS:
        assert word not in screen, (word, screen[:2000])
    return screen


def test_http_frames_arrive_agree_with_the_report_and_leave_only_the_report(
    server: HttpTestServer,
) -> None:
    url = server.base_url
    failing = f"{url}/fail-first?n=300&status=500"
    run = pbench_in_pty("http", "-c", "4", "-d", "1s", f"{url}/fast", failing, "-i")
    assert run.returncode == 0, run.text[-2000:]
    frames, rest = split(run)
    assert len(frames) >= 3  # the first, at least one redraw, the closing one
    lifetime = run.chunks[-1][0] - run.started  # at least the time it drew in
    assert len(frames) <= 4 * lifetime + 2  # at most 4 a second, and the closing one
    for frame in frames:
        assert frame[0].startswith("[") and "Loading 2 benchmarks" in frame[0]
        assert "GET" in frame[1] and "/fast" in frame[1] and "status=500" in frame[2]
    fast = [requests_in(frame[1]) for frame in frames]
    failed = [requests_in(frame[2]) for frame in frames]
    assert fast == sorted(fast) and failed == sorted(failed)
    assert any("conns" in frame[1] and "p99" in frame[1] for frame in frames)
    screen = assert_only_the_report(run)
    last = frames[-1]
    assert report_counts(screen) == [requests_in(last[1]), requests_in(last[2])]
    errors = re.search(r"Errors:\s+status: ([\d,]+)", screen)
    assert errors is not None
    assert errors.group(1) == "300" and "5xx ×300" in last[2] and "errors" not in last[1]
    assert "Benchmark 1:" in rest and "\x1b[J" not in rest


def test_a_sweep_has_a_line_per_level_and_ends_with_the_report(server: HttpTestServer) -> None:
    run = pbench_in_pty("http", "-c", "1,2", "-d", "0.5s", f"{server.base_url}/fast")
    assert run.returncode == 0, run.text[-2000:]
    frames, _ = split(run)
    heads = [frame[0] for frame in frames]
    assert any(head.startswith("Concurrency 1 (1 of 2)") for head in heads)
    assert any(head.startswith("Concurrency 2 (2 of 2)") for head in heads)
    first = next(frame for frame in frames if frame[0].startswith("Concurrency 1"))
    assert "waiting" in first[2] and first[2].split()[0] == "c=2"
    second = frames[-1]
    assert second[1].split()[0] == "c=1" and "requests" in second[1]
    screen = assert_only_the_report(run)
    assert "Concurrency 1 (1 of 2)" not in screen and "Scaling of" in screen
    assert report_counts(screen)[0] == requests_in(second[1])
    assert report_counts(screen)[1] == requests_in(second[2])


def test_commands_and_queries_show_busy_workers(sqlite_file: Path) -> None:
    run = pbench_in_pty("run", "-j", "2", "-d", "1s", "true")
    assert run.returncode == 0, run.text[-2000:]
    frames, _ = split(run)
    assert len(frames) >= 2 and any("busy" in frame[1] for frame in frames)
    screen = assert_only_the_report(run)
    assert report_counts(screen) == [requests_in(frames[-1][1])]
    db = f"sqlite:///{sqlite_file}"
    run = pbench_in_pty("sql", "--db", db, "-c", "2", "-d", "1s", "SELECT v FROM kv WHERE id = 7")
    assert run.returncode == 0, run.text[-2000:]
    frames, _ = split(run)
    assert len(frames) >= 2 and "queries" in frames[-1][1]
    screen = assert_only_the_report(run)
    assert report_counts(screen) == [requests_in(frames[-1][1])]


def test_ctrl_c_clears_the_block_and_keeps_the_partial_report(server: HttpTestServer) -> None:
    run = pbench_in_pty(
        "http", "-c", "2", "-d", "60s", f"{server.base_url}/fast", interrupt_when=" conns, "
    )
    assert run.returncode == 130, run.text[-2000:]
    frames, _ = split(run)
    assert "interrupted" in frames[-1][1]
    screen = assert_only_the_report(run)
    assert "(interrupted)" in screen and "pbench: interrupted" in screen
    assert report_counts(screen) == [requests_in(frames[-1][1])]


@pytest.mark.parametrize(
    ("options", "env"),
    [(("--style", "basic"), {}), (("--style", "none"), {}), ((), {"TERM": "dumb"})],
)
def test_off_with_style_basic_or_none_and_on_a_dumb_terminal(
    server: HttpTestServer, options: tuple[str, ...], env: dict[str, str]
) -> None:
    run = pbench_in_pty("http", "-c", "2", "-d", "0.5s", *options, f"{server.base_url}/fast",
                        env=env)  # fmt: skip
    assert run.returncode == 0, run.text[-2000:]
    assert "\x1b[J" not in run.text and "ETA" not in run.text


def test_no_color_keeps_the_view_without_colours(server: HttpTestServer) -> None:
    run = pbench_in_pty("http", "-c", "2", "-d", "0.5s", f"{server.base_url}/fast",
                        env={"NO_COLOR": "1"})  # fmt: skip
    assert run.returncode == 0, run.text[-2000:]
    frames_text = ERASE.split(run.text)[:-1]
    assert len(frames_text) >= 2
    assert not any(SGR.search(text) for text in frames_text)


def test_json_on_stdout_gets_nothing_of_the_view(server: HttpTestServer, tmp_path: Path) -> None:
    out = tmp_path / "stdout.json"
    run = pbench_in_pty("http", "-c", "2", "-d", "0.5s", "--style", "full", "--export-json", "-",
                        f"{server.base_url}/fast", stdout=out)  # fmt: skip
    assert run.returncode == 0, run.text[-2000:]
    assert "\x1b[J" in run.text  # the view was on, on stderr
    text = out.read_text()
    assert "\x1b" not in text and "\r" not in text
    data = json.loads(text)
    assert data["results"][0]["load"]["requests"] > 0


def test_a_suite_gets_the_view_per_benchmark_and_a_sweep_does_not_leak_into_the_next(
    server: HttpTestServer, tmp_path: Path
) -> None:
    suite = tmp_path / "benchmarks.toml"
    suite.write_text(
        f"""
[[benchmark]]
name = "levels"
kind = "http"
url = "{server.base_url}/fast"
concurrency = [1, 2]
duration = "0.5s"

[[benchmark]]
name = "single"
kind = "http"
url = "{server.base_url}/fast"
concurrency = 2
duration = "0.5s"
"""
    )
    run = pbench_in_pty("suite", str(suite))
    assert run.returncode == 0, run.text[-2000:]
    heading = re.compile(r"\[\d/2\] ")  # the suite's, before a benchmark's first frame
    frames = [[line for line in frame if not heading.match(line)] for frame in split(run)[0]]
    sweep = [frame for frame in frames if frame[0].startswith("Concurrency")]
    single = [frame for frame in frames if not frame[0].startswith("Concurrency")]
    assert sweep and single
    assert all(len(frame) == 2 and "single" in frame[1] and "c=" not in frame[1]
               for frame in single)  # fmt: skip
    # the suite's headings stay (they came before each benchmark's block), then its report
    screen = assert_only_the_report(run, "[1/2] levels (http)\n[2/2] single (http)\n", False)
    assert "Benchmark 1: levels (c=1)" in screen


def test_no_view_when_the_commands_write_on_the_terminal() -> None:
    run = pbench_in_pty("run", "-j", "2", "-d", "0.3s", "--show-output", "echo from-the-command")
    assert run.returncode == 0, run.text[-2000:]
    assert "\x1b[J" not in run.text and "from-the-command" in run.text
    assert "Loading 1 benchmark" in run.text  # the line it printed before the view
