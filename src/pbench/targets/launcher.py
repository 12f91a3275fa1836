"""Spawning one command and taking its own measurements from the kernel.

A child that is forked or vforked from pbench starts life with pbench's address space,
and Linux records that mm's resident size into the child's ``ru_maxrss`` when it calls
exec: naive measurement reports ~25-30 MB for ``/bin/true``. pbench therefore spawns
through a tiny freestanding launcher (``_launcher/launcher.c``, 4.7 KB, no libc) which
forks the command from its own near-empty address space, reads CLOCK_MONOTONIC right
around fork and reap, and writes the command's ``wait4`` status and rusage to fd 3.
What it reports for ``/bin/true`` matches GNU ``time -f %M`` (~1 MB).

Where the launcher cannot run (not x86-64 Linux), pbench spawns the command directly
with ``posix_spawn`` and ``wait4``: wall and CPU times stay exact, but peak memory then
includes pbench's own size at exec, which the JSON records as ``peak_memory_exact: false``.
"""

from __future__ import annotations

import os
import platform
import shutil
import stat
import struct
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RECORD = struct.Struct("<8q")
KIND_STARTED, KIND_EXEC_FAILED, KIND_FINISHED = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Reaped:
    """What the kernel said about one finished command."""

    status: int  # raw wait status
    elapsed_ns: int | None
    user_ns: int
    system_ns: int
    maxrss_bytes: int
    exec_errno: int | None = None

    @property
    def exit_code(self) -> int | None:
        return os.waitstatus_to_exitcode(self.status) if os.WIFEXITED(self.status) else None

    @property
    def signal(self) -> int | None:
        return os.WTERMSIG(self.status) if os.WIFSIGNALED(self.status) else None


@lru_cache(maxsize=1)
def launcher_path() -> str | None:
    """Path of an executable launcher for this machine, or None when there is none."""
    if sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"):
        return None
    shipped = Path(__file__).resolve().parent.parent / "_launcher" / "launcher-x86_64"
    if not shipped.is_file():
        return None
    if os.access(shipped, os.X_OK):
        return str(shipped)
    # Installed without the executable bit (some wheel installers drop it): copy it.
    folder = Path(tempfile.gettempdir()) / f"pbench-launcher-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    copy = folder / "launcher-x86_64"
    if not copy.exists() or copy.stat().st_size != shipped.stat().st_size:
        tmp = folder / f".launcher-{os.getpid()}"
        shutil.copyfile(shipped, tmp)
        tmp.chmod(stat.S_IRWXU)
        tmp.replace(copy)
    return str(copy)


def parse_records(data: bytes) -> tuple[int | None, Reaped | None]:
    """Decode the launcher's records: (command pid, reaped result or None)."""
    pid: int | None = None
    exec_errno: int | None = None
    reaped: Reaped | None = None
    usable = len(data) - len(data) % RECORD.size
    for offset in range(0, usable, RECORD.size):
        kind, a, b, c, d, e, _f, _g = RECORD.unpack_from(data, offset)
        if kind == KIND_STARTED:
            pid = a
        elif kind == KIND_EXEC_FAILED:
            exec_errno = a
        elif kind == KIND_FINISHED:
            reaped = Reaped(
                status=a,
                elapsed_ns=b,
                user_ns=c * 1000,
                system_ns=d * 1000,
                maxrss_bytes=e * 1024,
                exec_errno=exec_errno,
            )
    return pid, reaped
