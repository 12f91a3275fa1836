"""The webhook payload: one event of each kind, the chat text (Slack escaping, code
spans, one line per event), redaction of every text, and the run's facts."""

from __future__ import annotations

import json

import pytest

from pbench import __version__
from pbench.notify.events import (
    Value,
    budget_events,
    change_point_event,
    regression_event,
    severity_of_change,
)
from pbench.notify.payload import MAX_LINES, build_payload, slack_escape
from pbench.stats.budget import BudgetCheck

METADATA = {
    "pbench_version": __version__,
    "start_time": "2026-11-22T12:00:00.123Z",
    "git": {"commit": "1a2b3c4d5e6f7a8b9c0d", "branch": "main", "dirty": False},
}


def check(benchmark: str = "sort", level: str = "error", status: str = "broken") -> BudgetCheck:
    return BudgetCheck(benchmark=benchmark, metric="p95", level=level, limit=0.25,  # type: ignore[arg-type]
                       quantity="time", bigger_is_better=False, status=status,  # type: ignore[arg-type]
                       measured=0.312, low=0.301, high=0.330)  # fmt: skip


def test_budget_event_only_for_broken_error_levels() -> None:
    checks = [check(), check("a", level="warn"), check("b", status="at_risk"), check("c")]
    events = budget_events(checks, METADATA)
    assert [e.benchmark for e in events] == ["sort", "c"]
    assert events[0].severity == "critical" and events[0].commit_after == "1a2b3c4d5e6f7a8b9c0d"
    assert events[0].before is None and events[0].limit == 0.25


def test_budget_payload() -> None:
    payload = build_payload(budget_events([check()], METADATA), METADATA, host="ci-7")
    json.dumps(payload)  # JSON-ready
    assert payload["notify_version"] == 1 and payload["pbench_version"] == __version__
    assert (payload["host"], payload["time"]) == ("ci-7", "2026-11-22T12:00:00.123Z")
    assert (payload["commit"], payload["branch"]) == ("1a2b3c4d5e6f7a8b9c0d", "main")
    assert payload["text"] == (
        "pbench on ci-7 (commit 1a2b3c4): 1 budget broken\n"
        "• [critical] budget: p95 of `sort` is 312.0 ms [301.0 ms, 330.0 ms], "
        "above its limit of 250.0 ms"
    )
    (event,) = payload["events"]
    assert event == {
        "kind": "budget", "severity": "critical", "benchmark": "sort", "metric": "p95",
        "quantity": "time", "before": None,
        "after": {"value": 0.312, "low": 0.301, "high": 0.330}, "limit": 0.25,
        "change": None, "commits": {"before": None, "after": "1a2b3c4d5e6f7a8b9c0d"},
        "text": payload["text"].split("\n• ")[1],
    }  # fmt: skip


def test_regression_payload_has_both_sides_and_the_commit_range() -> None:
    event = regression_event("sort", "median", Value(0.2, 0.19, 0.21), Value(0.23, 0.22, 0.24),
                             "aaaaaaa111", "bbbbbbb222")  # fmt: skip
    assert event.severity == "major"  # +15 %
    payload = build_payload([event, event], {}, host="h")
    assert payload["commit"] is None and payload["time"] is None
    assert payload["text"].splitlines() == [
        "pbench on h: 2 regressions",
        *["• [major] regression: median of `sort`: 200.0 ms [190.0 ms, 210.0 ms] → 230.0 ms "
          "[220.0 ms, 240.0 ms] (+15.0%), commits aaaaaaa..bbbbbbb"] * 2,
    ]  # fmt: skip
    data = payload["events"][0]
    assert data["before"] == {"value": 0.2, "low": 0.19, "high": 0.21}
    assert data["change"] == pytest.approx(0.15)
    assert data["commits"] == {"before": "aaaaaaa111", "after": "bbbbbbb222"}


def test_change_point_payload_and_mixed_headline() -> None:
    point = change_point_event("load", "throughput", Value(1000.0), Value(800.0), "c1", "c2",
                               quantity="rate")  # fmt: skip
    budget = budget_events([check(), check("x")], METADATA)
    payload = build_payload([*budget, point], METADATA, host="h")
    lines = payload["text"].splitlines()
    assert lines[0] == "pbench on h (commit 1a2b3c4): 2 budgets broken, 1 change point"
    assert lines[3] == ("• [warning] change point: throughput of `load`: 1,000.0/s → 800.0/s "
                        "(-20.0%), commits c1..c2")  # fmt: skip
    assert payload["events"][2]["kind"] == "change_point"
    assert payload["events"][2]["before"] == {"value": 1000.0, "low": None, "high": None}


def test_severity_of_change() -> None:
    assert [severity_of_change(c) for c in (0.02, -0.12, 0.3)] == ["minor", "major", "critical"]


def test_slack_escaping_and_code_spans_in_text_but_raw_names_in_events() -> None:
    assert slack_escape("a <b> & c") == "a &lt;b&gt; &amp; c"
    name = "grep '<a href>' & `wc`\nrm"
    payload = build_payload(budget_events([check(name)], METADATA), METADATA, host="h")
    assert "`grep '&lt;a href&gt;' &amp; 'wc'\\nrm`" in payload["text"]
    assert "<" not in payload["text"] and len(payload["text"].splitlines()) == 2
    assert payload["events"][0]["benchmark"] == name


def test_no_secret_in_any_text() -> None:
    names = [
        "PGPASSWORD=hunter2 psql -c 'select 1'",
        "psql postgresql://bob:s3cret@127.0.0.1/db",
        "curl -H 'Authorization: Bearer tok1'",
    ]
    events = budget_events([check(n) for n in names], METADATA)
    events.append(regression_event(names[1], "mean", Value(1.0), Value(2.0), None, None))
    text = json.dumps(build_payload(events, METADATA, host="h"))
    for secret in ("hunter2", "s3cret", "tok1"):
        assert secret not in text
    assert "PGPASSWORD=***" in text and "bob:***@" in text


def test_many_events_keep_the_text_short() -> None:
    events = budget_events([check(f"b{i}") for i in range(MAX_LINES + 3)], METADATA)
    payload = build_payload(events, METADATA, host="h")
    lines = payload["text"].splitlines()
    assert len(lines) == 1 + MAX_LINES + 1 and lines[-1] == "• … and 3 more"
    assert len(payload["events"]) == MAX_LINES + 3
