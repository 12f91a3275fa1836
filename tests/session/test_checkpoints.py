"""Checkpoints at the application layer: the exports rewritten after each finished
benchmark summarise each result again only when it changed, published by a real session
into a recording output (runs on the fake clock of :mod:`support.debug_mode`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import pbench.session.publish
import pbench.stats.summary
from support.debug_mode import published


def test_a_checkpoint_summarises_only_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
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
    # Every checkpoint written (none held back: the fake runs take no wall time).
    monkeypatch.setattr(pbench.session.publish, "CHECKPOINT_SHARE", 1.0)
    n = 40
    values = ",".join(str(i) for i in range(n))
    out = tmp_path / "out.json"
    result = published("-N", "--no-sample", "--runs", "2", "--style", "none", "-L", "n", values,
                       "true {n}", "--export-json", str(out),
                       "--export-csv", str(tmp_path / "o.csv"),
                       "--export-markdown", str(tmp_path / "o.md"))  # fmt: skip
    assert result.code == 0, result.err
    assert len(json.loads(out.read_text())["results"]) == n
    # At most: once unfinished and once finished for the checkpoints, once for the end.
    assert calls <= 3 * n
