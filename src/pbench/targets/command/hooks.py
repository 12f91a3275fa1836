"""Setup, prepare, conclude and cleanup commands (hyperfine's -s, -p, -C, -c)."""

from __future__ import annotations

from pbench.errors import BenchmarkFailed, HookFailed
from pbench.targets.command.shell import plan_invocation
from pbench.targets.command.target import CommandOptions, CommandTarget


class CommandHook:
    """Runs a command line before or after runs; untimed. Fails with :class:`HookFailed`."""

    def __init__(self, kind: str, command: str, options: CommandOptions, shell: str | None) -> None:
        self.kind = kind
        self.command = command
        self._options = CommandOptions(
            env=options.env,
            # Hooks share the terminal when output is shown, and are silenced otherwise
            # (never written into the benchmark's --output FILE).
            output="inherit" if options.output == "inherit" else "null",
            input_path=None,
            timeout_s=options.timeout_s,
            pad_environment=False,
            use_launcher=False,
        )
        self._invocation = plan_invocation(command, shell if shell != "none" else None)

    @property
    def description(self) -> str:
        return f"{self.kind} command {self.command!r}"

    def __call__(self, iteration: int | None = None) -> None:
        target = CommandTarget(self._invocation, self._options)
        try:
            target.open()
            outcome = target.execute(iteration if iteration is not None else 0)
        except BenchmarkFailed as exc:
            raise HookFailed(f"the {self.description} failed: {exc.message}", exc.hint) from None
        finally:
            target.close()
        if outcome.timed_out:
            reason = "timed out"
        elif outcome.signal is not None:
            reason = f"was killed by signal {outcome.signal}"
        elif outcome.exit_code != 0:
            reason = f"exited with code {outcome.exit_code}"
        else:
            return
        raise HookFailed(
            f"the {self.description} {reason}",
            "run it by hand to see its error, or add --show-output",
        )
