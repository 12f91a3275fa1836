"""hyperfine's ``--debug-mode`` integration tests (tests/integration_tests.rs of
sharkdp/hyperfine 1.20) on pbench's fake clock (:mod:`support.debug_mode`): the same
command lines through pbench's real parser, planner, runner, and a real session's
report and exports into a recording output, with ``sleep X`` taking X seconds of fake
time. Counts, names, units and relative speeds are
therefore exact.

hyperfine's test, then the test here:

- returns_mean_time_in_correct_unit → test_mean_time_in_the_right_unit
- performs_ten_runs_for_slow_commands → test_ten_runs_for_slow_commands
- performs_three_seconds_of_benchmarking_for_fast_commands
  → test_three_seconds_of_runs_for_fast_commands
- takes_shell_spawning_time_into_account_for_computing_number_of_runs
  → test_the_shells_spawn_time_counts_in_the_three_seconds
- takes_preparation_command_into_account_for_computing_number_of_runs
  → test_prepare_time_counts_in_the_three_seconds
- takes_conclusion_command_into_account_for_computing_number_of_runs
  → test_conclude_time_counts_in_the_three_seconds
- takes_both_preparation_and_conclusion_command_into_account_for_computing_number_of_runs
  → test_prepare_and_conclude_time_count_together
- shows_benchmark_comparison_with_relative_times → test_relative_speeds
- shows_benchmark_comparison_with_same_time → test_as_fast_as
- shows_benchmark_comparison_relative_to_reference → test_relative_to_the_reference
- shows_reference_name → test_reference_name
- performs_all_benchmarks_in_parameter_scan → test_every_value_of_a_parameter_scan
- performs_reference_and_all_benchmarks_in_parameter_scan
  → test_reference_before_a_parameter_scan
- intermediate_results_are_not_exported_to_stdout
  → test_intermediate_results_are_not_exported_to_stdout
- speed_comparison_sort_order → test_sort_order_of_the_summary

Besides: the command of issue 19 whose zero-time runs made numpy warn on stderr.
"""

from __future__ import annotations

import re
import warnings

import pytest

from support.debug_mode import published


def ok(*args: str) -> str:
    result = published(*args)
    assert result.code == 0, result.err
    assert result.err == ""
    return result.out


def runs(out: str) -> list[int]:
    return [int(n) for n in re.findall(r"(\d+) runs?\n", out + "\n")]


def benchmarks(out: str) -> list[str]:
    return re.findall(r"^Benchmark \d+: (.*)$", out, re.MULTILINE)


@pytest.mark.parametrize(
    ("args", "mean"),
    [
        (["sleep 1.234"], "1.234 s"),
        (["sleep 0.123"], "123.0 ms"),
        (["--time-unit=millisecond", "sleep 1.234"], "1234.0 ms"),
        (["--time-unit=microsecond", "sleep 1.234"], "1234000.0 µs"),
    ],
)
def test_mean_time_in_the_right_unit(args: list[str], mean: str) -> None:
    assert re.search(rf"Time \(mean ± σ\): +{re.escape(mean)} ±", ok(*args))


def test_ten_runs_for_slow_commands() -> None:
    assert runs(ok("sleep 0.5")) == [10]


def test_three_seconds_of_runs_for_fast_commands() -> None:
    assert runs(ok("sleep 0.01")) == [300]


def test_min_benchmarking_time_sets_the_three_seconds() -> None:
    assert runs(ok("--min-benchmarking-time=1", "sleep 0.01")) == [100]  # hyperfine's hidden flag
    assert runs(ok("--min-time=1", "sleep 0.5")) == [10]  # and at least 10 runs


def test_the_shells_spawn_time_counts_in_the_three_seconds() -> None:
    out = ok("--shell=sleep 0.02", "sleep 0.01")
    assert runs(out) == [100]  # 0.02 + 0.01 s a run
    assert "Time (mean ± σ):       10.000 ms" in out  # the spawn time subtracted


def test_prepare_time_counts_in_the_three_seconds() -> None:
    assert runs(ok("--prepare=sleep 0.02", "sleep 0.01")) == [100]
    # The shell's spawn time counts for the prepare and for the command:
    # 0.03 + 0.01 + 0.05 + 0.01 = 0.1 s a run.
    assert runs(ok("--shell=sleep 0.01", "--prepare=sleep 0.03", "sleep 0.05")) == [30]


def test_conclude_time_counts_in_the_three_seconds() -> None:
    assert runs(ok("--conclude=sleep 0.02", "sleep 0.01")) == [100]
    assert runs(ok("--shell=sleep 0.01", "--conclude=sleep 0.03", "sleep 0.05")) == [30]


def test_prepare_and_conclude_time_count_together() -> None:
    assert runs(ok("--prepare=sleep 0.01", "--conclude=sleep 0.01", "sleep 0.01")) == [100]
    args = ["--shell=sleep 0.01", "--prepare=sleep 0.01", "--conclude=sleep 0.01", "sleep 0.05"]
    assert runs(ok(*args)) == [30]


def test_setup_and_cleanup_time_does_not_count() -> None:
    assert runs(ok("--setup=sleep 5", "--cleanup=sleep 5", "sleep 0.01")) == [300]


def test_relative_speeds() -> None:
    out = ok("sleep 1.0", "sleep 2.0", "sleep 3.0")
    assert "'sleep 1.0' ran\n    2.00 ± 0.00 times faster than 'sleep 2.0'" in out
    assert "\n    3.00 ± 0.00 times faster than 'sleep 3.0'" in out


def test_as_fast_as() -> None:
    out = ok(
        "--command-name=A", "--command-name=B", "sleep 1.0", "sleep 1.0", "sleep 2.0",
        "sleep 1000.0",
    )  # fmt: skip
    assert "'A' ran\n    As fast (1.00 ± 0.00) as 'B'" in out
    assert "2.00 ± 0.00 times faster than 'sleep 2.0'" in out
    assert "1000.00 ± 0.00 times faster than 'sleep 1000.0'" in out


def test_relative_to_the_reference() -> None:
    out = ok("--reference=sleep 2.0", "sleep 1.0", "sleep 3.0")
    assert benchmarks(out) == ["sleep 2.0", "sleep 1.0", "sleep 3.0"]
    assert "'sleep 2.0' ran\n    2.00 ± 0.00 times slower than 'sleep 1.0'" in out
    assert "1.50 ± 0.00 times faster than 'sleep 3.0'" in out


def test_reference_name() -> None:
    out = ok("--reference=sleep 2.0", "--reference-name=refabc123", "sleep 1.0", "sleep 3.0")
    assert benchmarks(out) == ["refabc123", "sleep 1.0", "sleep 3.0"]
    assert "'refabc123' ran" in out


def test_every_value_of_a_parameter_scan() -> None:
    out = ok("--parameter-scan", "time", "30", "45", "--parameter-step-size", "5", "sleep {time}")
    assert benchmarks(out) == ["sleep 30", "sleep 35", "sleep 40", "sleep 45"]
    assert runs(out) == [10] * 4


def test_reference_before_a_parameter_scan() -> None:
    out = ok(
        "--reference=sleep 25", "--parameter-scan", "time", "30", "45",
        "--parameter-step-size", "5", "sleep {time}",
    )  # fmt: skip
    assert benchmarks(out) == ["sleep 25", "sleep 30", "sleep 35", "sleep 40", "sleep 45"]
    assert "'sleep 25' ran" in out


def test_intermediate_results_are_not_exported_to_stdout() -> None:
    out = ok("--style=none", "--export-markdown", "-", "sleep 1", "sleep 2")
    assert out.count("sleep 1") == 1 and out.count("sleep 2") == 1
    assert out.startswith("| Command |")


@pytest.mark.parametrize("sort", ["auto", "mean-time"])
def test_sort_order_of_the_summary(sort: str) -> None:
    out = ok("sleep 2", "sleep 1", f"--sort={sort}")
    assert benchmarks(out) == ["sleep 2", "sleep 1"]  # blocks in the order given
    assert "'sleep 1' ran\n    2.00 ± 0.00 times faster than 'sleep 2'" in out


def test_sort_by_command_gives_the_relative_speed_table() -> None:
    out = ok("sleep 2", "sleep 1", "--sort=command")
    assert "2.00 ±  0.00  sleep 2\n        1.00          sleep 1" in out
    assert "\n  'sleep 2': median ratio 2.000" in out


@pytest.mark.parametrize(("sort", "first"), [("auto", "sleep 2"), ("mean-time", "sleep 1")])
def test_sort_orders_the_markdown_export_as_hyperfine(sort: str, first: str) -> None:
    out = ok("--style=none", "--export-markdown", "-", f"--sort={sort}", "sleep 2", "sleep 1")
    rows = [line for line in out.splitlines() if line.startswith("| `")]
    assert rows[0].startswith(f"| `{first}`")


def test_zero_time_runs_compare_without_a_foreign_warning() -> None:
    # Issue 19's command: runs that took no time (here exactly, on the fake clock; on a
    # real machine, runs shorter than the shell's spawn time that was subtracted) made
    # every bootstrap ratio 0/0 and numpy printed "RuntimeWarning: All-NaN slice
    # encountered" on stderr.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = published("--runs", "2", "--reference", "echo r", "echo a", "echo b")
    assert result.code == 0
    assert result.err == ""
    assert "cannot be compared with 'echo a': a mean time of 0" in result.out
