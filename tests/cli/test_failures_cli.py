"""`pbench run` shows failures as failures (issue 8): exit code, stdout, stderr apart."""

from __future__ import annotations

import sys

from support.cli import Invoke

SEGV = f"{sys.executable} -c 'import os; os.kill(os.getpid(), 11)'"


def test_failed_command_is_shown_as_failed_and_the_other_as_skipped(invoke: Invoke) -> None:
    result = invoke("-r", "3", "--style", "basic", "--order", "sequential", "-N", "false", "true")
    assert result.code == 1
    assert "Benchmark 1: false\n  Failed:              run 1 of 1: exit code 1" in result.out
    assert "Benchmark 2: true\n  (not run: skipped because 'false' failed)" in result.out
    assert "Time (mean" not in result.out and "1 runs" not in result.out
    assert "no successful runs" not in result.out
    assert "'false' terminated with non-zero exit code 1 in run 1" in result.err


def test_ignored_segfaults_are_named_by_signal(invoke: Invoke) -> None:
    result = invoke("-r", "3", "-i", "--style", "basic", "--no-sample", "-N", SEGV)
    assert result.code == 0, result.err
    assert "3 of 3 runs failed (killed by SIGSEGV (3x))" in result.out
    assert "None" not in result.out


def test_missing_command_hint_fits_how_it_was_run(invoke: Invoke) -> None:
    auto = invoke("-r", "1", "--style", "none", "pbench-no-such-command")
    assert auto.code == 1 and auto.out == ""
    assert "command not found: 'pbench-no-such-command'" in auto.err
    assert "drop -N" not in auto.err and "use -S sh" in auto.err
    direct = invoke("-r", "1", "--style", "none", "-N", "pbench-no-such-command")
    assert direct.code == 1 and "drop -N" in direct.err
