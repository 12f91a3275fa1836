"""The precedence of exit codes when several apply."""

from __future__ import annotations

from pbench.errors import ExitCode, worst


def test_the_most_severe_code_wins() -> None:
    assert worst() == ExitCode.OK
    assert worst(ExitCode.OK, ExitCode.OK) == ExitCode.OK
    assert worst(ExitCode.BUDGET, ExitCode.OK) == ExitCode.BUDGET
    assert worst(ExitCode.REGRESSION, ExitCode.BUDGET) == ExitCode.BUDGET
    assert worst(ExitCode.INCONCLUSIVE, ExitCode.REGRESSION) == ExitCode.REGRESSION
    assert worst(ExitCode.BUDGET, ExitCode.BENCHMARK_FAILED) == ExitCode.BENCHMARK_FAILED
    assert worst(ExitCode.BENCHMARK_FAILED, ExitCode.INTERRUPTED) == ExitCode.INTERRUPTED
    assert worst(ExitCode.INCONCLUSIVE, ExitCode.OK) == ExitCode.INCONCLUSIVE


def test_every_code_has_a_place() -> None:
    ranked = [
        ExitCode.INTERRUPTED,
        ExitCode.USAGE,
        ExitCode.BENCHMARK_FAILED,
        ExitCode.BUDGET,
        ExitCode.REGRESSION,
        ExitCode.INCONCLUSIVE,
        ExitCode.OK,
    ]
    assert set(ranked) == set(ExitCode)
    for i, code in enumerate(ranked):
        assert worst(*ranked[i:]) == code
