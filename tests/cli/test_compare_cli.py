"""``pbench compare`` end to end on pbench and hyperfine JSON files: stdout, stderr, exit code."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from support.cli import run_pbench

DATA = Path(__file__).resolve().parent.parent / "data" / "compare"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    result = run_pbench("compare", *args)
    return result.code, result.out, result.err


def data(name: str) -> str:
    return str(DATA / name)


def table_verdicts(out: str) -> dict[str, str]:
    """benchmark → verdict from the table's rows (the last column)."""
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    verdicts = {}
    for line in lines[rule + 1 :]:
        if not line.strip() or line.startswith(("'", "--fail-if")):
            break
        cells = line.split("  ")
        verdicts[cells[0].strip()] = line.split()[-1]
    return verdicts


def test_same_results_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, data("pbench_base.json"), data("pbench_same.json"))
    assert status == 0
    assert err == ""
    header = out.splitlines()[0].split()
    assert header[:3] == ["benchmark", "baseline", "median"]
    assert "ratio" in header and "verdict" in header and "(Holm)" in header
    assert table_verdicts(out) == {"parse": "same", "render": "same", "startup": "same"}
    assert "10.0 ms (n=30)" in out


def test_regression_exits_3_and_missing_benchmarks_are_reported(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, data("pbench_base.json"), data("pbench_slower.json"))
    assert status == 3
    assert table_verdicts(out) == {"parse": "slower", "render": "same"}
    assert "1.101 [1.09" in out
    assert err.splitlines() == [
        f"pbench: warning: 'startup' is in the baseline {data('pbench_base.json')} "
        "but not in the candidate",
        f"pbench: warning: 'export' is in the candidate {data('pbench_slower.json')} "
        "but not in the baseline",
        "pbench: warning: 'parse': "
        "one file per side, so the interval holds the variation within each run, not between the "
        "two; a change of the machine between them can look like a change of the command: to be "
        "sure, run both commands in one interleaved run (pbench OLD NEW), or compare 3 or more "
        "result files per side, run alternately (--baseline FILE ... --candidate FILE ...)",
    ]


def test_one_file_per_side_defaults_to_the_run_to_run_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Separate invocations of the same command move by 2.5-5.5% on a quiet machine: one
    # file per side, a 3% difference is within the default 5%; a --threshold given rules.
    rng = random.Random(5)

    def hyperfine(path: Path, level: float) -> str:
        times = [level * (1 + rng.gauss(0, 0.002)) for _ in range(20)]
        path.write_text(json.dumps({"results": [{"command": "c", "times": times}]}))
        return str(path)

    a, b = hyperfine(tmp_path / "a.json", 0.100), hyperfine(tmp_path / "b.json", 0.103)
    out_json = tmp_path / "c.json"
    status, out, _ = run(capsys, a, b, "--export-json", str(out_json))
    assert status == 0 and table_verdicts(out)["c"] == "same"
    (entry,) = json.loads(out_json.read_text())["benchmarks"]
    assert entry["comparison"]["threshold"] == 0.05
    status, out, _ = run(capsys, a, b, "--threshold", "1%")
    assert status == 3 and table_verdicts(out)["c"] == "slower"


def test_inconclusive_exits_0_unless_asked_then_5(capsys: pytest.CaptureFixture[str]) -> None:
    # at 1%: one file per side defaults to 5% (see the next test), within which this is same
    args = (data("pbench_base.json"), data("pbench_noisy.json"), "--threshold", "1%")
    status, out, err = run(capsys, *args)
    # More runs narrow the interval within each run; the note says what they cannot see
    assert status == 0 and err.startswith("pbench: warning: 'parse': one file per side")
    assert "one interleaved run" in err and err.count("\n") == 1
    assert table_verdicts(out)["parse"] == "inconclusive"
    assert "'parse': the 95% interval" in out and "--precision" in out
    status, out, err = run(capsys, *args, "--fail-on-inconclusive")
    assert status == 5 and err.count("\n") == 1


def test_regression_wins_over_inconclusive(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, _ = run(
        capsys, data("pbench_noisy.json"), data("pbench_slower.json"), "--fail-on-inconclusive"
    )
    assert status == 3


def test_fail_if_is_judged_on_the_lower_bound(capsys: pytest.CaptureFixture[str]) -> None:
    # parse is ~2.9% slower with a tight interval; a 5% threshold calls that "same".
    args = (data("pbench_base.json"), data("pbench_slight.json"), "--threshold", "5%")
    status, out, _ = run(capsys, *args)
    assert status == 0 and table_verdicts(out)["parse"] == "same"
    status, out, _ = run(capsys, *args, "--fail-if", "median:2%")
    assert status == 3
    assert "--fail-if median:2% FAILED for 'parse'" in out
    assert "--fail-if median:2% passed for 'render'" in out
    status, out, _ = run(capsys, *args, "--fail-if", "median:5%", "--fail-if", "p95:10%")
    assert status == 0 and "FAILED" not in out
    # Absolute: +0.29 ms with a lower bound near +0.27 ms.
    status, out, _ = run(capsys, *args, "--fail-if", "mean:0.0002")
    assert status == 3
    status, out, _ = run(capsys, *args, "--fail-if", "mean:1ms")
    assert status == 0


def test_match_pairs_renamed_benchmarks(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, data("pbench_base.json"), data("pbench_renamed.json"), "--match", "parse=parse-v2"
    )
    assert status == 0
    # A verdict from one run per side comes with the caveat that run-to-run variation
    # is not in its interval.
    assert err.splitlines() == [
        "pbench: warning: 'parse → parse-v2': "
        "one file per side, so the interval holds the variation within each run, not between the "
        "two; a change of the machine between them can look like a change of the command: to be "
        "sure, run both commands in one interleaved run (pbench OLD NEW), or compare 3 or more "
        "result files per side, run alternately (--baseline FILE ... --candidate FILE ...)"
    ]
    assert table_verdicts(out)["parse → parse-v2"] == "faster"
    status, out, err = run(capsys, data("pbench_base.json"), data("pbench_renamed.json"))
    assert status == 0
    assert "'parse' is in the baseline" in err and "'parse-v2' is in the candidate" in err


def test_hyperfine_files_of_several_versions(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, data("hyperfine_1.15_base.json"), data("hyperfine_1.18_slower.json")
    )
    assert status == 3 and "'./app --threads 2': one file per side" in err
    assert table_verdicts(out) == {"./app --threads 1": "same", "./app --threads 2": "slower"}
    status, out, err = run(capsys, data("hyperfine_early.json"), data("hyperfine_1.15_base.json"))
    assert status == 0 and err == ""
    assert "(n=12)" in out and "(n=20)" in out


def test_exports_json_and_markdown(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    json_path, md_path = tmp_path / "cmp.json", tmp_path / "cmp.md"
    status, out, _ = run(
        capsys,
        data("pbench_base.json"),
        data("pbench_slower.json"),
        "--export-json",
        str(json_path),
        "--export-markdown",
        str(md_path),
        "--fail-if",
        "median:5%",
    )
    assert status == 3
    assert "slower" in out  # the table still goes to stdout
    doc = json.loads(json_path.read_text())
    assert doc["compare_schema_version"] == 2
    assert doc["baseline"]["format"] == "pbench"
    assert doc["regressions"] == ["parse"]
    assert doc["only_in_baseline"] == ["startup"]
    assert doc["only_in_candidate"] == ["export"]
    parse = doc["benchmarks"][0]
    assert parse["benchmark"] == "parse" and parse["baseline"]["runs"] == 30
    assert parse["comparison"]["verdict"] == "slower"
    assert parse["comparison"]["ratio_median_ci"][0] > 1.05
    assert parse["gates"][0]["failed"] is True
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cmp.json", "cmp.md"]  # no temp files
    markdown = md_path.read_text()
    assert markdown.startswith("## pbench compare:")
    assert "| parse " in markdown and "| slower " in markdown
    assert "- 'startup' is in the baseline" in markdown


def test_export_to_stdout_moves_the_table_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, data("hyperfine_1.15_base.json"), data("hyperfine_1.18_slower.json"),
        "--export-json", "-",
    )  # fmt: skip
    assert status == 3
    doc = json.loads(out)
    assert doc["baseline"]["format"] == "hyperfine"
    assert doc["benchmarks"][1]["baseline"]["parameters"] == {"threads": "2"}
    assert "verdict" in err and "slower" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["malformed.json", "pbench_base.json"], "is not valid JSON (line 1, column 51"),
        (["no_times.json", "pbench_base.json"], "'a' has no per-run 'times' list"),
        (["not_results.json", "pbench_base.json"], "has no 'results' list"),
        (["missing.json", "pbench_base.json"], "does not exist"),
        (["pbench_base.json", "pbench_same.json", "--match", "x=y"], "has no benchmark 'x'"),
        (["pbench_base.json", "pbench_same.json", "--match", "parse"], "is not OLD=NEW"),
        (["pbench_base.json", "pbench_same.json", "--fail-if", "median"], "not an expression"),
        (["pbench_base.json", "pbench_same.json", "--fail-if", "p100:5%"], "unknown statistic"),
        (["pbench_base.json", "hyperfine_1.15_base.json"], "have no benchmark in common"),
    ],
)
def test_usage_errors_exit_2_without_traceback(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    files = [data(a) if a.endswith(".json") else a for a in args]
    status, out, err = run(capsys, *files)
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("pbench: error: ") and message in lines[0]
    assert lines[1].startswith("  hint: ")


def test_unwritable_export_fails_before_any_work(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "no-such-folder" / "out.json"
    status, out, err = run(
        capsys, data("pbench_base.json"), data("pbench_slower.json"), "--export-json", str(target)
    )
    assert status == 2 and out == ""
    assert err.startswith(f"pbench: error: cannot write {target}: No such file or directory")


def test_bad_threshold_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, data("pbench_base.json"), data("pbench_same.json"), "--threshold", "lots"
    )
    assert status == 2 and out == "" and "threshold" in err and "Traceback" not in err


def test_secrets_in_hyperfine_commands_are_masked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    command = "psql postgresql://app:hunter2@127.0.0.1/db -c 'select 1'"
    doc = {"results": [{"command": command, "times": [0.01] * 6}]}
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text(json.dumps(doc))
    status, out, err = run(
        capsys, str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--export-json", "-"
    )
    assert status == 0
    assert "hunter2" not in out + err
    assert "postgresql://app:" in out


def test_a_real_pbench_run_against_itself(tmp_path: Path) -> None:
    """Through the installed entry point: `pbench run` writes, `pbench compare` reads."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    export = tmp_path / "run.json"
    subprocess.run(
        [sys.executable, "-m", "pbench", "run", "-N", "--runs", "6", "--style", "none",
         "-n", "one", "true", "-n", "two", "true", "--export-json", str(export)],
        check=True, env=env, capture_output=True, timeout=60,
    )  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "pbench", "compare", str(export), str(export)],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    # At most the note on one file per side (when an interval is wide): nothing else
    assert proc.stderr == "" or (
        proc.stderr.count("\n") == 1 and ": one file per side, so the interval" in proc.stderr
    ), proc.stderr
    verdicts = table_verdicts(proc.stdout)
    assert set(verdicts) == {"one", "two"}
    assert set(verdicts.values()) <= {"same", "inconclusive"}
