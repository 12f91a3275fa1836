"""The resident launcher: starts each run's command and takes its measurements from the kernel.

A child that is forked or vforked from pbench starts life with pbench's address space,
and Linux records that mm's resident size into the child's ``ru_maxrss`` when it calls
exec: naive measurement reports ~25-30 MB for ``/bin/true``. pbench therefore starts
commands through a tiny freestanding launcher (``_launcher/launcher.c``, 5 KB, no libc)
that stays resident for the whole run: per request it forks the command from its own
near-empty address space, reads CLOCK_MONOTONIC right around fork and reap, and reports
the ``wait4`` status and rusage of that one child. What it reports for ``/bin/true``
matches GNU ``time -f %M`` (~1 MB), and a run costs one fork and one exec, as in
hyperfine.

Nothing outlives pbench: the launcher watches its request pipe while a command runs,
and when pbench closes it or dies (even by ``kill -9``) it kills the command's whole
tree and exits; the command dies with the launcher should the launcher be killed. An
interrupt never waits for the launcher: :meth:`Launcher.abandon` kills the command's
tree and the launcher at once; after an error, :meth:`Launcher.abort` and
:meth:`Launcher.close` give it a moment (``ABORT_WAIT_S``, ``CLOSE_WAIT_S``) and then
kill it; the command target starts a new one if it is needed again.

Where the launcher cannot run (not x86-64 Linux), the command target spawns commands
directly with ``posix_spawn`` and ``wait4``: wall and CPU times stay exact, but peak
memory then includes pbench's own size at exec (the JSON says
``peak_memory_exact: false``), and a ``kill -9`` of pbench leaves the running command
to finish on its own.
"""

from __future__ import annotations

import contextlib
import os
import platform
import select
import shutil
import signal
import stat
import struct
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pbench.errors import BenchmarkFailed

_FS_ENCODING, _FS_ERRORS = sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()
RECORD = struct.Struct("<8q")
HEADER = struct.Struct("<3q")
KIND_STARTED, KIND_EXEC_FAILED, KIND_FINISHED, KIND_FORK_FAILED = 0, 1, 2, 3
REQUEST_MAX = 1 << 20
# Python ignores these at start-up, and ignored signals survive exec: give commands
# the default dispositions, as a shell would.
DEFAULT_SIGNALS = (signal.SIGPIPE, signal.SIGXFSZ)
# How long an interrupted run waits for the launcher to report the killed command's
# end, and a closing launcher to exit, before pbench kills it.
ABORT_WAIT_S = 0.3
CLOSE_WAIT_S = 0.5


@dataclass(frozen=True, slots=True)
class Reaped:
    """What the kernel said about one finished command."""

    status: int  # raw wait status
    elapsed_ns: int | None
    user_ns: int
    system_ns: int
    maxrss_bytes: int
    disk_read_bytes: int | None = None  # ru_inblock, ru_oublock: blocks of 512 bytes
    disk_write_bytes: int | None = None
    started_ns: int | None = None  # CLOCK_MONOTONIC right before fork (perf_counter_ns)

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
    shipped = Path(__file__).resolve().parent / "_launcher" / "launcher-x86_64"
    if not shipped.is_file():
        return None
    if os.access(shipped, os.X_OK):
        return str(shipped)
    # Installed without the executable bit (some wheel installers drop it): copy it.
    folder = Path(tempfile.gettempdir()) / f"pbench-launcher-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    copy = folder / "launcher-x86_64"
    if not copy.exists() or copy.read_bytes() != shipped.read_bytes():
        tmp = folder / f".launcher-{os.getpid()}"
        shutil.copyfile(shipped, tmp)
        tmp.chmod(stat.S_IRWXU)
        tmp.replace(copy)
    return str(copy)


def encode_request(path: str, argv: Sequence[str], env: Mapping[str, str]) -> bytes:
    """One request: header (length, argc, envc) and NUL-terminated strings, encoded as
    the OS gave them (bytes that are not UTF-8 come back as they were typed)."""
    return RequestTemplate(path, argv, env).encode({})


class RequestTemplate:
    """The part of a run's request that stays the same run after run (program, argv,
    the environment but for a few variables), encoded once: encoding some forty
    variables at every run was a tenth of pbench's own time per run."""

    def __init__(self, path: str, argv: Sequence[str], env: Mapping[str, str]) -> None:
        parts = [os.fsencode(path), *(os.fsencode(a) for a in argv)]
        parts += [os.fsencode(f"{k}={v}") for k, v in env.items()]
        self._fixed = b"\0".join(parts) + b"\0"
        self._argc, self._envc = len(argv), len(env)

    def encode(self, extra: Mapping[str, str]) -> bytes:
        """The request with ``extra`` (names not in the template's environment) added
        to the environment."""
        payload = self._fixed
        if extra:  # as os.fsencode encodes each (the file system's encoding, at once)
            text = "".join([f"{k}={v}\0" for k, v in extra.items()])
            payload += text.encode(_FS_ENCODING, _FS_ERRORS)
        if len(payload) > REQUEST_MAX:
            raise BenchmarkFailed(
                "the command line and environment are larger than 1 MiB",
                "shorten the command or the environment (--env)",
            )
        return HEADER.pack(len(payload), self._argc, self._envc + len(extra)) + payload


class Launcher:
    """One resident launcher process with its request and record pipes.

    ``stdin_fd`` and ``out_fd`` become every command's standard input and output
    (stdout and stderr); ``out_fd`` None means pbench's own (``--output inherit``).

    One request is in flight at a time, from :meth:`start` to the record of its end.
    An exception (Ctrl-C, SIGTERM) can land anywhere in between, even in the middle of
    writing a request or reading a record: :meth:`abort` then kills the command's tree
    and reads the records of its end for at most ``ABORT_WAIT_S``, or kills the
    launcher, which is then :attr:`dead`.
    """

    def __init__(self, program: str, stdin_fd: int, out_fd: int | None) -> None:
        request_r, self._request_w = os.pipe2(os.O_CLOEXEC)
        self._record_r, record_w = os.pipe2(os.O_CLOEXEC)
        actions = [
            (os.POSIX_SPAWN_DUP2, stdin_fd, 0),
            (os.POSIX_SPAWN_DUP2, request_r, 3),
            (os.POSIX_SPAWN_DUP2, record_w, 4),
        ]
        if out_fd is not None:
            actions[1:1] = [(os.POSIX_SPAWN_DUP2, out_fd, 1), (os.POSIX_SPAWN_DUP2, out_fd, 2)]
        try:
            # Its own process group: a Ctrl-C at the terminal reaches pbench only, which
            # then ends the running command itself.
            self.pid = os.posix_spawn(
                program,
                ["pbench-launcher"],
                {},
                file_actions=actions,
                setpgroup=0,
                setsigdef=DEFAULT_SIGNALS,
            )
        finally:
            os.close(request_r)
            os.close(record_w)
        self._pending = b""
        self._in_flight = False  # a request was (or is being) sent, its end not read
        self._torn = False  # a request only partly written: the launcher is out of step
        self.dead = False  # killed or exited: a new launcher is needed
        self._reaped = False

    def start(self, path: str, argv: Sequence[str], env: Mapping[str, str]) -> None:
        """Send a request. The launcher answers only once the command was reaped, so
        that pbench is not woken while the command runs."""
        self.send(encode_request(path, argv, env))

    def send(self, request: bytes) -> None:
        """Send an encoded request (:class:`RequestTemplate`), as :meth:`start`."""
        data = memoryview(request)
        if self.dead:
            raise self._died()
        self._in_flight = self._torn = True
        try:
            while data:
                data = data[os.write(self._request_w, data) :]
        except BrokenPipeError:
            raise self._died() from None
        self._torn = False

    def running_child(self) -> int | None:
        """The command now running, from /proc (for a timeout, Ctrl-C or the sampler)."""
        try:
            with open(f"/proc/{self.pid}/task/{self.pid}/children", "rb") as children:
                pids = children.read().split()
        except OSError:
            return None
        return int(pids[0]) if pids else None

    def finish(
        self, timeout_s: float | None, drain_fd: int | None
    ) -> tuple[int, Reaped, int | None, bool]:
        """Wait for the command to end: (its pid, reaped, exec errno or None, timed out)."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        exec_errno: int | None = None
        pid = -1
        started: int | None = None
        timed_out = False
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                child = self.running_child()
                if child is not None:
                    kill_tree(child)
                # Killed; kill again should its end not come soon (a fork under way).
                timed_out, deadline = True, time.monotonic() + 0.1
                continue
            record = self._record(remaining, drain_fd)
            if record is None:
                continue
            kind, a, b, c, d, e, f, g = record
            if kind == KIND_EXEC_FAILED:
                exec_errno = a
            elif kind == KIND_STARTED:
                pid, started = a, b
            elif kind == KIND_FORK_FAILED:
                self._in_flight = False
                raise BenchmarkFailed(
                    f"cannot start a process: {os.strerror(a)}",
                    "the machine may be out of processes or memory",
                )
            elif kind == KIND_FINISHED:
                self._in_flight = False
                reaped = Reaped(a, b, c * 1000, d * 1000, e * 1024, f * 512, g * 512, started)
                return pid, reaped, exec_errno, timed_out

    def abort(self, drain_fd: int | None) -> None:
        """Ctrl-C or an error while a command may run: kill its tree and read the
        records of its end, so that the next request starts in step; when they do not
        come within ``ABORT_WAIT_S`` (or the request was torn), kill the launcher."""
        if not self._in_flight or self.dead:
            return
        child = self.running_child()
        if child is not None:
            kill_tree(child)
        deadline = time.monotonic() + ABORT_WAIT_S
        with contextlib.suppress(BenchmarkFailed):  # the launcher died: nothing to read
            while self._in_flight and not self._torn:
                remaining = deadline - time.monotonic()
                record = self._record(remaining, drain_fd) if remaining > 0 else None
                if record is None:
                    break
                if record[0] in (KIND_FINISHED, KIND_FORK_FAILED):
                    self._in_flight = False
        if self._in_flight:
            self.kill()

    def abandon(self) -> None:
        """An interrupt: the run is over and this launcher is not needed again. Kill the
        command's tree and the launcher at once, without waiting for the records of the
        command's end (:meth:`abort` waits for them, to keep the launcher in step)."""
        if self.dead:
            return
        if self._in_flight:
            child = self.running_child()
            if child is not None:
                kill_tree(child)
        self.kill()

    def kill(self) -> None:
        """Kill the launcher (its running command dies with it) and reap it."""
        self.dead = True
        if not self._reaped:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self._reaped = True
        self._close_request()
        if self._record_r >= 0:
            fd, self._record_r = self._record_r, -1
            os.close(fd)

    def close(self) -> None:
        """Let the launcher exit (end of requests) and reap it; kill it if it lingers.

        A command still running (a run cut short) has its tree killed, by pbench here
        and by the launcher, which kills it when its request pipe closes."""
        if self._in_flight and not self.dead:
            child = self.running_child()
            if child is not None:
                kill_tree(child)
        self._close_request()
        deadline = time.monotonic() + CLOSE_WAIT_S
        while not self._reaped and time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(self.pid, os.WNOHANG)[0] == 0:
                    time.sleep(0.001)
                    continue
            self._reaped = True
        self.kill()

    def _close_request(self) -> None:
        if self._request_w >= 0:
            fd, self._request_w = self._request_w, -1
            os.close(fd)

    def _record(
        self, timeout_s: float | None, drain_fd: int | None = None
    ) -> tuple[int, int, int, int, int, int, int, int] | None:
        """The next record, or None when ``timeout_s`` passed first."""
        while len(self._pending) < RECORD.size:
            waits = timeout_s is not None or drain_fd is not None
            if waits and not wait_readable(self._record_r, drain_fd, timeout_s):
                return None
            chunk = os.read(self._record_r, RECORD.size * 4)
            if not chunk:
                raise self._died()
            self._pending += chunk
        record = RECORD.unpack_from(self._pending)
        self._pending = self._pending[RECORD.size :]
        return record

    def _died(self) -> BenchmarkFailed:
        self.dead = True
        return BenchmarkFailed(
            "pbench's launcher process ended unexpectedly",
            "was it killed by another program? run pbench again",
        )


def wait_readable(fd: int, drain_fd: int | None, timeout_s: float | None) -> bool:
    """Wait until ``fd`` is readable, discarding whatever arrives on ``drain_fd``."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    if drain_fd is not None:
        poller.register(drain_fd, select.POLLIN)
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    while True:
        wait_ms = None if deadline is None else max(0, int((deadline - time.monotonic()) * 1000))
        events = poller.poll(wait_ms)
        if not events:
            return False
        for ready, _ in events:
            if ready == fd:
                return True
            if not os.read(ready, 65536):
                poller.unregister(ready)


def kill_group(pgid: int) -> None:
    try:  # noqa: SIM105 (after every run: cheaper than contextlib.suppress)
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def kill_tree(pid: int) -> None:
    """Kill the process group of ``pid`` and any descendant that left it (setsid)."""
    import psutil

    try:
        descendants = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        descendants = []
    kill_group(pid)
    for child in descendants:
        with contextlib.suppress(psutil.Error):
            child.kill()
