"""Publishing a run at the application layer, into a recording output: an export to
stdout ('-') owns stdout (the report goes to stderr), with file exports written beside
it or alone."""

from __future__ import annotations

import json
from pathlib import Path

from support.debug_mode import debug_session, published
from support.output import RecordingOutput


def test_files_and_stdout_together(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    output = RecordingOutput()
    code = debug_session("--runs", "2", "--style", "basic", "-N", "true",
                         "--export-markdown", str(out), "--export-csv", "-",
                         output=output)  # fmt: skip
    assert code == 0, output.err
    assert output.out.startswith("command,mean,") and len(output.out.splitlines()) == 2
    assert out.read_text().startswith("| Command |")
    assert "Benchmark 1: true" in output.err  # the report went to stderr


def test_a_command_run() -> None:
    result = published("--runs", "3", "--style", "basic", "-N", "true", "false -h", "-i",
                       "--export-json", "-")  # fmt: skip
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert [r["command"] for r in data["results"]] == ["true", "false -h"]
    assert "Benchmark 1: true" in result.err and "Summary" in result.err
