"""The layers of src/pbench/__init__.py hold: imports point down the pipeline, the
three targets are independent, and no two modules of one package import each other
(a lazy import inside a function counts too). The contracts live in pyproject.toml
under [tool.importlinter]; a broken one fails here with import-linter's message, which
names the importing and the imported module and the line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(no_cache=True, no_logo=True))"
)


def test_import_contracts_are_kept() -> None:
    # Analyse this checkout's src/, whatever copy of pbench the environment installed.
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        pytest.fail(f"import contracts broken:\n{done.stdout}\n{done.stderr}", pytrace=False)
