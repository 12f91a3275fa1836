"""The real harnesses whose result files pbench reads, installed when missing as the
tests install hyperfine: pytest-benchmark and pyperf from the Python package index into
the test environment, Google Benchmark (Debian's libbenchmark-dev, with g++) and Go
(Debian's golang-go) with apt-get. A harness that cannot be installed fails the test
with the command that installs it; no test skips."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys

import pytest


def ensure_python_package(module: str, package: str) -> None:
    """``package`` installed with pip into this interpreter when ``module`` is missing."""
    if importlib.util.find_spec(module) is not None:
        return
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         package],
        capture_output=True, text=True,
    )  # fmt: skip
    importlib.invalidate_caches()
    if done.returncode != 0 or importlib.util.find_spec(module) is None:
        pytest.fail(f"{package} is required and could not be installed: {done.stderr.strip()} "
                    f"(run `python -m pip install {package}`)", pytrace=False)  # fmt: skip


def ensure_debian(package: str, probe: str) -> None:
    """Debian's ``package`` installed with apt-get when ``probe`` (a path) is missing."""
    from pathlib import Path

    if Path(probe).exists() or shutil.which(probe):
        return
    env_cmd = ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q",
               "--no-install-recommends", package]  # fmt: skip
    done = subprocess.run(env_cmd, capture_output=True, text=True)
    if done.returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True)
        done = subprocess.run(env_cmd, capture_output=True, text=True)
    if not (Path(probe).exists() or shutil.which(probe)):
        pytest.fail(f"{package} is required and could not be installed: {done.stderr.strip()} "
                    f"(run `apt-get install -y {package}`)", pytrace=False)  # fmt: skip
