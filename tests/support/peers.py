"""The real peers the tests run beside pbench: hyperfine and Valgrind, each installed by
its scripts/ensure_NAME.sh (scripts/test.sh runs them; :func:`hyperfine_path` and
:func:`valgrind_path` run them too when the tool is missing), so these tests fail with
the way to install it, never skip."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def installed(command: str) -> str:
    """``command``'s executable, installed with scripts/ensure_COMMAND.sh first when it
    is missing; a test failure naming how to install it when that fails."""
    found = shutil.which(command)
    if found is None:
        script = SCRIPTS / f"ensure_{command}.sh"
        done = subprocess.run(["sh", str(script)], capture_output=True, text=True)
        found = shutil.which(command)
        if found is None:
            pytest.fail(
                f"{command} is required and could not be installed: {done.stderr.strip()} "
                f"(run `sh {script.relative_to(SCRIPTS.parent)}`)",
                pytrace=False,
            )
    return found


def hyperfine_path() -> str:
    """hyperfine's executable (:func:`installed`)."""
    return installed("hyperfine")


def valgrind_path() -> str:
    """Valgrind's executable (:func:`installed`): the tests of --measure
    instructions|cycles fail, never skip."""
    return installed("valgrind")
