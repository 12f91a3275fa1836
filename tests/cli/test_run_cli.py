"""`pbench run` end to end: exit codes, stdout and stderr apart."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from support.cli import Invoke
from support.events import runs_started, still_running, unique, wait_until

FAST = ("--runs", "3", "--style", "basic")


def test_version_and_help(invoke: Invoke) -> None:
    result = invoke("--version")
    assert result.code == 0 and "pbench, version" in result.out
    result = invoke("--help")
    assert result.code == 0 and "Exit codes:" in result.out and "130" in result.out
    result = invoke("run", "--help")
    assert result.code == 0 and "--parameter-scan" in result.out


def test_two_commands_block_and_summary(invoke: Invoke) -> None:
    # Tenfold apart, so no load on the machine can swap them in the summary
    result = invoke(*FAST, "-N", "sleep 0.003", "sleep 0.03")
    assert result.code == 0, result.err
    assert "Benchmark 1: sleep 0.003" in result.out and "Benchmark 2: sleep 0.03" in result.out
    assert "Time (mean ± σ):" in result.out and "Range (min … max):" in result.out
    assert "'sleep 0.003' ran" in result.out and "times faster than 'sleep 0.03'" in result.out
    assert "Peak memory:" in result.out
    assert result.err == ""


def test_explicit_run_subcommand(invoke: Invoke) -> None:
    result = invoke("run", *FAST, "true")
    assert result.code == 0 and "Benchmark 1: true" in result.out


def test_command_not_found(invoke: Invoke) -> None:
    result = invoke(*FAST, "no-such-command-xyz")
    assert result.code == 1
    assert "command not found: 'no-such-command-xyz'" in result.err
    assert "Traceback" not in result.err + result.out


def test_non_zero_exit_names_run_and_hints(invoke: Invoke) -> None:
    result = invoke(*FAST, "-N", "false")
    assert result.code == 1
    assert "'false' terminated with non-zero exit code 1 in warmup" in result.err or (
        "'false' terminated with non-zero exit code 1 in run 1" in result.err
    )
    assert "--ignore-failure" in result.err and "--show-output" in result.err


def test_ignore_failure(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = invoke(*FAST, "-i", "sh -c 'exit 3'", "--export-json", str(out))
    assert result.code == 0, result.err
    assert "runs failed (exit code 3 (3x))" in result.out
    assert json.loads(out.read_text())["results"][0]["exit_codes"] == [3, 3, 3]
    assert invoke(*FAST, "--ignore-failure=3", "sh -c 'exit 3'").code == 0
    result = invoke(*FAST, "--ignore-failure=3", "sh -c 'exit 4'")
    assert result.code == 1 and "exit code 4" in result.err


def test_failing_hook(invoke: Invoke) -> None:
    result = invoke(*FAST, "--prepare", "exit 7", "true")
    assert result.code == 1
    assert "the prepare command 'exit 7' exited with code 7" in result.err


def test_timeout_kills_and_fails(invoke: Invoke) -> None:
    duration = unique("29.3131")
    start = time.monotonic()
    result = invoke(*FAST, "--timeout", "200ms", f"sleep {duration}")
    assert result.code == 1
    assert f"'sleep {duration}' failed in run 1: timed out after 0.2 s" in result.err
    assert "raise --timeout" in result.err
    assert time.monotonic() - start < 10  # killed, not waited for: 29 s
    assert not still_running(duration)


def test_usage_errors_exit_2(invoke: Invoke, tmp_path: Path) -> None:
    cases = [
        (("--runs", "3", "--min-runs", "2", "true"), "--runs cannot be combined"),
        (("-N", "-S", "bash", "true"), "-N and --shell contradict"),
        (("-P", "n", "5", "1", "echo {n}"), "is empty"),
        (("--warmup", "-1", "true"), "-1"),
        (("--timeout", "soon", "true"), "is not a duration"),
        (("--no-such-flag", "true"), "No such option"),
        (("--export-json", str(tmp_path / "missing" / "x.json"), "true"), "missing"),
        (("--min-runs", "5", "--max-runs", "2", "true"), "larger than --max-runs"),
        (("-n", "a", "-n", "b", "true"), "2 --command-name given for 1 commands"),
        (
            ("--prepare", "a", "--prepare", "b", "true", "true", "true"),
            "--prepare was given 2 times",
        ),
        (("--env", "1BAD", "true"), "is not NAME=VALUE"),
    ]
    for args, message in cases:
        result = invoke(*args)
        assert result.code == 2, (args, result.err)
        assert message in result.err, (args, result.err)
        assert "Traceback" not in result.err


def test_hook_order_via_log_file(invoke: Invoke, tmp_path: Path) -> None:
    log = tmp_path / "log"
    result = invoke(
        "--runs", "2", "--warmup", "1", "--style", "none",
        "-s", f"echo setup >> {log}", "-p", f"echo prepare >> {log}",
        "-C", f"echo conclude >> {log}", "-c", f"echo cleanup >> {log}",
        f"echo run >> {log}",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert log.read_text().split() == [
        "setup",
        *["prepare", "run", "conclude"] * 3,  # one warmup, two runs
        "cleanup",
    ]


def test_input_file_feeds_every_run_from_its_start(invoke: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "nums.txt"
    source.write_text("".join(f"{i}\n" for i in range(1, 11)))  # seq 1 10: 21 bytes
    out, log = tmp_path / "out.txt", tmp_path / "log"
    result = invoke(
        "--runs", "4", "--warmup", "2", "--style", "none",
        "--input", str(source), "--output", str(out),
        f"cat | wc -c | tee -a {log}",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert log.read_text().split() == ["21"] * 6  # two warmups, four runs: all of it
    assert out.read_text().split() == ["21"]  # emptied before every run, as hyperfine
    result = invoke(
        "--runs", "4", "--style", "none", "--input", str(source), "--output", str(out),
        "head -c 4",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert out.read_text() == "1\n2\n"


def per_parameter_hooks(log: Path) -> list[str]:
    return [
        "--runs", "2", "--warmup", "1",
        "-s", f"echo setup{{d}} >> {log}", "-p", f"echo prepare{{d}} >> {log}",
        "-c", f"echo cleanup{{d}} >> {log}", "-L", "d", "1,2",
        f"sh -c 'echo run{{d}} >> {log}'",
    ]  # fmt: skip


HYPERFINE_HOOK_LOG = [
    "setup1", *["prepare1", "run1"] * 3, "cleanup1",  # one warmup, two runs
    "setup2", *["prepare2", "run2"] * 3, "cleanup2",
]  # fmt: skip


def test_setup_per_parameter_runs_right_before_its_benchmark(
    invoke: Invoke, tmp_path: Path
) -> None:
    for order in ("sequential", "interleaved"):
        log, out = tmp_path / f"{order}.log", tmp_path / f"{order}.json"
        result = invoke(
            "--order", order, "--style", "none", "--export-json", str(out),
            *per_parameter_hooks(log),
        )  # fmt: skip
        assert result.code == 0, result.err
        assert log.read_text().split() == HYPERFINE_HOOK_LOG, order
        entries = json.loads(out.read_text())["results"]
        assert [e["info"]["order"] for e in entries] == ["sequential", "sequential"]
        if order == "interleaved":  # switched, and said so once
            assert result.err.count("pbench: note:") == 1, result.err
            assert "--setup and --cleanup differ between benchmarks" in result.err
            assert "sequential order" in entries[0]["notes"][0]
        else:
            assert result.err == ""


def test_setup_state_is_each_benchmarks_own(invoke: Invoke, tmp_path: Path) -> None:
    # The "check out and build per parameter" pattern: the setup leaves state that the
    # runs of its benchmark, and only those, depend on.
    out, current = tmp_path / "r.json", tmp_path / "cur"
    result = invoke(
        "--runs", "3", "--style", "none", "--export-json", str(out),
        "-L", "d", "0.05,0.2", "-n", "d={d}", "-s", f"echo {{d}} > {current}",
        f"sleep $(cat {current})",
    )  # fmt: skip
    assert result.code == 0, result.err
    medians = [e["median"] for e in json.loads(out.read_text())["results"]]
    assert 0.045 < medians[0] < 0.15 and medians[1] > 0.19, medians


def test_identical_setup_stays_interleaved(invoke: Invoke, tmp_path: Path) -> None:
    log, out = tmp_path / "log", tmp_path / "r.json"
    result = invoke(
        "--runs", "2", "--style", "none", "--export-json", str(out),
        "-s", f"echo setup >> {log}", "-c", f"echo cleanup >> {log}", "-L", "d", "1,2",
        f"sh -c 'echo run{{d}} >> {log}'",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.err == ""
    lines = log.read_text().split()
    assert lines[:2] == ["setup", "setup"] and lines[-2:] == ["cleanup", "cleanup"]
    assert sorted(lines[2:-2]) == ["run1", "run1", "run2", "run2"]
    entries = json.loads(out.read_text())["results"]
    assert [e["info"]["order"] for e in entries] == ["interleaved", "interleaved"]
    assert not any("sequential order" in note for e in entries for note in e["notes"])


def test_hook_log_matches_hyperfines(invoke: Invoke, tmp_path: Path, hyperfine: str) -> None:
    theirs, ours = tmp_path / "hyperfine.log", tmp_path / "pbench.log"
    subprocess.run(
        [hyperfine, "--style", "none", *per_parameter_hooks(theirs)],
        check=True,
        capture_output=True,
    )
    assert theirs.read_text().split() == HYPERFINE_HOOK_LOG  # what the tests above expect
    result = invoke("--style", "none", *per_parameter_hooks(ours))
    assert result.code == 0, result.err
    assert ours.read_text().split() == theirs.read_text().split()


def test_parameters_names_and_json(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = invoke(
        *FAST, "-P", "n", "1", "2", "-L", "w", "a,b", "-n", "job {w}{n}",
        "sh -c 'echo {w} >/dev/null; sleep 0.00{n}'", "--export-json", str(out),
    )  # fmt: skip
    assert result.code == 0, result.err
    data = json.loads(out.read_text())
    names = [r["name"] for r in data["results"]]
    assert names == ["job a1", "job a2", "job b1", "job b2"]  # the first parameter fastest
    assert data["results"][0]["parameters"] == {"n": "1", "w": "a"}
    assert data["results"][0]["command"] == "job a1"
    assert data["results"][0]["command_line"] == "sh -c 'echo a >/dev/null; sleep 0.001'"


def test_reference_is_added_and_compared(invoke: Invoke) -> None:
    result = invoke(*FAST, "-N", "--reference", "sleep 0.03", "sleep 0.003")
    assert result.code == 0, result.err
    assert "Benchmark 1: sleep 0.03" in result.out
    assert "'sleep 0.03' ran" in result.out and "times slower than 'sleep 0.003'" in result.out


def test_shell_mode_recorded_and_overhead_subtracted(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = invoke(*FAST, "echo a | cat", "-N", "--export-json", str(out))
    assert result.code == 0  # -N: no shell; echo gets '|' and 'cat' as words
    assert json.loads(out.read_text())["results"][0]["info"]["argv"] == ["echo", "a", "|", "cat"]
    result = invoke(*FAST, "echo a | cat", "sleep 0.001", "--export-json", str(out))
    assert result.code == 0, result.err
    first, second = json.loads(out.read_text())["results"]
    assert first["info"]["shell_mode"] == "shell" and second["info"]["shell_mode"] == "direct"
    assert "subtracted the shell's spawn time" in first["notes"][0]
    assert "shell_overhead" in first and second["notes"] == []


def test_env_option(invoke: Invoke) -> None:
    assert invoke(*FAST, "--env", "FOO=bar", 'test "$FOO" = bar').code == 0
    assert invoke(*FAST, 'test "$FOO" = bar', env={"FOO": "baz"}).code == 1


def test_stdout_export_with_style_none(invoke: Invoke) -> None:
    result = invoke("--runs", "2", "--style", "none", "--export-json", "-", "true")
    assert result.code == 0
    data = json.loads(result.out)
    assert data["results"][0]["command"] == "true" and len(data["results"][0]["times"]) == 2


def test_seed_reproduces_order(invoke: Invoke, tmp_path: Path) -> None:
    def order(seed: str, name: str) -> list[tuple[int, int]]:
        out = tmp_path / name
        invoke("--runs", "4", "--style", "none", "--seed", seed, "true", "false -h || true",
               "--export-json", str(out))  # fmt: skip
        result = json.loads(out.read_text())["results"][0]
        return [(m["round"], m["position"]) for m in result["measurements"]]

    assert order("5", "a.json") == order("5", "b.json")


def test_colour_follows_style_and_no_color(invoke: Invoke) -> None:
    coloured = invoke("--runs", "2", "--style", "color", "true")
    assert "\x1b[" in coloured.out
    plain = invoke("--runs", "2", "--style", "full", "true", env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.out


def test_ctrl_c_writes_partial_export_and_exits_130(tmp_path: Path) -> None:
    out = tmp_path / "partial.json"
    duration = unique("0.0513")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pbench", "--style", "basic", "--runs", "1000",
         f"sleep {duration}", "--export-json", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    started = runs_started(proc.pid, duration)
    wait_until(lambda: started() >= 3, "two runs of the benchmark finished")
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    data = json.loads(out.read_text())
    kept = data["results"][0]
    assert 0 < len(kept["times"]) < 1000 and kept["stop_reason"] == "interrupted"
    assert f"Benchmark 1: sleep {duration}" in stdout
    time.sleep(0.1)
    assert not still_running(duration)
    assert not list(tmp_path.glob(".*tmp*"))  # no temporary file left behind
    assert os.listdir(tmp_path) == ["partial.json"]
