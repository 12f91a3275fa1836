"""The Markdown export: hyperfine's table, reference handling, units and escaping."""

from __future__ import annotations

from typing import Any

import pytest

from pbench.export import render
from pbench.export.markdown import code_span
from pbench.models import BenchmarkResult, RunResults, TimeUnit


def _result(name: str, times: list[float], make_runs: Any) -> BenchmarkResult:
    return BenchmarkResult(
        name=name, command=name, parameters={}, info={}, measurements=make_runs(times)
    )


def _table(report: RunResults) -> list[list[str]]:
    """Cells of each body row (splitting on unescaped pipes, as GitHub does)."""
    lines = render("markdown", report).splitlines()
    rows = []
    for line in lines[2:]:
        cells, cell, i = [], "", 1
        while i < len(line):
            if line[i] == "\\" and i + 1 < len(line):
                cell += line[i : i + 2]
                i += 2
                continue
            if line[i] == "|":
                cells.append(cell.strip())
                cell = ""
            else:
                cell += line[i]
            i += 1
        rows.append(cells)
    return rows


@pytest.fixture
def two(make_runs: Any) -> list[BenchmarkResult]:
    # fast: mean 100 ms, sd 10 ms; slow: mean 150 ms, sd 10 ms
    return [
        _result("fast", [0.09, 0.10, 0.11], make_runs),
        _result("slow", [0.14, 0.15, 0.16], make_runs),
    ]


def test_header_and_relative_to_fastest(two: list[BenchmarkResult]) -> None:
    text = render("markdown", RunResults(results=list(reversed(two)), metadata={}))
    lines = text.splitlines()
    assert lines[0] == "| Command | Mean [ms] | Median [ms] | Min [ms] | Max [ms] | Relative |"
    assert lines[1] == "|:---|---:|---:|---:|---:|---:|"
    # 1.5 · √((0.01/0.15)² + (0.01/0.1)²) = 0.18
    assert lines[2] == "| `slow` | 150.0 ± 10.0 | 150.0 | 140.0 | 160.0 | 1.50 ± 0.18 |"
    assert lines[3] == "| `fast` | 100.0 ± 10.0 | 100.0 | 90.0 | 110.0 | 1.00 |"


def test_relative_to_the_reference(two: list[BenchmarkResult]) -> None:
    rows = _table(RunResults(results=two, metadata={}, reference="slow"))
    assert [r[-1] for r in rows] == ["0.67 ± 0.08", "1.00"]


def test_unknown_or_empty_reference_falls_back_to_fastest(
    two: list[BenchmarkResult], make_runs: Any
) -> None:
    empty = BenchmarkResult(name="empty", command="e", parameters={}, info={})
    rows = _table(RunResults(results=[*two, empty], metadata={}, reference="empty"))
    assert [r[-1] for r in rows] == ["1.00", "1.50 ± 0.18", "n/a"]
    assert rows[2][1:] == ["n/a"] * 5
    rows = _table(RunResults(results=two, metadata={}, reference="no such name"))
    assert [r[-1] for r in rows] == ["1.00", "1.50 ± 0.18"]


def test_single_run_has_no_spread(make_runs: Any, two: list[BenchmarkResult]) -> None:
    one = _result("once", [0.2], make_runs)
    rows = _table(RunResults(results=[two[0], one], metadata={}))
    assert rows[1][1] == "200.0"
    assert rows[1][-1] == "2.00"


@pytest.mark.parametrize(
    ("mean", "unit", "cell"),
    [(2.5, "s", "2.500"), (0.0025, "ms", "2.5"), (0.0000025, "µs", "2.5"), (2.5e-9, "ns", "2.5")],
)
def test_unit_follows_the_smallest_mean(mean: float, unit: str, cell: str, make_runs: Any) -> None:
    report = RunResults(
        results=[
            _result("small", [mean, mean], make_runs),
            _result("large", [mean * 1000, mean * 1000], make_runs),
        ],
        metadata={},
    )
    lines = render("markdown", report).splitlines()
    assert f"| Mean [{unit}] |" in lines[0]
    assert lines[2].startswith(f"| `small` | {cell} ± 0.")


@pytest.mark.parametrize(
    ("unit", "header", "cell"),
    [("second", "s", "0.100"), ("millisecond", "ms", "100.0"), ("microsecond", "µs", "100000.0")],
)
def test_time_unit_can_be_forced(
    unit: TimeUnit, header: str, cell: str, two: list[BenchmarkResult]
) -> None:
    lines = render("markdown", RunResults(results=two, metadata={}, time_unit=unit)).splitlines()
    assert f"Mean [{header}]" in lines[0]
    assert _table(RunResults(results=two, metadata={}, time_unit=unit))[0][2] == cell


def test_user_text_cannot_break_the_table(make_runs: Any) -> None:
    names = ["a | b", "echo `date`", "``", "line\nbreak", "back\\|slash", " padded "]
    report = RunResults(results=[_result(n, [0.1, 0.1], make_runs) for n in names], metadata={})
    rows = _table(report)
    assert all(len(row) == 6 for row in rows)
    assert render("markdown", report).count("\n") == 2 + len(names)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("sleep 1", "`sleep 1`"),
        ("a | b", "`a \\| b`"),
        ("echo `date`", "`` echo `date` ``"),
        ("x ``y`` z", "```x ``y`` z```"),
        ("`", "`` ` ``"),
        ("one\ntwo", "`one two`"),
        (" a ", "`  a  `"),
        ("a\\|b", "`a\\\\\\|b`"),
    ],
)
def test_code_span(text: str, span: str) -> None:
    assert code_span(text) == span


def test_empty_report_is_just_the_header() -> None:
    text = render("markdown", RunResults(results=[], metadata={}))
    assert text.count("\n") == 2 and "Mean [s]" in text
