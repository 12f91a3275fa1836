"""The one seam through which tests run the CLI: in-process, through
:func:`pbench.cli.run_cli` (the real mapping of errors to exit codes), with stdout and
stderr captured apart. Tests use the ``invoke`` fixture of tests/conftest.py, or
:func:`run_pbench` where a plain function reads better."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def sql_json(folder: Path, *args: str) -> tuple[int, dict[str, Any], str, str]:
    """``pbench sql --style basic --export-json FILE ARGS...``: status, the export (empty
    when none was written), stdout, stderr."""
    out = folder / "out.json"
    result = run_pbench("sql", "--style", "basic", "--export-json", str(out), *args)
    data: dict[str, Any] = json.loads(out.read_text()) if out.exists() else {}
    return result.code, data, result.out, result.err
