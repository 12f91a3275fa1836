"""The shared fakes of deterministic tests, click-free: a fake monotonic clock and
commands, shells and hooks that take their ``sleep`` time on it (hyperfine's debug
mode; :mod:`support.debug_mode` swaps them into a real plan). Nothing here imports
click, so a test of the application layer alone may use them."""

from __future__ import annotations

import dataclasses
from typing import Any

from pbench.models import BenchmarkSpec, Hook, Hooks, Outcome

NS = 1_000_000_000


class FakeClock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


def sleep_ns(command: str) -> int:
    """How long ``sleep X`` takes in debug mode; anything else takes no time."""
    if command.startswith("sleep "):
        return round(float(command.removeprefix("sleep ")) * NS)
    return 0


class SleepTarget:
    """A command that takes its sleep time (and the shell's spawn time, given one)."""

    def __init__(self, clock: FakeClock, command: str, spawn_ns: int) -> None:
        self.clock, self.cost_ns = clock, sleep_ns(command) + spawn_ns
        self.runs = 0

    def open(self) -> None:
        pass

    def execute(self, iteration: int) -> Outcome:
        self.clock.now += self.cost_ns
        self.runs += 1
        return Outcome(exit_code=0)

    def close(self) -> None:
        pass


class ShellTarget(SleepTarget):
    """The same through a shell: the runner first times the shell's empty command."""

    def __init__(self, clock: FakeClock, command: str, spawn_ns: int) -> None:
        super().__init__(clock, command, spawn_ns)
        self.spawn_ns = spawn_ns

    def overhead_target(self) -> SleepTarget:
        return SleepTarget(self.clock, "", self.spawn_ns)


class SleepHook:
    def __init__(self, clock: FakeClock, hook: Hook, spawn_ns: int) -> None:
        self.clock, self.text = clock, str(getattr(hook, "command", ""))
        self.cost_ns = sleep_ns(self.text) + spawn_ns

    @property
    def description(self) -> str:
        return f"hook {self.text!r}"

    def __call__(self, iteration: int | None = None) -> None:
        self.clock.now += self.cost_ns


def fake_spec(spec: BenchmarkSpec, clock: FakeClock, spawn_ns: int) -> BenchmarkSpec:
    through_shell = spec.info.get("shell_mode") == "shell"
    spawn = spawn_ns if through_shell else 0
    make = ShellTarget if through_shell else SleepTarget
    hooks: dict[str, Any] = {}
    for field in dataclasses.fields(Hooks):
        hook = getattr(spec.hooks, field.name)
        hooks[field.name] = None if hook is None else SleepHook(clock, hook, spawn)
    return dataclasses.replace(spec, target=make(clock, spec.command, spawn), hooks=Hooks(**hooks))
