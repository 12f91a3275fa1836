"""``pbench history``'s filters turned into a typed query: ``--since`` as a date, a
time or a duration back from now (``7d``, ``12h``, ``2w``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from pbench.errors import UsageError
from pbench.plan.values import parse_duration

Format = Literal["table", "csv", "json"]
_DAYS = re.compile(r"^\s*(\d+(?:\.\d*)?)\s*(d|w)\s*$")
SINCE_HINT = "give a date (2026-01-31), a time (2026-01-31T12:00Z) or a duration (7d, 12h, 2w)"


@dataclass(frozen=True)
class HistoryQuery:
    """What to list: benchmark ``names`` (all when empty) and the filters."""

    names: tuple[str, ...]
    since: datetime | None
    branch: str | None
    machine: str | None  # a fingerprint prefix or a host name
    limit: int | None  # the most recent runs of each benchmark
    format: Format


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``--since``: an ISO date or time (UTC unless it says otherwise), or a duration
    back from ``now``."""
    moment = now or datetime.now(UTC)
    days = _DAYS.match(text)
    if days:
        count = float(days.group(1)) * (7 if days.group(2) == "w" else 1)
        return moment - timedelta(days=count)
    try:
        found = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        return (found if found.tzinfo else found.replace(tzinfo=UTC)).astimezone(UTC)
    try:
        return moment - timedelta(seconds=parse_duration(text, "--since"))
    except UsageError:
        message = f"--since: {text!r} is not a date, a time or a duration"
        raise UsageError(message, SINCE_HINT) from None
