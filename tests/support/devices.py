"""Character devices for export tests: a copy of /dev/null (minor 3) or /dev/full
(minor 7) made with mknod in a test's own folder, so that a regression replacing the
device would replace only that copy, never the machine's own. Making one needs root
(as in CI); elsewhere the test that asks is skipped."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

ROOT = os.geteuid() == 0


def device_node(folder: Path, name: str, minor: int) -> Path:
    """A character device like /dev/null (minor 3) or /dev/full (minor 7) in ``folder``."""
    if not ROOT:
        pytest.skip("making a device node needs root")
    path = folder / name
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    return path
