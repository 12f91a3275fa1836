"""The command target against real processes with known cost."""

from __future__ import annotations

import os
import shlex
import sys
import time
from pathlib import Path

import psutil
import pytest

from pbench.errors import BenchmarkFailed
from pbench.models import Outcome
from pbench.targets.command.launcher import launcher_path
from pbench.targets.command.shell import plan_invocation
from pbench.targets.command.target import CommandOptions, CommandTarget

PY = sys.executable
# perf_counter is read through the vDSO: the loop burns user time, not system time.
BURN = "import time\nt=time.perf_counter()\nwhile time.perf_counter()-t<{s}: pass"


def run(command: str, shell: str | None = None, **options: object) -> Outcome:
    target = CommandTarget(
        plan_invocation(command, shell),
        CommandOptions(env=dict(os.environ), **options),  # type: ignore[arg-type]
    )
    target.open()
    try:
        return target.execute(0)
    finally:
        target.close()


def py(code: str) -> str:
    return f"{PY} -c {shlex.quote(code)}"


def test_launcher_is_available_here() -> None:
    assert launcher_path() is not None


def test_sleep_wall_time() -> None:
    # Never less than the sleep; an upper bound that no load reaches (a busy machine may
    # add tens of milliseconds: an exact figure is for the scripts, not a test)
    walls = sorted(run("sleep 0.2").elapsed_ns or 0 for _ in range(3))
    assert 0.199 <= walls[1] / 1e9 <= 2.0


def test_cpu_burn_user_time_matches(tmp_path: Path) -> None:
    # Pure computation, so the time is user time; the child reports its own CPU time.
    report = tmp_path / "cpu"
    code = (
        "import time\nx = 0\nfor i in range(6_000_000): x += i * i\n"
        f"open({str(report)!r}, 'w').write(str(time.process_time()))"
    )
    outcome = run(py(code))
    assert outcome.exit_code == 0
    user = (outcome.user_ns or 0) / 1e9
    system = (outcome.system_ns or 0) / 1e9
    own = float(report.read_text())
    assert abs((user + system) - own) <= 0.05 + 0.05 * own
    assert user >= 0.8 * (user + system)
    assert own > 0.1


def test_peak_memory_of_a_200_mib_allocation() -> None:
    baseline = run(py("pass")).peak_rss_bytes or 0
    outcome = run(py("b = bytearray(200 * 1024 * 1024)"))
    expected = baseline + 200 * 1024 * 1024
    assert abs((outcome.peak_rss_bytes or 0) - expected) <= 0.05 * expected


def test_true_reports_its_own_small_peak_memory() -> None:
    # pbench itself holds tens of MB; a forked child would inherit that into ru_maxrss.
    outcome = run("/bin/true")
    assert 0 < (outcome.peak_rss_bytes or 0) < 4 * 1024 * 1024


def test_grandchildren_cpu_is_counted() -> None:
    # Each grandchild burns 0.3 s of CPU time (user + system), however busy the machine.
    burn = py(BURN.format(s=0.3).replace("perf_counter", "process_time"))
    outcome = run(f"{burn} & {burn}; wait")
    cpu = ((outcome.user_ns or 0) + (outcome.system_ns or 0)) / 1e9
    assert 0.6 <= cpu <= 0.8


def test_timeout_kills_the_whole_tree() -> None:
    marker = "37.4242"
    start = time.monotonic()
    outcome = run(f"sleep {marker} & sleep {marker}; wait", timeout_s=0.3)
    assert outcome.timed_out and outcome.failed
    assert time.monotonic() - start < 5
    time.sleep(0.1)
    left = [
        p for p in psutil.process_iter(["cmdline"]) if marker in " ".join(p.info["cmdline"] or [])
    ]
    assert left == []


def test_background_leftovers_are_killed_after_a_run() -> None:
    marker = "41.4242"
    outcome = run(f"sleep {marker} & exit 0")
    assert outcome.exit_code == 0
    time.sleep(0.1)
    left = [
        p for p in psutil.process_iter(["cmdline"]) if marker in " ".join(p.info["cmdline"] or [])
    ]
    assert left == []


def test_exit_code_and_signal() -> None:
    assert run("exit 3", "auto").exit_code == 3
    killed = run("kill -9 $$")
    assert killed.signal == 9 and killed.exit_code is None and killed.failed


def test_command_not_found() -> None:
    with pytest.raises(BenchmarkFailed, match="command not found: 'no-such-program-xyz'"):
        run("no-such-program-xyz --flag")


def test_iteration_and_padding_variables(tmp_path: Path) -> None:
    log = tmp_path / "log"
    target = CommandTarget(
        plan_invocation(f'echo "$PBENCH_ITERATION ${{#PBENCH_PAD}}" >> {log}', None),
        CommandOptions(env=dict(os.environ)),
    )
    target.open()
    for i in range(5):
        target.execute(i)
    target.close()
    rows = [line.split() for line in log.read_text().splitlines()]
    assert [r[0] for r in rows] == ["0", "1", "2", "3", "4"]
    assert len({r[1] for r in rows}) > 1  # the padding length varies


def test_output_to_file_and_input_from_file(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("hello\n")
    out = tmp_path / "out.txt"
    outcome = run("cat", output="file", output_path=str(out), input_path=str(source))
    assert outcome.exit_code == 0
    assert out.read_text() == "hello\n"


@pytest.mark.parametrize("use_launcher", [True, False])
def test_every_run_reads_the_input_from_its_start(tmp_path: Path, use_launcher: bool) -> None:
    # hyperfine opens --input and --output FILE anew for every run: each run reads the
    # whole input, and the output file holds the last run's output only.
    source = tmp_path / "nums.txt"
    source.write_text("".join(f"{i}\n" for i in range(1, 11)))
    out = tmp_path / "out.txt"
    options = CommandOptions(
        env=dict(os.environ),
        output="file",
        output_path=str(out),
        input_path=str(source),
        use_launcher=use_launcher,
    )
    target = CommandTarget(plan_invocation("head -c 4", None), options)
    target.open()
    try:
        for i in range(4):
            assert target.execute(i).exit_code == 0
            assert out.read_text() == "1\n2\n", f"run {i + 1}"
        # A hook may replace the input (write a new file, then mv): the next run reads it.
        fresh = tmp_path / "fresh.txt"
        fresh.write_text("abcdefgh")
        fresh.replace(source)
        assert target.execute(4).exit_code == 0
        assert out.read_text() == "abcd"
        out.unlink()  # and one may remove the output file: the next run creates it again
        assert target.execute(5).exit_code == 0
        assert out.read_text() == "abcd"
    finally:
        target.close()


def test_pipe_output_is_drained() -> None:
    # 10 MB through a pipe would block a child whose pipe nobody reads.
    outcome = run(py("import sys; sys.stdout.write('x' * 10_000_000)"), output="pipe", timeout_s=20)
    assert outcome.exit_code == 0 and not outcome.timed_out


def test_shell_overhead_probe() -> None:
    target = CommandTarget(
        plan_invocation("echo a | cat", None), CommandOptions(env=dict(os.environ))
    )
    probe = target.overhead_target()
    assert probe is not None and probe.invocation.argv == ("sh", "-c", "")
    direct = CommandTarget(plan_invocation("true", None), CommandOptions(env=dict(os.environ)))
    assert direct.overhead_target() is None


def test_without_launcher_times_and_exit_codes_still_work() -> None:
    # The fallback for platforms without the launcher: plain posix_spawn + wait4.
    outcome = run("sleep 0.1", use_launcher=False)
    assert outcome.exit_code == 0 and outcome.elapsed_ns is None
    assert run("exit 4", "auto", use_launcher=False).exit_code == 4
    timed = run("sleep 30.5151", use_launcher=False, timeout_s=0.2)
    assert timed.timed_out
    piped = run(py("print('x' * 1_000_000)"), use_launcher=False, output="pipe")
    assert piped.exit_code == 0
