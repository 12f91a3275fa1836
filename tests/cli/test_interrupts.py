"""Long parameter scans as a user runs them: one sampler thread whatever their size,
SIGTERM and SIGINT at any moment, and kill -9, against real pbench processes.

pbench runs under tests/support/reaper.py, a child subreaper: every process pbench
started and left behind becomes the reaper's child, so survivors are found by ancestry,
never by name (other programs on the machine may run the same commands). The moments
of the signals are set by what pbench is doing (its handlers set, its launcher alive,
its launcher gone), not by a clock. What an interrupt leaves to do is bounded by what
no load can change: the CPU time pbench's own process uses after the signal (a busy
machine stretches the wall time, not the work), and, in process, by how many
benchmarks are summarised and rendered after it (only those not finished). The wall
time an interrupt takes (target: under 1 s for a 1,000-value scan, beside two
CPU-bound processes too) is measured by scripts/bench_interrupt.py; here the wall-clock
bound is only what must never happen (10 s: pbench waiting on something)."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest

from support.cli import Invoke
from support.reaper import own_cpu_s

BOUND_S = 10.0
# CPU seconds pbench's own process may use from the signal to its exit, whatever the
# moment, in a scan of 400 benchmarks: it uses ~0.05 s (the benchmarks not finished
# summarised and rendered, the export written); comparing or rendering everything
# again after the signal would take more than this.
CPU_BOUND_S = 0.4
REAPER = Path(__file__).resolve().parents[1] / "support" / "reaper.py"
SCAN = ["-N", "--runs", "2", "-P", "n", "1", "400", "-n", "c {n}", "true"]


def test_a_scan_has_one_sampler_thread_whatever_its_size(invoke: Invoke, tmp_path: Path) -> None:
    # Every run writes how many threads pbench (this process, run in-process) has at
    # that moment: the main thread and at most one sampler, never one per benchmark.
    counts = tmp_path / "threads"
    probe = f"sh -c 'ls /proc/{os.getpid()}/task | wc -l >> {counts}'"
    before = len(os.listdir("/proc/self/task"))
    result = invoke("-N", "--runs", "2", "--style", "none", "-P", "n", "1", "200",
                    "-n", "c {n}", probe)  # fmt: skip
    assert result.code == 0, result.err
    seen = [int(line) for line in counts.read_text().split()]
    assert len(seen) == 400
    assert max(seen) == before + 1  # the sampler ran, alone
    assert not [t for t in threading.enumerate() if t.name == "pbench-sampler"]


@dataclass
class Ended:
    status: int
    survivors: list[list[Any]]
    stderr: str
    cpu_after_signal_s: float | None  # pbench's own, from the signal to its exit


class Reaped:
    """``pbench ARGS`` under the reaper; :meth:`ended` once it exits."""

    def __init__(self, *args: str) -> None:
        # -X faulthandler: should pbench ever not end, SIGABRT shows where each thread was.
        argv = [sys.executable, str(REAPER), str(BOUND_S), "--",
                sys.executable, "-X", "faulthandler", "-m", "pbench"]  # fmt: skip
        self.proc = subprocess.Popen(
            [*argv, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None
        self.pid = int(self.proc.stdout.readline())
        self.seen: psutil.Process | None = None  # its launcher, once seen

    def alive(self) -> bool:
        try:
            return psutil.Process(self.pid).status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    def launcher(self) -> psutil.Process | None:
        """pbench's launcher, the child it names pbench-launcher (its other children
        are short: collecting the machine's metadata)."""
        try:
            children = psutil.Process(self.pid).children()
        except psutil.NoSuchProcess:
            return None
        for child in children:
            try:
                if child.cmdline()[:1] == ["pbench-launcher"]:
                    return child
            except psutil.Error:
                continue
        return None

    def until(self, condition: str) -> None:
        """Wait until ``condition`` holds of pbench, which must still run then."""
        deadline = time.monotonic() + BOUND_S
        while not getattr(self, condition)():
            assert self.alive(), f"pbench ended before it was {condition}"
            assert time.monotonic() < deadline, f"pbench was never {condition}"
            time.sleep(0.001)

    def catching(self) -> bool:
        """pbench handles SIGTERM (its entry point runs): from here on, any moment."""
        with open(f"/proc/{self.pid}/status") as status:
            caught = next(line for line in status if line.startswith("SigCgt:"))
        return bool(int(caught.split()[1], 16) >> (signal.SIGTERM - 1) & 1)

    def measuring(self) -> bool:
        """Its launcher runs (started when the first benchmark opens)."""
        self.seen = self.launcher()
        return self.seen is not None

    def finishing(self) -> bool:
        """The launcher seen measuring is gone: every benchmark ran; reporting, exporting."""
        assert self.seen is not None
        try:
            return self.seen.status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return True

    def ended(self, signum: int | None = None) -> Ended:
        cpu_before: float | None = None
        if signum is not None:
            cpu_before = own_cpu_s(self.pid)
            os.kill(self.pid, signum)
        try:
            out, err = self.proc.communicate(timeout=2 * BOUND_S)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGABRT)  # its threads' stacks, to stderr
            _, err = self.proc.communicate(timeout=2 * BOUND_S)
            raise AssertionError(f"pbench did not end:\n{err}") from None
        finally:
            self.proc.kill()
        report = json.loads(out)
        cpu = None if cpu_before is None else report["cpu_s"] - cpu_before
        return Ended(report["status"], report["survivors"], err, cpu)


PHASES = [
    ("starting", signal.SIGTERM),
    ("starting", signal.SIGINT),
    *[("measuring", signal.SIGTERM if i % 2 == 0 else signal.SIGINT) for i in range(4)],
    ("finishing", signal.SIGTERM),
    ("finishing", signal.SIGINT),
]


@pytest.mark.slow
@pytest.mark.parametrize(("trial", "phase", "signum"), [(i, *p) for i, p in enumerate(PHASES)])
def test_sigterm_or_sigint_at_any_moment_of_a_scan(
    trial: int, phase: str, signum: int, tmp_path: Path
) -> None:
    # starting: at once when pbench handles SIGTERM (imports under way); measuring: a
    # random (seeded) moment within 0.2 s of its launcher's start, while the scan
    # (800 fork+exec, at least 0.25 s) runs; finishing: at once when the launcher is
    # gone (comparing, reporting, exporting). Each ends with 130 and no traceback,
    # leaves nothing running, and any export holds every benchmark, whole or marked
    # interrupted (all whole once measuring ended).
    out = tmp_path / "scan.json"
    pbench = Reaped("--style", "basic", *SCAN, "--export-json", str(out))
    pbench.until("catching")
    if phase != "starting":
        pbench.until("measuring")
        if phase == "measuring":
            time.sleep(random.Random(trial).uniform(0.0, 0.2))
        else:
            pbench.until("finishing")
    ended = pbench.ended(signum)
    assert ended.status == 130, ended.stderr
    assert "Traceback" not in ended.stderr and "interrupted" in ended.stderr, ended.stderr
    assert ended.survivors == []
    assert ended.cpu_after_signal_s is not None and ended.cpu_after_signal_s < CPU_BOUND_S
    if phase == "starting" and not out.exists():
        return  # nothing had finished
    results = json.loads(out.read_text())["results"]
    assert len(results) == 400
    for result in results:
        whole = result["stop_reason"] == "runs" and len(result["times"]) == 2
        cut = result["stop_reason"] == "interrupted" and len(result["times"]) < 2
        assert whole or (cut and phase != "finishing"), (result["command"], result["times"])


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupt_as_measuring_ends_keeps_every_result(
    signum: int, invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The signal comes the moment measuring ended, before the report is begun (the
    # window the moments above can miss): the results all reach the export.
    from pbench.session.publish import Session

    measure = Session.run

    def measured_then_interrupted(self: Session, *args: Any, **kwargs: Any) -> Any:
        measured = measure(self, *args, **kwargs)
        os.kill(os.getpid(), signum)  # handled before the next line
        return measured

    monkeypatch.setattr(Session, "run", measured_then_interrupted)
    out = tmp_path / "scan.json"
    result = invoke("-N", "--runs", "2", "--style", "none", "-P", "n", "1", "20",
                    "-n", "c {n}", "true", "--export-json", str(out))  # fmt: skip
    assert result.code == 130, result.err
    assert "what finished was kept and exported" in result.err
    results = json.loads(out.read_text())["results"]
    assert [(r["stop_reason"], len(r["times"])) for r in results] == [("runs", 2)] * 20


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_after_an_interrupt_only_unfinished_benchmarks_are_summarised(
    signum: int, invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The signal comes as the 5th of 20 benchmarks finishes (in the second round):
    # the 5 finished were summarised and rendered as they finished, so after the
    # signal only the 15 others are, once each, and nothing is compared.
    import pbench.export.json as json_export
    import pbench.run.results as run_results
    import pbench.stats.comparison as comparison
    from pbench.session.publish import Session

    after: dict[str, int] = {"summaries": 0, "entries": 0, "comparisons": 0}
    signalled = False

    def counted(key: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            after[key] += signalled
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(run_results, "summary_of", counted("summaries", run_results.summary_of))
    monkeypatch.setattr(json_export, "_result", counted("entries", json_export._result))
    monkeypatch.setattr(comparison, "compare_many", counted("comparisons", comparison.compare_many))
    prepare, finished = Session.prepare, []

    def prepare_then_interrupt(self: Session, result: Any) -> None:
        nonlocal signalled
        prepare(self, result)
        finished.append(result)
        if len(finished) == 5:
            signalled = True
            os.kill(os.getpid(), signum)  # handled before the next line

    monkeypatch.setattr(Session, "prepare", prepare_then_interrupt)
    out = tmp_path / "scan.json"
    result = invoke("-N", "--runs", "2", "--style", "basic", "-P", "n", "1", "20",
                    "-n", "c {n}", "true", "--export-json", str(out))  # fmt: skip
    assert result.code == 130, result.err
    results = json.loads(out.read_text())["results"]
    kept = [(r["stop_reason"], len(r["times"])) for r in results]
    assert sorted(kept) == [("interrupted", 1)] * 15 + [("runs", 2)] * 5
    assert after == {"summaries": 15, "entries": 15, "comparisons": 0}


def test_kill_9_of_pbench_leaves_nothing_running() -> None:
    # The launcher kills the run's whole tree when pbench dies, the setsid'd sleep too.
    pbench = Reaped("--runs", "1", "--style", "none", "sleep 30 & setsid sleep 30 & sleep 30; wait")
    deadline = time.monotonic() + BOUND_S
    while len(psutil.Process(pbench.pid).children(recursive=True)) < 5:  # launcher, sh, 3 x sleep
        assert time.monotonic() < deadline, "pbench never started the tree"
        time.sleep(0.005)
    ended = pbench.ended(signal.SIGKILL)
    assert ended.status == -signal.SIGKILL
    assert ended.survivors == []
