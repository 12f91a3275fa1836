#!/usr/bin/env python3
"""What one frame of the live view costs, in this process: the load runner's
``sliced`` call (window update, merge of the last second's histograms, the text, one
write to a null output) with a fresh slice of 10,000 requests before each frame, for
1 and for 8 interleaved benchmarks, and the share of a core that is at 4 frames a
second; and what a frame drawn from within a long slice costs (a pool's tick: no new
slice, nothing merged). Figures are medians over ``--frames`` frames (200).

    python3 scripts/bench_live_frame.py [--frames 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from pbench.load.recorder import LoadRun, Recorder
from pbench.load.schedule import LoadPlan
from pbench.run.load import LoadBenchmark, LoadRunner, SlicePlan
from pbench.session.live import MIN_FRAME_NS, LiveView

SLICE_NS = 100_000_000
REQUESTS = 10_000  # per slice: 100,000 requests/s


class NullOutput:
    def echo(
        self, text: str, *, err: bool = False, nl: bool = True, color: bool | None = None
    ) -> None:
        pass


class Clock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


def slice_run(start: int) -> LoadRun:
    recorder = Recorder(open_loop=False, sample_cap=2000)
    for i in range(REQUESTS):
        sent = start + i * (SLICE_NS // REQUESTS)
        recorder.ok(sent, sent, sent + 50_000 + i * 7919 % 100_000, 200, 43)
    return recorder.finish(start, start + SLICE_NS, 0.0, connections=10)


class IdlePool:
    def open(self) -> None: ...

    def close(self) -> None: ...

    def warm_up(self, target: int, requests: int) -> None: ...

    def run_slice(self, target: int, plan: LoadPlan, hard_limit_s: float | None) -> LoadRun:
        raise AssertionError("not run: the frames are fed by hand")


def frame_cost(benchmarks: int, frames: int) -> float:
    """Median seconds of one ``sliced`` call that draws a frame."""
    clock = Clock()
    plan = SlicePlan(LoadPlan(duration_s=60.0, concurrency=10), slice_s=0.1)
    names = [LoadBenchmark(f"GET http://127.0.0.1:8000/api/{i}", "GET") for i in range(benchmarks)]
    runner = LoadRunner(IdlePool(), names, plan, clock=clock)
    view = LiveView(NullOutput(), True, clock=clock, size=lambda: (200, 50))
    view.attach(runner, "requests", "connections", f"Loading {benchmarks} benchmarks")
    view.begin(runner)
    runs = [slice_run(i * SLICE_NS) for i in range(12)]
    costs = []
    for frame in range(frames + 12):
        # a new slice for every other benchmark (no frame: the clock has not moved
        # since the last one), then one for the first, timed, which draws
        for index in range(1, benchmarks):
            view.sliced(index, runs[frame % 12])
        clock.now += MIN_FRAME_NS
        started = time.perf_counter_ns()
        view.sliced(0, runs[frame % 12])
        if frame >= 12:
            costs.append((time.perf_counter_ns() - started) / 1e9)
    assert view.frames == frames + 13  # the first (begin) and one per timed call
    return statistics.median(costs)


def tick_cost(benchmarks: int, frames: int) -> float:
    """Median seconds of a frame drawn from within a slice (a pool's tick): no new
    slice, so no window is merged again; this one runs while requests are in flight."""
    clock = Clock()
    plan = SlicePlan(LoadPlan(duration_s=60.0, concurrency=10), slice_s=0.1)
    names = [LoadBenchmark(f"GET http://127.0.0.1:8000/api/{i}", "GET") for i in range(benchmarks)]
    runner = LoadRunner(IdlePool(), names, plan, clock=clock)
    view = LiveView(NullOutput(), True, clock=clock, size=lambda: (200, 50))
    view.attach(runner, "requests", "connections", f"Loading {benchmarks} benchmarks")
    view.begin(runner)
    for index in range(benchmarks):
        view.sliced(index, slice_run(0))
    costs = []
    for _ in range(frames):
        clock.now += MIN_FRAME_NS
        started = time.perf_counter_ns()
        view.tick(1234)
        costs.append((time.perf_counter_ns() - started) / 1e9)
    return statistics.median(costs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    args = parser.parse_args()
    for benchmarks in (1, 8):
        cost = frame_cost(benchmarks, args.frames)
        print(
            f"live view, {benchmarks} benchmark{'s' if benchmarks > 1 else ''}: {cost * 1e6:.0f} µs"
            f" per frame, {4 * cost:.2%} of a core at 4 frames/s; from within a slice"
            f" {tick_cost(benchmarks, args.frames) * 1e6:.0f} µs"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
