"""A recorder's extra columns (a command load run's CPU time and peak memory): kept per
request in the sample, folded into exact histograms over every request, merged."""

from __future__ import annotations

from pbench.load.recorder import Recorder, merge_runs
from pbench.load.resources import CPU, PEAK_MEMORY, RESOURCE_COLUMNS, SYSTEM, USER, resource_figures
from pbench.load.result import request_sample


def test_extra_columns_in_sample_histograms_and_merge() -> None:
    first = Recorder(open_loop=False, sample_cap=100, extra=RESOURCE_COLUMNS)
    first.record(0, 0, 10_000_000, None, (3_000_000, 1_000_000, 4_000_000, 5 << 20))
    first.record(5_000_000, 5_000_000, 25_000_000, "exit 2", (1_000_000, 0, 1_000_000, 3 << 20))
    one = first.finish(0, 25_000_000, 0.0)
    assert one.requests == 2 and one.errors == {"exit 2": 1}
    assert one.latency.total == 1  # latencies: successes only
    assert one.extras[CPU].total == 2 and one.extras[CPU].sum == 5_000_000  # every run
    sample = request_sample(one)
    assert sample["columns"][5:] == ["end_s", "user_s", "system_s", "cpu_s", "peak_memory_bytes"]
    assert sample["rows"][1] == [0.005, 0.02, 0.02, None, "exit 2", 0.025, 0.001, 0.0, 0.001,
                                 3 << 20]  # fmt: skip

    second = Recorder(open_loop=False, sample_cap=100, extra=RESOURCE_COLUMNS)
    second.record(30_000_000, 30_000_000, 32_000_000, None, (2_000_000, 0, 2_000_000, 9 << 20))
    merged = merge_runs([one, second.finish(30_000_000, 32_000_000, 0.0)], 100)
    assert merged.extra_columns == RESOURCE_COLUMNS and merged.sample.shape == (3, 10)
    assert merged.extras[USER].sum == 6_000_000 and merged.extras[SYSTEM].sum == 1_000_000
    assert merged.extras[PEAK_MEMORY].max == 9 << 20

    figures = resource_figures(merged.extras, elapsed_s=0.01, cores=2)
    assert figures is not None and figures["runs"] == 3
    assert figures["cpu"]["total"] == 0.007 and figures["cpu"]["max"] == 0.004
    assert figures["peak_memory"]["max"] == 9 << 20 and "total" not in figures["peak_memory"]
    assert figures["cpu_utilisation"] == 0.007 / 0.01 / 2


def test_plain_recorder_keeps_six_columns() -> None:
    recorder = Recorder(open_loop=False, sample_cap=10)
    recorder.ok(0, 0, 1_000, 200, 10)
    run = recorder.finish(0, 1_000, 0.0)
    assert run.extras == {} and run.sample.shape == (1, 6)
    assert request_sample(run)["columns"] == [
        "start_s",
        "latency_s",
        "service_s",
        "status",
        "error",
    ]
