"""The real peers the tests run beside pbench. hyperfine is installed by
scripts/ensure_hyperfine.sh (scripts/test.sh runs it; :func:`hyperfine_path` runs it too
when hyperfine is missing), so these tests fail with the way to install it, never skip."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ENSURE_HYPERFINE = Path(__file__).resolve().parents[2] / "scripts" / "ensure_hyperfine.sh"


def hyperfine_path() -> str:
    """hyperfine's executable, installed with apt-get first when it is missing."""
    found = shutil.which("hyperfine")
    if found is None:
        done = subprocess.run(["sh", str(ENSURE_HYPERFINE)], capture_output=True, text=True)
        found = shutil.which("hyperfine")
        if found is None:
            pytest.fail(
                f"hyperfine is required and could not be installed: {done.stderr.strip()} "
                f"(run `sh {ENSURE_HYPERFINE.relative_to(ENSURE_HYPERFINE.parents[1])}`)",
                pytrace=False,
            )
    return found


ENSURE_VALGRIND = ENSURE_HYPERFINE.parent / "ensure_valgrind.sh"


def valgrind_path() -> str:
    """Valgrind's executable, installed with apt-get (scripts/ensure_valgrind.sh) first
    when it is missing: the tests of --measure instructions|cycles fail, never skip."""
    found = shutil.which("valgrind")
    if found is None:
        done = subprocess.run(["sh", str(ENSURE_VALGRIND)], capture_output=True, text=True)
        found = shutil.which("valgrind")
        if found is None:
            pytest.fail(
                f"valgrind is required and could not be installed: {done.stderr.strip()} "
                f"(run `sh {ENSURE_VALGRIND.relative_to(ENSURE_VALGRIND.parents[1])}`)",
                pytrace=False,
            )
    return found
