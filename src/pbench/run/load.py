"""The load runner: benchmarks under load, measured in short interleaved slices.

A load run (``pbench http``, ``pbench sql -c/-d/--rate``, ``pbench run -j/-d/--rate``)
puts one POOL of clients (connections, threads, worker processes) on its benchmarks in
turn. Each turn is a SLICE: the whole pool on one benchmark for a short time
(``slice_s``, 100 ms by default) or a share of its requests. In interleaved order (the
default) every round gives each unfinished benchmark one slice, in a fresh random
order (seeded); in sequential order all slices of one benchmark come before the next
one's.

Why slices: anything that changes over a run (CPU frequency and idle states after a
busy phase, where the scheduler places client and server, a connection's server
process on a slower core) would land on whichever benchmark ran at that time.
Slices in random order spread it over all of them alike, over the same connections.
And the requests inside one slice share that moment's state: they are not
independent observations. A slice is: its median latency is one value in
``measurements`` (and ``times``), the statistical unit of comparisons and of
``--precision``; every request still goes into the benchmark's exact histogram, from
which the percentiles are reported.

Signals: while a load runs, SIGINT and SIGTERM are noted and passed on to the pool
(:meth:`LoadPool.interrupt_soon`), which ends the phase it is running early, marked
interrupted; raised where they land they could be swallowed (a KeyboardInterrupt
inside an event loop's callback is reported by the loop and dropped). Where the pool
runs nothing of its own (hooks, between slices) they raise KeyboardInterrupt as
usual; a signal noted while nothing raised it (the load's last moments) still ends
the run as interrupted once its results are made.

Stopping, per benchmark: ``runs`` requests, ``duration_s`` of its own slices (their
time, drains included, never more: in-flight requests at that limit are abandoned and
counted as ``unfinished``), or, with ``precision``, when the interval of the median
of its slices is narrow enough (in interleaved order a precise benchmark stays in
the rounds until all are), within ``max_time_s`` for the whole run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import random
import signal
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import FrameType
from typing import Any, Protocol, runtime_checkable

from pbench.load.recorder import LoadRun, merge_runs
from pbench.load.schedule import LoadPlan, schedule_span
from pbench.models import BenchmarkResult, Hooks, Measurement, Order, Precision, StopReason

DEFAULT_SLICE_S = 0.1
MIN_SLICES = 20  # with -r N: a slice holds at most N / MIN_SLICES requests
PRECISION_MIN_SLICES = 10
DEFAULT_PRECISION_BUDGET_S = 60.0
LATENCIES_PER_SLICE = 10  # a slice lasts at least this many median latencies
SLICE_SAMPLE_CAP = 2_000  # raw requests kept per slice (the histogram has them all)
# Each slice's own latency percentiles beside its median (wall_s), named as in its
# metrics: the spread of a percentile over slices is the interval of the run's figure
# of it (see run.budgets).
SLICE_PERCENTILES = (("p90_s", 0.9), ("p95_s", 0.95), ("p99_s", 0.99), ("p99_9_s", 0.999))

Clock = Callable[[], int]


class LoadPool(Protocol):
    """A pool of clients that can put load on any of a run's benchmarks.

    ``run_slice`` sends ``plan``'s requests to benchmark ``target`` and returns when
    every request it started has ended; ``hard_limit_s``, when given, bounds that
    (from the slice's start): requests still in flight then are abandoned and counted
    as ``LoadRun.unfinished``.
    """

    def open(self) -> None: ...

    def warm_up(self, target: int, requests: int) -> None: ...

    def run_slice(self, target: int, plan: LoadPlan, hard_limit_s: float | None) -> LoadRun: ...

    def interrupt_soon(self) -> bool:
        """A signal came (called from its handler, in the main thread): True when the
        pool is running a phase of its own that it now ends early, returned with
        ``interrupted=True`` (and every later one); False when it runs nothing of its
        own that a KeyboardInterrupt could not stop."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class TickingPool(Protocol):
    """A pool that can call ``tick(requests)`` every ``every_s`` from within a slice,
    in the thread that drives it, with the requests the slice has finished so far
    (None: not known there); ``tick`` None stops it."""

    def set_ticker(self, tick: Callable[[int | None], None] | None, every_s: float) -> None: ...


class LoadWatcher(Protocol):
    """Watches a load run as it happens (the live view): told when measuring begins
    (after set-up and warm-up), after each slice, and from within a slice when the
    pool can tick (:class:`TickingPool`). It reads the rest from
    :meth:`LoadRunner.statuses`; it must be cheap, as it runs between requests."""

    tick_s: float

    def begin(self, runner: LoadRunner) -> None: ...

    def sliced(self, index: int, run: LoadRun) -> None: ...

    def tick(self, requests: int | None) -> None: ...


@dataclass(frozen=True)
class LoadStatus:
    """One benchmark of a load run so far, for the live view: requests finished
    (failed ones included), errors by kind and status codes (all from the merged
    slices, as in the report), the time its slices took, whether it is done, and
    whether its slice is the one running now, and why it stopped."""

    name: str
    info: Mapping[str, Any]
    requests: int
    errors: Mapping[str, int]
    statuses: Mapping[int, int]
    active_s: float
    done: bool
    running: bool
    stop_reason: StopReason | None = None


@dataclass(frozen=True)
class LoadBenchmark:
    """One benchmark of a load run: what is shown and exported about it."""

    name: str
    command: str
    info: Mapping[str, Any] = field(default_factory=dict)
    parameters: Mapping[str, str] = field(default_factory=dict)
    hooks: Hooks = field(default_factory=Hooks)


@dataclass(frozen=True)
class SlicePlan:
    """How the benchmarks of a load run share the pool, and when each one stops."""

    load: LoadPlan  # per benchmark: runs (requests) or duration_s; the load model
    slice_s: float = DEFAULT_SLICE_S
    order: Order = "interleaved"
    precision: Precision | None = None
    seed: int = 0
    start_at: float | None = None  # --start-at: wall-clock seconds since the epoch

    def __post_init__(self) -> None:
        if self.slice_s <= 0:
            raise ValueError("a slice must last some time")


class _State:
    def __init__(self, index: int, benchmark: LoadBenchmark) -> None:
        self.index = index
        self.benchmark = benchmark
        self.total: LoadRun | None = None
        self.active_ns = 0
        self.schedule_ns = 0  # open loop: time its slices took to send their schedules
        self.requests = 0
        self.unfinished = 0
        self.slices: list[Measurement] = []
        self.empty_slices = 0
        self.median_ns: float | None = None
        self.done = False
        self.reached = False
        self.stop_reason: StopReason | None = None


class LoadRunner:
    """Runs a :class:`SlicePlan` over a pool; one :class:`BenchmarkResult` per benchmark.

    ``results`` holds what was measured so far even when :meth:`run` raises.
    A ``watcher`` (the live view) is told of each slice.
    """

    def __init__(
        self,
        pool: LoadPool,
        benchmarks: Sequence[LoadBenchmark],
        plan: SlicePlan,
        *,
        bottleneck_hint: str = "run with more --workers",
        clock: Clock = time.perf_counter_ns,
        watcher: LoadWatcher | None = None,
    ) -> None:
        self.pool = pool
        self.plan = plan
        self.hint = bottleneck_hint
        self.clock = clock
        self.watcher = watcher
        self.running: int | None = None  # the benchmark whose slice runs now, since
        self._since = 0
        self.rng = random.Random(plan.seed)
        self._states = [_State(i, b) for i, b in enumerate(benchmarks)]
        self.results: list[BenchmarkResult] = []
        # The measuring window in wall-clock time (start, end), for merging the results
        # of several machines; how late the start was after --start-at, if it was.
        self._window: tuple[float, float | None] | None = None
        self.late_s: float | None = None

    # -- the loop --------------------------------------------------------------------

    @property
    def count(self) -> int:
        """How many benchmarks share the pool."""
        return len(self._states)

    def statuses(self, now_ns: int | None = None) -> list[LoadStatus]:
        """Every benchmark so far, in the order given (for the live view); the running
        slice's time so far counts in its benchmark's ``active_s``."""
        out = []
        running_ns = 0
        if self.running is not None:
            running_ns = max((self.clock() if now_ns is None else now_ns) - self._since, 0)
        for state in self._states:
            total = state.total
            active_ns = state.active_ns + (running_ns if self.running == state.index else 0)
            out.append(
                LoadStatus(
                    name=state.benchmark.name,
                    info=state.benchmark.info,
                    requests=total.requests if total is not None else 0,
                    errors=total.errors if total is not None else {},
                    statuses=total.statuses if total is not None else {},
                    active_s=active_ns / 1e9,
                    done=state.done,
                    running=self.running == state.index,
                    stop_reason=state.stop_reason,
                )
            )
        return out

    def run(self) -> list[BenchmarkResult]:
        signals = _LoadSignals(self.pool)
        with signals:
            self._run()
        if signals.noted and not signals.raised:
            raise KeyboardInterrupt  # noted when nothing could raise it: still an interrupt
        return self.results

    def _run(self) -> None:
        pool, plan = self.pool, self.plan
        set_up: list[_State] = []
        pool.open()
        try:
            for state in self._states:
                try:
                    _call(state.benchmark.hooks.setup)
                except KeyboardInterrupt:
                    set_up.append(state)  # cut short: what it started is cleaned up
                    raise
                set_up.append(state)
            if plan.load.warmup:
                for state in self._states:
                    pool.warm_up(state.index, plan.load.warmup)
            self._wait_for_start()
            self._window = (time.time(), None)
            started = self.clock()
            watcher = self.watcher
            if watcher is not None:
                watcher.begin(self)
                if isinstance(pool, TickingPool):
                    pool.set_ticker(watcher.tick, watcher.tick_s)
            for round_no in range(1_000_000_000):
                active = [s for s in self._states if not s.done]
                if not active:
                    break
                if plan.order == "sequential":
                    active = active[:1]
                else:
                    self.rng.shuffle(active)
                for position, state in enumerate(active):
                    slice_plan = self._slice_plan(state)
                    self.running, self._since = state.index, self.clock()
                    run = pool.run_slice(state.index, slice_plan, self._limit(state))
                    self.running = None
                    self._record(state, run, round_no, position)
                    state.schedule_ns += schedule_span(
                        slice_plan, run.first_sent_ns, run.last_sent_ns
                    )
                    if run.interrupted:
                        self._stop_all("interrupted")
                        raise KeyboardInterrupt
                    if _unreachable(state.total):
                        self._stop_all(None)
                        state.stop_reason = "failed"
                        break
                    self._check_stop(state, started)
                    if watcher is not None:
                        watcher.sliced(state.index, run)
        except KeyboardInterrupt:
            self._stop_all("interrupted")
            self._end_window()
            self.results = [self._result(s) for s in self._states]
            raise
        finally:
            self.running = None
            if self.watcher is not None and isinstance(pool, TickingPool):
                pool.set_ticker(None, 0.0)
            for state in set_up:
                with contextlib.suppress(Exception, KeyboardInterrupt):
                    _call(state.benchmark.hooks.cleanup)
            pool.close()
        self._end_window()
        self.results = [self._result(s) for s in self._states]

    def _wait_for_start(self) -> None:
        """--start-at: sleep until the wall-clock start, or note how late this is."""
        start_at = self.plan.start_at
        if start_at is None:
            return
        delay = start_at - time.time()
        if delay > 0:
            time.sleep(delay)
        else:
            self.late_s = -delay

    def _end_window(self) -> None:
        if self._window is not None and self._window[1] is None:
            self._window = (self._window[0], time.time())

    def _slice_plan(self, state: _State) -> LoadPlan:
        load = self.plan.load
        length = self.plan.slice_s
        if state.median_ns is not None:
            length = max(length, LATENCIES_PER_SLICE * state.median_ns / 1e9)
        runs: int | None = None
        if load.duration_s is not None:
            length = min(length, max(load.duration_s - state.active_ns / 1e9, 1e-3))
        if load.runs is not None:
            share = max(1, math.ceil(load.runs / MIN_SLICES))
            runs = max(1, min(share, load.runs - state.requests))
        cap = min(load.sample_cap, SLICE_SAMPLE_CAP)
        return replace(load, runs=runs, duration_s=length, warmup=0, sample_cap=cap)

    def _limit(self, state: _State) -> float | None:
        """A slice may not run past the benchmark's remaining time (drains included)."""
        duration = self.plan.load.duration_s
        if duration is None:
            return None
        return max(duration - state.active_ns / 1e9, 1e-3)

    def _record(self, state: _State, run: LoadRun, round_no: int, position: int) -> None:
        state.total = run if state.total is None else _merge(state.total, run, self.plan.load)
        state.active_ns += max(run.finished_ns - run.started_ns, 0)
        state.requests += run.requests
        state.unfinished += run.unfinished
        if run.succeeded == 0 or run.latency.total == 0:
            state.empty_slices += 1
            return
        median_ns, *tail = run.latency.quantiles([0.5, *(q for _, q in SLICE_PERCENTILES)])
        state.median_ns = median_ns
        elapsed = max(run.finished_ns - run.started_ns, 1) / 1e9
        user_s, system_s, peak_rss = _slice_resources(run)
        state.slices.append(
            Measurement(
                wall_s=median_ns / 1e9,
                user_s=user_s,
                system_s=system_s,
                peak_rss_bytes=peak_rss,
                exit_code=0,
                signal=None,
                timed_out=False,
                error=None,
                round=round_no,
                position=position,
                iteration=len(state.slices),
                metrics={
                    "requests": float(run.requests),
                    "failed": float(run.failed),
                    "unfinished": float(run.unfinished),
                    "elapsed_s": elapsed,
                    "mean_s": run.latency.mean / 1e9,
                    **{name: v / 1e9 for (name, _), v in zip(SLICE_PERCENTILES, tail, strict=True)},
                    "requests_per_s": run.requests / elapsed,
                },
            )
        )

    def _check_stop(self, state: _State, started_ns: int) -> None:
        load, precision = self.plan.load, self.plan.precision
        if precision is not None:
            budget = precision.max_time_s or DEFAULT_PRECISION_BUDGET_S
            if self.clock() - started_ns >= budget * 1e9:
                for other in self._states:
                    if not other.done:
                        other.done, other.stop_reason = True, "budget"
                return
            if len(state.slices) >= PRECISION_MIN_SLICES and _precise(state, precision):
                state.reached = True
                if self.plan.order == "interleaved" and any(
                    not s.done and not s.reached for s in self._states
                ):
                    return
                for other in self._states:
                    if not other.done and (other.reached or self.plan.order == "interleaved"):
                        other.done, other.stop_reason = True, "precision"
            return
        if load.runs is not None and state.requests >= load.runs:
            state.done, state.stop_reason = True, "runs"
        elif load.duration_s is not None and state.active_ns >= self._enough_ns(load.duration_s):
            state.done, state.stop_reason = True, "time"

    def _enough_ns(self, duration_s: float) -> float:
        """A benchmark's time is up when what is left would be a stub of a slice."""
        return (duration_s - 0.05 * self.plan.slice_s) * 1e9

    def _stop_all(self, reason: StopReason | None) -> None:
        for state in self._states:
            if not state.done:
                state.done = True
                if reason is not None and state.stop_reason is None:
                    state.stop_reason = reason

    # -- results ---------------------------------------------------------------------

    def _result(self, state: _State) -> BenchmarkResult:
        from pbench.load.result import load_section, summary_from_slices

        benchmark = state.benchmark
        result = BenchmarkResult(
            name=benchmark.name,
            command=benchmark.command,
            parameters=dict(benchmark.parameters),
            info=dict(benchmark.info),
            measurements=list(state.slices),
            warmups=self.plan.load.warmup,
            stop_reason=state.stop_reason,
        )
        total = state.total
        if total is None:
            return result
        total = dataclasses.replace(
            total,
            active_ns=state.active_ns,
            unfinished=state.unfinished,
            schedule_ns=state.schedule_ns,
            # a signal between two slices interrupts the run as much as one inside a slice
            interrupted=total.interrupted or state.stop_reason == "interrupted",
        )
        nothing = not total.succeeded and (total.requests or total.unfinished)
        if nothing and result.stop_reason != "interrupted":
            result.stop_reason = "failed"
        section = load_section(total, self.plan.load, self.hint)
        section["slices"] = {
            "count": len(state.slices),
            "without_success": state.empty_slices,
            "length_s": self.plan.slice_s,
            "order": self.plan.order,
            "unit": "each slice's median latency is one observation (see measurements)",
        }
        if self._window is not None:
            section["window"] = _window_document(*self._window)
        if self.late_s is not None and self.plan.start_at is not None:
            section["warnings"].append(
                f"started measuring {self.late_s:.3f} s after --start-at"
                f" ({_iso(self.plan.start_at)}): this client was not ready in time, and"
                " clients that started on time loaded without it for that long"
            )
        result.sections["load"] = section
        if total.latency.total and total.succeeded and state.slices:
            result.summary_override = summary_from_slices(total.latency, state.slices)
        return result


class _LoadSignals:
    """SIGINT and SIGTERM while a load runs (in the main thread; elsewhere, where Python
    cannot set handlers, they are left as they are): noted, and passed on to the pool;
    raised as KeyboardInterrupt only when the pool has nothing of its own to stop."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, pool: LoadPool) -> None:
        self.pool = pool
        self.noted = False
        self.raised = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _LoadSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in self.SIGNALS:
                previous = signal.signal(signum, self._handle)
                if previous is not None:  # None: set outside Python, cannot be restored
                    self._previous[signum] = previous
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.noted = True
        if not self.pool.interrupt_soon():
            self.raised = True
            raise KeyboardInterrupt


UNREACHABLE = frozenset({"dns", "refused", "connect", "tls", "connection"})


def _unreachable(total: LoadRun | None) -> bool:
    """Nothing succeeded and every error says the target cannot be reached: going on
    would only repeat the error (other errors, such as statuses, are measured)."""
    if total is None or not total.requests or total.succeeded:
        return False
    return set(total.errors) <= UNREACHABLE


def _slice_resources(run: LoadRun) -> tuple[float | None, float | None, int | None]:
    """A slice's mean user and system CPU time per run, and its median peak memory,
    when its runs recorded them (commands)."""
    from pbench.load.resources import PEAK_MEMORY, SYSTEM, USER

    extras = run.extras
    if USER not in extras or not extras[USER].total:
        return None, None, None
    peak = int(extras[PEAK_MEMORY].quantiles([0.5])[0])
    return extras[USER].mean / 1e9, extras[SYSTEM].mean / 1e9, peak


def _precise(state: _State, precision: Precision) -> bool:
    from pbench.stats.summary import precision_reached

    return precision_reached([m.wall_s for m in state.slices], precision.fraction, precision.of)


def _merge(total: LoadRun, run: LoadRun, plan: LoadPlan) -> LoadRun:
    merged = merge_runs([total, run], plan.sample_cap, plan.seed + total.requests)
    # merge_runs adds the workers of the runs it merges: slices share one pool (and
    # its connections, the newest slice's count).
    return dataclasses.replace(merged, workers=total.workers, connections=run.connections)


def _call(hook: Any) -> None:
    if hook is not None:
        hook(None)


def _iso(moment: float) -> str:
    from datetime import UTC, datetime

    return (
        datetime.fromtimestamp(moment, UTC)
        .isoformat(timespec="microseconds")
        .replace("+00:00", "Z")
    )


def _window_document(start: float, end: float | None) -> dict[str, str | None]:
    """The measuring window as ISO 8601 UTC times (``end`` None while measuring)."""
    return {"start": _iso(start), "end": None if end is None else _iso(end)}
