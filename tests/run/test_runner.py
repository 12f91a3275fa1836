"""The runner with a fake clock and fake targets: exactly reproducible results."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from pbench.errors import BenchmarkFailed, HookFailed
from pbench.models import BenchmarkSpec, Hooks, IgnoreFailure, Outcome, Precision, RunPlan
from pbench.report.terminal import Style, render_report
from pbench.run.results import build_results
from pbench.run.runner import Runner
from support.fakes import FakeClock


class FakeTarget:
    """Advances the fake clock by a fixed or scripted duration per execution."""

    def __init__(
        self,
        clock: FakeClock,
        durations_ns: Sequence[int],
        log: list[str],
        name: str,
        exit_codes: Sequence[int] = (0,),
    ) -> None:
        self.clock, self.durations, self.log, self.name = clock, durations_ns, log, name
        self.exit_codes = exit_codes
        self.calls = 0

    def open(self) -> None:
        self.log.append(f"open {self.name}")

    def execute(self, iteration: int) -> Outcome:
        self.clock.now += self.durations[self.calls % len(self.durations)]
        code = self.exit_codes[self.calls % len(self.exit_codes)]
        self.calls += 1
        self.log.append(f"run {self.name} {iteration}")
        return Outcome(exit_code=code)

    def close(self) -> None:
        self.log.append(f"close {self.name}")


class LogHook:
    def __init__(self, log: list[str], text: str, fail: bool = False) -> None:
        self.log, self.text, self.fail = log, text, fail

    @property
    def description(self) -> str:
        return self.text

    def __call__(self, iteration: int | None = None) -> None:
        self.log.append(self.text if iteration is None else f"{self.text} {iteration}")
        if self.fail:
            raise HookFailed(f"the {self.text} failed")


def spec(name: str, target: FakeTarget, hooks: Hooks | None = None) -> BenchmarkSpec:
    return BenchmarkSpec(name=name, command=name, target=target, hooks=hooks or Hooks())


def test_two_to_one_ratio_is_reported_exactly() -> None:
    clock, log = FakeClock(), []
    fast = FakeTarget(clock, [1_000_000], log, "fast")
    slow = FakeTarget(clock, [2_000_000], log, "slow")
    plan = RunPlan([spec("fast", fast), spec("slow", slow)], min_runs=10, max_runs=10, seed=1)
    results = Runner(plan, clock=clock).run()
    assert [r.times for r in results] == [[0.001] * 10, [0.002] * 10]
    report = build_results(results, {}, reference=None, time_unit=None, compare=True)
    text = render_report(report, Style(color=False))
    assert "'fast' ran\n    2.00 ± 0.00 times faster than 'slow'" in text
    assert "Time (mean ± σ):" in text and "1.000 ms" in text
    assert report.comparisons[0].verdict == "slower"


def test_reference_slower_than_other_says_slower() -> None:
    clock, log = FakeClock(), []
    a = FakeTarget(clock, [3_000_000], log, "a")
    b = FakeTarget(clock, [1_500_000], log, "b")
    plan = RunPlan([spec("a", a), spec("b", b)], min_runs=5, max_runs=5, seed=1)
    results = Runner(plan, clock=clock).run()
    report = build_results(results, {}, reference="a", time_unit=None, compare=False)
    text = render_report(report, Style(color=False))
    assert "'a' ran\n    2.00 ± 0.00 times slower than 'b'" in text


def test_interleaved_rounds_are_seeded_permutations() -> None:
    def order(seed: int) -> list[str]:
        clock, log = FakeClock(), []
        targets = [FakeTarget(clock, [1000], log, n) for n in "abc"]
        plan = RunPlan([spec(t.name, t) for t in targets], min_runs=4, max_runs=4, seed=seed)
        results = Runner(plan, clock=clock).run()
        for result in results:
            assert [m.round for m in result.measurements] == [0, 1, 2, 3]
        positions = {(m.round, m.position): r.name for r in results for m in r.measurements}
        assert len(positions) == 12  # every (round, position) used exactly once
        return [line.split()[1] for line in log if line.startswith("run")]

    first = order(7)
    assert first == order(7)
    assert first != order(8)
    rounds = [first[i : i + 3] for i in range(0, 12, 3)]
    assert all(sorted(r) == ["a", "b", "c"] for r in rounds)
    assert len({tuple(r) for r in rounds}) > 1  # not the same permutation every round


def test_sequential_order_is_hyperfines() -> None:
    clock, log = FakeClock(), []
    targets = [FakeTarget(clock, [1000], log, n) for n in "ab"]
    plan = RunPlan([spec(t.name, t) for t in targets], min_runs=3, max_runs=3, order="sequential")
    Runner(plan, clock=clock).run()
    runs = [line for line in log if line.startswith("run")]
    assert runs == ["run a 0", "run a 1", "run a 2", "run b 0", "run b 1", "run b 2"]


def test_hook_order_matches_hyperfine() -> None:
    clock, log = FakeClock(), []
    target = FakeTarget(clock, [1000], log, "x")
    hooks = Hooks(
        setup=LogHook(log, "setup"),
        prepare=LogHook(log, "prepare"),
        conclude=LogHook(log, "conclude"),
        cleanup=LogHook(log, "cleanup"),
    )
    plan = RunPlan([spec("x", target, hooks)], warmup=1, min_runs=2, max_runs=2)
    Runner(plan, clock=clock).run()
    assert log == [
        "open x",
        "setup",
        "prepare 0", "run x 0", "conclude 0",  # warmup
        "prepare 0", "run x 0", "conclude 0",
        "prepare 1", "run x 1", "conclude 1",
        "cleanup",
        "close x",
    ]  # fmt: skip


class CalibratedTarget(FakeTarget):
    """A shell command: the runner first times its empty-command probe."""

    def overhead_target(self) -> FakeTarget:
        return FakeTarget(self.clock, [100], self.log, f"probe-{self.name}")


def logged_hooks(log: list[str], name: str) -> Hooks:
    return Hooks(
        setup=LogHook(log, f"setup {name}"),
        prepare=LogHook(log, f"prepare {name}"),
        conclude=LogHook(log, f"conclude {name}"),
        cleanup=LogHook(log, f"cleanup {name}"),
    )


def without_probe_runs(log: list[str]) -> list[str]:
    return [line for line in log if not line.startswith("run probe")]


def test_sequential_order_gives_each_benchmark_its_own_lifecycle() -> None:
    # hyperfine: shell calibration once, then per benchmark setup, warmups, runs, cleanup.
    clock, log = FakeClock(), []
    targets = [CalibratedTarget(clock, [1000], log, n) for n in "ab"]
    plan = RunPlan(
        [spec(t.name, t, logged_hooks(log, t.name)) for t in targets],
        warmup=1,
        min_runs=2,
        max_runs=2,
        order="sequential",
    )
    results = Runner(plan, clock=clock).run()
    assert without_probe_runs(log) == [
        "open a", "open b",
        "open probe-a", "close probe-a", "open probe-b", "close probe-b",
        "setup a",
        "prepare a 0", "run a 0", "conclude a 0",  # warmup
        "prepare a 0", "run a 0", "conclude a 0",
        "prepare a 1", "run a 1", "conclude a 1",
        "cleanup a",
        "setup b",
        "prepare b 0", "run b 0", "conclude b 0",  # warmup
        "prepare b 0", "run b 0", "conclude b 0",
        "prepare b 1", "run b 1", "conclude b 1",
        "cleanup b",
        "close a", "close b",
    ]  # fmt: skip
    assert [[m.round for m in r.measurements] for r in results] == [[0, 1], [2, 3]]


def test_interleaved_order_sets_up_all_before_the_rounds_and_cleans_up_after() -> None:
    clock, log = FakeClock(), []
    targets = [CalibratedTarget(clock, [1000], log, n) for n in "ab"]
    plan = RunPlan(
        [spec(t.name, t, logged_hooks(log, t.name)) for t in targets],
        warmup=1,
        min_runs=3,
        max_runs=3,
        seed=5,
    )
    Runner(plan, clock=clock).run()
    lines = without_probe_runs(log)
    assert lines[:6] == [
        "open a", "open b",
        "open probe-a", "close probe-a", "open probe-b", "close probe-b",
    ]  # fmt: skip
    assert lines[6:14] == [
        "setup a", "setup b",
        "prepare a 0", "run a 0", "conclude a 0",  # warmups
        "prepare b 0", "run b 0", "conclude b 0",
    ]  # fmt: skip
    rounds = lines[14:-4]
    assert len(rounds) == 3 * 2 * 3  # (prepare, run, conclude) x 2 benchmarks x 3 rounds
    assert not [line for line in rounds if line.startswith(("setup", "cleanup"))]
    assert lines[-4:] == ["cleanup a", "cleanup b", "close a", "close b"]


def test_failing_cleanup_in_sequential_order_stops_before_the_next_benchmark() -> None:
    clock, log = FakeClock(), []
    a, b = FakeTarget(clock, [1000], log, "a"), FakeTarget(clock, [1000], log, "b")
    failing = Hooks(setup=LogHook(log, "setup a"), cleanup=LogHook(log, "cleanup a", fail=True))
    plan = RunPlan(
        [spec("a", a, failing), spec("b", b, Hooks(setup=LogHook(log, "setup b")))],
        min_runs=1,
        max_runs=1,
        order="sequential",
    )
    runner = Runner(plan, clock=clock)
    with pytest.raises(HookFailed, match="cleanup a"):
        runner.run()
    assert log == ["open a", "open b", "setup a", "run a 0", "cleanup a", "close a", "close b"]
    assert runner.results[0].stop_reason == "runs"


def test_min_time_keeps_measuring() -> None:
    clock, log = FakeClock(), []
    target = FakeTarget(clock, [100_000_000], log, "x")  # 0.1 s per run
    plan = RunPlan([spec("x", target)], min_runs=10, min_time_s=3.0)
    [result] = Runner(plan, clock=clock).run()
    assert len(result.measurements) == 30
    assert result.stop_reason == "time"


def test_max_runs_caps_min_time() -> None:
    clock, log = FakeClock(), []
    target = FakeTarget(clock, [1_000], log, "x")
    plan = RunPlan([spec("x", target)], min_runs=2, max_runs=7, min_time_s=3.0)
    [result] = Runner(plan, clock=clock).run()
    assert len(result.measurements) == 7
    assert result.stop_reason == "max-runs"


def test_precision_stops_at_predicted_run_count() -> None:
    # Five runs at 0.5 ms and five at 1.5 ms, then 1.0 ms for ever. The median's 95%
    # interval spans X(j+1)..X(n-j) with j from the Binomial(n, 1/2) table; it first
    # lies entirely among the 1.0 ms runs (width 0 <= 2%) when j >= 5, i.e. at n = 20.
    clock, log = FakeClock(), []
    durations = [500_000, 1_500_000] * 5 + [1_000_000] * 100
    target = FakeTarget(clock, durations, log, "x")
    plan = RunPlan([spec("x", target)], min_runs=3, precision=Precision(0.02))
    [result] = Runner(plan, clock=clock).run()
    assert len(result.measurements) == 20
    assert result.stop_reason == "precision"


def test_precision_budget_stops_noisy_target() -> None:
    clock, log = FakeClock(), []
    target = FakeTarget(clock, [1_000_000, 3_000_000], log, "x")
    plan = RunPlan([spec("x", target)], min_runs=3, precision=Precision(0.01, max_time_s=0.1))
    [result] = Runner(plan, clock=clock).run()
    assert result.stop_reason == "budget"
    assert sum(result.times) == pytest.approx(0.1, abs=0.003)


def test_precision_budget_is_per_benchmark_in_sequential_order() -> None:
    # Each benchmark's lifecycle has its own measuring phase: the second is not left
    # with what the first one did not use.
    clock, log = FakeClock(), []
    targets = [FakeTarget(clock, [1_000_000, 3_000_000], log, n) for n in "ab"]
    plan = RunPlan(
        [spec(t.name, t) for t in targets],
        min_runs=3,
        precision=Precision(0.01, max_time_s=0.1),
        order="sequential",
    )
    for result in Runner(plan, clock=clock).run():
        assert result.stop_reason == "budget"
        assert sum(result.times) == pytest.approx(0.1, abs=0.003)


def test_max_time_caps_exact_runs_and_min_runs() -> None:
    # --max-time without --precision: the measuring phase stops when it is spent,
    # whatever -r or -m ask for (a suite tier's cap).
    for counts in ({"min_runs": 10_000}, {"min_runs": 1000, "max_runs": 1000}):
        clock, log = FakeClock(), []
        target = FakeTarget(clock, [10_000_000], log, "x")
        plan = RunPlan([spec("x", target)], max_time_s=0.1, **counts)  # type: ignore[arg-type]
        [result] = Runner(plan, clock=clock).run()
        assert result.stop_reason == "budget"
        assert len(result.measurements) == 10


def test_max_time_keeps_at_least_one_run() -> None:
    clock, log = FakeClock(), []
    target = FakeTarget(clock, [500_000_000], log, "x")
    [result] = Runner(RunPlan([spec("x", target)], max_time_s=0.1), clock=clock).run()
    assert len(result.measurements) == 1 and result.stop_reason == "budget"


def test_failure_stops_with_message_and_keeps_runs() -> None:
    clock, log = FakeClock(), []
    target = FakeTarget(clock, [1000], log, "x", exit_codes=[0, 0, 3])
    runner = Runner(RunPlan([spec("x", target)], min_runs=10, max_runs=10), clock=clock)
    with pytest.raises(BenchmarkFailed, match="non-zero exit code 3 in run 3"):
        runner.run()
    assert len(runner.results[0].measurements) == 3
    assert runner.results[0].stop_reason == "failed"
    assert log[-1] == "close x"


def test_ignore_failure_codes() -> None:
    clock, log = FakeClock(), []
    target = FakeTarget(clock, [1000], log, "x", exit_codes=[0, 2])
    plan = RunPlan(
        [spec("x", target)],
        min_runs=4,
        max_runs=4,
        ignore_failure=IgnoreFailure(True, frozenset({2})),
    )
    [result] = Runner(plan, clock=clock).run()
    assert [m.exit_code for m in result.measurements] == [0, 2, 0, 2]
    target = FakeTarget(clock, [1000], log, "y", exit_codes=[0, 5])
    plan = RunPlan(
        [spec("y", target)],
        min_runs=4,
        max_runs=4,
        ignore_failure=IgnoreFailure(True, frozenset({2})),
    )
    with pytest.raises(BenchmarkFailed, match="exit code 5"):
        Runner(plan, clock=clock).run()


def test_failing_setup_hook_stops_before_runs_and_still_closes() -> None:
    clock, log = FakeClock(), []
    target = FakeTarget(clock, [1000], log, "x")
    hooks = Hooks(setup=LogHook(log, "setup", fail=True), cleanup=LogHook(log, "cleanup"))
    with pytest.raises(HookFailed):
        Runner(RunPlan([spec("x", target, hooks)], min_runs=2, max_runs=2), clock=clock).run()
    assert log == ["open x", "setup", "close x"]


def test_elapsed_and_loops_from_target() -> None:
    clock = FakeClock()

    class Batched:
        def open(self) -> None: ...
        def close(self) -> None: ...
        def execute(self, iteration: int) -> Outcome:
            clock.now += 5_000_000
            return Outcome(elapsed_ns=4_000_000, loops=1000, user_ns=2_000_000)

    plan = RunPlan([BenchmarkSpec("b", "b", Batched())], min_runs=2, max_runs=2)
    [result] = Runner(plan, clock=clock).run()
    assert result.times == [4e-6, 4e-6]
    assert result.measurements[0].user_s == pytest.approx(2e-6)
    assert result.measurements[0].loops == 1000


def test_interrupt_marks_results_and_closes() -> None:
    clock, log = FakeClock(), []

    class Interrupting(FakeTarget):
        def execute(self, iteration: int) -> Outcome:
            if iteration == 3:
                raise KeyboardInterrupt
            return super().execute(iteration)

    target = Interrupting(clock, [1000], log, "x")
    runner = Runner(RunPlan([spec("x", target)], min_runs=10, max_runs=10), clock=clock)
    with pytest.raises(KeyboardInterrupt):
        runner.run()
    assert len(runner.results[0].measurements) == 3
    assert runner.results[0].stop_reason == "interrupted"
    assert log[-1] == "close x"


def test_interrupt_after_a_benchmarks_last_run_keeps_it_whole() -> None:
    # The interrupt comes right after the run that completes "a" was measured, before
    # "a" is marked done: "a" has all its runs and stops on "runs", not "interrupted".
    clock, log = FakeClock(), []
    looked: list[int] = []

    class InterruptedOnThe3rdLook(IgnoreFailure):
        def allows(self, outcome: object) -> bool:
            looked.append(1)
            if len(looked) == 3:  # round 1's first run: a's second and last
                raise KeyboardInterrupt
            return True

    a, b = FakeTarget(clock, [1000], log, "a"), FakeTarget(clock, [1000], log, "b")
    plan = RunPlan([spec("a", a), spec("b", b)], min_runs=2, max_runs=2, seed=1,
                   ignore_failure=InterruptedOnThe3rdLook())  # fmt: skip
    runner = Runner(plan, clock=clock)
    with pytest.raises(KeyboardInterrupt):
        runner.run()
    kept = sorted((len(r.measurements), r.stop_reason) for r in runner.results)
    assert kept == [(1, "interrupted"), (2, "runs")]


def test_precise_benchmark_stays_in_rounds_until_all_are_precise() -> None:
    # 'steady' is precise after min_runs; 'noisy' needs 20 runs (see the test above).
    # Interleaved, both run the same number of rounds and both stop on precision.
    clock, log = FakeClock(), []
    steady = FakeTarget(clock, [1_000_000], log, "steady")
    noisy = FakeTarget(clock, [500_000, 1_500_000] * 5 + [1_000_000] * 100, log, "noisy")
    plan = RunPlan(
        [spec("steady", steady), spec("noisy", noisy)],
        min_runs=3,
        precision=Precision(0.02),
        seed=3,
    )
    results = Runner(plan, clock=clock).run()
    assert [len(r.measurements) for r in results] == [20, 20]
    assert [r.stop_reason for r in results] == ["precision", "precision"]


def test_precision_in_sequential_order_stops_each_on_its_own() -> None:
    clock, log = FakeClock(), []
    steady = FakeTarget(clock, [1_000_000], log, "steady")
    noisy = FakeTarget(clock, [500_000, 1_500_000] * 5 + [1_000_000] * 100, log, "noisy")
    plan = RunPlan(
        [spec("steady", steady), spec("noisy", noisy)],
        min_runs=3,
        precision=Precision(0.02),
        order="sequential",
    )
    results = Runner(plan, clock=clock).run()
    assert [len(r.measurements) for r in results] == [3, 20]
