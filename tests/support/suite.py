"""Reading suite files in tests: from text, with the real (click-derived) schema and an
environment of the test's own."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from pbench.cli.suite_keys import suite_schema
from pbench.plan.suite.read import Suite, read_suite
from pbench.plan.suite.select import Selection
from pbench.plan.suite.source import SuiteError

FILE = "benchmarks.toml"


def load(
    text: str,
    tier: str | None = None,
    tags: tuple[str, ...] = (),
    pattern: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Suite:
    return read_suite(text, FILE, suite_schema(), Selection(tier, tags, pattern), env or {})


def problems(text: str, **kwargs: object) -> list[str]:
    """The lines of the SuiteError that reading ``text`` raises."""
    with pytest.raises(SuiteError) as caught:
        load(text, **kwargs)  # type: ignore[arg-type]
    assert caught.value.exit_code == 2
    return list(caught.value.problems)
