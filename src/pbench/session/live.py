"""The live view of a load run: one status block on the terminal (stderr), redrawn at
most 4 times a second while ``pbench http``, ``sql -c/-d/--rate`` or ``run -j`` loads.

A :class:`LiveView` is the load runner's :class:`pbench.run.load.LoadWatcher`. It is
told of every slice (each benchmark's :class:`pbench.load.window.RollingWindow` takes
it: the last second's rate and percentiles come from the slices' own recorders), and
pools that can (:class:`pbench.run.load.TickingPool`) tick it from within a long
slice, in the thread that drives the load. It draws only when the last frame is at
least :data:`MIN_FRAME_NS` old, so at most 4 frames a second, plus one closing frame
with the final counts; the text comes from :mod:`pbench.session.live_text`.

Each frame rewrites the block in place (cursor up over the previous frame, clear to
the end of the screen) with lines cut to the terminal's width, so that nothing wraps
and every frame clears the one before. :meth:`LiveView.end` clears it: what follows
(the report) starts where the block was, and no line of it is left. In a sweep, the
view lasts over the levels: levels done keep one line each, the next ones wait.

The session turns it on only where :attr:`Display.live` says (a terminal on stderr,
not ``TERM=dumb``, not ``--style basic/none``); colours follow :attr:`Display.color`.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pbench.load.window import RollingWindow, WindowFigures
from pbench.session import live_text
from pbench.session.live_text import Line
from pbench.session.output import Output

if TYPE_CHECKING:
    from pbench.load.recorder import LoadRun
    from pbench.run.load import LoadRunner

MIN_FRAME_NS = 250_000_000  # at most 4 frames a second
UP, CLEAR_DOWN = "\x1b[1A", "\x1b[J"


def terminal_size() -> tuple[int, int]:
    """(columns, rows) of the terminal on stderr; 80 x 24 when it cannot say."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except (OSError, ValueError):
        return 80, 24
    return size.columns or 80, size.lines or 24


class _Bench:
    """The view's own state of one benchmark: its window, and the most done shown."""

    def __init__(self) -> None:
        self.window = RollingWindow()
        self.figures: WindowFigures | None = None
        self.fresh = True
        self.shown = 0


class LiveView:
    """The status block of one invocation's load runs (see the module docstring)."""

    tick_s = MIN_FRAME_NS / 1e9

    def __init__(
        self,
        output: Output,
        color: bool,
        *,
        clock: Callable[[], int] = time.perf_counter_ns,
        size: Callable[[], tuple[int, int]] = terminal_size,
    ) -> None:
        self.output = output
        self.color = color
        self.clock = clock
        self.size = size
        self.frames = 0  # frames drawn (the closing ones included)
        self._broken = False
        self._height = 0
        self._last: int | None = None
        self._runner: LoadRunner | None = None
        self._benches: list[_Bench] = []
        self._began: int | None = None
        self._live: int | None = None  # requests of the running slice, when ticked
        self._noun, self._gauge, self._what = "requests", "connections", ""
        # A sweep: its levels, the current one's index, the lines of those done.
        self._levels: Sequence[int] = ()
        self._level: int | None = None
        self._finished: list[Line] = []

    # -- set up by the session -------------------------------------------------------

    def sweep(self, levels: Sequence[int]) -> None:
        """The levels of a sweep, measured in turn (one line each once done); () for
        what is not one."""
        self._levels, self._finished, self._level = tuple(levels), [], None

    def level(self, level: int) -> None:
        """The sweep's level measured next."""
        self._level = level

    def attach(self, runner: LoadRunner, noun: str, gauge: str, what: str) -> None:
        """Watch ``runner``; ``noun`` counts what it does, ``gauge`` is "connections"
        or "workers", ``what`` says how it loads (the header's end)."""
        self._runner = runner
        self._benches = [_Bench() for _ in range(runner.count)]
        self._noun, self._gauge, self._what = noun, gauge, what
        self._began, self._live = None, None
        runner.watcher = self

    # -- the load runner's watcher ---------------------------------------------------

    def begin(self, runner: LoadRunner) -> None:
        self._began = self.clock()
        self._frame(force=True)

    def sliced(self, index: int, run: LoadRun) -> None:
        bench = self._benches[index]
        bench.window.add(run)
        bench.fresh = True
        self._live = None
        self._frame()

    def tick(self, requests: int | None) -> None:
        self._live = requests
        self._frame()

    # -- the end ---------------------------------------------------------------------

    def end(self) -> None:
        """The run is over (finished, failed or interrupted): one closing frame with
        the final counts, then the block is cleared; in a sweep, the level keeps a
        line for the next frames."""
        if self._runner is None:
            return
        if self._began is not None:
            self._live = None
            self._frame(force=True)
        if self._level is not None:
            self._finished += self._level_lines(self._level)
        self._runner = None
        self.clear()

    def clear(self) -> None:
        """Remove the block from the screen (the cursor where it began)."""
        if self._height and not self._broken:
            height, self._height = self._height, 0
            with contextlib.suppress(OSError):
                self.output.echo(
                    "\r" + UP * (height - 1) + CLEAR_DOWN, err=True, nl=False, color=True
                )

    # -- drawing ---------------------------------------------------------------------

    def _erase(self) -> str:
        return "\r" + UP * (self._height - 1) + CLEAR_DOWN if self._height else ""

    def _frame(self, force: bool = False) -> None:
        if self._broken:
            return
        now = self.clock()
        if not force and self._last is not None and now - self._last < MIN_FRAME_NS:
            return
        self._last = now
        columns, rows = self.size()
        lines = live_text.fit(self.lines(now), columns, rows, self.color)
        try:
            self.output.echo(self._erase() + "\n".join(lines), err=True, nl=False, color=True)
        except OSError:  # the terminal went away: measuring goes on without the view
            self._broken = True
            return
        self._height = len(lines)
        self.frames += 1

    def lines(self, now_ns: int) -> list[Line]:
        """The block's lines at ``now_ns`` (without colours and width: see ``fit``)."""
        runner = self._runner
        if runner is None:
            return []
        plan = runner.plan
        load = plan.load
        statuses = runner.statuses(now_ns)
        elapsed = (now_ns - self._began) / 1e9 if self._began is not None else 0.0
        budget = None
        if plan.precision is not None:
            from pbench.run.load import DEFAULT_PRECISION_BUDGET_S

            budget = plan.precision.max_time_s or DEFAULT_PRECISION_BUDGET_S
        progress = live_text.run_progress(statuses, elapsed, load.duration_s, load.runs, budget)
        label = None
        if self._level is not None and self._levels:
            index = list(self._levels).index(self._level) + 1
            label = f"Concurrency {self._level} ({index} of {len(self._levels)})"
        lines: list[Line] = [live_text.header(progress, self._what, label)]
        lines += self._finished
        prefix = f"c={self._level}" if self._level is not None and self._levels else None
        columns, _ = self.size()
        longest = max((len(s.name) + (len(prefix) + 1 if prefix else 0) for s in statuses),
                      default=0)  # fmt: skip
        name_width = min(longest, max(columns // 4, 16))
        for status, bench in zip(statuses, self._benches, strict=True):
            done = status.requests
            if status.running and self._live is not None:
                done += self._live
            bench.shown = done = max(done, bench.shown)
            if bench.fresh:
                bench.figures, bench.fresh = bench.window.figures(now_ns), False
            lines.append(
                live_text.benchmark_line(
                    status,
                    done,
                    bench.figures,
                    self._noun,
                    target_rate=load.rate,
                    concurrency=load.concurrency,
                    gauge=self._gauge,
                    label=prefix,
                    name_width=name_width,
                )
            )
        if self._level is not None and self._levels:
            later = list(self._levels)[list(self._levels).index(self._level) + 1 :]
            lines += [live_text.level_line(f"c={level}", "waiting") for level in later]
        return lines

    def _level_lines(self, level: int) -> list[Line]:
        """A level done: per benchmark, its requests, rate and errors over the level."""
        assert self._runner is not None
        out = []
        for status in self._runner.statuses():
            rate = status.requests / status.active_s if status.active_s else 0.0
            errors = live_text.error_parts(status.errors, status.statuses, status.info)
            text = f"{status.requests:,} {self._noun}, {live_text.rate_text(rate)}/s"
            text += f", errors {', '.join(errors)}" if errors else ", no errors"
            out.append(live_text.level_line(f"c={level} {status.name}", text))
        return out
