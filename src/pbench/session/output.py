"""What the application layer says on the terminal, without knowing the terminal: the
:class:`Output` it writes through (:class:`pbench.cli.output.ClickOutput` in the CLI,
a recording fake in the tests), the :class:`Display` style, the progress bar, and how
an error that ends an invocation is said (:func:`say_error`)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from pbench.models import TimeUnit

if TYPE_CHECKING:
    from pbench.errors import PbenchError
    from pbench.run.runner import Progress


class Output(Protocol):
    """Where text for the user goes: stdout, or stderr with ``err``; ``nl`` ends the
    line; ``color`` None strips ANSI styles unless the stream is a terminal, True keeps
    them, False strips them (click.echo's meaning)."""

    def echo(
        self, text: str, *, err: bool = False, nl: bool = True, color: bool | None = None
    ) -> None: ...


def say_error(error: PbenchError, output: Output) -> int:
    """``error`` as the invocation's last words (its message and hint, on stderr); its
    exit code."""
    output.echo(error.render(), err=True)
    return int(error.exit_code)


@dataclass(frozen=True)
class Display:
    """What the terminal gets: colours, a live progress bar, or nothing at all; ``live``:
    the live view of load runs (a terminal on stderr, see :mod:`pbench.session.live`)."""

    color: bool
    progress: bool
    quiet: bool
    live: bool = False


class ProgressBar:
    """A one-line progress bar on stderr with the current estimate and an ETA."""

    WIDTH = 24

    def __init__(self, output: Output, enabled: bool, unit: TimeUnit | None) -> None:
        self.output = output
        self.enabled = enabled
        self.unit = unit
        self._last = 0.0
        self._shown = False

    def update(self, progress: Progress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.05 and progress.phase == "run":
            return
        self._last = now
        from pbench.report.units import format_time, unit_for

        label = {"calibrate": "Measuring shell spawn time", "warmup": "Warming up"}.get(
            progress.phase, "Measuring"
        )
        bar = ""
        if progress.expected:
            filled = min(self.WIDTH, int(self.WIDTH * progress.done / progress.expected))
            bar = (
                "["
                + "#" * filled
                + " " * (self.WIDTH - filled)
                + f"] {progress.done}/{progress.expected}"
            )
        else:
            bar = f"{progress.done} runs"
        estimate = ""
        if progress.mean_s is not None:
            unit = self.unit or unit_for(progress.mean_s)
            estimate = f"  current estimate: {format_time(progress.mean_s, unit)}"
        eta = f"  ETA {_clock(progress.eta_s)}" if progress.eta_s is not None else ""
        text = f"{label} {progress.name[:40]!r} {bar}{estimate}{eta}"
        self.output.echo("\r\x1b[2K" + text, nl=False, err=True)
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.output.echo("\r\x1b[2K", nl=False, err=True)
            self._shown = False


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
