"""``pbench report`` end to end: real runs (commands with a verdict and budgets, SQLite,
HTTP on 127.0.0.1), hyperfine and compare files, stdout and -o, and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from support.cli import run_pbench
from support.httpserver import HttpTestServer

DATA = Path(__file__).resolve().parent.parent / "data" / "compare"


def _export(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    done = run_pbench(*args, "--style", "none", "--export-json", str(out))
    assert out.exists(), done.err
    return out


def test_two_commands_with_a_verdict_and_budgets_broken_and_at_risk(tmp_path: Path) -> None:
    path = _export(
        tmp_path, "run.json", "-r", "15", "-n", "fast", "sleep 0.001", "-n", "slow",
        "sleep 0.02", "--budget", "p95:5ms", "--budget", "median:0.1s:warn",
    )  # fmt: skip
    done = run_pbench("report", str(path))
    assert done.code == 0 and done.err == ""
    text = done.out
    changed = text.split("## What changed")[1].split("## What is at risk")[0]
    assert re.search(r"- `slow` is \*\*\d+\.\d\d× slower\*\* than `fast`", changed)
    risk = text.split("## What is at risk")[1].split("## What to do")[0]
    assert "- `slow`: p95 error budget **broken**" in risk
    # fast's budgets are at risk only when one slow run reached past 5 ms: the report
    # names each exactly when its own file says so
    fast = [c for c in json.loads(path.read_text())["budgets"] if c["benchmark"] == "fast"]
    # (a "runs vary" warning may also name fast there: the budget lines are what is checked)
    budget_lines = re.findall(r"^- `fast`: \S+ \w+ budget ", risk, re.M)
    assert len(budget_lines) == sum(c["status"] != "met" for c in fast)
    assert "| `slow` | `fast` |" in text and "**slower** |" in text
    assert "| `slow` | p95 | error | ≤ 5.000 ms |" in text
    assert "## Scores" in text and "critical" in text
    assert f"From `{path}`" in text


def test_sql_and_http_runs_in_one_report_written_with_o(
    tmp_path: Path, sqlite_file: Path, server: HttpTestServer
) -> None:
    sql = _export(
        tmp_path, "sql.json", "sql", "--db", f"sqlite:///{sqlite_file}", "-r", "10",
        "-n", "point", "SELECT v FROM kv WHERE id = 7", "-n", "count", "SELECT count(*) FROM kv",
    )  # fmt: skip
    http = _export(tmp_path, "http.json", "http", "-r", "100", "-n", "fast",
                   server.base_url + "/fast", "--budget", "p99:1us")  # fmt: skip
    out = tmp_path / "report.md"
    done = run_pbench("report", str(sql), str(http), "-o", str(out))
    assert done.code == 0, done.err
    assert done.out == ""
    text = out.read_text()
    for name in ("point", "count", "fast"):
        assert re.search(rf"^\| `{name}` \| \d", text, re.M), name
    assert re.search(r"^\| `fast` \| .* \| 100 \|", text, re.M)  # every request counted
    assert "- `fast`: p99 error budget **broken**" in text
    assert "## Comparisons" in text  # point against count, within the SQL run


def test_hyperfine_files_and_a_clash_of_names(tmp_path: Path) -> None:
    done = run_pbench(
        "report", str(DATA / "hyperfine_1.15_base.json"), str(DATA / "hyperfine_1.18_slower.json")
    )
    assert done.code == 0, done.err
    assert "| `hyperfine_1.15_base.json: ./app --threads 1` |" in done.out
    assert "| `hyperfine_1.18_slower.json: ./app --threads 1` |" in done.out


def test_compare_file_with_a_regression(tmp_path: Path) -> None:
    compared = tmp_path / "cmp.json"
    run_pbench("compare", str(DATA / "pbench_base.json"), str(DATA / "pbench_slower.json"),
               "--export-json", str(compared))  # fmt: skip
    done = run_pbench("report", str(compared))
    assert done.code == 0, done.err
    assert "- `parse` is **1.10× slower** than `parse`" in done.out
    assert f"## Comparison: `{DATA / 'pbench_base.json'}` → `{DATA / 'pbench_slower.json'}`" in (
        done.out
    )
    assert "startup" in done.out.split("## What is at risk")[1].split("## What to do")[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "report needs at least one file"),
        (["missing.json"], "missing.json does not exist"),
        (["bad.json"], "bad.json is not valid JSON"),
        (["ok.json", "-o", "report.pdf"], "cannot tell the report's format from 'report.pdf'"),
        (["ok.json", "--format", "svg"], "an SVG report is one chart: name it with --chart"),
        (["ok.json", "--chart", "whisker", "-o", "r.md"], "--chart makes an SVG, not md"),
        (["ok.json", "--format", "pdf"], "'pdf' is not one of 'md', 'html', 'svg'"),
        (["ok.json", "-o", "no/such/folder/r.md"], "cannot write the report"),
    ],
)
def test_usage_errors_exit_2_naming_the_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.json").write_text('{"results": [')
    (tmp_path / "ok.json").write_text((DATA / "pbench_base.json").read_text())
    done = run_pbench("report", *args)
    assert done.code == 2
    assert message in done.err, done.err
    assert done.out == ""
    if "-o" in args:
        assert not Path(args[args.index("-o") + 1]).exists()


def test_unknown_extension_names_the_formats(tmp_path: Path) -> None:
    done = run_pbench("report", str(DATA / "pbench_base.json"), "-o", str(tmp_path / "r.txt"))
    assert done.code == 2
    assert "md (.md, .markdown), html (.html, .htm), svg (.svg, with --chart)" in done.err


def test_report_is_listed_in_help() -> None:
    done = run_pbench("--help")
    assert "report" in done.out
    helped = run_pbench("report", "--help")
    assert helped.code == 0 and "65,536" in helped.out and "--chart" in helped.out


def test_html_report_and_svg_charts_from_a_parameter_scan(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    data = _export(
        tmp_path, "scan.json", "-N", "-r", "5", "-L", "n", "1,2,3", "sleep 0.00{n}",
        "-n", "<b>sleep {n}</b>",
    )  # fmt: skip
    html = tmp_path / "r.html"
    result = run_pbench("report", str(data), "-o", str(html))
    assert result.code == 0, result.err
    page = html.read_text()
    assert page.startswith("<!DOCTYPE html>") and "&lt;b&gt;sleep 1&lt;/b&gt;" in page
    assert 'id="scan"' in page and "<b>sleep" not in page
    for chart in ("whisker", "histogram", "progression", "scan"):
        svg = tmp_path / f"{chart}.svg"
        result = run_pbench("report", str(data), "--chart", chart, "-o", str(svg))
        assert result.code == 0, (chart, result.err)
        root = ET.fromstring(svg.read_text())  # well-formed, one document
        assert root.tag.endswith("svg")
    stacked = ET.fromstring((tmp_path / "histogram.svg").read_text())
    assert len([child for child in stacked if child.tag.endswith("svg")]) == 3  # one each
    result = run_pbench("report", str(data), "--chart", "percentiles", "-o", str(svg))
    assert result.code == 2 and "load runs" in result.err
