"""The terminal report says what happened: failures as failures, skipped benchmarks as
skipped, load findings as warnings, one number format per line, names on one line."""

from __future__ import annotations

from typing import Any

from pbench.models import BenchmarkResult, Measurement
from pbench.report.load import load_lines
from pbench.report.terminal import Style, printable, render_report, render_result
from pbench.run.results import build_results
from pbench.run.warnings import warnings_for
from pbench.stats.summary import summarize

PLAIN = Style(color=False)


def _m(wall: float, i: int, **kw: Any) -> Measurement:
    fields: dict[str, Any] = dict(
        user_s=None,
        system_s=None,
        peak_rss_bytes=None,
        exit_code=0,
        signal=None,
        timed_out=False,
        error=None,
        round=i,
        position=0,
        iteration=i,
    )
    fields.update(kw)
    return Measurement(wall_s=wall, **fields)


def _result(name: str, measurements: list[Measurement], **kw: Any) -> BenchmarkResult:
    return BenchmarkResult(
        name=name,
        command=name,
        parameters={},
        info={"type": "command"},
        measurements=measurements,
        **kw,
    )


def _render(*results: BenchmarkResult) -> str:
    report = build_results(list(results), {}, reference=None, time_unit=None, compare=False)
    return render_report(report, PLAIN)


def test_a_failed_benchmark_is_shown_as_failed_not_as_a_measurement() -> None:
    failed = _result("false", [_m(0.0016, 0, exit_code=1)], stop_reason="failed")
    text = _render(failed)
    assert "Failed:              run 1 of 1: exit code 1" in text
    assert "Time (mean" not in text and "± 0.000" not in text and "1 runs" not in text


def test_a_failure_after_good_runs_says_how_many_succeeded() -> None:
    runs = [_m(0.01, i) for i in range(4)] + [_m(0.01, 4, exit_code=None, signal=11)]
    text = _render(_result("crashy", runs, stop_reason="failed"))
    assert "run 5 of 5: killed by SIGSEGV; 4 runs before it succeeded" in text


def test_a_benchmark_skipped_after_a_failure_says_so() -> None:
    failed = _result("false", [_m(0.0016, 0, exit_code=1)], stop_reason="failed")
    skipped = _result("true", [])
    text = _render(failed, skipped)
    assert "Benchmark 2: true\n  (not run: skipped because 'false' failed)" in text
    assert "no successful runs" not in text
    assert "Summary" not in text  # nothing to compare with a failed benchmark


def test_a_benchmark_cut_short_by_another_failure_says_it_is_incomplete() -> None:
    failed = _result("false", [_m(0.0016, 0, exit_code=1)], stop_reason="failed")
    partial = _result("true", [_m(0.001, 0), _m(0.0011, 1)])
    text = _render(partial, failed)
    assert "Stopped:             after 2 runs, because 'false' failed (incomplete)" in text


def test_ignored_signals_are_named() -> None:
    runs = [_m(0.01, i, exit_code=None, signal=11) for i in range(3)]
    result = _result("segv", runs, stop_reason="runs")
    text = " ".join(warnings_for(result, summarize(result.times)))
    assert "3 of 3 runs failed (killed by SIGSEGV (3x))" in text
    assert "None" not in text


def test_load_findings_are_warnings_in_the_terminal_and_the_report() -> None:
    behind = "the target did not keep up with 5000 req/s (achieved 1700 req/s; ...)"
    section = {
        "model": "open",
        "concurrency": 1,
        "workers": 1,
        "target_rate": 5000.0,
        "elapsed_s": 13.0,
        "requests": 15000,
        "succeeded": 15000,
        "failed": 0,
        "throughput": {"requests_per_s": 1153.8, "succeeded_per_s": 1153.8, "bytes_per_s": 0},
        "latency": None,
        "errors": {},
        "status_codes": {"200": 15000},
        "client_cpu": {"cpu_s": 1.0, "cores": 0.1, "per_worker": 0.1},
        "warnings": [behind],
    }
    result = _result("GET /", [_m(4.8, 0)], stop_reason="time", sections={"load": section})
    report = build_results([result], {}, reference=None, time_unit=None, compare=False)
    assert report.warnings["GET /"] == [behind]
    assert f"Warning: {behind}" in render_report(report, PLAIN)


def test_range_line_uses_one_unit_and_one_number_format() -> None:
    times = [27.53e-6] + [80e-6] * 98 + [14216.3e-6]  # mean 221 µs
    text = render_result(
        1,
        _result("x", [_m(t, i) for i, t in enumerate(times)]),
        summarize(times),
        [],
        None,
        Style(),
    )
    (line,) = [ln for ln in text.splitlines() if "Range" in ln]
    assert "27.5 µs …  14216.3 µs" in line, line
    assert line.endswith("100 runs")


def test_names_are_shown_on_one_line_escaped_once() -> None:
    assert printable("a\nb") == "a\\nb"
    assert printable("a\\nb") == "a\\nb"  # typed backslash-n: shown as typed, not doubled
    assert printable("tab\there\x1b[31m") == "tab\\there\\x1b[31m"
    a = _result("line\none", [_m(0.01, i) for i in range(5)], stop_reason="runs")
    b = _result("back\\slash", [_m(0.02, i) for i in range(5)], stop_reason="runs")
    text = _render(a, b)
    assert "Benchmark 1: line\\none\n" in text
    assert "'line\\none' ran" in text and "'back\\slash'" in text
    assert "\\\\" not in text


def test_threads_peak_is_singular_for_one_thread() -> None:
    tree = {"cpu_mean_percent": 50.0, "cpu_peak_percent": 90.0, "threads_peak": 1.0}
    result = _result("x", [_m(0.01, i) for i in range(3)], sections={"process_tree": tree})
    text = _render(result)
    assert "1 thread peak" in text and "1 threads" not in text


def _load(**changes: Any) -> dict[str, Any]:
    section: dict[str, Any] = {
        "model": "closed",
        "concurrency": 1,
        "workers": 1,
        "target_rate": None,
        "elapsed_s": 1e-9,
        "requests": 1,
        "succeeded": 1,
        "failed": 0,
        "throughput": {"requests_per_s": 1.0, "succeeded_per_s": 1.0, "bytes_per_s": 0.0},
        "latency": None,
        "errors": {},
        "status_codes": {},
        "client_cpu": {"cpu_s": 0.0, "cores": 0.0, "per_worker": 0.0},
    }
    section.update(changes)
    return section


def test_load_line_counts_and_durations_read_well() -> None:
    assert load_lines(_load())[0].endswith("1 request in 1.0 ns")
    assert load_lines(_load(requests=2, elapsed_s=0.000544))[0].endswith("2 requests in 544.0 µs")
    assert load_lines(_load(requests=39_000, elapsed_s=13.2))[0].endswith(
        "39,000 requests in 13.200 s"
    )


def test_load_lines_name_the_statuses_when_every_request_failed() -> None:
    section = _load(
        requests=1234, succeeded=0, failed=1234, errors={"status": 1234}, status_codes={"503": 1234}
    )
    lines = load_lines(section)
    assert "Errors:              status: 1,234" in lines
    assert "Status codes:        503: 1,234" in lines


def test_paint_writes_the_codes_click_style_writes() -> None:
    import itertools

    import click

    from pbench.report.terminal import Style

    style = Style(color=True)
    for fg, bold, dim in itertools.product(
        (None, "green", "yellow", "red", "bright_black"), (False, True), (False, True)
    ):
        wanted = {k: v for k, v in (("fg", fg), ("bold", bold), ("dim", dim)) if v}
        assert style.paint("a <b>", fg=fg, bold=bold, dim=dim) == click.style("a <b>", **wanted)
    assert Style().paint("plain", fg="red", bold=True) == "plain"
