"""``pbench compare`` with several result files per side, and load runs one file per side."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest

from support.cli import run_pbench


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    result = run_pbench("compare", *args)
    return result.code, result.out, result.err


def verdicts(out: str) -> dict[str, str]:
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    found = {}
    for line in lines[rule + 1 :]:
        if not line.strip() or line.startswith(("'", "--fail-if")):
            break
        found[line.split("  ")[0].strip()] = line.split()[-1]
    return found


def write_result(
    path: Path,
    benchmarks: Mapping[str, Sequence[float]],
    *,
    load: str | None = None,
    per_slice: int = 1,
) -> str:
    """A pbench JSON export; each value is one slice of ``per_slice`` measurements."""
    results = []
    for name, values in benchmarks.items():
        walls = [v for v in values for _ in range(per_slice)]
        rounds = [i for i in range(len(values)) for _ in range(per_slice)]
        entry: dict[str, object] = {
            "command": name,
            "median": float(np.median(walls)),
            "times": walls,
            "name": name,
            "measurements": [
                {"wall": w, "round": r, "position": 0, "iteration": i}
                for i, (w, r) in enumerate(zip(walls, rounds, strict=True))
            ],
        }
        if load is not None:
            entry["load"] = {"requests": 1000, "warnings": []}
            if load == "sql":
                entry["sql"] = {"rows": 1}
        results.append(entry)
    path.write_text(json.dumps({"schema_version": 1, "metadata": {}, "results": results}))
    return str(path)


def runs(
    tmp_path: Path,
    prefix: str,
    count: int,
    ratio: float = 1.0,
    *,
    seed: int,
    run_sd: float = 0.05,
    load: str | None = None,
) -> list[str]:
    """``count`` separate runs of benchmarks 'a' and 'b': 20 slices each, per-run offsets."""
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(count):
        benchmarks = {
            name: list(
                0.01 * ratio * math.exp(rng.normal(0, run_sd)) * np.exp(rng.normal(0, 0.02, 20))
            )
            for name in ("a", "b")
        }
        paths.append(write_result(tmp_path / f"{prefix}-{i}.json", benchmarks, load=load))
    return paths


def sides(base: list[str], cand: list[str]) -> list[str]:
    return [*(a for p in base for a in ("--baseline", p)),
            *(a for p in cand for a in ("--candidate", p))]  # fmt: skip


def test_three_runs_per_side_of_the_same_thing_say_same_or_inconclusive(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    base, cand = runs(tmp_path, "base", 3, seed=1), runs(tmp_path, "new", 3, seed=2)
    export = tmp_path / "cmp.json"
    status, out, err = run(capsys, *sides(base, cand), "--export-json", str(export))
    assert status == 0 and err == ""
    assert set(verdicts(out).values()) <= {"same", "inconclusive"}
    assert "(3 runs, n=60)" in out
    doc = json.loads(export.read_text())
    assert doc["compare_schema_version"] == 2
    assert doc["baseline"]["paths"] == base and doc["baseline"]["path"] is None
    entry = doc["benchmarks"][0]
    assert entry["baseline"]["result_files"] == 3 and entry["baseline"]["slices"] == 60
    comparison = entry["comparison"]
    assert comparison["method"]["interval"] == "hierarchical bootstrap: runs, then slices"
    assert comparison["runs_reference"] == comparison["runs_candidate"] == 3
    assert comparison["slices_reference"] == 60
    assert comparison["run_to_run_in_interval"] is True


def test_a_slowdown_across_runs_exits_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    base = runs(tmp_path, "base", 3, seed=1, run_sd=0.01)
    cand = runs(tmp_path, "new", 3, 1.3, seed=2, run_sd=0.01)
    status, out, _ = run(capsys, *sides(base, cand))
    assert status == 3
    assert verdicts(out) == {"a": "slower", "b": "slower"}


def test_noisy_runs_are_inconclusive_and_exit_5_when_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    base = runs(tmp_path, "base", 3, seed=3, run_sd=0.2)
    cand = runs(tmp_path, "new", 3, 1.1, seed=4, run_sd=0.2)
    status, out, _ = run(capsys, *sides(base, cand))
    assert status == 0
    assert verdicts(out) == {"a": "inconclusive", "b": "inconclusive"}
    assert "result files per side" in out
    status, _, _ = run(capsys, *sides(base, cand), "--fail-on-inconclusive")
    assert status == 5


def test_two_runs_per_side_are_not_enough(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    base = runs(tmp_path, "base", 2, seed=1, run_sd=0.01)
    cand = runs(tmp_path, "new", 2, 1.5, seed=2, run_sd=0.01)
    status, out, _ = run(capsys, *sides(base, cand))
    assert status == 0 and set(verdicts(out).values()) == {"inconclusive"}
    assert "at least 3 per side" in out


def test_a_quoted_glob_is_expanded_and_a_file_missing_a_benchmark_is_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs(tmp_path, "base", 3, seed=1)
    runs(tmp_path, "new", 3, seed=2)
    write_result(tmp_path / "new-3.json", {"a": [0.01] * 20})
    pattern_base, pattern_new = str(tmp_path / "base-*.json"), str(tmp_path / "new-?.json")
    status, out, err = run(capsys, "--baseline", pattern_base, "--candidate", pattern_new)
    assert status == 0
    assert "(3 runs, n=60)" in out and "(4 runs, n=80)" in out
    assert err == "pbench: warning: 'b' is in 3 of the 4 candidate files; it is compared on those\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["B0", "--baseline", "B1", "--candidate", "N0"], "given both as arguments"),
        (["--baseline", "B0", "--baseline", "B1"], "--candidate is missing"),
        (["B0", "B1", "N0"], "takes two result files, not 3"),
        ([], "needs a baseline and a candidate"),
        (["--baseline", "nothing-*.json", "--candidate", "N0"], "matches no file"),
        (["--baseline", "B0", "--baseline", "B0", "--candidate", "N0"], "is given twice"),
    ],
)
def test_file_arguments_misused_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    files = [*runs(tmp_path, "base", 2, seed=1), *runs(tmp_path, "new", 1, seed=2)]
    paths = dict(zip(("B0", "B1", "N0"), files, strict=True))
    status, out, err = run(capsys, *[paths.get(a, a) for a in args])
    assert status == 2 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith("pbench: error: ") and message in lines[0]
    assert lines[1].startswith("  hint: ")


@pytest.mark.parametrize(("kind", "how"), [("http", "pbench http OLD_URL NEW_URL"),
                                           ("sql", "pbench sql OLD_QUERY NEW_QUERY")])  # fmt: skip
def test_one_load_run_per_side_warns_and_gives_no_verdict(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str, how: str
) -> None:
    """Issue 8: two separate runs of one endpoint, the machine 10% slower in the second."""
    base = runs(tmp_path, "base", 1, seed=1, run_sd=0.0, load=kind)
    cand = runs(tmp_path, "new", 1, 1.1, seed=2, run_sd=0.0, load=kind)
    export = tmp_path / "cmp.json"
    status, out, err = run(capsys, *base, *cand, "--export-json", str(export))
    assert status == 0
    assert verdicts(out) == {"a": "inconclusive", "b": "inconclusive"}
    assert "(1 run, n=20)" in out
    assert "one load run per side" in err and how in err and "--baseline FILE" in err
    assert "not between runs" in out and "; no verdict" in out  # advice under the table
    doc = json.loads(export.read_text())
    assert doc["warnings"] and "one load run per side" in doc["warnings"][0]
    comparison = doc["benchmarks"][0]["comparison"]
    assert comparison["run_to_run_in_interval"] is False
    assert comparison["ratio_median_ci"][0] > 1.05  # the within-run interval alone says slower
    status, _, _ = run(capsys, *base, *cand, "--fail-on-inconclusive")
    assert status == 5


def test_load_slices_group_measurements_by_round(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Single-client SQL: several measurements per slice; the slice is the unit."""
    rng = np.random.default_rng(0)
    files = [
        [write_result(tmp_path / f"{side}-{i}.json",
                      {"q": list(0.002 * np.exp(rng.normal(0, 0.02, 15)))},
                      load="sql", per_slice=4) for i in range(3)]
        for side in ("base", "new")
    ]  # fmt: skip
    export = tmp_path / "cmp.json"
    status, out, err = run(capsys, *sides(*files), "--export-json", str(export))
    assert status == 0 and err == ""
    assert "(3 runs, n=45)" in out
    side = json.loads(export.read_text())["benchmarks"][0]["baseline"]
    assert side["slices"] == 45 and side["runs"] == 180 and side["load"] == "sql"


def test_several_load_runs_per_side_tell_a_machine_change_from_none(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Runs of the same endpoint whose machine state differs run to run: no verdict of
    a difference with three runs per side, though each one-to-one pair may differ."""
    base = runs(tmp_path, "base", 3, seed=11, run_sd=0.1, load="http")
    cand = runs(tmp_path, "new", 3, seed=12, run_sd=0.1, load="http")
    status, out, err = run(capsys, *sides(base, cand))
    assert status == 0 and err == ""
    assert set(verdicts(out).values()) <= {"same", "inconclusive"}


def test_gates_still_apply_to_one_load_run_per_side(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A --fail-if limit is the user's allowance for the change between runs."""
    base = runs(tmp_path, "base", 1, seed=1, run_sd=0.0, load="http")
    cand = runs(tmp_path, "new", 1, 1.5, seed=2, run_sd=0.0, load="http")
    status, out, err = run(capsys, *base, *cand, "--fail-if", "median:20%")
    assert status == 3 and "--fail-if median:20% FAILED for 'a'" in out
    assert "gates still apply" in err
    status, out, err = run(capsys, *base, *cand, "--fail-if", "median:80%")
    assert status == 0 and "FAILED" not in out
