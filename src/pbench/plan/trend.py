"""``pbench trend``'s options as a frozen query: which benchmarks, which runs (the
filters of ``pbench history``), how to judge (``--alpha``, ``--bands``) and whom to
tell (``--notify``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pbench.errors import UsageError
from pbench.plan.values import parse_fraction
from pbench.stats.changepoint import SeverityBands

TrendFormat = Literal["table", "json"]
BANDS_HINT = "give MAJOR,CRITICAL as percentages, e.g. 5%,15% (or 0.05,0.15)"


@dataclass(frozen=True)
class TrendQuery:
    """What ``pbench trend`` analyses and how (see ``pbench trend --help``)."""

    names: tuple[str, ...]
    since: datetime | None
    branch: str | None
    machine: str | None  # a fingerprint prefix or a host name
    last: int  # the most recent runs of each series
    format: TrendFormat
    bands: SeverityBands
    alpha: float
    slope_runs: int
    notify: tuple[str, ...] = ()
    notify_within: int = 5
    notify_timeout: float = 5.0


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
