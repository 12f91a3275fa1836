"""Exports rewritten after each finished benchmark: complete and valid every time (each
result summarised again only when it changed: tests/session/test_checkpoints.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pbench.session.publish
from support.cli import Invoke


def test_the_export_is_complete_and_valid_after_each_finished_benchmark(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each benchmark copies the export as it is when it runs: after the ones before it."""
    # Checkpoints may take any share of the time: none is held back because writing the
    # previous one was slow (on a busy machine it can take longer than a run here).
    monkeypatch.setattr(pbench.session.publish, "CHECKPOINT_SHARE", 1.0)
    out = tmp_path / "out.json"
    command = f"cp {out} {tmp_path}/snapshot-{{n}}.json 2>/dev/null; sleep 0.2"
    result = invoke("--runs", "1", "--order", "sequential", "--style", "none", "--no-sample",
                    "-L", "n", "1,2,3,4", command, "--export-json", str(out))  # fmt: skip
    assert result.code == 0, result.err
    assert not (tmp_path / "snapshot-1.json").exists()  # nothing had finished yet
    for n in (2, 3, 4):
        data = json.loads((tmp_path / f"snapshot-{n}.json").read_text())
        results = data["results"]
        assert [r["parameters"]["n"] for r in results] == ["1", "2", "3", "4"]
        finished, waiting = results[: n - 1], results[n - 1 :]
        assert all(r["stop_reason"] == "runs" and len(r["times"]) == 1 for r in finished)
        assert all(r["stop_reason"] is None and r["times"] == [] for r in waiting)
        assert all(r["statistics"]["n"] == 1 for r in finished)
    final = json.loads(out.read_text())
    assert all(r["stop_reason"] == "runs" for r in final["results"])
