"""Writing an export to the path the user named, never half-written, never replacing
what the path points to.

What a path names decides how it is written (:func:`destination`):

- a regular file, or a path that does not exist yet: a temporary file in the same
  folder, then rename. ``os.replace`` within one file system is atomic on POSIX, so a
  reader (or a run that is interrupted mid-write) sees either the previous complete
  file or the new complete one. The data is fsynced before the rename and the folder
  after it, so a crash cannot leave an empty file under the final name either.
- a symbolic link: the same, at the link's final target (temporary file in the
  target's folder, renamed over the target), so the link stays a link; a dangling
  link creates its target.
- anything else (a device such as ``/dev/null``, a FIFO, a socket) and a process's
  file descriptor (``/dev/stdout``, ``/dev/fd/N``, a shell's process substitution
  ``>(...)``): written straight into, once. A stream cannot be rewritten, so callers
  write such a destination only with the final export (:attr:`Destination.stream`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pbench.results.escape import ESCAPE_ERRORS

_DEFAULT_MODE = 0o666
_MAX_LINKS = 40  # as the kernel's ELOOP limit
# A process's descriptor folder once symlinks are resolved: /proc/PID/fd or a thread's
# (Linux), or /dev/fd where it is a folder of its own (macOS, BSD: always our own).
_FD_FOLDER = re.compile(r"(?:/proc/(?P<pid>\d+)(?:/task/\d+)?|/dev)/fd")


@dataclass(frozen=True, slots=True)
class Destination:
    """Where an export path really leads.

    ``path`` is the file to write (symbolic links followed); ``stream`` is True for
    what can only be written straight into, once (devices, FIFOs, sockets, file
    descriptors); ``fd`` is set when ``path`` is one of this process's own descriptors
    (``/dev/stdout``, ``/dev/fd/N``), which is then written through a duplicate so its
    offset and append mode are kept.
    """

    path: str
    stream: bool
    fd: int | None = None


def destination(path: str | Path) -> Destination:
    """Follow ``path``'s symbolic links and tell how it must be written.

    Raises OSError for a link loop, and IsADirectoryError for a folder.
    """
    current = os.path.abspath(path)
    for _ in range(_MAX_LINKS):
        folder = os.path.realpath(os.path.dirname(current))
        current = os.path.join(folder, os.path.basename(current))
        descriptors = _FD_FOLDER.fullmatch(folder)
        if descriptors is not None:
            pid = descriptors["pid"]
            own = (pid is None or int(pid) == os.getpid()) and os.path.basename(current).isdigit()
            return Destination(current, True, int(os.path.basename(current)) if own else None)
        try:
            link = os.readlink(current)
        except OSError:
            break  # not a link, or nothing there yet
        current = os.path.join(folder, link)
    else:
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))
    try:
        mode = os.stat(current).st_mode
    except FileNotFoundError:
        return Destination(current, False)
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    return Destination(current, not stat.S_ISREG(mode))


def write_to(path: str | Path, chunks: str | Iterable[str]) -> None:
    """Write ``chunks`` (UTF-8) to what ``path`` leads to (see the module's docstring).

    Regular files and new paths are replaced atomically; streams are written straight
    into. Raises OSError (ENOSPC from ``/dev/full``, EPIPE from a closed pipe, ...).
    """
    target = destination(path)
    if target.stream:
        write_stream(target, chunks)
    else:
        write_atomic(Path(target.path), chunks)


def write_stream(target: Destination, chunks: str | Iterable[str]) -> None:
    """Write everything straight into a device, FIFO or descriptor, then close it.

    Opening a FIFO waits for its reader, as any writer of a FIFO does.
    """
    text = chunks if isinstance(chunks, str) else "".join(chunks)
    data = memoryview(text.encode("utf-8", ESCAPE_ERRORS))
    if target.fd is not None:
        fd = os.dup(target.fd)
    else:
        fd = os.open(target.path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        while data:
            data = data[os.write(fd, data) :]
    finally:
        os.close(fd)


def write_atomic(path: Path, chunks: str | Iterable[str]) -> None:
    """Write ``chunks`` (UTF-8) to ``path`` atomically, replacing any existing file.

    If producing a chunk or writing fails, the temporary file is removed and an
    existing file at ``path`` is left untouched; the exception propagates.
    """
    folder = path.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, _target_mode(path))
        with os.fdopen(fd, "w", encoding="utf-8", errors=ESCAPE_ERRORS, newline="") as handle:
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


def probe_writable(path: str | Path) -> None:
    """Raise OSError unless what ``path`` leads to can be written.

    For a file: creates and removes a temporary file in the (target's) folder, the
    only test that also holds for root, read-only mounts and full disks. For a stream:
    checks write permission without opening it (opening a FIFO would wait for its
    reader), and that a descriptor is open for writing. Fails for a directory.
    """
    target = destination(path)
    if target.fd is not None:
        flags = fcntl.fcntl(target.fd, fcntl.F_GETFL)  # EBADF when it is not open
        if flags & os.O_ACCMODE == os.O_RDONLY:
            raise OSError(errno.EBADF, "the descriptor is open for reading only", str(path))
        return
    if target.stream:
        if not os.access(target.path, os.W_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return
    folder, name = os.path.split(target.path)
    fd, temp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".probe", dir=folder)
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
