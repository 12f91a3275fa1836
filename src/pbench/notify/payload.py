"""The JSON body of a webhook: the run's events and a ``text`` for chat.

Format (``notify_version`` 1; later versions only add keys)::

    {
      "notify_version": 1,
      "text": "pbench on ci-7 (commit 1a2b3c4): 1 budget broken\\n• [critical] ...",
      "pbench_version": "0.1.0",
      "host": "ci-7",
      "time": "2026-11-22T12:00:00.123Z",          # the run's start (metadata)
      "commit": "1a2b3c4…", "branch": "main",       # null outside a git work tree
      "events": [{
        "kind": "budget",                           # budget | regression | change_point
        "severity": "critical",                     # warning | minor | major | critical
        "benchmark": "sort", "metric": "p95",
        "quantity": "time",                         # time (s) | bytes | fraction | rate (/s)
                                                    #   | instructions | cycles (counts)
        "before": null,                             # {"value", "low", "high"}: the baseline
        "after": {"value": 0.312, "low": 0.301, "high": 0.330},
        "limit": 0.25,                              # budgets only
        "change": null,                             # after / before - 1
        "commits": {"before": null, "after": "1a2b3c4…"},
        "text": "[critical] budget: p95 of `sort` is 312.0 ms [...] ..."
      }]
    }

``text`` is what Slack's and Mattermost's incoming webhooks show (other services
ignore it or take the events): a headline and one line per event (at most
:data:`MAX_LINES`), names in code spans, ``&``, ``<`` and ``>`` escaped as Slack wants.
Every text goes through :func:`pbench.results.redact.redact` and benchmark names through
it too: no password of a DSN or ``PGPASSWORD=...`` of a command leaves the machine.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping, Sequence
from typing import Any

from pbench import __version__
from pbench.notify.events import Event, commit_of
from pbench.report.budgets import format_values
from pbench.results.escape import printable
from pbench.results.redact import redact

NOTIFY_VERSION = 1
MAX_LINES = 10
_NOUNS = {"budget": "budget broken", "regression": "regression", "change_point": "change point"}


def slack_escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as Slack's message formatting asks (Mattermost shows the
    entities as the characters too)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _name(benchmark: str) -> str:
    """A benchmark name for chat: redacted, one line, in a code span (no markup)."""
    return "`" + printable(redact(benchmark)).replace("`", "'") + "`"


def _shown(event: Event, value: float | None) -> str:
    return "?" if value is None else format_values([value], event.quantity)[0]


def _figure(event: Event, low: float | None, value: float, high: float | None) -> str:
    if low is None or high is None or low == high == value:
        return _shown(event, value)
    shown = format_values([value, low, high], event.quantity)
    return f"{shown[0]} [{shown[1]}, {shown[2]}]"


def _short(commit: str | None) -> str:
    return commit[:7] if commit else "?"


def event_line(event: Event) -> str:
    """One line for people, unescaped: ``[critical] budget: p95 of `sort` is ...``."""
    after = _figure(event, event.after.low, event.after.value, event.after.high)
    what = f"{event.metric} of {_name(event.benchmark)}"
    if event.kind == "budget":
        side = "below" if event.bigger_is_better else "above"
        line = f"{what} is {after}, {side} its limit of {_shown(event, event.limit)}"
    else:
        before = event.before
        was = "?" if before is None else _figure(event, before.low, before.value, before.high)
        line = f"{what}: {was} → {after}"
        if event.change is not None:
            line += f" ({event.change:+.1%})"
        line += f", commits {_short(event.commit_before)}..{_short(event.commit_after)}"
    return redact(f"[{event.severity}] {event.kind.replace('_', ' ')}: {line}")


def headline(events: Sequence[Event], host: str, metadata: Mapping[str, Any]) -> str:
    """``pbench on ci-7 (commit 1a2b3c4): 2 budgets broken, 1 regression``."""
    counts: dict[str, int] = {}
    for event in events:
        counts[event.kind] = counts.get(event.kind, 0) + 1
    parts = []
    for kind, count in counts.items():
        noun = _NOUNS[kind]
        plural = noun.replace("budget ", "budgets ") if noun.startswith("budget") else noun + "s"
        parts.append(f"{count} {plural if count > 1 else noun}")
    commit = commit_of(metadata)
    where = f"pbench on {host}" + (f" (commit {commit[:7]})" if commit else "")
    return redact(f"{where}: {', '.join(parts) or 'nothing to report'}")


def build_payload(
    events: Sequence[Event], metadata: Mapping[str, Any], host: str | None = None
) -> dict[str, Any]:
    """The webhook's JSON body for a run's ``events`` (see the module's docstring)."""
    host = host if host is not None else socket.gethostname()
    lines = [event_line(e) for e in events]
    shown = lines[:MAX_LINES]
    if len(lines) > MAX_LINES:
        shown.append(f"… and {len(lines) - MAX_LINES} more")
    text = "\n".join([headline(events, host, metadata), *(f"• {line}" for line in shown)])
    git = metadata.get("git")
    return {
        "notify_version": NOTIFY_VERSION,
        "text": slack_escape(text),
        "pbench_version": __version__,
        "host": host,
        "time": metadata.get("start_time"),
        "commit": commit_of(metadata),
        "branch": git.get("branch") if isinstance(git, Mapping) else None,
        "events": [_event_dict(e, line) for e, line in zip(events, lines, strict=True)],
    }


def _event_dict(event: Event, line: str) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "severity": event.severity,
        "benchmark": redact(event.benchmark),
        "metric": event.metric,
        "quantity": event.quantity,
        "before": None if event.before is None else event.before.as_dict(),
        "after": event.after.as_dict(),
        "limit": event.limit,
        "change": event.change,
        "commits": {"before": event.commit_before, "after": event.commit_after},
        "text": line,
    }
