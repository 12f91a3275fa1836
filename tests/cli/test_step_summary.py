"""GitHub Actions' job summary: appended to $GITHUB_STEP_SUMMARY at the end of run,
http, sql and compare, never replacing what was there; a summary that cannot be
written is a warning, and the exit status stays the benchmark's (tests/session/
test_step_summary.py checks that at the application layer)."""

from __future__ import annotations

from pathlib import Path

from support.cli import run_pbench
from support.httpserver import HttpTestServer

COMPARE = Path(__file__).resolve().parent.parent / "data" / "compare"
EARLIER = "## Build\n\nearlier step's summary, kept\n"


def test_summaries_are_appended_after_what_earlier_steps_wrote(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text(EARLIER, encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    first = run_pbench("run", "--style", "none", "-r", "3", "-n", "first <&>", "true", env=env)
    assert first.code == 0, first.err
    after_first = summary.read_text(encoding="utf-8")
    second = run_pbench(
        "compare", str(COMPARE / "pbench_base.json"), str(COMPARE / "pbench_slower.json"), env=env
    )
    assert second.code == 3  # the regression decides the status, the summary does not
    text = summary.read_text(encoding="utf-8")
    assert text.startswith(after_first)  # appended, nothing rewritten
    assert after_first.startswith(EARLIER)
    run_part = text.index("### pbench run: 1 benchmark\n")
    compare_part = text.index("## pbench compare:")
    assert len(EARLIER) <= run_part < text.index("| `first <&>` |") < compare_part
    assert "| Command | Mean [" in text[run_part:compare_part]
    assert "| parse |" in text[compare_part:] and "slower" in text[compare_part:]
    assert first.err == "" and first.out == ""  # nothing about the summary on the terminal


def test_http_summary_and_the_failure_line(server: HttpTestServer, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    result = run_pbench(
        "http", "--style", "none", "-r", "20", "-n", "flaky", server.base_url + "/flaky?every=4",
        env=env,
    )  # fmt: skip
    assert result.code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### pbench http: 1 benchmark\n")
    assert "**5 of 20 requests to 'flaky' failed" in text
    assert "| `flaky` |" in text
