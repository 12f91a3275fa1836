"""Run a command as a child subreaper, so that a test finds every process it left behind
by ancestry, never by name (other programs on the machine may run the same commands):
whatever the command started becomes this process's child once orphaned.

Usage: python reaper.py BOUND_S -- ARGV...

The command's stdout goes to /dev/null, its stderr to this process's. This process
prints the command's pid on the first line of stdout; once the command ended, one JSON
line: ``{"status": S, "cpu_s": C, "survivors": [[pid, "cmdline"], ...]}``, its exit status
(negative: killed by that signal), the CPU time the command's own process used (user
and system, all its threads, not its children's: read from /proc while it is a zombie)
and the processes it left that still ran BOUND_S later."""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import time

import psutil

PR_SET_CHILD_SUBREAPER = 36


def reap() -> None:
    """Reap whatever orphan has ended, so that only the living stay our children."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def living() -> list[psutil.Process]:
    alive = []
    for child in psutil.Process().children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE:
                alive.append(child)
        except psutil.NoSuchProcess:
            continue
    return alive


def own_cpu_s(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` itself (all its threads)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    bound, separator, *argv = sys.argv[1:]
    assert separator == "--" and argv, __doc__
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")
    # A test run in the background of a non-interactive shell ignores SIGINT, and the
    # command would inherit that: give it SIGINT's default, as at a terminal.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    print(proc.pid, flush=True)
    # Wait for its end without reaping it: its /proc entry (a zombie's) still holds its
    # own CPU time, which reaping would fold into ours with its children's.
    os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
    cpu_s = own_cpu_s(proc.pid)
    status = proc.wait()
    deadline = time.monotonic() + float(bound)
    reap()
    left = living()
    while left and time.monotonic() < deadline:
        time.sleep(0.01)
        reap()
        left = living()
    survivors = []
    for process in left:
        try:
            survivors.append([process.pid, " ".join(process.cmdline())])
        except psutil.NoSuchProcess:
            continue
        process.kill()  # leave nothing behind either
    print(json.dumps({"status": status, "cpu_s": cpu_s, "survivors": survivors}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
