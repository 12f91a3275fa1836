"""Files that are never half-written: a temporary file in the same folder, then rename.

``os.replace`` within one file system is atomic on POSIX, so a reader (or a run that is
interrupted mid-write) sees either the previous complete file or the new complete one.
The data is fsynced before the rename and the folder after it, so a crash cannot leave
an empty file under the final name either.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

_DEFAULT_MODE = 0o666


def write_atomic(path: Path, chunks: str | Iterable[str]) -> None:
    """Write ``chunks`` (UTF-8) to ``path`` atomically, replacing any existing file.

    If producing a chunk or writing fails, the temporary file is removed and an
    existing file at ``path`` is left untouched; the exception propagates.
    """
    folder = path.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, _target_mode(path))
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            if isinstance(chunks, str):
                handle.write(chunks)
            else:
                for chunk in chunks:
                    handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_folder(folder)


def probe_writable(path: Path) -> None:
    """Raise OSError unless a file can be created beside ``path`` and renamed onto it.

    Creates and removes a temporary file in the folder: the only test that also holds
    for root, read-only mounts and full disks. Fails if ``path`` is a directory.
    """
    if path.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=path.parent)
    os.close(fd)
    os.unlink(temp_name)


def _target_mode(path: Path) -> int:
    """Keep an existing file's permissions; otherwise what open() would give (0666 & ~umask)."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return _DEFAULT_MODE & ~_umask()


def _umask() -> int:
    # Reading the umask through os.umask() briefly changes it for every thread;
    # Linux exposes it read-only in /proc.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
