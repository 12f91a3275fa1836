"""What a result file says about where and when it was measured.

``collect_metadata()`` returns plain JSON-ready data::

    {
      "pbench_version": "0.1.0",
      "start_time": "2026-11-22T12:00:00.123Z",          # ISO 8601, UTC
      "os": {"system": "Linux", "release": "6.1.0-18-amd64",
             "platform": "Linux-6.1.0-18-amd64-x86_64-with-glibc2.36", "machine": "x86_64"},
      "cpu": {"model": "AMD EPYC 7B13", "logical_count": 2, "physical_count": 1,
              "available_count": 2},
      "memory": {"total_bytes": 25769803776},
      "python": {"version": "3.11.7", "implementation": "CPython"},
      "git": {"commit": "f502ed7…", "branch": "main", "dirty": false},  # only inside a repo
    }

The host name is left out on purpose (result files get shared), and so are git
remotes (their URLs may carry credentials). ``git`` is absent outside a work tree or
when git is not installed; ``commit`` is null in a repository without commits and
``branch`` null on a detached HEAD. Any figure the system does not reveal is null.
"""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pbench import __version__

GIT_TIMEOUT_S = 2.0


def collect_metadata(start: datetime | None = None, cwd: Path | None = None) -> dict[str, Any]:
    """Describe this machine and run; ``start`` defaults to now, ``cwd`` to the process's."""
    moment = (start or datetime.now(UTC)).astimezone(UTC)
    metadata: dict[str, Any] = {
        "pbench_version": __version__,
        "start_time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "os": {
            "system": platform.system(),
            "release": platform.release(),
            "platform": platform.platform(),
            "machine": platform.machine(),
        },
        "cpu": cpu_info(),
        "memory": {"total_bytes": total_memory_bytes()},
        "python": {
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
        },
    }
    git = git_info(cwd or Path.cwd())
    if git is not None:
        metadata["git"] = git
    return metadata


def cpu_info() -> dict[str, Any]:
    model, physical = _read_cpuinfo()
    try:
        available: int | None = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = None
    return {
        "model": model or platform.processor() or None,
        "logical_count": os.cpu_count(),
        "physical_count": physical,
        "available_count": available,
    }


def _read_cpuinfo() -> tuple[str | None, int | None]:
    """CPU model name and number of physical cores from /proc/cpuinfo (Linux)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None, None
    model: str | None = None
    cores: set[tuple[str, str]] = set()
    package = core = ""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "model name" and model is None:
            model = value
        elif key == "physical id":
            package = value
        elif key == "core id":
            core = value
            cores.add((package, core))
    return model, (len(cores) or None)


def total_memory_bytes() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def git_info(cwd: Path) -> dict[str, Any] | None:
    """Commit, branch and dirtiness of the work tree around ``cwd``; None outside one.

    One ``git status --porcelain=v2 --branch`` says all three (its ``# branch.oid``
    and ``# branch.head`` headers, and a line per changed tracked file): one process
    where four were started before every run (a tenth of pbench's start-up)."""
    status = _git(cwd, "status", "--porcelain=v2", "--branch", "--untracked-files=no")
    if status is None:  # not in a work tree (or no git)
        return None
    headers: dict[str, str] = {}
    dirty = False
    for line in status.splitlines():
        if line.startswith("# "):
            key, _, value = line[2:].partition(" ")
            headers[key] = value
        elif line:
            dirty = True
    commit = headers.get("branch.oid")
    branch = headers.get("branch.head")
    return {
        "commit": None if commit in (None, "(initial)") else commit,
        "branch": None if branch in (None, "(detached)") else branch,
        "dirty": dirty,
    }


def git_toplevel(cwd: Path) -> str | None:
    """The top folder of the git work tree around ``cwd``; None outside one."""
    return _git(cwd, "rev-parse", "--show-toplevel") or None


def _git(cwd: Path, *args: str) -> str | None:
    """Output of one git command, or None if git is missing, fails or is too slow."""
    # Optional locks off: `git status` must not take the index lock of a repository
    # other people (or the benchmarked commands) are working in.
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        completed = subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    return completed.stdout.strip()
