"""The JUnit export on known results: valid against Jenkins' junit-10.xsd, one case per
benchmark and per budget check, failures with their figures, user text kept intact."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import xmlschema

from pbench.export import junit, parse_export_spec, render
from pbench.models import BenchmarkResult, Measurement, RunResults
from pbench.results.pairing import compare_result_files
from pbench.results.read import read_results
from pbench.stats.budget import BudgetCheck
from pbench.stats.gate import parse_fail_if
from support.junit import cases, outcome, validated

COMPARE = Path(__file__).resolve().parent.parent / "data" / "compare"


def check(**changes: Any) -> BudgetCheck:
    base = BudgetCheck(
        benchmark="sleep 0.1",
        metric="p95",
        level="error",
        limit=0.25,
        quantity="time",
        bigger_is_better=False,
        status="broken",
        measured=0.312,
        low=0.298,
        high=0.330,
    )
    return dataclasses.replace(base, **changes)


def test_one_case_per_benchmark_with_kind_time_and_outcome(report: RunResults) -> None:
    root = validated(junit.render(report))
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "pbench"
    found = cases(root)
    assert list(found) == [r.name for r in report.results]
    fast = found["sleep 0.1"]
    assert fast.get("classname") == "pbench.command"
    assert float(fast.get("time", "")) == pytest.approx(sum(report.results[0].times), abs=1e-6)
    assert outcome(fast) == "passed"
    assert "mean 101.4 ms" in (fast.findtext("system-out") or "")
    # Two of five runs failed (exit code 1, a timeout): the message says so.
    tricky = found['grep "a|b" `ls` | wc -l']
    failure = tricky.find("failure")
    assert failure is not None
    assert failure.get("message") == "2 of 5 runs failed: exit code 1; timed out"
    assert "warning: 1 run ignored with exit code 1 (-i)" in (tricky.findtext("system-out") or "")
    never = found["never ran"]
    assert outcome(never) == "skipped"
    assert never.find("skipped").get("message") == "interrupted before any run"  # type: ignore[union-attr]
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("6", "1", "1")


def test_classname_follows_the_benchmark_kind(report: RunResults) -> None:
    first = report.results[0]
    kinds = [
        dataclasses.replace(first, name=kind, info=info)
        for kind, info in (("h", {"kind": "http"}), ("s", {"type": "sql"}), ("c", {}))
    ]
    root = validated(junit.render(dataclasses.replace(report, results=kinds)))
    classnames = {name: c.get("classname") for name, c in cases(root).items()}
    assert classnames == {"h": "pbench.http", "s": "pbench.sql", "c": "pbench.command"}


def test_budget_checks_fail_only_when_an_error_level_is_broken(report: RunResults) -> None:
    checks = [
        check(),
        check(level="warn", limit=0.2),
        check(status="at_risk", limit=0.3, metric="max"),
        check(status="no_data", metric="rss", quantity="bytes", limit=2**20, measured=None,
              low=None, high=None, note="memory was not measured"),
        check(metric="throughput", quantity="rate", bigger_is_better=True, limit=1000,
              status="met", measured=2000, low=1900, high=2100),
    ]  # fmt: skip
    root = validated(junit.render(dataclasses.replace(report, budgets=checks)))
    found = cases(root)
    broken = found["sleep 0.1 budget p95 ≤ 250.0 ms (error)"]
    assert broken.get("classname") == "pbench.budget"
    assert broken.find("failure").get("message") == (  # type: ignore[union-attr]
        "p95 312.0 ms [298.0 ms, 330.0 ms], error limit ≤ 250.0 ms: broken"
    )
    warned = found["sleep 0.1 budget p95 ≤ 200.0 ms (warn)"]
    assert outcome(warned) == "passed"
    assert "warn limit ≤ 200.0 ms: broken" in (warned.findtext("system-out") or "")
    at_risk = found["sleep 0.1 budget max ≤ 300.0 ms (error)"]
    assert outcome(at_risk) == "passed"
    assert "at risk" in (at_risk.findtext("system-out") or "")
    no_data = found["sleep 0.1 budget rss ≤ 1.0 MB (error)"]
    assert outcome(no_data) == "skipped"
    assert "memory was not measured" in no_data.find("skipped").get("message", "")  # type: ignore[union-attr]
    assert outcome(found["sleep 0.1 budget throughput ≥ 1,000.0/s (error)"]) == "passed"
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "2"  # the tricky benchmark, p95


def test_user_text_with_markup_quotes_and_control_characters_survives(report: RunResults) -> None:
    name = "a<b & \"c\" 'd'\x1b\x00 ]]> e\udcff"
    failed = Measurement(
        wall_s=0.01, user_s=None, system_s=None, peak_rss_bytes=None, exit_code=None,
        signal=None, timed_out=False, error="bell\x07 <rang> & went", round=0, position=0,
        iteration=0,
    )  # fmt: skip
    result = BenchmarkResult(name, "echo '<&>'\n\tnext", {}, {}, measurements=[failed])
    root = validated(junit.render(dataclasses.replace(report, results=[result])))
    (case,) = root.iter("testcase")
    assert case.get("name") == "a<b & \"c\" 'd'\\x1b\\x00 ]]> e\\udcff"
    assert case.find("failure").get("message") == (  # type: ignore[union-attr]
        "1 of 1 runs failed: bell\\x07 <rang> & went"
    )
    assert "command: echo '<&>'\n\tnext" in (case.findtext("system-out") or "")


def test_the_schema_refuses_what_ci_servers_would(report: RunResults) -> None:
    """The validation can fail: a case without a name, a suite time with an exponent."""
    text = junit.render(report)
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        validated(text.replace('name="sleep 0.1"', "", 1))
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        validated(text.replace('<testsuite name="pbench" tests="6"', '<testsuite tests="6"'))
    root = text.split("<testsuite ", 1)
    suite_time = root[1].split('time="', 1)[1].split('"', 1)[0]
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        validated(text.replace(f'skipped="1" time="{suite_time}"', 'skipped="1" time="1e-05"'))


def test_the_registry_knows_junit_by_name_and_by_xml_extension(report: RunResults) -> None:
    assert parse_export_spec(None, "out.xml").format == "junit"
    assert parse_export_spec("junit", "out.txt").format == "junit"
    assert render("junit", report) == junit.render(report)


def test_compare_has_one_case_per_pair_and_fails_on_the_regression() -> None:
    result = compare_result_files(
        read_results(str(COMPARE / "pbench_base.json"), "baseline"),
        read_results(str(COMPARE / "pbench_slower.json"), "candidate"),
        gates=[parse_fail_if("median:5%")],
    )
    root = validated(junit.render_comparison(result))
    found = cases(root)
    assert {n: outcome(c) for n, c in found.items()} == {
        "parse": "failure",
        "render": "passed",
        "startup": "skipped",
        "export": "skipped",
    }
    message = found["parse"].find("failure").get("message", "")  # type: ignore[union-attr]
    assert message.startswith("slower: ratio 1.101 [1.09")
    assert "(candidate / baseline of the median, 95% interval)" in message
    assert "median:5%" in message  # the failed gate is named too
    assert found["startup"].find("skipped").get("message") == "only in the baseline"  # type: ignore[union-attr]
    assert "same: ratio" in (found["render"].findtext("system-out") or "")
