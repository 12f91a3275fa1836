"""The command target: one execution of a command line as a child process.

Each execution is forked by the resident launcher (see :mod:`pbench.targets.command.launcher`)
into a process group of its own, so that a timeout or Ctrl-C can kill the whole tree,
and reaped with ``wait4`` for the kernel's own accounting of that one child: user and
system time of it and the children it waited for, exit status, peak resident memory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import random
import shutil
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pbench.errors import BenchmarkFailed, UsageError, shorten
from pbench.models import Outcome
from pbench.targets.command.launcher import (
    DEFAULT_SIGNALS,
    Launcher,
    Reaped,
    RequestTemplate,
    kill_group,
    kill_tree,
    launcher_path,
    wait_readable,
)
from pbench.targets.command.shell import Invocation
from pbench.targets.command.valgrind import Counted

if TYPE_CHECKING:
    from pbench.targets.command.sampler import ProcessSampler

OutputKind = Literal["null", "pipe", "inherit", "file"]
PAD_VARIABLE = "PBENCH_PAD"
# What changes run after run in a command's environment (see CommandTarget.execute).
EXTRA_VARIABLES = ("PBENCH_ITERATION", PAD_VARIABLE)
MAX_PAD = 4096


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
    # --measure instructions/cycles: each run under Valgrind (pbench.targets.command.valgrind)
    count: Counted | None = None


class CommandIO:
    """What the commands of one pbench invocation share: their standard streams, the
    resident launcher and, with ``sample_interval_s``, the process-tree sampler. Opened
    by the first target that needs it, closed by the last.

    The launcher runs one command at a time, so one sampler (one thread) follows them
    all: a scan of a thousand benchmarks has one sampler thread, and none once its
    benchmarks are closed.

    As in hyperfine, which opens ``--input FILE`` and ``--output FILE`` anew for every
    run, each run (warmups too) reads the input from its start and starts the output
    file empty, which therefore ends holding the last run's output (:meth:`rewind`).
    """

    def __init__(self, options: CommandOptions, sample_interval_s: float | None = None) -> None:
        self.options = options
        self.sample_interval_s = sample_interval_s
        self.sampler: ProcessSampler | None = None
        self.launcher_program = launcher_path() if options.use_launcher else None
        self.launcher: Launcher | None = None
        self.stdin_fd: int | None = None
        self.out_fd: int | None = None  # None: inherit pbench's
        self.drain_fd: int | None = None  # read end of the pipe for --output pipe
        self._users = 0

    def acquire(self) -> None:
        if self._users == 0:
            self._open()
        self._users += 1

    def release(self) -> None:
        self._users -= 1
        if self._users == 0:
            self._close()

    def _open(self) -> None:
        options = self.options
        self.stdin_fd = _open_fd(options.input_path or os.devnull, os.O_RDONLY, "--input")
        if options.output == "null":
            self.out_fd = _open_fd(os.devnull, os.O_WRONLY, "--output")
        elif options.output == "file":
            assert options.output_path is not None
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
            self.out_fd = _open_fd(options.output_path, flags, "--output")
        elif options.output == "pipe":
            self.drain_fd, self.out_fd = os.pipe2(os.O_CLOEXEC)
        if self.launcher_program is not None:
            self.launcher = Launcher(self.launcher_program, self.stdin_fd, self.out_fd)
        if self.sample_interval_s is not None:
            from pbench.targets.command.sampler import TreeSampler

            self.sampler = TreeSampler(interval_s=self.sample_interval_s)

    def running_launcher(self) -> Launcher | None:
        """The launcher for the next run: a new one when the last was killed (a run cut
        short that it did not report in time) or died."""
        launcher = self.launcher
        if launcher is not None and launcher.dead and self.launcher_program is not None:
            assert self.stdin_fd is not None
            launcher.close()
            self.launcher = None
            self.launcher = launcher = Launcher(self.launcher_program, self.stdin_fd, self.out_fd)
        return launcher

    def rewind(self) -> None:
        """Before each run: the input from its start, the output file empty.

        The launcher's (or the spawned command's) fds 0-2 share their file offsets with
        ours, so a seek and a truncate here are seen by the next command. A file that a
        hook replaced (``mv new input``) is opened anew, and the launcher restarted on it.
        """
        options = self.options
        replaced = False
        if options.input_path is not None and self.stdin_fd is not None:
            if _replaced(options.input_path, self.stdin_fd):
                os.close(self.stdin_fd)
                self.stdin_fd = None
                path = options.input_path
                self.stdin_fd = _open_fd(path, os.O_RDONLY, "--input", during_run=True)
                replaced = True
            elif _is_regular(self.stdin_fd):
                os.lseek(self.stdin_fd, 0, os.SEEK_SET)
        if options.output == "file" and options.output_path is not None and self.out_fd is not None:
            if _replaced(options.output_path, self.out_fd):
                os.close(self.out_fd)
                self.out_fd = None
                flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
                self.out_fd = _open_fd(options.output_path, flags, "--output", during_run=True)
                replaced = True
            elif _is_regular(self.out_fd):
                os.ftruncate(self.out_fd, 0)
                os.lseek(self.out_fd, 0, os.SEEK_SET)
        if replaced and self.launcher is not None and self.launcher_program is not None:
            assert self.stdin_fd is not None
            self.launcher.close()
            self.launcher = None
            self.launcher = Launcher(self.launcher_program, self.stdin_fd, self.out_fd)

    def _close(self) -> None:
        if self.sampler is not None:
            self.sampler.close()
            self.sampler = None
        if self.launcher is not None:
            self.launcher.close()
            self.launcher = None
        for fd in (self.stdin_fd, self.out_fd, self.drain_fd):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.stdin_fd = self.out_fd = self.drain_fd = None


class CommandTarget:
    """Runs one command line; one :meth:`execute` is one run."""

    def __init__(
        self,
        invocation: Invocation,
        options: CommandOptions,
        *,
        io: CommandIO | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.invocation = invocation
        self.options = options
        self.io = io or CommandIO(options)
        self._rng = rng or random.Random()
        self._program: str | None = None
        self._template: RequestTemplate | None = None  # made at the first run
        self._valgrind: str | None = None

    @property
    def rng(self) -> random.Random:
        """The source of this command's padding (copies of it draw their seeds here)."""
        return self._rng

    @property
    def sampler(self) -> ProcessSampler | None:
        """The sampler of this command's runs: its :class:`CommandIO`'s, shared."""
        return self.io.sampler

    @property
    def exact_memory(self) -> bool:
        return self.io.launcher_program is not None

    # -- Target protocol -------------------------------------------------------------

    def open(self) -> None:
        program = self.invocation.argv[0]
        path = self.options.env.get("PATH", os.defpath)
        found = shutil.which(program, path=path) if "/" not in program else program
        if found is None or not os.access(found, os.X_OK) or os.path.isdir(found):
            if self.invocation.mode == "shell":
                hint = "install that shell, or name another one with -S/--shell"
            else:
                shell = "drop -N" if self.invocation.no_shell else "use -S sh"
                hint = f"check the spelling and PATH; for a shell builtin or function, {shell}"
            from pbench.results.redact import redact

            raise BenchmarkFailed(f"command not found: {shorten(redact(program))!r}", hint)
        self._program, self._template = found, None
        if self.options.count is not None:
            from pbench.targets.command.valgrind import valgrind_program

            self._valgrind = valgrind_program(self.options.env)
        self.io.acquire()

    def execute(self, iteration: int) -> Outcome:
        assert self._program is not None, "open() first"
        extra = {"PBENCH_ITERATION": str(iteration)}
        if self.options.pad_environment:
            # Random-length environment: shifts the initial stack so that one lucky or
            # unlucky memory layout cannot bias all runs (Mytkowicz et al., ASPLOS 2009).
            extra[PAD_VARIABLE] = "x" * self._rng.randrange(MAX_PAD)
        self.io.rewind()
        if self._valgrind is not None:
            return self._counted({**self.options.env, **extra})
        launcher = self.io.running_launcher()
        if launcher is not None:
            return self._through_launcher(launcher, self._request(extra))
        return self._spawn_directly({**self.options.env, **extra})

    def _request(self, extra: dict[str, str]) -> bytes:
        """This run's launcher request: the template made at the first run, plus
        ``extra`` (the variables that change run after run)."""
        if self._template is None:
            assert self._program is not None
            fixed = {k: v for k, v in self.options.env.items() if k not in EXTRA_VARIABLES}
            self._template = RequestTemplate(self._program, self.invocation.argv, fixed)
        return self._template.encode(extra)

    def close(self) -> None:
        if self._program is not None:
            self._program = None
            self.io.release()

    def interrupt(self) -> None:
        """From another thread: kill the tree of the run now going on, if any (through
        the launcher; without it the run is let finish)."""
        launcher = self.io.launcher
        if launcher is not None:
            child = launcher.running_child()
            if child is not None:
                kill_tree(child)

    def overhead_target(self) -> CommandTarget | None:
        """A target measuring what the runner must subtract: the shell's spawn time."""
        if self.invocation.mode != "shell":
            return None
        probe = Invocation((*self.invocation.argv[:-1], ""), "shell", self.invocation.shell)
        options = CommandOptions(
            env=self.options.env,
            use_launcher=self.options.use_launcher,
            pad_environment=self.options.pad_environment,
            count=self.options.count,
        )
        return CommandTarget(probe, options, rng=self._rng)

    # -- running ---------------------------------------------------------------------

    def _through_launcher(self, launcher: Launcher, request: bytes) -> Outcome:
        sampler = self.sampler
        try:
            launcher.send(request)
            if sampler is not None:
                # The root is the launcher's child; the sampler finds it at its first look.
                sampler.begin(launcher.pid, exact_totals=True, via_parent=True)
            pid, reaped, exec_errno, timed_out = launcher.finish(
                self.options.timeout_s, self.io.drain_fd
            )
        except BaseException as exc:
            if sampler is not None:
                sampler.abandon()
            if isinstance(exc, KeyboardInterrupt):  # the run is over: no waiting
                launcher.abandon()
            else:
                launcher.abort(self.io.drain_fd)
            raise
        # Kill what the command left running in its group (background jobs): no process
        # pbench started outlives its run.
        kill_group(pid)
        return self._outcome(reaped, exec_errno, timed_out)

    def _counted(self, env: dict[str, str]) -> Outcome:
        """One run under Valgrind: the command's outcome with its count in ``metrics``
        (the instructions or estimated cycles of its whole process tree)."""
        import tempfile

        from pbench.targets.command.valgrind import figure, sum_dir, valgrind_argv, why_not_run

        assert self._program is not None and self._valgrind is not None
        count = self.options.count
        assert count is not None
        command = [self._program, *self.invocation.argv[1:]]
        with tempfile.TemporaryDirectory(prefix="pbench-cg-") as out_dir:
            argv = valgrind_argv(self._valgrind, out_dir, count, command)
            outcome = self._spawn_directly(env, (self._valgrind, argv))
            try:
                events = sum_dir(out_dir)
            except ValueError as exc:
                raise BenchmarkFailed(
                    f"cannot read Valgrind's count of {shorten(self._shown())!r}: {exc}",
                    "was the run killed while Valgrind wrote its files?",
                ) from None
        if events.processes == 0:
            if outcome.timed_out:
                return outcome
            said = why_not_run(self._valgrind, command, env)
            raise BenchmarkFailed(
                f"Valgrind cannot run {shorten(self._shown())!r}: {said}",
                "--measure instructions/cycles needs a program Valgrind can run (not "
                "setuid, not a binary it rejects); measure it with --measure cpu or wall",
            )
        metrics = {**outcome.metrics, count: figure(events, count)}
        metrics["processes_counted"] = float(events.processes)
        return dataclasses.replace(outcome, metrics=metrics)

    def _shown(self) -> str:
        from pbench.results.redact import redact

        return redact(" ".join(self.invocation.argv))

    def _spawn_directly(
        self, env: dict[str, str], program: tuple[str, list[str]] | None = None
    ) -> Outcome:
        """Fallback without the launcher: posix_spawn + wait4 (peak memory inflated);
        with ``program`` (path, argv), that instead of the command (Valgrind's)."""
        assert self._program is not None and self.io.stdin_fd is not None
        path, argv = program or (self._program, list(self.invocation.argv))
        actions = [(os.POSIX_SPAWN_DUP2, self.io.stdin_fd, 0)]
        if self.io.out_fd is not None:
            actions += [(os.POSIX_SPAWN_DUP2, self.io.out_fd, 1)]
            actions += [(os.POSIX_SPAWN_DUP2, self.io.out_fd, 2)]
        try:
            pid = os.posix_spawn(
                path,
                argv,
                env,
                file_actions=actions,
                setpgroup=0,
                setsigdef=DEFAULT_SIGNALS,
            )
        except OSError as exc:
            raise BenchmarkFailed(
                f"cannot execute {self.invocation.argv[0]!r}: {exc.strerror}",
                "check that the command is an executable program",
            ) from None
        try:
            if self.sampler is not None:
                self.sampler.begin(pid)
            timed_out = _wait_exit(pid, self.options.timeout_s, self.io.drain_fd)
        except BaseException:
            if self.sampler is not None:
                self.sampler.abandon()
            kill_tree(pid)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            raise
        # Exited but not reaped yet: its pid (the group id) cannot be reused meanwhile.
        kill_group(pid)
        _, status, usage = os.wait4(pid, 0)
        reaped = Reaped(
            status,
            None,
            int(usage.ru_utime * 1e9),
            int(usage.ru_stime * 1e9),
            usage.ru_maxrss * 1024,
        )
        return self._outcome(reaped, None, timed_out)

    def _outcome(self, reaped: Reaped, exec_errno: int | None, timed_out: bool) -> Outcome:
        sampler = self.io.sampler
        metrics = dict(sampler.end()) if sampler is not None else {}
        if sampler is not None and reaped.elapsed_ns:
            # The kernel's account (wait4 in the launcher) is exact where the sampler's
            # is a lower bound.
            cpu_ns = reaped.user_ns + reaped.system_ns
            metrics["cpu_mean_percent"] = 100.0 * cpu_ns / reaped.elapsed_ns
            if "cpu_peak_percent" in metrics:  # a peak is never below the mean
                metrics["cpu_peak_percent"] = max(
                    metrics["cpu_peak_percent"], metrics["cpu_mean_percent"]
                )
            if reaped.disk_read_bytes is not None and reaped.disk_write_bytes is not None:
                metrics["disk_read_bytes"] = float(reaped.disk_read_bytes)
                metrics["disk_write_bytes"] = float(reaped.disk_write_bytes)
        if exec_errno is not None:
            raise BenchmarkFailed(
                f"cannot execute {self.invocation.argv[0]!r}: {os.strerror(exec_errno)}",
                "check that the command is an executable program",
            )
        if timed_out:
            return Outcome(
                exit_code=None,
                timed_out=True,
                error=f"timed out after {self.options.timeout_s:g} s; its process tree was killed",
                hint="raise --timeout, or find out why it hangs with --show-output",
                metrics=metrics,
            )
        return Outcome(
            exit_code=reaped.exit_code,
            signal=reaped.signal,
            elapsed_ns=reaped.elapsed_ns,
            user_ns=reaped.user_ns,
            system_ns=reaped.system_ns,
            peak_rss_bytes=reaped.maxrss_bytes,
            metrics=metrics,
            started_ns=reaped.started_ns,
        )


def _open_fd(path: str, flags: int, option: str, *, during_run: bool = False) -> int:
    try:
        return os.open(path, flags | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        error = BenchmarkFailed if during_run else UsageError
        hint = "did a hook remove it?" if during_run else f"check the path given to {option}"
        raise error(f"cannot open {path!r} for {option}: {exc.strerror}", hint) from None


def _is_regular(fd: int) -> bool:
    return stat.S_ISREG(os.fstat(fd).st_mode)


def _replaced(path: str, fd: int) -> bool:
    """Whether ``path`` no longer names the file open on ``fd`` (removed or replaced)."""
    try:
        named = os.stat(path)
    except OSError:
        return True
    own = os.fstat(fd)
    return (named.st_dev, named.st_ino) != (own.st_dev, own.st_ino)


def _wait_exit(pid: int, timeout: float | None, drain_fd: int | None) -> bool:
    """Wait (without reaping) until ``pid`` exits; kill its tree on timeout."""
    if timeout is None and drain_fd is None:
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
        return False
    pidfd = os.pidfd_open(pid)  # readable once the process has exited
    try:
        if wait_readable(pidfd, drain_fd, timeout):
            return False
    finally:
        os.close(pidfd)
    kill_tree(pid)
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    return True
