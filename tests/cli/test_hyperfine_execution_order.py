"""hyperfine's execution-order tests (tests/execution_order_tests.rs of sharkdp/hyperfine
1.20), run through pbench: the same command lines, every benchmarked command and hook a
real ``echo TEXT >> LOG`` subprocess, and the log compared with hyperfine's.

Each test runs twice. ``--order sequential`` must give hyperfine's log line for line.
The default interleaved order shuffles the runs of different benchmarks in rounds, so
there the log must hold the same lines, each --prepare right before its own run and each
--conclude right after it, the setups before every run and the cleanups after. Where
hyperfine 1.15 (Debian's, which the test setup installs) already has every flag a test
uses, hyperfine itself runs the same command line too and must write the expected log.

hyperfine's test, then the test here:

- benchmarks_are_executed_sequentially_one
  → test_one_run_of_each_command_in_turn
- benchmarks_are_executed_sequentially
  → test_runs_of_one_command_then_the_next
- warmup_runs_are_executed_before_benchmarking_runs
  → test_warmups_before_the_runs
- setup_commands_are_executed_before_each_series_of_timing_runs
  → test_setup_before_each_series_of_runs
- prepare_commands_are_executed_before_each_timing_run
  → test_prepare_before_every_run
- conclude_commands_are_executed_after_each_timing_run
  → test_conclude_after_every_run
- prepare_commands_are_executed_before_each_warmup
  → test_prepare_before_every_warmup_too
- conclude_commands_are_executed_after_each_warmup
  → test_conclude_after_every_warmup_too
- cleanup_commands_are_executed_once_after_each_benchmark
  → test_cleanup_once_after_each_benchmark
- setup_prepare_cleanup_combined
  → test_setup_prepare_cleanup
- setup_prepare_conclude_cleanup_combined
  → test_setup_prepare_conclude_cleanup
- single_parameter_value
  → test_one_parameter_list
- multiple_parameter_values
  → test_two_parameter_lists_first_fastest
- reference_is_executed_first
  → test_reference_first
- reference_is_executed_first_parameter_value
  → test_reference_first_then_the_scan
- reference_is_executed_separately_from_commands
  → test_reference_equal_to_a_command_runs_apart
- setup_prepare_reference_conclude_cleanup_combined
  → test_reference_gets_every_hook
- setup_separate_prepare_separate_conclude_cleanup_combined
  → test_one_prepare_and_conclude_per_command
- setup_separate_prepare_reference_separate_conclude_cleanup_combined
  → test_reference_has_the_first_of_each_list
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.cli import Invoke


class HookLog:
    """Command lines that append a word to one log file, and what each word is."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.roles: dict[str, str] = {}

    def line(self, word: str, role: str = "command") -> str:
        self.roles.setdefault(word, role)
        return f"echo {word} >> {self.path}"

    def hook(self, flag: str, word: str) -> list[str]:
        return [f"--{flag}", self.line(word, flag)]

    def read(self) -> list[str]:
        return self.path.read_text().splitlines() if self.path.exists() else []


@pytest.fixture(params=["sequential", "interleaved"])
def order(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def log(tmp_path: Path) -> Iterator[HookLog]:
    yield HookLog(tmp_path / "output.log")


def run(invoke: Invoke, log: HookLog, order: str, *args: str) -> list[str]:
    """``pbench --order ORDER ARGS`` exits 0; the lines it logged."""
    result = invoke("--order", order, *args)
    assert result.code == 0, result.err
    assert result.err == "", result.err  # no note: these hooks never force the order
    return log.read()


def check(log: HookLog, order: str, got: list[str], expected: list[str]) -> None:
    if order == "sequential":
        assert got == expected
        return
    assert Counter(got) == Counter(expected)
    assert Counter(runs_with_hooks(log, got)) == Counter(runs_with_hooks(log, expected))
    commands = [i for i, word in enumerate(got) if log.roles[word] == "command"]
    for i, word in enumerate(got):
        role = log.roles[word]
        if role == "prepare":  # right before a run
            assert log.roles[got[i + 1]] == "command", (i, got)
        elif role == "conclude":  # right after a run
            assert log.roles[got[i - 1]] == "command", (i, got)
        elif role == "setup":
            assert i < commands[0], (i, got)
        elif role == "cleanup":
            assert i > commands[-1], (i, got)


def runs_with_hooks(log: HookLog, lines: list[str]) -> list[tuple[str | None, str, str | None]]:
    """Each run with the --prepare logged right before it and the --conclude right after."""
    found = []
    for i, word in enumerate(lines):
        if log.roles[word] != "command":
            continue
        before = lines[i - 1] if i > 0 and log.roles[lines[i - 1]] == "prepare" else None
        after = lines[i + 1] if i + 1 < len(lines) else None
        found.append((before, word, after if after and log.roles[after] == "conclude" else None))
    return found


def check_with_hyperfine(hyperfine: str, log: HookLog, expected: list[str], *args: str) -> None:
    """hyperfine itself (1.15 here) writes ``expected`` for the same command line."""
    log.path.unlink(missing_ok=True)
    subprocess.run(
        [hyperfine, "--style", "none", *args], check=True, capture_output=True, timeout=120
    )
    assert log.read() == expected


def test_one_run_of_each_command_in_turn(
    invoke: Invoke, log: HookLog, order: str, hyperfine: str
) -> None:
    args = ["--runs=1", log.line("command 1"), log.line("command 2")]
    expected = ["command 1", "command 2"]
    check(log, order, run(invoke, log, order, *args), expected)
    if order == "sequential":
        check_with_hyperfine(hyperfine, log, expected, *args)


def test_runs_of_one_command_then_the_next(
    invoke: Invoke, log: HookLog, order: str, hyperfine: str
) -> None:
    args = ["--runs=2", log.line("command 1"), log.line("command 2")]
    expected = ["command 1", "command 1", "command 2", "command 2"]
    check(log, order, run(invoke, log, order, *args), expected)
    if order == "sequential":
        check_with_hyperfine(hyperfine, log, expected, *args)


def test_warmups_before_the_runs(invoke: Invoke, log: HookLog, order: str, hyperfine: str) -> None:
    args = ["--runs=2", "--warmup=3", log.line("command 1")]
    expected = ["command 1"] * 5
    check(log, order, run(invoke, log, order, *args), expected)
    if order == "sequential":
        check_with_hyperfine(hyperfine, log, expected, *args)


def test_setup_before_each_series_of_runs(
    invoke: Invoke, log: HookLog, order: str, hyperfine: str
) -> None:
    args = ["--runs=2", *log.hook("setup", "setup"), log.line("command 1"), log.line("command 2")]
    got = run(invoke, log, order, *args)
    if order == "sequential":
        expected = ["setup", "command 1", "command 1", "setup", "command 2", "command 2"]
        assert got == expected
        check_with_hyperfine(hyperfine, log, expected, *args)
    else:  # one setup per benchmark, all before the first round
        assert got[:2] == ["setup", "setup"]
        assert sorted(got[2:]) == ["command 1", "command 1", "command 2", "command 2"]


def test_prepare_before_every_run(invoke: Invoke, log: HookLog, order: str, hyperfine: str) -> None:
    args = ["--runs=2", *log.hook("prepare", "prepare"), log.line("command 1")]
    args.append(log.line("command 2"))
    expected = ["prepare", "command 1"] * 2 + ["prepare", "command 2"] * 2
    check(log, order, run(invoke, log, order, *args), expected)
    if order == "sequential":
        check_with_hyperfine(hyperfine, log, expected, *args)


def test_conclude_after_every_run(invoke: Invoke, log: HookLog, order: str) -> None:
    args = ["--runs=2", *log.hook("conclude", "conclude"), log.line("command 1")]
    args.append(log.line("command 2"))
    expected = ["command 1", "conclude"] * 2 + ["command 2", "conclude"] * 2
    check(log, order, run(invoke, log, order, *args), expected)


def test_prepare_before_every_warmup_too(
    invoke: Invoke, log: HookLog, order: str, hyperfine: str
) -> None:
    args = ["--warmup=2", "--runs=1", *log.hook("prepare", "prepare")]
    args += [log.line("command 1"), log.line("command 2")]
    # Two warmups and one run of each.
    expected = ["prepare", "command 1"] * 3 + ["prepare", "command 2"] * 3
    check(log, order, run(invoke, log, order, *args), expected)
    if order == "sequential":
        check_with_hyperfine(hyperfine, log, expected, *args)


def test_conclude_after_every_warmup_too(invoke: Invoke, log: HookLog, order: str) -> None:
    args = ["--warmup=2", "--runs=1", *log.hook("conclude", "conclude")]
    args += [log.line("command 1"), log.line("command 2")]
    expected = ["command 1", "conclude"] * 3 + ["command 2", "conclude"] * 3
    check(log, order, run(invoke, log, order, *args), expected)


def test_cleanup_once_after_each_benchmark(
    invoke: Invoke, log: HookLog, order: str, hyperfine: str
) -> None:
    args = ["--runs=2", *log.hook("cleanup", "cleanup"), log.line("command 1")]
    args.append(log.line("command 2"))
    got = run(invoke, log, order, *args)
    if order == "sequential":
        expected = ["command 1", "command 1", "cleanup", "command 2", "command 2", "cleanup"]
        assert got == expected
        check_with_hyperfine(hyperfine, log, expected, *args)
    else:  # both cleanups after the last round
        assert sorted(got[:4]) == ["command 1", "command 1", "command 2", "command 2"]
        assert got[4:] == ["cleanup", "cleanup"]


def test_setup_prepare_cleanup(invoke: Invoke, log: HookLog, order: str, hyperfine: str) -> None:
    args = ["--warmup=1", "--runs=2", *log.hook("setup", "setup"), *log.hook("prepare", "prepare")]
    args += [log.line("command1"), log.line("command2"), *log.hook("cleanup", "cleanup")]
    expected = [
        "setup", *["prepare", "command1"] * 3, "cleanup",
        "setup", *["prepare", "command2"] * 3, "cleanup",
    ]  # fmt: skip
    check(log, order, run(invoke, log, order, *args), expected)
    if order == "sequential":
        check_with_hyperfine(hyperfine, log, expected, *args)


def test_setup_prepare_conclude_cleanup(invoke: Invoke, log: HookLog, order: str) -> None:
    args = ["--warmup=1", "--runs=2", *log.hook("setup", "setup"), *log.hook("prepare", "prepare")]
    args += [log.line("command1"), log.line("command2"), *log.hook("conclude", "conclude")]
    args += log.hook("cleanup", "cleanup")
    expected = [
        "setup", *["prepare", "command1", "conclude"] * 3, "cleanup",
        "setup", *["prepare", "command2", "conclude"] * 3, "cleanup",
    ]  # fmt: skip
    check(log, order, run(invoke, log, order, *args), expected)


def test_one_parameter_list(invoke: Invoke, log: HookLog, order: str, hyperfine: str) -> None:
    args = ["--runs=2", "--parameter-list", "number", "1,2,3", log.line("command {number}")]
    for word in ("command 1", "command 2", "command 3"):
        log.roles[word] = "command"
    expected = ["command 1"] * 2 + ["command 2"] * 2 + ["command 3"] * 2
    check(log, order, run(invoke, log, order, *args), expected)
    if order == "sequential":
        check_with_hyperfine(hyperfine, log, expected, *args)


def test_two_parameter_lists_first_fastest(
    invoke: Invoke, log: HookLog, order: str, hyperfine: str
) -> None:
    args = ["--runs=2", "--parameter-list", "number", "1,2,3", "--parameter-list", "letter"]
    args += ["a,b", log.line("command {number} {letter}")]
    combos = [f"command {n} {x}" for x in "ab" for n in "123"]  # the first -L fastest
    log.roles.update(dict.fromkeys(combos, "command"))
    expected = [word for word in combos for _ in range(2)]
    check(log, order, run(invoke, log, order, *args), expected)
    if order == "sequential":
        check_with_hyperfine(hyperfine, log, expected, *args)


def test_reference_first(invoke: Invoke, log: HookLog, order: str) -> None:
    args = ["--runs=1", "--reference", log.line("reference"), log.line("command 1")]
    args.append(log.line("command 2"))
    check(log, order, run(invoke, log, order, *args), ["reference", "command 1", "command 2"])


def test_reference_first_then_the_scan(invoke: Invoke, log: HookLog, order: str) -> None:
    args = ["--runs=2", "--reference", log.line("reference"), "--parameter-list", "number"]
    args += ["1,2,3", log.line("command {number}")]
    for word in ("command 1", "command 2", "command 3"):
        log.roles[word] = "command"
    expected = ["reference"] * 2 + ["command 1"] * 2 + ["command 2"] * 2 + ["command 3"] * 2
    check(log, order, run(invoke, log, order, *args), expected)


def test_reference_equal_to_a_command_runs_apart(
    invoke: Invoke, log: HookLog, order: str, tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    args = ["--runs=1", "--reference", log.line("command 1"), log.line("command 1")]
    args += [log.line("command 2"), "--export-json", str(out)]
    check(log, order, run(invoke, log, order, *args), ["command 1", "command 1", "command 2"])
    results = json.loads(out.read_text())
    names = [r["name"] for r in results["results"]]
    assert names == [log.line("command 1"), log.line("command 1") + " (2)", log.line("command 2")]
    assert results["reference"] == names[0]


def test_reference_gets_every_hook(invoke: Invoke, log: HookLog, order: str) -> None:
    args = ["--warmup=1", "--runs=2", *log.hook("setup", "setup"), *log.hook("prepare", "prepare")]
    args += ["--reference", log.line("reference"), log.line("command1"), log.line("command2")]
    args += [*log.hook("conclude", "conclude"), *log.hook("cleanup", "cleanup")]
    expected = [
        "setup", *["prepare", "reference", "conclude"] * 3, "cleanup",
        "setup", *["prepare", "command1", "conclude"] * 3, "cleanup",
        "setup", *["prepare", "command2", "conclude"] * 3, "cleanup",
    ]  # fmt: skip
    check(log, order, run(invoke, log, order, *args), expected)


def test_one_prepare_and_conclude_per_command(invoke: Invoke, log: HookLog, order: str) -> None:
    args = ["--warmup=1", "--runs=2", *log.hook("setup", "setup"), *log.hook("cleanup", "cleanup")]
    args += [*log.hook("prepare", "prepare1"), log.line("command1")]
    args += [*log.hook("conclude", "conclude1"), *log.hook("prepare", "prepare2")]
    args += [log.line("command2"), *log.hook("conclude", "conclude2")]
    expected = [
        "setup", *["prepare1", "command1", "conclude1"] * 3, "cleanup",
        "setup", *["prepare2", "command2", "conclude2"] * 3, "cleanup",
    ]  # fmt: skip
    check(log, order, run(invoke, log, order, *args), expected)


def test_reference_has_the_first_of_each_list(invoke: Invoke, log: HookLog, order: str) -> None:
    args = ["--warmup=1", "--runs=2", *log.hook("setup", "setup"), *log.hook("cleanup", "cleanup")]
    args += [*log.hook("prepare", "prepareref"), "--reference", log.line("reference")]
    args += [*log.hook("conclude", "concluderef"), *log.hook("prepare", "prepare1")]
    args += [log.line("command1"), *log.hook("conclude", "conclude1")]
    args += [*log.hook("prepare", "prepare2"), log.line("command2")]
    args += log.hook("conclude", "conclude2")
    expected = [
        "setup", *["prepareref", "reference", "concluderef"] * 3, "cleanup",
        "setup", *["prepare1", "command1", "conclude1"] * 3, "cleanup",
        "setup", *["prepare2", "command2", "conclude2"] * 3, "cleanup",
    ]  # fmt: skip
    check(log, order, run(invoke, log, order, *args), expected)
