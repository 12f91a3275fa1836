"""The one seam through which tests run the CLI: in-process, through
:func:`pbench.cli.run_cli` (the real mapping of errors to exit codes), with stdout and
stderr captured apart. Tests use the ``invoke`` fixture of tests/conftest.py, or
:func:`run_pbench` where a plain function reads better."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from click.testing import CliRunner

from pbench.cli import run_cli


@dataclass
class Result:
    code: int
    out: str
    err: str


Invoke = Callable[..., Result]


def run_pbench(*args: str, env: dict[str, str] | None = None) -> Result:
    """``pbench ARGS...`` in this process: exit status, stdout, stderr."""
    runner = CliRunner()
    with runner.isolation(env=env) as (out, err, _):
        code = run_cli(list(args))
    return Result(code, out.getvalue().decode(), err.getvalue().decode())
