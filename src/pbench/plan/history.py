"""The queries of ``pbench history`` and ``pbench trend``: the same filters of stored runs
(:class:`RunFilter`: benchmark names, ``--since`` as a date, a time or a duration back
from now (``7d``, ``12h``, ``2w``), ``--branch``, ``--machine``), then what each
command adds: how many runs and which format to list, or how to judge a trend
(``--alpha``, ``--bands``) and whom to tell (``--notify``); and what ``pbench history
import`` imports (:class:`HistoryImport`). A field whose metadata holds
:data:`~pbench.plan.values.FROM_TEXT` is parsed from its option's text by that
function (when given)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from pbench.errors import UsageError
from pbench.plan.values import FROM_TEXT, parse_duration, parse_fraction
from pbench.stats.changepoint import SeverityBands

Format = Literal["table", "csv", "json"]
TrendFormat = Literal["table", "json"]
BANDS_HINT = "give MAJOR,CRITICAL as percentages, e.g. 5%,15% (or 0.05,0.15)"
_DAYS = re.compile(r"^\s*(\d+(?:\.\d*)?)\s*(d|w)\s*$")
SINCE_HINT = "give a date (2026-01-31), a time (2026-01-31T12:00Z) or a duration (7d, 12h, 2w)"


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


def parse_bands(text: str, option: str = "--bands") -> SeverityBands:
    """``5%,15%`` → SeverityBands(major=0.05, critical=0.15)."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 2 or not all(parts):
        raise UsageError(f"{option}: {text!r} is not two limits", BANDS_HINT)
    major, critical = (parse_fraction(part, option) for part in parts)
    if major > critical:
        raise UsageError(
            f"{option}: the major limit ({major:.1%}) is above the critical one ({critical:.1%})",
            BANDS_HINT,
        )
    return SeverityBands(major=major, critical=critical)


def parse_alpha(value: float, option: str = "--alpha") -> float:
    if not 0 < value < 1:
        raise UsageError(f"{option}: {value:g} must lie between 0 and 1", "e.g. 0.01")
    return value


@dataclass(frozen=True)
class RunFilter:
    """Which stored runs: of the benchmarks ``names`` (all when empty), and the filters;
    ``store`` names the store they are read from (None: ``$PBENCH_STORE``, else the
    default)."""

    names: tuple[str, ...]
    since: datetime | None = field(metadata={FROM_TEXT: parse_since})
    branch: str | None
    machine: str | None  # a fingerprint prefix or a host name
    store: str | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class HistoryQuery(RunFilter):
    """What ``pbench history`` lists."""

    limit: int | None  # the most recent runs of each benchmark
    format: Format


@dataclass(frozen=True)
class TrendQuery(RunFilter):
    """What ``pbench trend`` analyses and how (see ``pbench trend --help``)."""

    last: int  # the most recent runs of each series
    format: TrendFormat
    bands: SeverityBands = field(metadata={FROM_TEXT: parse_bands})
    alpha: float = field(metadata={FROM_TEXT: parse_alpha})
    slope_runs: int
    notify: tuple[str, ...] = ()
    notify_within: int = 5
    notify_timeout: float = 5.0


@dataclass(frozen=True, kw_only=True)
class HistoryImport:
    """What ``pbench history import`` imports, into which store, and what files whose
    metadata does not say were measured at (``when``), on (``commit``, ``branch``) and
    by (``host``); ``input_format`` reads every file as that format (None: found from
    each file's content)."""

    files: tuple[str, ...]
    store: str | None
    input_format: str | None
    when: datetime | None = field(metadata={FROM_TEXT: parse_since})
    commit: str | None
    branch: str | None
    host: str | None
