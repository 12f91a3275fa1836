"""Run the whole CLI in-process with stdout and stderr captured apart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from pbench.cli import run_cli


@dataclass
class Result:
    code: int
    out: str
    err: str


Invoke = Callable[..., Result]


@pytest.fixture
def invoke() -> Invoke:
    def call(*args: str, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        with runner.isolation(env=env) as (out, err, _):
            code = run_cli(list(args))
        return Result(code, out.getvalue().decode(), err.getvalue().decode())

    return call
