"""The job summary at the application layer: a ``$GITHUB_STEP_SUMMARY`` that cannot be
written is one warning through the session's output and changes nothing else, and an
empty variable means no summary. The run is measured on the fake clock of
:mod:`support.debug_mode` and published by a real session into a recording output."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.debug_mode import debug_session
from support.output import RecordingOutput


def test_an_unwritable_summary_is_a_warning_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.json"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path))  # a folder: cannot be appended to
    output = RecordingOutput()
    code = debug_session(
        "--style", "none", "-r", "2", "true", "--export-json", str(out), output=output
    )
    assert code == 0
    assert output.err.startswith("pbench: warning: cannot append the job summary to ")
    assert "GITHUB_STEP_SUMMARY" in output.err
    assert out.exists()


def test_an_empty_variable_means_no_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", "")
    output = RecordingOutput()
    code = debug_session("--style", "none", "-r", "2", "true", output=output)
    assert code == 0 and output.err == ""  # no attempt to append to ''
