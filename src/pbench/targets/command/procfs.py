"""Cheap reads of Linux's /proc for the process-tree sampler.

Parsers for ``/proc/PID/stat``, ``/proc/PID/io`` and ``/proc/net/dev``; a cache of open
/proc files re-read with ``pread``; and the counters a reaper accumulates for the
children it reaped (CPU time and disk I/O), which give a tree's exact totals.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass


def supported() -> bool:
    """True where the tree can be read: Linux with /proc mounted."""
    return sys.platform.startswith("linux") and os.path.exists("/proc/self/stat")


@dataclass(frozen=True, slots=True)
class ProcStat:
    state: str
    ppid: int
    children_cpu_ticks: int  # cutime + cstime: CPU of reaped children, in clock ticks
    num_threads: int
    starttime: int
    rss_pages: int


def parse_stat(data: bytes) -> ProcStat | None:
    """/proc/PID/stat; the command name may hold spaces and parentheses."""
    fields = data[data.rfind(b")") + 2 :].split()
    if len(fields) < 22:
        return None
    return ProcStat(
        state=fields[0].decode(),
        ppid=int(fields[1]),
        children_cpu_ticks=int(fields[13]) + int(fields[14]),
        num_threads=int(fields[17]),
        starttime=int(fields[19]),
        rss_pages=int(fields[21]),
    )


def parse_io(data: bytes) -> tuple[int, int]:
    """/proc/PID/io → (disk bytes read, disk bytes written net of cancelled writes)."""
    tokens = data.split()
    if tokens[8:14:2] == [b"read_bytes:", b"write_bytes:", b"cancelled_write_bytes:"]:
        read, write, cancelled = int(tokens[9]), int(tokens[11]), int(tokens[13])
    else:  # not the layout of every kernel since 2.6.20: look the names up
        values = dict(zip(tokens[::2], tokens[1::2], strict=False))
        read, write = int(values[b"read_bytes:"]), int(values[b"write_bytes:"])
        cancelled = int(values.get(b"cancelled_write_bytes:", b"0"))
    return read, max(write - cancelled, 0)


def parse_net_dev(data: bytes) -> dict[str, tuple[int, int]]:
    """/proc/net/dev → interface name → (bytes received, bytes sent)."""
    counters: dict[str, tuple[int, int]] = {}
    for line in data.splitlines()[2:]:
        name, _, rest = line.partition(b":")
        fields = rest.split()
        if len(fields) >= 9:
            counters[name.strip().decode()] = (int(fields[0]), int(fields[8]))
    return counters


def read_file(path: str) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        return os.read(fd, 8192)
    except OSError:
        return None
    finally:
        os.close(fd)


class ProcFiles:
    """/proc files of one run kept open between samples and re-read with pread.

    A quarter of the cost of open/read/close. An open /proc/PID file stays bound to
    its process: once that exits, reads fail even if the pid is reused. Files not
    read in a sample are closed after it; past ``limit`` open files, reads fall back
    to open/read/close so that a huge tree cannot exhaust the descriptor limit.
    """

    def __init__(self, limit: int = 256) -> None:
        self._fds: dict[str, int] = {}
        self._used: set[str] = set()
        self._limit = limit

    def read(self, path: str) -> bytes | None:
        fd = self._fds.get(path)
        if fd is None:
            if len(self._fds) >= self._limit:
                return read_file(path)
            try:
                fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            except OSError:
                return None
            self._fds[path] = fd
        try:
            data = os.pread(fd, 8192, 0)
        except OSError:
            del self._fds[path]
            os.close(fd)
            return None
        self._used.add(path)
        return data

    def sweep(self) -> None:
        """Close what the last sample did not read (exited processes and threads)."""
        for path in self._fds.keys() - self._used:
            os.close(self._fds.pop(path))
        self._used.clear()

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()
        self._used.clear()


def net_counters() -> dict[str, tuple[int, int]] | None:
    data = read_file("/proc/net/dev")
    return None if data is None else parse_net_dev(data)


@dataclass(frozen=True, slots=True)
class ReapedCounters:
    """What a reaper's kernel counters say its reaped children used, so far."""

    cpu_s: float
    cpu_resolution_s: float
    disk_read: int
    disk_write: int


def reaper_counters(reaper: int, start: int | None) -> ReapedCounters | None:
    """Counters of the root's parent, which reaps it: this process (the kernel's
    getrusage, in µs and 512-byte blocks) or a resident launcher (its /proc files:
    cutime+cstime in clock ticks, and /proc/PID/io, which also counts reaped children).
    None when the reaper is gone or its counters cannot be read."""
    if reaper == os.getpid():
        import resource  # Unix only: imported where it is used, so the module loads anywhere

        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_s = usage.ru_utime + usage.ru_stime
        return ReapedCounters(cpu_s, 1e-6, usage.ru_inblock * 512, usage.ru_oublock * 512)
    stat = parse_stat(read_file(f"/proc/{reaper}/stat") or b"")
    io = read_file(f"/proc/{reaper}/io")
    if stat is None or stat.starttime != start or not io:
        return None
    tick = 1 / os.sysconf("SC_CLK_TCK")
    return ReapedCounters(stat.children_cpu_ticks * tick, tick, *parse_io(io))
