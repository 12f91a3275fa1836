"""The command target: one execution of a command line as a child process.

Each execution is spawned with ``posix_spawn`` (through the launcher, see
:mod:`pbench.targets.launcher`) into a process group of its own, so that a timeout or
Ctrl-C can kill the whole tree, and reaped with ``wait4`` for the kernel's own
accounting of that one child: user and system time of it and the children it waited
for, exit status, peak resident memory.
"""

from __future__ import annotations

import contextlib
import os
import random
import select
import shutil
import signal
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from pbench.errors import BenchmarkFailed, UsageError
from pbench.models import Outcome
from pbench.targets.launcher import RECORD, Reaped, launcher_path, parse_records
from pbench.targets.shell import Invocation

OutputKind = Literal["null", "pipe", "inherit", "file"]
PAD_VARIABLE = "PBENCH_PAD"
MAX_PAD = 4096


class ProcessSampler(Protocol):
    """Follows a process tree while one run is alive (see :mod:`pbench.sampler`)."""

    def begin(self, pid: int) -> None: ...

    def end(self) -> Mapping[str, float]: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class CommandOptions:
    """Everything about how commands are started that is not the command itself."""

    env: Mapping[str, str]
    output: OutputKind = "null"
    output_path: str | None = None
    input_path: str | None = None
    timeout_s: float | None = None
    pad_environment: bool = True
    use_launcher: bool = True


class CommandTarget:
    """Runs one command line; one :meth:`execute` is one run."""

    def __init__(
        self,
        invocation: Invocation,
        options: CommandOptions,
        *,
        rng: random.Random | None = None,
        sampler: ProcessSampler | None = None,
    ) -> None:
        self.invocation = invocation
        self.options = options
        self.sampler = sampler
        self._rng = rng or random.Random()
        self._program: str | None = None
        self._launcher = launcher_path() if options.use_launcher else None
        self._stdin_fd: int | None = None
        self._out_fd: int | None = None

    @property
    def exact_memory(self) -> bool:
        return self._launcher is not None

    # -- Target protocol -------------------------------------------------------------

    def open(self) -> None:
        program = self.invocation.argv[0]
        path = self.options.env.get("PATH", os.defpath)
        found = shutil.which(program, path=path) if "/" not in program else program
        if found is None or not os.access(found, os.X_OK) or os.path.isdir(found):
            raise BenchmarkFailed(
                f"command not found: {program!r}",
                "check the spelling and PATH; use a shell (drop -N) for shell builtins",
            )
        self._program = found
        self._stdin_fd = self._open_fd(
            self.options.input_path or os.devnull, os.O_RDONLY, "--input"
        )
        if self.options.output == "null":
            self._out_fd = self._open_fd(os.devnull, os.O_WRONLY, "--output")
        elif self.options.output == "file":
            assert self.options.output_path is not None
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
            self._out_fd = self._open_fd(self.options.output_path, flags, "--output")

    def execute(self, iteration: int) -> Outcome:
        assert self._program is not None, "open() first"
        env = dict(self.options.env)
        env["PBENCH_ITERATION"] = str(iteration)
        if self.options.pad_environment:
            # Random-length environment: shifts the initial stack so that one lucky or
            # unlucky memory layout cannot bias all runs (Mytkowicz et al., ASPLOS 2009).
            env[PAD_VARIABLE] = "x" * self._rng.randrange(MAX_PAD)
        return self._run(env)

    def close(self) -> None:
        for fd in (self._stdin_fd, self._out_fd):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._stdin_fd = self._out_fd = None
        if self.sampler is not None:
            self.sampler.close()

    def overhead_target(self) -> CommandTarget | None:
        """A target measuring what the runner must subtract: the shell's spawn time."""
        if self.invocation.mode != "shell":
            return None
        shell_argv = (*self.invocation.argv[:-1], "")
        probe = Invocation(shell_argv, "shell", self.invocation.shell)
        options = CommandOptions(env=self.options.env, use_launcher=self.options.use_launcher)
        return CommandTarget(probe, options, rng=self._rng)

    # -- spawning --------------------------------------------------------------------

    def _open_fd(self, path: str, flags: int, option: str) -> int:
        try:
            return os.open(path, flags, 0o644)
        except OSError as exc:
            raise UsageError(
                f"cannot open {path!r} for {option}: {exc.strerror}",
                f"check the path given to {option}",
            ) from None

    def _run(self, env: dict[str, str]) -> Outcome:
        assert self._program is not None and self._stdin_fd is not None
        result_r, result_w = os.pipe2(os.O_CLOEXEC)
        out_r: int | None = None
        actions: list[tuple[int, int, int]] = [(os.POSIX_SPAWN_DUP2, self._stdin_fd, 0)]
        if self.options.output == "pipe":
            out_r, out_w = os.pipe2(os.O_CLOEXEC)
            actions += [(os.POSIX_SPAWN_DUP2, out_w, 1), (os.POSIX_SPAWN_DUP2, out_w, 2)]
        elif self._out_fd is not None:
            actions += [
                (os.POSIX_SPAWN_DUP2, self._out_fd, 1),
                (os.POSIX_SPAWN_DUP2, self._out_fd, 2),
            ]
        argv = list(self.invocation.argv)
        if self._launcher is not None:
            actions.append((os.POSIX_SPAWN_DUP2, result_w, 3))
            path, args = self._launcher, ["pbench-launcher", self._program, *argv]
        else:
            path, args = self._program, argv
        pid = -1
        try:
            pid = os.posix_spawn(path, args, env, file_actions=actions, setpgroup=0)
        except OSError as exc:
            raise BenchmarkFailed(
                f"cannot start {argv[0]!r}: {exc.strerror}", "check that the command is executable"
            ) from None
        finally:
            os.close(result_w)
            if out_r is not None:
                os.close(out_w)
            if pid < 0:
                os.close(result_r)
                if out_r is not None:
                    os.close(out_r)
        if self.sampler is not None:
            self.sampler.begin(pid)
        try:
            return self._wait(pid, result_r, out_r)
        except BaseException:
            _kill_group(pid)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            raise
        finally:
            os.close(result_r)
            if out_r is not None:
                os.close(out_r)

    def _wait(self, pid: int, result_r: int, out_r: int | None) -> Outcome:
        timeout = self.options.timeout_s
        timed_out = False
        data = b""
        if self._launcher is not None:
            if timeout is None and out_r is None:
                data = _read_to_eof(result_r)
            else:
                data, timed_out = _poll_until_done(pid, result_r, True, out_r, timeout)
        elif timeout is None and out_r is None:
            os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
        else:
            pidfd = os.pidfd_open(pid)
            try:
                _, timed_out = _poll_until_done(pid, pidfd, False, out_r, timeout)
            finally:
                os.close(pidfd)
        # The spawned process has exited but is not reaped yet, so its pid, which is
        # also the group id, cannot be reused: kill what the command left behind in its
        # group before reaping.
        _kill_group(pid)
        _, status, usage = os.wait4(pid, 0)
        metrics = self.sampler.end() if self.sampler is not None else {}
        if self._launcher is not None:
            _, reaped = parse_records(data)
            if reaped is None:  # killed (timeout) before it could report
                reaped = Reaped(status, None, 0, 0, 0)
        else:
            reaped = Reaped(
                status,
                None,
                int(usage.ru_utime * 1e9),
                int(usage.ru_stime * 1e9),
                usage.ru_maxrss * 1024,
            )
        if reaped.exec_errno is not None:
            raise BenchmarkFailed(
                f"cannot execute {self.invocation.argv[0]!r}: {os.strerror(reaped.exec_errno)}",
                "check that the command is an executable program",
            )
        if timed_out:
            return Outcome(exit_code=None, timed_out=True, error="timeout", metrics=metrics)
        return Outcome(
            exit_code=reaped.exit_code,
            signal=reaped.signal,
            elapsed_ns=reaped.elapsed_ns,
            user_ns=reaped.user_ns,
            system_ns=reaped.system_ns,
            peak_rss_bytes=reaped.maxrss_bytes,
            metrics=metrics,
        )


def _read_to_eof(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, RECORD.size * 4):
        chunks.append(chunk)
    return b"".join(chunks)


def _poll_until_done(
    pid: int, done_fd: int, read_done: bool, out_r: int | None, timeout: float | None
) -> tuple[bytes, bool]:
    """Wait until ``done_fd`` says the process exited (the launcher's record pipe reaches
    EOF, or a pidfd becomes readable), draining piped output; kill the tree on timeout.

    Returns the launcher's records and whether the run timed out.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    poller = select.poll()
    poller.register(done_fd, select.POLLIN)
    if out_r is not None:
        poller.register(out_r, select.POLLIN)
    chunks: list[bytes] = []
    while True:
        wait_ms = None if deadline is None else max(0, int((deadline - time.monotonic()) * 1000))
        events = poller.poll(wait_ms)
        if not events and deadline is not None and time.monotonic() >= deadline:
            _kill_tree(pid)
            if read_done:
                chunks.append(_read_to_eof(done_fd))
            else:
                os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
            return b"".join(chunks), True
        for fd, _ in events:
            if fd == done_fd and not read_done:
                return b"", False
            chunk = os.read(fd, 65536)
            if fd == done_fd:
                if not chunk:
                    return b"".join(chunks), False
                chunks.append(chunk)
            elif not chunk:
                poller.unregister(fd)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _kill_tree(pid: int) -> None:
    """Kill the process group and any descendant that left it (setsid, setpgid)."""
    import psutil

    try:
        descendants = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        descendants = []
    _kill_group(pid)
    for child in descendants:
        with contextlib.suppress(psutil.Error):
            child.kill()
