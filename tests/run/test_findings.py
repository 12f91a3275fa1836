"""Findings on constructed results: each warning appears when, and only when, it should."""

from __future__ import annotations

from pbench.models import BenchmarkResult, Measurement
from pbench.run.findings import findings
from pbench.stats.summary import summarize


def result(times: list[float], shell: bool = False, codes: list[int] | None = None,
           warmups: int = 0) -> BenchmarkResult:  # fmt: skip
    codes = codes or [0] * len(times)
    r = BenchmarkResult(
        name="x", command="x", parameters={}, info={"shell_mode": "shell" if shell else "direct"}
    )
    r.warmups = warmups
    for i, (t, code) in enumerate(zip(times, codes, strict=True)):
        r.measurements.append(Measurement(t, 0.0, 0.0, None, code, None, False, None, i, 0, i))
    return r


def warnings_for(r: BenchmarkResult) -> str:
    return "\n".join(findings(r, summarize(r.times)))


def test_quiet_result_has_no_findings() -> None:
    assert warnings_for(result([0.100, 0.101, 0.099, 0.100, 0.1005] * 4)) == ""


def test_too_fast_for_a_shell() -> None:
    text = warnings_for(result([0.002, 0.0021, 0.0019] * 4, shell=True))
    assert "less than 5 ms" in text and "-N" in text
    assert "less than 5 ms" not in warnings_for(result([0.002, 0.0021, 0.0019] * 4))


def test_slow_first_run() -> None:
    text = warnings_for(result([0.5] + [0.100, 0.101, 0.099, 0.1005] * 3))
    assert "first run was much slower" in text and "--warmup" in text
    assert "first run" not in warnings_for(result([0.5] + [0.1, 0.101, 0.099] * 3, warmups=2))


def test_outliers_and_high_variation() -> None:
    text = warnings_for(result([0.1, 0.1, 0.101, 0.099, 0.1, 0.3, 0.1, 0.1]))
    assert "1 of 8 runs are statistical outliers" in text
    assert "coefficient of variation" in text


def test_ignored_failures_are_reported() -> None:
    text = warnings_for(result([0.1, 0.1, 0.1, 0.1], codes=[0, 2, 2, 0]))
    assert "2 of 4 runs failed (exit code 2 (2x))" in text


def test_a_few_outliers_in_many_runs_are_not_worth_a_warning() -> None:
    steady = [0.100, 0.101, 0.099, 0.1005, 0.0995] * 200
    steady[10] = steady[500] = 0.3  # 2 of 1000: 0.2%
    assert "outliers" not in warnings_for(result(steady))
    noisy = list(steady)
    for i in range(0, 1000, 25):  # with the two above, 41 of 1000: 4%
        noisy[i] = 0.3
    assert "41 of 1000 runs are statistical outliers" in warnings_for(result(noisy))
