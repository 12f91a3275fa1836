"""flags_from, the one place where click's keyword arguments become typed flags: a field
marked FROM_TEXT is parsed from its option's text (in field order, so the first bad
option is the one named; None stays None), a field with a default that the command has
no option for keeps it, and one without a default must have its option."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pytest

from pbench.cli.common import flags_from
from pbench.errors import UsageError
from pbench.plan.history import parse_bands, parse_since
from pbench.plan.values import FROM_TEXT
from pbench.stats.changepoint import SeverityBands


@dataclass(frozen=True, kw_only=True)
class Example:
    since: datetime | None = field(metadata={FROM_TEXT: parse_since})
    bands: SeverityBands = field(metadata={FROM_TEXT: parse_bands})
    alpha: float = 0.5


def test_text_is_parsed_and_a_default_is_kept() -> None:
    flags = flags_from(Example, {"since": None, "bands": "5%,15%"})
    assert flags == Example(since=None, bands=SeverityBands(major=0.05, critical=0.15))
    assert flags_from(Example, {"since": None, "bands": "5%,15%", "alpha": 0.1}).alpha == 0.1


def test_the_first_bad_option_in_field_order_is_named() -> None:
    with pytest.raises(UsageError, match=r"^--since: 'soon' is not a date"):
        flags_from(Example, {"since": "soon", "bands": "5%"})
    with pytest.raises(UsageError, match=r"^--bands: '5%' is not two limits"):
        flags_from(Example, {"since": "7d", "bands": "5%"})


def test_given_values_win_and_a_field_without_default_needs_its_option() -> None:
    bands = SeverityBands(major=0.1, critical=0.2)
    assert flags_from(Example, {"since": None}, bands=bands).bands == bands
    with pytest.raises(KeyError):
        flags_from(Example, {"since": None})
