"""The load section's open-loop figures: the rate asked and achieved, and why it fell short."""

from __future__ import annotations

from pbench.load.recorder import LoadRun, Recorder
from pbench.load.result import load_section
from pbench.load.schedule import LoadPlan


def _open_run(
    requests: int, seconds: float, service_ns: int, wait_ns: int, cpu_s: float
) -> LoadRun:
    recorder = Recorder(open_loop=True, sample_cap=100)
    for i in range(requests):
        scheduled = i * 1000
        recorder.ok(scheduled, scheduled + wait_ns, scheduled + wait_ns + service_ns, 200, 10)
    return recorder.finish(0, int(seconds * 1e9), cpu_s)


def test_a_kept_schedule_is_reached_without_a_warning() -> None:
    plan = LoadPlan(concurrency=10, duration_s=1.0, rate=1000.0)
    section = load_section(_open_run(995, 1.0, 50_000, 1_000, 0.1), plan, "hint")
    assert section["rate"] == {
        "target": 1000.0,
        "achieved": 995.0,
        "achieved_share": 0.995,
        "reached": True,
    }
    assert section["warnings"] == []


def test_too_few_connections_for_the_service_time_are_named() -> None:
    plan = LoadPlan(concurrency=1, duration_s=1.0, rate=1_000_000.0)
    section = load_section(_open_run(20_000, 1.0, 50_000, 30_000_000, 0.2), plan, "hint")
    assert section["rate"]["reached"] is False
    (warning,) = section["warnings"]
    assert warning.startswith("the schedule was not kept: 1000000 req/s asked, 20,000.0 achieved")
    assert "1 connection with one request in flight each" in warning and "raise -c" in warning


def test_a_busy_client_is_named_before_the_target() -> None:
    plan = LoadPlan(concurrency=1000, duration_s=1.0, rate=1_000_000.0)
    section = load_section(_open_run(20_000, 1.0, 50_000, 30_000_000, 0.99), plan, "hint")
    behind = [w for w in section["warnings"] if w.startswith("the schedule was not kept")]
    assert len(behind) == 1 and "the client could not send faster" in behind[0]


def test_closed_loop_has_no_rate() -> None:
    plan = LoadPlan(concurrency=1, duration_s=1.0)
    recorder = Recorder(open_loop=False)
    recorder.ok(0, 0, 1000, 200, 10)
    assert "rate" not in load_section(recorder.finish(0, 10**9, 0.0), plan, "hint")


def test_the_schedule_span_ignores_a_constant_send_delay_but_not_falling_behind() -> None:
    from pbench.load.schedule import schedule_span

    plan = LoadPlan(concurrency=10, duration_s=0.1, rate=1000.0)  # 100 requests, 1 ms apart
    ms = 1_000_000
    assert schedule_span(plan, 5 * ms, 104 * ms) == 100 * ms  # each sent 5 ms late
    assert schedule_span(plan, 0, 149 * ms) == 150 * ms  # fell 50 ms behind
    assert schedule_span(plan, 0, 0) == 100 * ms  # nothing sent
    assert schedule_span(LoadPlan(concurrency=1, duration_s=1.0), 0, 10) == 0  # closed loop


def test_the_recorder_and_merges_keep_the_first_and_last_send() -> None:
    from pbench.load.recorder import merge_runs

    runs = []
    for first in (300, 100):
        recorder = Recorder(open_loop=True)
        recorder.ok(first, first + 5, first + 50, 200, 1)
        recorder.fail(first + 10, first + 20, first + 60, "reset")
        runs.append(recorder.finish(0, 1000, 0.0))
    assert (runs[0].first_sent_ns, runs[0].last_sent_ns) == (305, 320)
    merged = merge_runs(runs)
    assert (merged.first_sent_ns, merged.last_sent_ns) == (105, 320)
