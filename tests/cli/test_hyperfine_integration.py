"""hyperfine's integration tests (tests/integration_tests.rs of sharkdp/hyperfine 1.20)
that need no ``--debug-mode``, run through pbench with the same command lines: the same
exit status (0, or non-zero where hyperfine fails: 1 for a failed benchmark, 2 for a
usage error, which hyperfine exits 1 for) and the same output, in pbench's wording.
Where the output of the benchmarked command is the point (``--show-output``), pbench
runs as a real process, since the commands write to its file descriptor 1. Where
hyperfine 1.15 (Debian's, which the test setup installs) has the flags, it runs the
same command line and must agree on success or failure. The ``--debug-mode`` tests are
in tests/session/test_hyperfine_debug_mode.py, the execution-order tests in
test_hyperfine_execution_order.py.

hyperfine's test, then the test here:

- runs_successfully → test_runs_successfully
- one_run_is_supported → test_one_run_is_supported
- can_run_commands_without_a_shell → test_runs_commands_without_a_shell
- fails_with_wrong_number_of_command_name_arguments → test_too_many_command_names
- fails_with_wrong_number_of_prepare_options,
  fails_with_wrong_number_of_conclude_options → test_number_of_prepare_or_conclude_options
- fails_with_duplicate_parameter_names → test_duplicate_parameter_names
- fails_for_unknown_command → test_unknown_command
- fails_for_unknown_command_without_shell → test_unknown_command_without_a_shell
- fails_for_failing_command_without_shell → test_failing_command_without_a_shell
- fails_for_unknown_setup_command, fails_for_unknown_cleanup_command,
  fails_for_unknown_prepare_command, fails_for_unknown_conclude_command
  → test_unknown_hook_command
- can_run_failing_commands_with_ignore_failure_option → test_ignore_failure
- can_ignore_specific_exit_codes → test_ignore_specific_exit_codes
- can_ignore_multiple_exit_codes → test_ignore_several_exit_codes
- ignore_failure_with_all_non_zero → test_ignore_failure_all_non_zero
- shows_output_of_benchmarked_command → test_shows_the_output_of_every_run
- runs_commands_using_user_defined_shell → test_user_defined_shell
- can_pass_input_to_command_from_a_file → test_input_from_a_file
- fails_if_invalid_stdin_data_file_provided → test_missing_input_file
- exports_intermediate_results_to_file → test_exports_what_finished_before_a_failure
- unused_parameters_are_shown_in_benchmark_name → test_unused_parameters_in_the_name
- (windows_quote_args, windows_quote_before_quote_args: Windows only)

Then the other behaviours of issue 19: the same command twice, a parameter only the
setup uses, -L values, --reference-name without --reference, hooks, names and --output
per benchmark or per command, ``-S default`` and ``--min-benchmarking-time``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from support.cli import Invoke

UNKNOWN = "some-nonexisting-program-b5d9574198b7e4b12a71fa4747c0a577"


def hyperfine_agrees(hyperfine: str, code: int, *args: str) -> None:
    """hyperfine (1.15) succeeds on ``args`` exactly when pbench did (exit ``code``)."""
    theirs = subprocess.run([hyperfine, *args], capture_output=True, text=True, timeout=120)
    assert (theirs.returncode == 0) == (code == 0), (args, theirs.stderr)


def pbench_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """pbench as a real process: the benchmarked commands write to its stdout."""
    return subprocess.run(
        [sys.executable, "-m", "pbench", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def test_runs_successfully(invoke: Invoke, hyperfine: str) -> None:
    result = invoke("--runs=2", "echo dummy benchmark")
    assert result.code == 0, result.err
    assert "Benchmark 1: echo dummy benchmark" in result.out
    hyperfine_agrees(hyperfine, result.code, "--runs=2", "echo dummy benchmark")


def test_one_run_is_supported(invoke: Invoke, hyperfine: str) -> None:
    result = invoke("--runs=1", "echo dummy benchmark")
    assert result.code == 0, result.err
    assert "1 run" in result.out
    hyperfine_agrees(hyperfine, result.code, "--runs=1", "echo dummy benchmark")


def test_runs_commands_without_a_shell(hyperfine: str) -> None:
    args = ["--runs=1", "--show-output", "--shell=none", "echo 'hello world' argument2"]
    done = pbench_process(*args)
    assert done.returncode == 0, done.stderr
    assert "hello world argument2" in done.stdout
    hyperfine_agrees(hyperfine, done.returncode, *args)


def test_too_many_command_names(invoke: Invoke, hyperfine: str) -> None:
    args = ["--command-name=a", "--command-name=b", "echo a"]
    result = invoke(*args)
    assert result.code == 2
    assert "2 --command-name given for 1 commands" in result.err
    hyperfine_agrees(hyperfine, result.code, *args)


@pytest.mark.parametrize("flag", ["prepare", "conclude"])
def test_number_of_prepare_or_conclude_options(invoke: Invoke, flag: str, hyperfine: str) -> None:
    one_each = [f"--{flag}=echo a", f"--{flag}=echo b"]
    result = invoke("--runs=1", *one_each, "echo a", "echo b")
    assert result.code == 0, result.err
    if flag == "prepare":  # hyperfine 1.15 has no --conclude
        hyperfine_agrees(hyperfine, result.code, "--runs=1", *one_each, "echo a", "echo b")
    # The reference counts, first.
    result = invoke(
        "--runs=1", f"--{flag}=echo ref", *one_each, "--reference=echo ref", "echo a", "echo b"
    )
    assert result.code == 0, result.err
    three = ["--runs=1", *one_each, "echo a", "echo b", "echo c"]
    result = invoke(*three)
    assert result.code == 2
    assert f"--{flag} was given 2 times for 3 benchmarks" in result.err
    if flag == "prepare":
        hyperfine_agrees(hyperfine, result.code, *three)
    result = invoke("--runs=1", *one_each, "--reference=echo ref", "echo a", "echo b")
    assert result.code == 2
    assert f"--{flag} was given 2 times for 3 benchmarks (including the --reference" in result.err


def test_each_conclude_after_its_own_benchmark(invoke: Invoke, tmp_path: Path) -> None:
    # The reference's conclude is its own, the first given; the others' theirs.
    log = tmp_path / "log"
    result = invoke(
        "--runs=1", "--style=none", "--order=sequential",
        f"--conclude=echo after-ref >> {log}", f"--conclude=echo after-a >> {log}",
        f"--conclude=echo after-b >> {log}", f"--reference=echo ref >> {log}",
        f"echo a >> {log}", f"echo b >> {log}",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert log.read_text().split() == ["ref", "after-ref", "a", "after-a", "b", "after-b"]


def test_duplicate_parameter_names(invoke: Invoke, hyperfine: str) -> None:
    args = ["--parameter-list", "x", "1,2,3", "--parameter-list", "x", "a,b,c", "echo test"]
    result = invoke(*args)
    assert result.code == 2
    assert "parameter name used twice: x" in result.err
    hyperfine_agrees(hyperfine, result.code, *args)


def test_unknown_command(invoke: Invoke, hyperfine: str) -> None:
    result = invoke("--runs=1", UNKNOWN)
    assert result.code == 1
    assert f"command not found: '{UNKNOWN}'" in result.err
    hyperfine_agrees(hyperfine, result.code, "--runs=1", UNKNOWN)


def test_unknown_command_without_a_shell(invoke: Invoke, hyperfine: str) -> None:
    result = invoke("--shell=none", "--runs=1", UNKNOWN)
    assert result.code == 1
    assert f"command not found: '{UNKNOWN}'" in result.err
    hyperfine_agrees(hyperfine, result.code, "--shell=none", "--runs=1", UNKNOWN)


def test_failing_command_without_a_shell(invoke: Invoke, hyperfine: str) -> None:
    result = invoke("--shell=none", "--runs=1", "false")
    assert result.code == 1
    assert "terminated with non-zero exit code 1" in result.err
    hyperfine_agrees(hyperfine, result.code, "--shell=none", "--runs=1", "false")


@pytest.mark.parametrize("hook", ["setup", "cleanup", "prepare", "conclude"])
def test_unknown_hook_command(invoke: Invoke, hook: str, hyperfine: str) -> None:
    runs = [] if hook in ("prepare", "conclude") else ["--runs=1"]
    args = [*runs, f"--{hook}={UNKNOWN}", "echo test"]
    result = invoke(*args)
    assert result.code == 1
    assert f"the {hook} command '{UNKNOWN}' failed: command not found" in result.err
    if hook != "conclude":  # hyperfine 1.15 has no --conclude
        hyperfine_agrees(hyperfine, result.code, *args)


def test_ignore_failure(invoke: Invoke, hyperfine: str) -> None:
    result = invoke("false")
    assert result.code == 1
    assert "terminated with non-zero exit code 1" in result.err
    hyperfine_agrees(hyperfine, result.code, "false")
    result = invoke("--runs=1", "--ignore-failure", "false")
    assert result.code == 0, result.err
    hyperfine_agrees(hyperfine, result.code, "--runs=1", "--ignore-failure", "false")


def test_ignore_specific_exit_codes(invoke: Invoke) -> None:
    assert invoke("--runs=1", "--ignore-failure=1", "exit 1").code == 0
    result = invoke("--runs=1", "--ignore-failure=1", "exit 2")
    assert result.code == 1
    assert "terminated with non-zero exit code 2" in result.err


def test_ignore_several_exit_codes(invoke: Invoke) -> None:
    for code in (1, 2, 3):
        result = invoke("--runs=1", "--ignore-failure=1,2,3", f"exit {code}")
        assert result.code == 0, result.err
    result = invoke("--runs=1", "--ignore-failure=1,2,3", "exit 4")
    assert result.code == 1
    assert "terminated with non-zero exit code 4" in result.err


def test_ignore_failure_all_non_zero(invoke: Invoke) -> None:
    result = invoke("--runs=1", "--ignore-failure=all-non-zero", "exit 5")
    assert result.code == 0, result.err


def test_shows_the_output_of_every_run(hyperfine: str) -> None:
    args = ["--runs=2", "--command-name=dummy", "--show-output", "echo 4fd47015"]
    done = pbench_process(*args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("4fd47015") == 2  # two runs, no warmup
    hyperfine_agrees(hyperfine, done.returncode, *args)


def test_user_defined_shell(hyperfine: str) -> None:
    args = ["--runs=1", "--show-output", "--shell", "echo 'custom_shell' '--shell-arg'"]
    done = pbench_process(*args, "echo benchmark")
    assert done.returncode == 0, done.stderr
    assert "custom_shell --shell-arg -c echo benchmark" in done.stdout
    hyperfine_agrees(hyperfine, done.returncode, *args, "echo benchmark")


def test_input_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "example_input_file.txt").write_text("Every run of cat reads me.\n")
    done = pbench_process(
        "--runs=1", "--input=example_input_file.txt", "--show-output", "cat", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "Every run of cat reads me." in done.stdout


def test_missing_input_file(invoke: Invoke) -> None:
    result = invoke("--runs=1", "--input=example_non_existent_file.txt", "--show-output", "cat")
    assert result.code == 2
    assert "--input: no such file 'example_non_existent_file.txt'" in result.err


def test_exports_what_finished_before_a_failure(
    invoke: Invoke, tmp_path: Path, hyperfine: str
) -> None:
    export = tmp_path / "results.md"
    for order in ("sequential", "interleaved"):
        export.unlink(missing_ok=True)
        result = invoke(
            "--order", order, "--runs=1", "--export-markdown", str(export), "true", "false"
        )
        assert result.code == 1
        assert "`true`" in export.read_text(), order
    # (hyperfine 1.15 writes an empty table when a mean is 0 after it subtracts the
    # shell's spawn time, as `true` often is: only its exit status is compared.)
    theirs = tmp_path / "theirs.md"
    hyperfine_agrees(hyperfine, 1, "--runs=1", "--export-markdown", str(theirs), "true", "false")


def test_unused_parameters_in_the_name(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    args = ["--runs=2", "--parameter-list", "branch", "master,feature", "echo test"]
    result = invoke(*args, "--export-json", str(out))
    assert result.code == 0, result.err
    assert "Benchmark 1: echo test (branch = master)" in result.out
    assert "Benchmark 2: echo test (branch = feature)" in result.out
    entries = json.loads(out.read_text())["results"]
    assert [e["command"] for e in entries] == [
        "echo test (branch = master)",
        "echo test (branch = feature)",
    ]
    assert [e["command_line"] for e in entries] == ["echo test", "echo test"]
    assert [e["parameters"] for e in entries] == [{"branch": "master"}, {"branch": "feature"}]


# -- the rest of issue 19 --------------------------------------------------------------


def test_a_parameter_only_the_setup_uses(invoke: Invoke, tmp_path: Path, hyperfine: str) -> None:
    # The way to compare branches: check each out in --setup, run the same command.
    ours, theirs = tmp_path / "ours.log", tmp_path / "theirs.log"

    def args(log: Path) -> list[str]:
        return [
            "--runs=2", "-L", "branch", "master,feature",
            "--setup", f"echo checkout {{branch}} >> {log}", f"echo test >> {log}",
        ]  # fmt: skip

    result = invoke(*args(ours))
    assert result.code == 0, result.err
    names = [f"echo test >> {ours} (branch = master)", f"echo test >> {ours} (branch = feature)"]
    assert [f"Benchmark {i}: {n}" in result.out for i, n in enumerate(names, 1)] == [True] * 2
    assert "--setup differs between benchmarks: measuring in sequential order" in result.err
    expected = ["checkout master", "test", "test", "checkout feature", "test", "test"]
    assert ours.read_text().splitlines() == expected
    hyperfine_agrees(hyperfine, 0, *args(theirs))
    assert theirs.read_text().splitlines() == expected


def test_the_same_command_twice(invoke: Invoke, tmp_path: Path) -> None:
    # The A/A check people run by hand: both run, named apart everywhere.
    out = tmp_path / "r.json"
    for order in ("interleaved", "sequential"):
        result = invoke(
            "--order", order, "--runs=5", "sleep 0.005", "sleep 0.005", "--export-json", str(out)
        )
        assert result.code == 0, result.err
        assert "Benchmark 1: sleep 0.005\n" in result.out
        assert "Benchmark 2: sleep 0.005 (2)\n" in result.out
        document = json.loads(out.read_text())
        names = [e["name"] for e in document["results"]]
        assert names == ["sleep 0.005", "sleep 0.005 (2)"]
        assert [len(e["times"]) for e in document["results"]] == [5, 5]
        assert [e["command_line"] for e in document["results"]] == ["sleep 0.005"] * 2
        (comparison,) = document["comparisons"]
        assert {comparison["name"], comparison["reference"]} == set(names)


def test_a_repeated_name_is_told_apart_from_a_taken_one(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = invoke(
        "--runs=1", "--style=none", "-n", "x", "-n", "x (2)", "-n", "x", "true", "true", "true",
        "--export-json", str(out),
    )  # fmt: skip
    assert result.code == 0, result.err
    assert [e["name"] for e in json.loads(out.read_text())["results"]] == ["x", "x (2)", "x (3)"]


def test_parameter_list_values_as_hyperfine_splits_them(
    invoke: Invoke, tmp_path: Path, hyperfine: str
) -> None:
    ours, theirs = tmp_path / "ours.log", tmp_path / "theirs.log"
    for log in (ours, theirs):
        args = ["--runs=1", "--style=none", "-L", "x", r"a\,b,,c", f"echo [{{x}}] >> {log}"]
        if log == ours:
            result = invoke("--order=sequential", *args)
            assert result.code == 0, result.err
        else:
            hyperfine_agrees(hyperfine, 0, *args)
    assert ours.read_text().splitlines() == ["[a,b]", "[]", "[c]"]
    assert theirs.read_text().splitlines() == ours.read_text().splitlines()


def test_reference_name_needs_a_reference(invoke: Invoke) -> None:
    result = invoke("--reference-name=ref", "true")
    assert result.code == 2
    assert "--reference-name names the --reference command" in result.err


def test_reference_by_a_given_name(invoke: Invoke, tmp_path: Path) -> None:
    # pbench's own: --reference NAME picks the benchmark named NAME with -n, unmeasured twice.
    out = tmp_path / "r.json"
    result = invoke(
        "--runs=2", "--style=none", "-n", "A", "-n", "B", "true", "sleep 0.01",
        "--reference", "B", "--export-json", str(out),
    )  # fmt: skip
    assert result.code == 0, result.err
    document = json.loads(out.read_text())
    assert [e["name"] for e in document["results"]] == ["A", "B"]
    assert document["reference"] == "B"


def test_hooks_and_names_per_command_or_per_benchmark(invoke: Invoke, tmp_path: Path) -> None:
    log, out = tmp_path / "log", tmp_path / "r.json"
    # Once per command (pbench's own): each command's variants share its hook and name.
    result = invoke(
        "--runs=1", "--style=none", "--order=sequential", "-L", "n", "1,2",
        "-p", f"echo p-first >> {log}", "-p", f"echo p-second >> {log}",
        "-n", "first {n}", "-n", "second {n}",
        f"echo first{{n}} >> {log}", f"echo second{{n}} >> {log}", "--export-json", str(out),
    )  # fmt: skip
    assert result.code == 0, result.err
    assert log.read_text().split() == [
        "p-first", "first1", "p-second", "second1", "p-first", "first2", "p-second", "second2",
    ]  # fmt: skip
    names = [e["name"] for e in json.loads(out.read_text())["results"]]
    assert names == ["first 1", "second 1", "first 2", "second 2"]
    # Once per benchmark (hyperfine's), in the benchmarks' order.
    log.unlink()
    result = invoke(
        "--runs=1", "--style=none", "--order=sequential", "-L", "n", "1,2,3",
        *[arg for i in (1, 2, 3) for arg in ("-p", f"echo p{i} >> {log}", "-n", f"b{i}")],
        f"echo run{{n}} >> {log}", "--export-json", str(out),
    )  # fmt: skip
    assert result.code == 0, result.err
    assert log.read_text().split() == ["p1", "run1", "p2", "run2", "p3", "run3"]
    assert [e["name"] for e in json.loads(out.read_text())["results"]] == ["b1", "b2", "b3"]
    result = invoke("--runs=1", "-L", "n", "1,2,3", "-n", "a", "-n", "b", "echo {n}")
    assert result.code == 2
    assert "2 --command-name given for 3 benchmarks" in result.err


def test_output_once_per_benchmark(invoke: Invoke, tmp_path: Path) -> None:
    # hyperfine's --output, once per benchmark with the reference first: each benchmark
    # writes its own file, emptied before each of its runs.
    ref, mine = tmp_path / "ref.txt", tmp_path / "mine.txt"
    result = invoke(
        "--runs=2", "--style=none", f"--output={ref}", f"--output={mine}",
        "--reference=echo from-ref", "echo from-mine",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert (ref.read_text(), mine.read_text()) == ("from-ref\n", "from-mine\n")
    result = invoke("--runs=1", "--output=null", "--output=pipe", "--output=null", "true", "true")
    assert result.code == 2
    assert "--output was given 3 times for 2 benchmarks" in result.err


def test_default_shell_and_min_benchmarking_time(invoke: Invoke, tmp_path: Path) -> None:
    # hyperfine's -S default is sh, used for every command; --min-benchmarking-time
    # (hidden in hyperfine) is --min-time.
    out = tmp_path / "r.json"
    result = invoke(
        "-S", "default", "--min-benchmarking-time", "0.001", "-M", "2", "--style=none", "true",
        "--export-json", str(out),
    )  # fmt: skip
    assert result.code == 0, result.err
    (entry,) = json.loads(out.read_text())["results"]
    assert entry["info"]["shell_mode"] == "shell" and entry["info"]["shell"] == "sh"
    assert len(entry["times"]) == 2
