"""report/html without a browser: sections only with data, the history and fitness
hooks, user text escaped everywhere, nothing that could load from elsewhere."""

from __future__ import annotations

import re

from pbench.export import parse_export_spec, render
from pbench.models import BenchmarkResult, Measurement, RunResults
from pbench.report.charts.lines import Baseline, TrendData
from pbench.report.html import render_html

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def _result(name: str, times: list[float], **parameters: str) -> BenchmarkResult:
    runs = [
        Measurement(t, 0.001, 0.0005, 1_000_000, 0, None, False, None, i, 0, i)
        for i, t in enumerate(times)
    ]
    return BenchmarkResult(name, f"echo {name}", parameters, {}, runs, stop_reason="runs")


def _results(**extra: object) -> RunResults:
    results = [
        _result(HOSTILE, [0.010, 0.011, 0.012, 0.011, 0.010], n=HOSTILE),
        _result("b", [0.020, 0.021, 0.022, 0.021, 0.020], n="2"),
    ]
    metadata = {"pbench_version": "0.1.0", "git": {"commit": "abc", "branch": HOSTILE}}
    warnings = {HOSTILE: [HOSTILE]}
    return RunResults(results, metadata, warnings=warnings, **extra)  # type: ignore[arg-type]


def _ids(html: str) -> set[str]:
    return set(re.findall(r'<section id="([^"]+)"', html))


def test_sections_appear_only_with_data() -> None:
    html = render_html(_results())
    assert {"summary", "distributions", "scan", "findings", "benchmarks"} <= _ids(html)
    assert not {"budgets", "scores", "history", "fitness", "comparisons"} & _ids(html)
    empty = render_html(RunResults([], {}))
    assert _ids(empty) == {"summary"}


def test_history_and_fitness_render_when_given() -> None:
    trend = TrendData(
        "p95 of " + HOSTILE,
        [1.0, 1.0, 2.0],
        ["c1", "c2", HOSTILE],
        [2],
        [Baseline(0, 1, 1.0), Baseline(2, 2, 2.0)],
    )
    fitness = {
        "fit": False,
        "summary": "unfit: load",
        "checks": [
            {"name": "load", "status": "bad", "value": HOSTILE, "meaning": "m", "fix": None}
        ],
    }
    html = render_html(_results(), history=[trend], fitness=fitness)
    assert {"history", "fitness"} <= _ids(html)
    assert "chart-trend" in html and 'class="change-point"' in html


def test_user_text_is_escaped_and_nothing_loads_from_elsewhere() -> None:
    html = render_html(_results())
    assert HOSTILE not in html and "<img" not in html
    assert html.count("<script") == 1  # the report's own
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "default-src &#39;none&#39;" in html and "@import" not in html and "url(" not in html


def test_the_html_export_reuses_unchanged_sections_and_renders_the_same() -> None:
    from pbench.export.memo import ResultMemo

    results = _results()
    memo = ResultMemo()
    memo.refresh(results.results)
    assert render("html", results, memo) == render("html", results) == render_html(results)
    assert parse_export_spec(None, "report.html").format == "html"
    assert parse_export_spec(None, "report.HTM").format == "html"
    assert parse_export_spec("html", "-").to_stdout


def test_the_html_export_shows_a_suite_runs_fitness_check() -> None:
    import dataclasses

    fitness = {"fit": False, "summary": "unfit: load", "checks": [
        {"name": "load", "status": "bad", "value": "2.4 over 2 CPUs", "meaning": "busy",
         "fix": "stop other work first"},
    ]}  # fmt: skip
    results = dataclasses.replace(_results(), metadata={"fitness": fitness})
    html = render(parse_export_spec("html", "x.html").format, results)
    assert "fitness" in _ids(html) and "2.4 over 2 CPUs" in html
