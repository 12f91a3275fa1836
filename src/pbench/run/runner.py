"""The measuring loop: warmups, rounds, hooks, stopping rules. All timing happens here.

Each run is timed around exactly one ``target.execute()`` with an injected monotonic
nanosecond clock; a target whose own apparatus reads the same clock more tightly (the
command launcher reads it right around fork and reap) reports that as
``Outcome.elapsed_ns`` and the runner uses it. Tests inject a fake clock and a fake
target to get exactly reproducible results.

Order of events (hyperfine's, with interleaving on top):
  open targets → shell calibration → one lifecycle → close targets,
  a lifecycle being: setup hooks → warmups (prepare, run, conclude) → rounds of runs
  (prepare, run, conclude) → cleanup hooks.
With ``order="sequential"`` each benchmark has a lifecycle of its own, one after the
other, exactly as in hyperfine (setup1 runs1 cleanup1 setup2 runs2 cleanup2). With
``order="interleaved"`` all benchmarks share one lifecycle: every setup, every warmup,
then rounds that run each unfinished benchmark once, in a fresh random permutation
(seeded), so slow drift of the machine hits all commands alike; the plan chooses
sequential order when setups or cleanups differ between benchmarks, since interleaved
rounds cannot honour them.
With ``plan.slice_s`` (SQL queries: microseconds each) a benchmark's visit in a round is
a SLICE of runs lasting that long; runs in one slice share a round number, and
precision targets (like comparisons) count slices: runs in one slice share the
moment's machine state and are not independent observations.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from statistics import median
from typing import Literal

from pbench.errors import BenchmarkFailed
from pbench.models import (
    BenchmarkResult,
    BenchmarkSpec,
    Hook,
    Measurement,
    Outcome,
    RunPlan,
    StopReason,
    Target,
)
from pbench.stats.summary import precision_reached, slice_values

Clock = Callable[[], int]
Phase = Literal["calibrate", "warmup", "run", "done"]
CALIBRATION_RUNS = 30
CALIBRATION_WARMUPS = 3
MIN_SLICES = 20  # with an exact run count and slices: at most 1/20 of the runs per slice


@dataclass(frozen=True, slots=True)
class Progress:
    """A progress report for the CLI's progress bar."""

    index: int
    name: str
    phase: Phase
    done: int
    expected: int | None
    mean_s: float | None
    eta_s: float | None


@dataclass(frozen=True, slots=True)
class Overhead:
    """What is subtracted from each run: the spawn time of the shell, measured first."""

    wall_ns: int
    user_ns: int
    system_ns: int
    # --measure instructions/cycles: the empty shell's count (median), by metric name
    counts: Mapping[str, float] = field(default_factory=dict)


class _State:
    """Mutable bookkeeping of one benchmark while it is measured."""

    def __init__(self, index: int, spec: BenchmarkSpec) -> None:
        self.index = index
        self.spec = spec
        self.result = BenchmarkResult(
            name=spec.name,
            command=spec.command,
            parameters=spec.parameters,
            info=spec.info,
            notes=list(spec.notes),
            measure=spec.measure,
        )
        self.measured_ns = 0  # the runs' wall time, the shell's spawn time included
        # ... and their --prepare and --conclude: what --min-time counts, as in hyperfine
        self.cycle_ns = 0
        self.overhead: Overhead | None = None
        self.done = False
        self.reached = False  # met the precision target; waits in the rounds for the others


class Runner:
    """Runs a :class:`RunPlan` and returns one :class:`BenchmarkResult` per benchmark.

    ``results`` holds what was measured so far even when :meth:`run` raises (a failed
    run, Ctrl-C), so that the caller can still export it.
    """

    def __init__(
        self,
        plan: RunPlan,
        *,
        clock: Clock = time.perf_counter_ns,
        on_progress: Callable[[Progress], None] | None = None,
        on_finished: Callable[[BenchmarkResult], None] | None = None,
    ) -> None:
        self.plan = plan
        self.clock = clock
        self.rng = random.Random(plan.seed)
        self.on_progress = on_progress
        self.on_finished = on_finished
        self._states = [_State(i, spec) for i, spec in enumerate(plan.benchmarks)]
        self.results: list[BenchmarkResult] = [s.result for s in self._states]
        self._started_ns = 0  # start of the current lifecycle's rounds (--max-time)
        self._rounds = itertools.count()
        self._set_up: list[_State] = []  # setup ran, cleanup not yet

    def run(self) -> list[BenchmarkResult]:
        opened: list[Target] = []
        try:
            for state in self._states:
                state.spec.target.open()
                opened.append(state.spec.target)
            for state in self._states:
                self._calibrate(state)
            if self.plan.order == "sequential":
                for state in self._states:
                    self._lifecycle([state])
            else:
                self._lifecycle(self._states)
        except KeyboardInterrupt:
            for state in self._states:
                if state.result.stop_reason is None:
                    state.result.stop_reason = self._interrupted_reason(state)
            raise
        finally:
            for state in self._set_up:  # after a failure or Ctrl-C: still clean up
                with contextlib.suppress(BenchmarkFailed, KeyboardInterrupt):
                    _call_hook(state.spec.hooks.cleanup, None)
            for target in opened:
                with contextlib.suppress(Exception):
                    target.close()
        return self.results

    def _lifecycle(self, states: list[_State]) -> None:
        """Setup, warmups, rounds of runs and cleanup of ``states``, measured together."""
        for state in states:
            try:
                _call_hook(state.spec.hooks.setup, None)
            except KeyboardInterrupt:
                self._set_up.append(state)  # cut short: what it started is cleaned up
                raise
            self._set_up.append(state)
        for state in states:
            self._warm_up(state)
        self._started_ns = self.clock()
        while active := [s for s in states if not s.done]:
            round_no = next(self._rounds)
            if len(active) > 1:  # (a shuffle of one draws nothing)
                self.rng.shuffle(active)
            for position, state in enumerate(active):
                self._visit(state, round_no, position)
        for state in states:
            self._set_up.remove(state)
            _call_hook(state.spec.hooks.cleanup, None)

    # -- phases ----------------------------------------------------------------------

    def _calibrate(self, state: _State) -> None:
        probe_factory = getattr(state.spec.target, "overhead_target", None)
        probe: Target | None = probe_factory() if probe_factory is not None else None
        if probe is None:
            return
        self._report(state, "calibrate", 0, CALIBRATION_RUNS)
        probe.open()
        try:
            for i in range(CALIBRATION_WARMUPS):
                self._timed(probe, i)
            samples = [self._timed(probe, i) for i in range(CALIBRATION_RUNS)]
        finally:
            probe.close()
        walls = [wall for _, wall in samples]
        measure = state.spec.measure
        counted = measure if measure in ("instructions", "cycles") else None
        state.overhead = Overhead(
            wall_ns=int(median(walls)),
            user_ns=int(median(o.user_ns or 0 for o, _ in samples)),
            system_ns=int(median(o.system_ns or 0 for o, _ in samples)),
            counts={}
            if counted is None
            else {counted: median(o.metrics.get(counted, 0.0) for o, _ in samples)},
        )
        if counted is None:
            state.result.notes.append(
                f"subtracted the shell's spawn time, {state.overhead.wall_ns / 1e6:.3f} ms "
                f"(median of {CALIBRATION_RUNS} runs of an empty command), from every run"
            )
        else:
            state.result.notes.append(
                f"subtracted the shell's own {counted}, {state.overhead.counts[counted]:,.0f} "
                f"(median of {CALIBRATION_RUNS} runs of an empty command), from every run"
            )
        state.result.sections["shell_overhead"] = {
            "wall": state.overhead.wall_ns / 1e9,
            "user": state.overhead.user_ns / 1e9,
            "system": state.overhead.system_ns / 1e9,
            "runs": CALIBRATION_RUNS,
            **state.overhead.counts,
        }

    def _warm_up(self, state: _State) -> None:
        hooks = state.spec.hooks
        for i in range(self.plan.warmup):
            self._report(state, "warmup", i, self.plan.warmup)
            _call_hook(hooks.prepare, i)
            outcome, _ = self._timed(state.spec.target, i)
            _call_hook(hooks.conclude, i)
            if not self.plan.ignore_failure.allows(outcome):
                state.result.stop_reason = "failed"
                raise _failure(state.spec.name, outcome, f"warmup run {i + 1}")
            state.result.warmups += 1

    def _visit(self, state: _State, round_no: int, position: int) -> None:
        """One slice of ``state``'s runs: one run, or with ``plan.slice_s`` runs for that
        long (at most 1/MIN_SLICES of an exact run count), all in one round."""
        slice_s = self.plan.slice_s
        if slice_s is None:
            self._measure(state, round_no, position)
            return
        end = self.clock() + slice_s * 1e9
        exact = self.plan.exact_runs
        cap = max(1, math.ceil(exact / MIN_SLICES)) if exact is not None else None
        count = 0
        while not state.done:
            self._measure(state, round_no, position)
            count += 1
            if self.clock() >= end or (cap is not None and count >= cap):
                return

    def _measure(self, state: _State, round_no: int, position: int) -> None:
        hooks = state.spec.hooks
        iteration = len(state.result.measurements)
        hooks_ns = self._timed_hook(hooks.prepare, iteration)
        outcome, wall_ns = self._timed(state.spec.target, iteration)
        hooks_ns += self._timed_hook(hooks.conclude, iteration)
        measurement = self._measurement(state, outcome, wall_ns, round_no, position, iteration)
        state.result.measurements.append(measurement)
        state.measured_ns += wall_ns
        state.cycle_ns += wall_ns + hooks_ns
        if not self.plan.ignore_failure.allows(outcome):
            state.result.stop_reason = "failed"
            state.done = True
            raise _failure(state.spec.name, outcome, f"run {iteration + 1}")
        reason = self._stop_reason(state)
        if reason == "precision" and self._rounds_wait_for_all():
            # Keep a precise benchmark in the rounds until every one is: if it ran on
            # alone, the others would be measured at other times, under other load,
            # and an A/A comparison would find differences that are only drift.
            state.reached = True
            if any(not s.done and not s.reached for s in self._states):
                self._report(state, "run", len(state.result.measurements), None)
                return
            for other in self._states:
                if not other.done:
                    self._finish(other, "precision")
            return
        if reason is not None:
            self._finish(state, reason)
        else:
            self._report(state, "run", len(state.result.measurements), self._expected(state))

    def _interrupted_reason(self, state: _State) -> StopReason:
        """The stop reason of a benchmark not marked done when an interrupt came: the
        one it had reached if its last run completed it (the interrupt fell between
        that run and its being marked done), else "interrupted"."""
        if not state.result.measurements:
            return "interrupted"
        reason = self._stop_reason(state)
        return reason if reason in ("runs", "max-runs", "time") else "interrupted"

    def _rounds_wait_for_all(self) -> bool:
        return self.plan.order == "interleaved" and len(self._states) > 1

    def _finish(self, state: _State, reason: StopReason) -> None:
        state.result.stop_reason = reason
        state.done = True
        self._report(state, "done", len(state.result.measurements), None)
        if self.on_finished is not None:
            self.on_finished(state.result)

    def _timed_hook(self, hook: Hook | None, iteration: int) -> int:
        """Run a --prepare or --conclude; how long it took (0 without one)."""
        if hook is None:
            return 0
        start = self.clock()
        hook(iteration)
        return self.clock() - start

    def _timed(self, target: Target, iteration: int) -> tuple[Outcome, int]:
        start = self.clock()
        outcome = target.execute(iteration)
        stop = self.clock()
        if outcome.interrupted:  # cut short by Ctrl-C or SIGTERM: not a measurement
            raise KeyboardInterrupt
        wall = outcome.elapsed_ns if outcome.elapsed_ns is not None else stop - start
        return outcome, wall

    def _measurement(
        self, state: _State, outcome: Outcome, wall_ns: int, round_no: int, position: int, it: int
    ) -> Measurement:
        user, system = outcome.user_ns, outcome.system_ns
        metrics = outcome.metrics
        ovh = state.overhead
        if ovh is not None:
            wall_ns = max(0, wall_ns - ovh.wall_ns)
            user = None if user is None else max(0, user - ovh.user_ns)
            system = None if system is None else max(0, system - ovh.system_ns)
            if ovh.counts:
                metrics = {
                    **metrics,
                    **{k: max(0.0, metrics[k] - v) for k, v in ovh.counts.items() if k in metrics},
                }
        loops = max(1, outcome.loops)
        return Measurement(
            wall_s=wall_ns / 1e9 / loops,
            user_s=None if user is None else user / 1e9 / loops,
            system_s=None if system is None else system / 1e9 / loops,
            peak_rss_bytes=outcome.peak_rss_bytes,
            exit_code=outcome.exit_code,
            signal=outcome.signal,
            timed_out=outcome.timed_out,
            error=outcome.error,
            round=round_no,
            position=position,
            iteration=it,
            loops=loops,
            metrics=metrics,
        )

    # -- stopping --------------------------------------------------------------------

    def _stop_reason(self, state: _State) -> StopReason | None:
        plan = self.plan
        n = len(state.result.measurements)
        if plan.max_runs is not None and n >= plan.max_runs:
            return "runs" if plan.exact_runs is not None else "max-runs"
        cap = plan.max_time_s
        if cap is not None and n and self.clock() - self._started_ns >= cap * 1e9:
            return "budget"
        if n < plan.min_runs:
            return None
        precision = plan.precision
        if precision is None:
            return "time" if state.cycle_ns >= plan.min_time_s * 1e9 else None
        observations = slice_values(
            state.result.times, [m.round for m in state.result.measurements]
        )
        if precision_reached(observations, precision.fraction, precision.of):
            return "precision"
        budget = precision.max_time_s
        if budget is not None and self.clock() - self._started_ns >= budget * 1e9:
            return "budget"
        return None

    def _expected(self, state: _State) -> int | None:
        n = len(state.result.measurements)
        plan = self.plan
        if plan.exact_runs is not None:
            return plan.exact_runs
        if plan.precision is not None or n == 0:
            return plan.max_runs
        cycle_ns = state.cycle_ns / n
        by_time = math.ceil(plan.min_time_s * 1e9 / cycle_ns) if cycle_ns > 0 else plan.min_runs
        expected = max(plan.min_runs, by_time)
        return min(expected, plan.max_runs) if plan.max_runs is not None else expected

    def _report(self, state: _State, phase: Phase, done: int, expected: int | None) -> None:
        if self.on_progress is None:
            return
        n = len(state.result.measurements)
        mean_s = state.measured_ns / n / 1e9 if n else None
        eta = None
        if n and expected is not None:
            eta = max(0, expected - done) * state.cycle_ns / n / 1e9
        self.on_progress(Progress(state.index, state.spec.name, phase, done, expected, mean_s, eta))


def _call_hook(hook: Hook | None, iteration: int | None) -> None:
    if hook is not None:
        hook(iteration)


def _failure(name: str, outcome: Outcome, where: str) -> BenchmarkFailed:
    """The message for a failed run; the target's own words when it gave some."""
    hint = "use -i/--ignore-failure to benchmark it anyway, and --show-output to see its output"
    if outcome.error is not None:
        return BenchmarkFailed(f"{name!r} failed in {where}: {outcome.error}", outcome.hint or hint)
    if outcome.timed_out:
        return BenchmarkFailed(f"{name!r} timed out in {where}", outcome.hint or hint)
    if outcome.signal is not None:
        import signal as _signal

        try:
            signame = _signal.Signals(outcome.signal).name
        except ValueError:
            signame = f"signal {outcome.signal}"
        return BenchmarkFailed(f"{name!r} was killed by {signame} in {where}", outcome.hint or hint)
    return BenchmarkFailed(
        f"{name!r} terminated with non-zero exit code {outcome.exit_code} in {where}",
        outcome.hint or hint,
    )
