"""Exports rewritten after each finished benchmark: complete and valid every time, and
each result summarised and rendered again only when it changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import pbench.session.publish
import pbench.stats.summary
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


def test_a_checkpoint_summarises_only_what_changed(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interleaved, every benchmark finishes in the last round; rebuilding the whole
    report at each of those checkpoints summarised n results n times (O(n²))."""
    calls = 0
    summarize = pbench.stats.summary.summarize

    def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return summarize(*args, **kwargs)

    monkeypatch.setattr(pbench.stats.summary, "summarize", counting)
    n = 40
    values = ",".join(str(i) for i in range(n))
    out = tmp_path / "out.json"
    result = invoke("-N", "--no-sample", "--runs", "2", "--style", "none", "-L", "n", values,
                    "true {n}", "--export-json", str(out), "--export-csv", str(tmp_path / "o.csv"),
                    "--export-markdown", str(tmp_path / "o.md"))  # fmt: skip
    assert result.code == 0, result.err
    assert len(json.loads(out.read_text())["results"]) == n
    # At most: once unfinished and once finished for the checkpoints, once for the end.
    assert calls <= 3 * n
