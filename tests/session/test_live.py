"""The live view of load runs, with a fake pool and a fake clock: when it draws, what
it says, and that it leaves nothing behind (no I/O, no timing)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from types import SimpleNamespace

import pytest

from pbench.errors import ExitCode
from pbench.load.recorder import LoadRun, Recorder
from pbench.load.schedule import LoadPlan
from pbench.run.load import LoadBenchmark, LoadRunner, LoadStatus, SlicePlan
from pbench.session import live_text
from pbench.session.live import MIN_FRAME_NS, LiveView
from pbench.session.load import measure_load
from pbench.session.output import Display
from support.pty_screen import Screen

MS = 1_000_000
SGR = re.compile(r"\x1b\[[0-9;]*m")


class FakePool:
    """Every slice takes its planned time; target ``i`` answers in ``latencies[i]``
    ns and fails with ``errors[i]`` every ``fail_every`` requests. With ``ticks``, it
    ticks its ticker that many times within each slice, as a real pool's timer would."""

    def __init__(
        self,
        latencies_ns: Sequence[int],
        errors: Sequence[str | None] = (),
        fail_every: int = 4,
        ticks: int = 0,
        interrupt_at: int | None = None,
    ) -> None:
        self.latencies = list(latencies_ns)
        self.errors = list(errors) or [None] * len(latencies_ns)
        self.fail_every = fail_every
        self.ticks = ticks
        self.interrupt_at = interrupt_at
        self.clock = 0
        self.slices = 0
        self.ticker: Callable[[int | None], None] | None = None

    def open(self) -> None: ...

    def warm_up(self, target: int, requests: int) -> None: ...

    def close(self) -> None: ...

    def set_ticker(self, tick: Callable[[int | None], None] | None, every_s: float) -> None:
        self.ticker = tick

    def run_slice(self, target: int, plan: LoadPlan, hard_limit_s: float | None) -> LoadRun:
        self.slices += 1
        latency = self.latencies[target]
        assert plan.duration_s is not None
        count = max(1, round(plan.duration_s * 1e9 / latency))
        recorder = Recorder(open_loop=False, sample_cap=100)
        start = self.clock
        for i in range(count):
            sent = start + i * latency
            error = self.errors[target]
            if error is not None and i % self.fail_every == 0:
                recorder.fail(sent, sent, sent + latency, error, 503 if error == "status" else 0)
            else:
                recorder.ok(sent, sent, sent + latency, 200, 10)
            if self.ticker is not None and self.ticks and (i + 1) % (count // self.ticks) == 0:
                self.clock = sent + latency
                self.ticker(i + 1)
        self.clock = start + count * latency
        interrupted = self.interrupt_at is not None and self.slices >= self.interrupt_at
        return recorder.finish(start, self.clock, 0.0, interrupted, connections=4)


class Recording:
    """An Output that keeps what was written, with the fake clock's time of each."""

    def __init__(self, clock: Callable[[], int]) -> None:
        self.clock = clock
        self.writes: list[tuple[int, str, bool, bool | None]] = []

    def echo(
        self, text: str, *, err: bool = False, nl: bool = True, color: bool | None = None
    ) -> None:
        self.writes.append((self.clock(), text + ("\n" if nl else ""), err, color))

    @property
    def text(self) -> str:
        return "".join(text for _, text, _, _ in self.writes)


def frames(output: Recording) -> list[tuple[int, str]]:
    """Each frame drawn: its time and its text as it would stand on the screen."""
    out = []
    for at, text, _, _ in output.writes:
        screen = Screen().feed(text)
        if screen.text:
            out.append((at, screen.text))
    return out


def watched(
    pool: FakePool,
    plan: SlicePlan,
    names: Sequence[str] = ("a", "b"),
    color: bool = False,
    columns: int = 200,
    rows: int = 50,
    info: dict[str, object] | None = None,
) -> tuple[LoadRunner, LiveView, Recording]:
    clock = lambda: pool.clock  # noqa: E731
    output = Recording(clock)
    benchmarks = [LoadBenchmark(name, f"GET /{name}", info or {}) for name in names]
    runner = LoadRunner(pool, benchmarks, plan, clock=clock)
    view = LiveView(output, color, clock=clock, size=lambda: (columns, rows))
    view.attach(runner, "requests", "connections", "Loading 2 benchmarks")
    return runner, view, output


def counts(line: str) -> int:
    return int(re.search(r"([\d,]+) requests", line).group(1).replace(",", ""))  # type: ignore[union-attr]


def test_frames_come_at_most_every_quarter_second_and_the_last_has_the_final_counts() -> None:
    pool = FakePool([1 * MS, 2 * MS], errors=[None, "timeout"])
    plan = SlicePlan(LoadPlan(duration_s=1.0), slice_s=0.1, seed=1)
    runner, view, output = watched(pool, plan)
    a, b = runner.run()
    view.end()
    drawn = frames(output)
    assert len(drawn) >= 6  # 2 s of fake time
    times = [at for at, _ in drawn]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times[:-1])]
    assert min(gaps) >= MIN_FRAME_NS  # every frame but the closing one
    assert len(drawn) <= 2.0 / 0.25 + 2
    assert view.frames == len(drawn)
    last = drawn[-1][1].splitlines()
    assert counts(last[1]) == a.sections["load"]["requests"] == 1000
    assert counts(last[2]) == b.sections["load"]["requests"] == 500
    failed = b.sections["load"]["errors"]["timeout"]
    assert f"timeout ×{failed:,}" in last[2] and "errors" not in last[1]
    assert "done" in last[1] and "done" in last[2]
    # the counts only grow from frame to frame
    shown = [counts(text.splitlines()[1]) for _, text in drawn]
    assert shown == sorted(shown)
    # every write goes to stderr, keeps its control sequences, and leaves no line
    assert all(err and color is True for _, _, err, color in output.writes)
    assert Screen().feed(output.text).text == ""


def test_a_frame_shows_rate_percentiles_and_connections_of_the_last_second() -> None:
    pool = FakePool([2 * MS])
    plan = SlicePlan(LoadPlan(duration_s=2.0, concurrency=4), slice_s=0.1)
    runner, _, output = watched(pool, plan, names=["only"])
    runner.run()
    middle = frames(output)[3][1].splitlines()
    assert middle[0].startswith("[") and "ETA" in middle[0] and "Loading 2 benchmarks" in middle[0]
    line = middle[1]
    assert "500/s" in line  # one request per 2 ms, over the time its slices ran
    assert "p50 2.00 ms" in line and "p99 2.00 ms" in line
    assert "4 conns, 1.0 in flight" in line


def test_progress_bar_elapsed_total_and_eta() -> None:
    def status(active_s: float, done: bool = False) -> LoadStatus:
        return LoadStatus("x", {}, 10, {}, {}, active_s, done, False, "time" if done else None)

    progress = live_text.run_progress([status(2.0), status(10.0, True)], 13.0, 10.0, None, None)
    assert progress.fraction == pytest.approx(0.6)
    assert progress.total_s == 20.0
    assert progress.eta_s == pytest.approx(8.0)  # the load time left, whatever the start cost
    head = "".join(text for text, _ in live_text.header(progress, "what", None))
    assert head == "[############        ] 00:13 / 00:21  ETA 00:08  what"
    by_runs = live_text.run_progress([status(1.0)], 1.0, None, 40, None)
    assert by_runs.fraction == pytest.approx(0.25) and by_runs.total_s is None
    assert by_runs.eta_s == pytest.approx(3.0)  # the time so far, scaled
    budget = live_text.run_progress([status(1.0)], 30.0, None, None, 60.0)
    assert budget.fraction == pytest.approx(0.5)


def test_ticks_within_a_long_slice_redraw_with_its_requests_so_far() -> None:
    pool = FakePool([10 * MS], ticks=10)
    plan = SlicePlan(LoadPlan(duration_s=3.0), slice_s=3.0)  # one slice of 3 s
    runner, view, output = watched(pool, plan, names=["long"])
    runner.run()
    view.end()
    drawn = frames(output)
    assert pool.slices == 1
    inside = [counts(text.splitlines()[1]) for _, text in drawn[1:-1]]
    assert len(inside) >= 5 and inside == sorted(inside) and inside[0] < 300
    assert counts(drawn[-1][1].splitlines()[1]) == 300


def test_colours_only_when_asked_and_lines_cut_to_the_terminal_width() -> None:
    for color in (False, True):
        pool = FakePool([1 * MS], errors=["timeout"])
        plan = SlicePlan(LoadPlan(duration_s=0.5), slice_s=0.1)
        runner, view, output = watched(pool, plan, names=["x" * 300], color=color, columns=60)
        runner.run()
        view.end()
        assert bool(SGR.search(output.text)) is color
        for _, text in frames(output):
            assert all(len(line) <= 59 for line in text.splitlines())
            # the name is cut in its middle to a quarter of the width, the figures stay
            assert text.splitlines()[1].startswith("  xxxxxxx…xxxxxxxx  ")
            assert "requests" in text.splitlines()[1]
        assert Screen().feed(output.text).text == ""


def test_names_are_padded_so_that_the_figures_line_up() -> None:
    pool = FakePool([1 * MS, 1 * MS])
    plan = SlicePlan(LoadPlan(duration_s=0.3), slice_s=0.1)
    runner, view, output = watched(pool, plan, names=["short", "a longer name"])
    runner.run()
    view.end()
    for _, text in frames(output):
        first, second = text.splitlines()[1:3]
        assert first[:17] == "  short" + " " * 10 and second[:17] == "  a longer name  "
        assert first[17].isdigit() and second[17].isdigit()


def test_a_block_taller_than_the_terminal_is_cut() -> None:
    pool = FakePool([1 * MS] * 12)
    plan = SlicePlan(LoadPlan(duration_s=0.2), slice_s=0.1)
    runner, view, output = watched(pool, plan, names=[f"b{i}" for i in range(12)], rows=8)
    runner.run()
    view.end()
    for _, text in frames(output):
        lines = text.splitlines()
        assert len(lines) == 7 and lines[-1].strip() == "... 7 more"
    assert Screen().feed(output.text).text == ""


def test_an_interrupted_run_says_so_in_its_closing_frame() -> None:
    pool = FakePool([1 * MS, 1 * MS], interrupt_at=5)
    plan = SlicePlan(LoadPlan(duration_s=1.0), slice_s=0.1)
    runner, view, output = watched(pool, plan)
    with pytest.raises(KeyboardInterrupt):
        runner.run()
    view.end()
    last = frames(output)[-1][1].splitlines()
    assert "interrupted" in last[1] and "interrupted" in last[2]
    assert sum(counts(line) for line in last[1:]) == sum(
        r.sections["load"]["requests"] for r in runner.results
    )
    assert Screen().feed(output.text).text == ""


def test_a_sweep_keeps_a_line_per_level_done_and_lists_those_to_come() -> None:
    clock = [0]
    output = Recording(lambda: clock[0])
    view = LiveView(output, False, clock=lambda: clock[0], size=lambda: (200, 50))
    view.sweep([1, 2, 4])
    seen: list[str] = []
    for level in (1, 2, 4):
        pool = FakePool([1 * MS])
        pool.clock = clock[0]
        plan = SlicePlan(LoadPlan(duration_s=0.5, concurrency=level), slice_s=0.1)
        runner = LoadRunner(
            pool, [LoadBenchmark("x", "GET /x")], plan, clock=lambda p=pool: p.clock
        )
        view.clock = lambda p=pool: p.clock  # type: ignore[method-assign]
        output.clock = view.clock
        view.level(level)
        view.attach(runner, "requests", "connections", "Loading 1 benchmark")
        runner.run()
        seen.append(frames(output)[-1][1])
        view.end()
        clock[0] = pool.clock
    first, second, third = (text.splitlines() for text in seen)
    assert first[0].startswith("Concurrency 1 (1 of 3)")
    assert [line.split()[0] for line in first[1:]] == ["c=1", "c=2", "c=4"]
    assert "waiting" in first[2] and "waiting" in first[3]
    assert second[0].startswith("Concurrency 2 (2 of 3)")
    assert "c=1 x" in second[1] and "500 requests, 1,000/s, no errors" in second[1]
    assert "waiting" in second[3]
    assert third[1].startswith("  c=1 x") and third[2].startswith("  c=2 x")
    assert Screen().feed(output.text).text == ""


def test_failed_statuses_are_shown_by_class() -> None:
    statuses = {200: 10, 503: 4, 404: 1}
    assert live_text.error_parts({"status": 5}, statuses, {"expect_status": "2xx"}) == [
        "4xx ×1",
        "5xx ×4",
    ]
    # 404 expected: only the 503s failed
    assert live_text.error_parts({"status": 4, "timeout": 9}, statuses, {
        "expect_status": [200, 404]}) == ["timeout ×9", "5xx ×4"]  # fmt: skip
    # counts that cannot be told apart by class stay one figure
    assert live_text.error_parts({"status": 2}, statuses, {}) == ["status ×2"]
    assert live_text.error_parts({"exit 1": 3}, {}, {}) == ["exit 1 ×3"]


def test_the_session_draws_only_with_a_live_display_and_clears_whatever_the_end() -> None:
    for live in (False, True):
        pool = FakePool([1 * MS], errors=["refused"], fail_every=1)  # nothing succeeds
        output = Recording(lambda p=pool: p.clock)
        session = SimpleNamespace(
            display=Display(color=False, progress=True, quiet=False, live=live),
            output=output,
            live=None,
        )
        plan = SlicePlan(LoadPlan(duration_s=0.3), slice_s=0.1)
        benchmarks = [LoadBenchmark("x", "GET /x")]
        runner = LoadRunner(pool, benchmarks, plan, clock=lambda p=pool: p.clock)
        results, status, failure = measure_load(runner, session, "requests")  # type: ignore[arg-type]
        assert status == ExitCode.BENCHMARK_FAILED and failure is not None
        # unreachable: the run stops after its first slice, of 100 refused requests
        assert results[0].sections["load"]["errors"] == {"refused": 100}
        if live:
            assert session.live is not None and session.live.frames >= 2
            assert "\x1b[J" in output.text and Screen().feed(output.text).text == ""
        else:
            assert session.live is None
            assert output.text == "Loading 1 benchmark, in slices of 100.0 ms ...\n"


def test_a_terminal_that_goes_away_stops_the_view_not_the_measurement() -> None:
    class Gone(Recording):
        def echo(
            self, text: str, *, err: bool = False, nl: bool = True, color: bool | None = None
        ) -> None:
            super().echo(text, err=err, nl=nl, color=color)
            raise OSError(5, "Input/output error")

    pool = FakePool([1 * MS])
    plan = SlicePlan(LoadPlan(duration_s=1.0), slice_s=0.1)
    output = Gone(lambda: pool.clock)
    runner = LoadRunner(pool, [LoadBenchmark("x", "GET /x")], plan, clock=lambda: pool.clock)
    view = LiveView(output, False, clock=lambda: pool.clock, size=lambda: (80, 24))
    view.attach(runner, "requests", "connections", "Loading 1 benchmark")
    (result,) = runner.run()
    view.end()
    assert result.sections["load"]["requests"] == 1000 and result.stop_reason == "time"
    assert len(output.writes) == 1 and view.frames == 0  # tried once, then left alone


def test_open_loop_lines_give_the_target_and_the_schedule_lag_and_workers_are_busy() -> None:
    from pbench.load.window import WindowFigures

    status = LoadStatus("q", {}, 9_000, {"exit 1": 3}, {}, 3.0, False, True)
    window = WindowFigures(
        requests=900,
        failed=0,
        elapsed_s=1.0,
        rate=900.0,
        p50_s=0.0021,
        p99_s=0.0312,
        lag_p99_s=0.0045,
        in_flight=6.4,
        connections=0,
    )

    def text(line: live_text.Line) -> str:
        return "".join(part for part, _ in line)

    behind = live_text.benchmark_line(
        status, 9_000, window, "runs", target_rate=1000.0, concurrency=8, gauge="workers"
    )
    assert text(behind) == (
        "  q  9,000 runs  900/s of 1,000/s  p50 2.10 ms  p99 31.2 ms  lag p99 4.50 ms"
        "  errors exit 1 ×3  busy 6.4 of 8"
    )
    assert ("  900/s of 1,000/s", live_text.YELLOW) in behind  # below 99% of the target
    (colored,) = live_text.fit([behind], 200, 10, color=True)
    assert f"{live_text.RED}exit 1 ×3{live_text.RESET}" in colored
    on_time = live_text.benchmark_line(
        status, 9_000, window, "runs", target_rate=905.0, concurrency=8, gauge="workers"
    )
    assert ("  900/s of 905/s", "") in on_time
