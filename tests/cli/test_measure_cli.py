"""pbench run --measure instructions|cycles|cpu end to end, under the real Valgrind
(installed with scripts/ensure_valgrind.sh when missing): exit codes and messages,
the JSON's measure and unit, units in every report, budgets on counts, hooks outside
Valgrind. Counts are deterministic, so the assertions hold on a loaded machine."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from support.cli import Invoke


def _json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def test_valgrind_missing_is_exit_2_with_the_install_command(
    invoke: Invoke, tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    args = ("run", "-N", "--runs", "2", "--export-json", str(out), "/bin/true")
    result = invoke(*args[:1], "--measure", "instructions", *args[1:], env={"PATH": str(tmp_path)})
    assert result.code == 2
    assert "Valgrind" in result.err and "apt-get install valgrind" in result.err
    assert "Traceback" not in result.err
    assert not out.exists()


def test_a_setuid_program_is_exit_1_naming_it(invoke: Invoke, valgrind: str) -> None:
    passwd = shutil.which("passwd")
    assert passwd is not None and os.stat(passwd).st_mode & stat.S_ISUID, "passwd not setuid"
    result = invoke("run", "-N", "--measure", "instructions", "--runs", "2", f"{passwd} -S root")
    assert result.code == 1
    assert "Valgrind cannot run" in result.err and "passwd" in result.err
    assert "setuid" in result.err
    assert "Traceback" not in result.err


def test_a_binary_valgrind_rejects_is_exit_1_naming_it(
    invoke: Invoke, valgrind: str, tmp_path: Path
) -> None:
    # /bin/true with its ELF machine set to ARM: Valgrind says it is not for this
    # architecture.
    program = tmp_path / "foreign-true"
    data = bytearray(Path("/bin/true").read_bytes())
    data[18] = 0x28
    program.write_bytes(bytes(data))
    program.chmod(0o755)
    result = invoke("run", "-N", "--measure", "instructions", "--runs", "2", str(program))
    assert result.code == 1
    assert "Valgrind cannot run" in result.err and "foreign-true" in result.err
    assert "architecture" in result.err
    assert "Traceback" not in result.err


def _instructions(invoke: Invoke, folder: Path, *args: str) -> tuple[dict[str, Any], str]:
    """``pbench run --measure instructions -N --runs 3 ARGS --export-json``: the export
    and stdout."""
    out = folder / "instr.json"
    result = invoke("run", "--measure", "instructions", "-N", "--runs", "3", "--style", "basic",
                    "--export-json", str(out), *args)  # fmt: skip
    assert result.code == 0, result.err
    return _json(out), result.out


def test_the_json_carries_the_measure_its_unit_and_how_it_was_taken(
    invoke: Invoke, valgrind: str, tmp_path: Path
) -> None:
    data, out = _instructions(invoke, tmp_path, "/bin/true")
    entry = data["results"][0]
    assert (entry["measure"], entry["unit"]) == ("instructions", "instruction")
    assert "cachegrind" in entry["measured_with"] and "--cache-sim=no" in entry["measured_with"]
    counts = [m["instructions"] for m in entry["measurements"]]
    assert entry["times"] == counts
    assert min(counts) > 10_000  # the dynamic loader alone runs more than that
    assert max(counts) - min(counts) <= min(counts) * 0.001  # deterministic
    assert entry["median"] == sorted(counts)[1]
    # The terminal labels the figure and its unit, never seconds.
    assert "Instructions (mean ± σ):" in out and "instr" in out
    assert "Time (mean" not in out


def test_wall_and_cpu_say_their_measure_and_unit(invoke: Invoke, tmp_path: Path) -> None:
    for measure in ("wall", "cpu"):
        out = tmp_path / f"{measure}.json"
        result = invoke("run", "--measure", measure, "-N", "--runs", "3", "--style", "basic",
                        "--export-json", str(out), "/bin/true")  # fmt: skip
        assert result.code == 0, result.err
        entry = _json(out)["results"][0]
        assert (entry["measure"], entry["unit"]) == (measure, "second")
        if measure == "cpu":
            figures = [m["user"] + m["system"] for m in entry["measurements"]]
            assert entry["times"] == pytest.approx(figures)
            assert "CPU time (mean ± σ):" in result.out
            assert "kernel" in entry["measured_with"]
        else:
            assert "Time (mean ± σ):" in result.out


def test_compare_refuses_files_of_different_measures(
    invoke: Invoke, valgrind: str, tmp_path: Path
) -> None:
    _instructions(invoke, tmp_path, "/bin/true")
    wall = tmp_path / "wall.json"
    assert invoke("run", "-N", "--runs", "3", "--export-json", str(wall), "/bin/true").code == 0
    result = invoke("compare", str(wall), str(tmp_path / "instr.json"))
    assert result.code == 2
    assert "different measures cannot be compared" in result.err
    assert "wall time" in result.err and "instructions" in result.err
    assert "Traceback" not in result.err
    # The same measure on both sides compares, in its unit.
    compared = tmp_path / "compared.json"
    same = invoke("compare", str(tmp_path / "instr.json"), str(tmp_path / "instr.json"),
                  "--export-json", str(compared))  # fmt: skip
    assert same.code == 0, same.err
    assert "instr (n=3)" in same.out
    benchmark = _json(compared)["benchmarks"][0]
    assert (benchmark["measure"], benchmark["unit"]) == ("instructions", "instruction")


def test_every_export_shows_the_unit_of_counts(
    invoke: Invoke, valgrind: str, tmp_path: Path
) -> None:
    files = {ext: tmp_path / f"out.{ext}" for ext in ("md", "csv", "xml", "html")}
    _instructions(
        invoke, tmp_path, "--export-markdown", str(files["md"]), "--export-csv",
        str(files["csv"]), "--export-junit", str(files["xml"]), "--export-html",
        str(files["html"]), "/bin/true",
    )  # fmt: skip
    markdown = files["md"].read_text()
    assert "[k instr]" in markdown or "[M instr]" in markdown
    header, row = files["csv"].read_text().splitlines()[:2]
    columns = dict(zip(header.split(","), row.split(","), strict=True))
    assert (columns["measure"], columns["unit"]) == ("instructions", "instruction")
    assert "measure: instructions" in files["xml"].read_text()
    html = files["html"].read_text()
    assert " instr" in html
    assert "µs" not in html.split("Resources")[0]  # counts are not shown as times


def test_history_keeps_one_series_per_measure(
    invoke: Invoke, valgrind: str, tmp_path: Path
) -> None:
    store = tmp_path / "history.db"
    for measure in ("wall", "instructions", "wall", "instructions"):
        result = invoke("run", "--measure", measure, "-N", "--runs", "3", "-n", "t",
                        "--store", str(store), "/bin/true")  # fmt: skip
        assert result.code == 0, result.err
    listed = invoke("history", "--store", str(store), "--format", "json")
    assert listed.code == 0, listed.err
    rows = json.loads(listed.out)["rows"]
    assert [r["measure"] for r in rows] == ["wall", "instructions", "wall", "instructions"]
    # A change is from the point before of the same measure: never wall -> instructions.
    changes = [r["change"] for r in rows]
    assert changes[:2] == [None, None]
    assert changes[3] is not None and abs(changes[3]) < 0.01
    table = invoke("history", "--store", str(store))
    assert "instr" in table.out
    assert " ms" in table.out or " µs" in table.out
    trend = invoke("trend", "--store", str(store), "--format", "json")
    assert trend.code == 0, trend.err
    found = json.loads(trend.out)
    trends = found["trends"] if isinstance(found, dict) else found
    assert sorted(t["measure"] for t in trends) == ["instructions", "wall"]
    assert all(t["runs"] == 2 for t in trends)


def test_count_limits_parse_with_decimal_prefixes() -> None:
    from pbench.errors import UsageError
    from pbench.plan.budgets import parse_limit

    assert parse_limit("instructions", "1.2G") == pytest.approx(1.2e9)
    assert parse_limit("instructions", "40k") == 40_000
    assert parse_limit("cycles", "500 M") == 500e6
    assert parse_limit("instructions", 1000) == 1000
    assert parse_limit("cpu", "40ms") == pytest.approx(0.040)
    with pytest.raises(UsageError, match="a count like"):
        parse_limit("instructions", "1.2 parsecs")


def test_an_instructions_budget_is_judged_on_the_count(
    invoke: Invoke, valgrind: str, tmp_path: Path
) -> None:
    base = ("run", "--measure", "instructions", "-N", "--runs", "3", "--style", "basic")
    met = invoke(*base, "--budget", "instructions:1.2G", "/bin/true")
    assert met.code == 0, met.err
    assert "≤ 1.200 G instr" in met.out and "met" in met.out
    out = tmp_path / "b.json"
    broken = invoke(*base, "--budget", "instructions:10k", "--export-json", str(out), "/bin/true")
    assert broken.code == 4
    assert "budget broken: instructions" in broken.err and "k instr" in broken.err
    check = _json(out)["budgets"][0]
    assert (check["metric"], check["quantity"], check["status"]) == (
        "instructions", "instructions", "broken",
    )  # fmt: skip
    assert check["limit"] == 10_000 and check["measured"] > 10_000


def test_budgets_that_do_not_fit_the_measure_are_usage_errors(invoke: Invoke) -> None:
    no_count = invoke("run", "-N", "--runs", "2", "--budget", "instructions:1G", "/bin/true")
    assert no_count.code == 2 and "--measure instructions" in no_count.err
    timed = invoke("run", "--measure", "instructions", "-N", "--runs", "2", "--budget",
                   "median:1s", "/bin/true")  # fmt: skip
    assert timed.code == 2 and "Valgrind's" in timed.err
    http = invoke("http", "--budget", "instructions:1G", "http://127.0.0.1:9/")
    assert http.code == 2 and "does not count instructions" in http.err
    for result in (no_count, timed, http):
        assert "Traceback" not in result.err


def test_a_cpu_budget_on_a_cpu_measure(invoke: Invoke) -> None:
    result = invoke("run", "--measure", "cpu", "-N", "--runs", "3", "--style", "basic",
                    "--budget", "cpu:10s", "--budget", "median:10s", "/bin/true")  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.count(" met") >= 2


def test_a_suite_entry_sets_its_measure_and_count_budget(
    invoke: Invoke, valgrind: str, tmp_path: Path
) -> None:
    suite = tmp_path / "benchmarks.toml"
    suite.write_text(
        '[[benchmark]]\nname = "counted"\ncommand = "/bin/true"\nshell = "none"\n'
        'measure = "instructions"\nruns = 3\nbudgets = { instructions = "1.2G" }\n\n'
        '[[benchmark]]\nname = "cpu"\ncommand = "/bin/true"\nshell = "none"\n'
        'measure = "cpu"\nruns = 3\nbudgets = { cpu = "40ms" }\n'
    )
    out, markdown = tmp_path / "s.json", tmp_path / "s.md"
    result = invoke("suite", str(suite), "--style", "basic", "--export-json", str(out),
                    "--export-markdown", str(markdown))  # fmt: skip
    assert result.code == 0, result.err
    data = _json(out)
    assert [r["measure"] for r in data["results"]] == ["instructions", "cpu"]
    # Two measures in one table: each row in its own unit, no relative speed between them.
    table = markdown.read_text().split("### Budgets")[0]
    counted, timed = (line for line in table.splitlines() if line.startswith("| `"))
    assert "k instr" in counted and "instr" not in timed
    assert " µs" in timed or " ms" in timed
    assert [c["status"] for c in data["budgets"]] == ["met", "met"]
    suite.write_text(suite.read_text().replace('cpu = "40ms"', 'instructions = "1G"'))
    wrong = invoke("suite", str(suite))
    assert wrong.code == 2
    assert "benchmarks.toml:" in wrong.err and "measured in cpu, not instructions" in wrong.err


def test_estimated_cycles_are_at_least_the_instructions(
    invoke: Invoke, valgrind: str, tmp_path: Path
) -> None:
    counted, _ = _instructions(invoke, tmp_path, "/bin/true")
    out = tmp_path / "cycles.json"
    result = invoke("run", "--measure", "cycles", "-N", "--runs", "3", "--style", "basic",
                    "--export-json", str(out), "/bin/true")  # fmt: skip
    assert result.code == 0, result.err
    entry = _json(out)["results"][0]
    assert (entry["measure"], entry["unit"]) == ("cycles", "cycle")
    assert "--cache-sim=yes" in entry["measured_with"] and "35" in entry["measured_with"]
    assert "Est. cycles (mean ± σ):" in result.out and "cycles" in result.out
    # Every access costs at least one cycle, and every instruction is an access.
    assert min(entry["times"]) >= counted["results"][0]["median"]


def test_hooks_run_outside_valgrind_and_warmups_inside(
    invoke: Invoke, valgrind: str, tmp_path: Path
) -> None:
    # Valgrind preloads its core into every process it runs: LD_PRELOAD tells where a
    # process ran.
    probe = 'echo "${LD_PRELOAD:-none}" >> '
    command, hooks = tmp_path / "command.txt", tmp_path / "hooks.txt"
    out = tmp_path / "hooked.json"
    result = invoke(
        "run", "--measure", "instructions", "--runs", "3", "--warmup", "2", "--style", "basic",
        "--setup", probe + str(hooks), "--prepare", probe + str(hooks),
        "--conclude", probe + str(hooks), "--cleanup", probe + str(hooks),
        "--export-json", str(out), probe + str(command),
    )  # fmt: skip
    assert result.code == 0, result.err
    ran = command.read_text().splitlines()
    assert (
        len(ran) == 2 + 3
    )  # 2 warmups and 3 runs (the empty shell measured first is ""), all counted
    assert all("vgpreload" in line for line in ran)
    hooked = hooks.read_text().splitlines()
    assert len(hooked) >= 1 + 5 + 5 + 1  # setup, prepare and conclude per run, cleanup
    assert all("vgpreload" not in line for line in hooked)
    entry = _json(out)["results"][0]
    assert entry["warmups"] == 2 and len(entry["measurements"]) == 3


def test_a_heavy_prepare_hook_is_not_counted(invoke: Invoke, valgrind: str, tmp_path: Path) -> None:
    bare, _ = _instructions(invoke, tmp_path, "/bin/true")
    heavy = tmp_path / "heavy.json"
    result = invoke("run", "--measure", "instructions", "-N", "--runs", "3", "--style", "basic",
                    "--prepare", "seq 200000 > /dev/null", "--export-json", str(heavy),
                    "/bin/true")  # fmt: skip
    assert result.code == 0, result.err
    alone, hooked = bare["results"][0]["median"], _json(heavy)["results"][0]["median"]
    assert abs(hooked - alone) <= alone * 0.01  # seq 200000 alone is 100x true's count


def test_parameter_scans_and_a_reference_under_valgrind(
    invoke: Invoke, valgrind: str, tmp_path: Path
) -> None:
    out = tmp_path / "scan.json"
    result = invoke("run", "--measure", "instructions", "-N", "--runs", "3", "--style", "basic",
                    "-P", "n", "1", "3", "--reference", "/bin/true", "--export-json", str(out),
                    "seq {n}0000")  # fmt: skip
    assert result.code == 0, result.err
    data = _json(out)
    names = [r["name"] for r in data["results"]]
    assert names[0] == "/bin/true" and data["reference"] == "/bin/true"
    assert all(r["measure"] == "instructions" for r in data["results"])
    medians = [r["median"] for r in data["results"]]
    assert medians == sorted(medians)  # true < seq 10000 < seq 20000 < seq 30000
    assert len(medians) == 4 and medians[3] > 2 * medians[1]
    assert {c["name"] for c in data["comparisons"]} >= set(names[1:])
    assert "ran (by instructions)" in result.out


def test_trend_tracker_exports_name_the_count(
    invoke: Invoke, valgrind: str, tmp_path: Path
) -> None:
    github, bmf = tmp_path / "github.json", tmp_path / "bmf.json"
    _instructions(invoke, tmp_path, "--export-github-benchmark", str(github), "--export-bmf",
                  str(bmf), "-n", "t", "/bin/true")  # fmt: skip
    entries = json.loads(github.read_text())
    assert [(e["name"], e["unit"]) for e in entries] == [("t (instructions)", "instructions")]
    assert entries[0]["value"] > 10_000  # a count, not seconds; no Valgrind memory entry
    measures = json.loads(bmf.read_text())["t"]
    assert set(measures) == {"instructions"} and measures["instructions"]["value"] > 10_000


def test_instructions_do_not_see_waiting(invoke: Invoke, valgrind: str, tmp_path: Path) -> None:
    # A sixfold longer sleep is the same work: what the README says counts cannot see.
    out = tmp_path / "sleep.json"
    result = invoke("run", "--measure", "instructions", "-N", "--runs", "3", "--style", "basic",
                    "--export-json", str(out), "sleep 0.05", "sleep 0.3")  # fmt: skip
    assert result.code == 0, result.err
    short, long = (r["median"] for r in _json(out)["results"])
    assert abs(long - short) <= short * 0.01


def test_counts_are_compared_at_their_own_noise_threshold(
    invoke: Invoke, valgrind: str, tmp_path: Path
) -> None:
    # seq 20100 does 0.5% more work than seq 20000: below timing's 1% threshold, far above
    # the counts' own spread (0 here). Without --threshold a count comparison uses 0.1%.
    out = tmp_path / "counts.json"
    # 8 runs: paired by round, 5 pairs cannot reach p < 0.05 (Wilcoxon's smallest is 1/16)
    result = invoke("run", "--measure", "instructions", "-N", "--runs", "8", "--style", "basic",
                    "--reference", "seq 20000", "--export-json", str(out),
                    "seq 20100", "seq 20000")  # fmt: skip
    assert result.code == 0, result.err
    verdicts = {c["name"]: (c["verdict"], c["threshold"]) for c in _json(out)["comparisons"]}
    assert verdicts == {"seq 20100": ("slower", 0.001), "seq 20000 (2)": ("same", 0.001)}
    # a --threshold given applies as given, to counts too
    wide = invoke("compare", str(out), str(out), "--threshold", "1%", "--export-json",
                  str(tmp_path / "c.json"))  # fmt: skip
    assert wide.code == 0, wide.err
    (entry,) = _json(tmp_path / "c.json")["benchmarks"][:1]
    assert entry["comparison"]["threshold"] == 0.01


def test_the_threshold_defaults_by_measure() -> None:
    from pbench.stats.settings import (
        COUNT_THRESHOLD,
        DEFAULT_THRESHOLD,
        settings_with,
        threshold_for,
    )

    assert threshold_for(None, "instructions") == threshold_for(None, "cycles") == COUNT_THRESHOLD
    assert threshold_for(None, "wall") == threshold_for(None, "cpu") == DEFAULT_THRESHOLD
    assert threshold_for(0.05, "instructions") == 0.05
    defaulted = settings_with(alpha=0.05, threshold=None)
    assert defaulted.threshold_for("instructions") == COUNT_THRESHOLD
    assert defaulted.threshold_for("wall") == defaulted.threshold == DEFAULT_THRESHOLD
    given = settings_with(alpha=0.05, threshold=0.02)
    assert given.threshold_for("instructions") == given.threshold_for("wall") == 0.02
