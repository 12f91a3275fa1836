"""The live view's rolling window: the last second of a benchmark from its slices' own
recorders (known slices, no clock)."""

from __future__ import annotations

import pytest

from pbench.load.histogram import LatencyHistogram
from pbench.load.recorder import LoadRun, Recorder, merge_runs
from pbench.load.window import RollingWindow

MS = 1_000_000


def slice_run(
    start_ms: int,
    length_ms: int,
    latency_ms: int,
    count: int,
    failed: int = 0,
    open_loop: bool = False,
    wait_ms: int = 0,
) -> LoadRun:
    """A slice from ``start_ms`` of ``length_ms``: ``count`` requests of
    ``latency_ms`` each (the last ``failed`` of them timeouts), sent ``wait_ms`` late."""
    recorder = Recorder(open_loop=open_loop, sample_cap=50)
    start = start_ms * MS
    for i in range(count):
        scheduled = start + i * MS
        sent = scheduled + wait_ms * MS
        done = sent + latency_ms * MS
        if i >= count - failed:
            recorder.fail(scheduled, sent, done, "timeout")
        else:
            recorder.ok(scheduled, sent, done, 200, 10)
    return recorder.finish(start, start + length_ms * MS, 0.0, connections=count % 7)


def test_the_window_holds_the_slices_of_the_last_second_and_always_the_newest() -> None:
    window = RollingWindow()
    assert window.figures(0) is None
    for start in range(0, 2000, 100):  # 20 slices of 100 ms back to back
        window.add(slice_run(start, 100, 1, 50))
    assert len(window) == 11  # those that ended at 1.0 s .. 2.0 s (end >= now - 1 s)
    figures = window.figures(2000 * MS)
    assert figures is not None
    assert figures.requests == 11 * 50
    figures = window.figures(10_000 * MS)  # long after: the newest slice is kept
    assert figures is not None and figures.requests == 50 and len(window) == 1


def test_rate_is_over_the_time_the_slices_ran_not_the_wall_time() -> None:
    window = RollingWindow()
    # interleaved with another benchmark: slices of 100 ms every 200 ms
    for start in (0, 200, 400, 600, 800):
        window.add(slice_run(start, 100, 2, 40))
    figures = window.figures(900 * MS)
    assert figures is not None
    assert figures.elapsed_s == pytest.approx(0.5)
    assert figures.rate == pytest.approx(200 / 0.5)


def test_percentiles_are_those_of_the_merged_histograms() -> None:
    runs = [slice_run(0, 100, 1, 30), slice_run(100, 100, 5, 10), slice_run(200, 100, 9, 2)]
    window = RollingWindow()
    for run in runs:
        window.add(run)
    figures = window.figures(300 * MS)
    merged = LatencyHistogram()
    for run in runs:
        merged += run.latency
    p50, p99 = merged.quantiles([0.5, 0.99])
    assert figures is not None
    assert figures.p50_s == pytest.approx(p50 / 1e9)
    assert figures.p99_s == pytest.approx(p99 / 1e9)
    # the same figures as the report's merge of the same slices
    total = merge_runs(runs)
    assert total.latency.quantiles([0.5, 0.99]) == [p50, p99]
    assert figures.p50_s == pytest.approx(0.001, rel=0.01)
    assert figures.p99_s == pytest.approx(0.009, rel=0.01)


def test_errors_in_flight_lag_and_connections() -> None:
    window = RollingWindow()
    window.add(slice_run(0, 100, 20, 10, failed=4, open_loop=True, wait_ms=3))
    figures = window.figures(100 * MS)
    assert figures is not None
    assert figures.requests == 10 and figures.failed == 4
    # ten requests of 20 ms in flight over 100 ms: two at a time on average
    assert figures.in_flight == pytest.approx(2.0)
    assert figures.lag_p99_s == pytest.approx(0.003, rel=0.01)
    assert figures.connections == 10 % 7


def test_nothing_succeeded_has_no_percentiles() -> None:
    window = RollingWindow()
    window.add(slice_run(0, 100, 1, 5, failed=5))
    figures = window.figures(100 * MS)
    assert figures is not None
    assert figures.p50_s is None and figures.p99_s is None and figures.lag_p99_s is None
    assert figures.failed == 5


def test_recorders_sum_the_time_requests_were_in_flight_and_merges_add_it() -> None:
    a, b = slice_run(0, 100, 3, 10), slice_run(0, 100, 1, 10, failed=10)
    assert a.busy_ns == 10 * 3 * MS and b.busy_ns == 10 * MS  # failed ones count too
    assert merge_runs([a, b]).busy_ns == 40 * MS
    recorder = Recorder(open_loop=False)
    recorder.ok(0, 0, 5, 200, 1)
    assert recorder.count == 1  # buffered, not yet folded
    recorder.fold()
    recorder.ok(0, 0, 5, 200, 1)
    assert recorder.count == 2
