"""``pbench history`` and ``pbench history import`` at the application layer, without
click: a result file imported into a real SQLite store by
:func:`pbench.session.history.import_results`, then listed by
:func:`pbench.session.history.list_history` from the typed queries alone, everything
said through a recording output."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from pbench.plan.history import HistoryImport, HistoryQuery
from pbench.session.history import import_results, list_history
from support.output import RecordingOutput

BASE = Path(__file__).resolve().parents[1] / "data" / "compare" / "pbench_base.json"


def test_import_then_list_from_typed_queries(tmp_path: Path) -> None:
    store = str(tmp_path / "history.db")
    output = RecordingOutput()
    request = HistoryImport(
        files=(str(BASE),), store=store, input_format=None,
        when=datetime(2026, 1, 31, 12, tzinfo=UTC), commit="abc1234", branch="main", host="ci",
    )  # fmt: skip
    assert import_results(request, output) == 0
    assert output.out.startswith("imported 1 run (#1), 3 benchmark results, into ")
    listed = RecordingOutput()
    query = HistoryQuery(
        names=("parse",), since=None, branch="main", machine=None, store=store, limit=None,
        format="json",
    )  # fmt: skip
    assert list_history(query, listed) == 0
    rows = json.loads(listed.out)["rows"]
    assert [(r["run"], r["benchmark"], r["commit"]) for r in rows] == [(1, "parse", "abc1234")]
    assert listed.err == ""
    nothing = RecordingOutput()
    other = HistoryQuery(
        names=("parse",), since=None, branch="dev", machine=None, store=store, limit=None,
        format="table",
    )  # fmt: skip
    assert list_history(other, nothing) == 0
    assert nothing.out == "" and nothing.err.startswith("pbench: no saved runs match in ")
