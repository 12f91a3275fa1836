"""Findings on constructed results: each warning appears when, and only when, it should."""

from __future__ import annotations

import numpy as np

from pbench.models import BenchmarkResult, Measurement
from pbench.run.warnings import warnings_for as warnings_of
from pbench.stats.summary import outliers, severe_outliers, summarize


def result(times: list[float], shell: bool = False, codes: list[int] | None = None,
           warmups: int = 0, loops: int = 1) -> BenchmarkResult:  # fmt: skip
    codes = codes or [0] * len(times)
    r = BenchmarkResult(
        name="x", command="x", parameters={}, info={"shell_mode": "shell" if shell else "direct"}
    )
    r.warmups = warmups
    for i, (t, code) in enumerate(zip(times, codes, strict=True)):
        r.measurements.append(
            Measurement(t, 0.0, 0.0, None, code, None, False, None, i, 0, i, loops=loops)
        )
    return r


def warnings_for(r: BenchmarkResult) -> str:
    return "\n".join(warnings_of(r, summarize(r.times)))


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


def test_ignored_failures_are_reported() -> None:
    text = warnings_for(result([0.1, 0.1, 0.1, 0.1], codes=[0, 2, 2, 0]))
    assert "2 of 4 runs failed (exit code 2 (2x))" in text


def test_a_few_outliers_in_many_runs_are_not_worth_a_warning() -> None:
    steady = [0.100, 0.101, 0.099, 0.1005, 0.0995] * 200
    steady[10] = steady[500] = 0.3  # 2 of 1000, severe, but the mean moves by 0.4%
    assert warnings_for(result(steady)) == ""


def test_an_ordinary_right_tail_of_thousands_of_runs_does_not_warn() -> None:
    # The shape of a quiet machine's timings (deterministic here): a tight bulk, a fifth of
    # the runs a few percent slower, and three 20x slower. The old rule (modified z > 3.5
    # on more than 2% of the runs) fired on it, as did the classic coefficient of
    # variation, pulled up by the three; hyperfine's rule alone would fire too.
    rng = np.random.default_rng(9)
    tail = (rng.random(4000) < 0.2) * rng.exponential(0.1, 4000)
    times = list(2e-6 * (1 + 0.005 * rng.standard_normal(4000) + tail))
    times[100] = times[2000] = times[3000] = 40e-6
    assert len(outliers(times).modified_z) > 0.1 * len(times)  # "857 of 4035 runs are ..."
    assert summarize(times).cv >= 0.10
    assert len(severe_outliers(times)) > 100  # they move the mean by 3%
    assert warnings_for(result(times)) == ""
    assert warnings_for(result(times, loops=1024)) == ""  # batched (SQL) runs alike


def test_injected_severe_outliers_warn_and_say_how_much_they_moved_the_mean() -> None:
    steady = [0.100, 0.101, 0.099, 0.1005, 0.0995] * 200
    for i in (7, 300, 301, 650, 999):
        steady[i] = 2.0  # 5 of 1000 runs 20x slower: the mean rises by 9.5%
    text = warnings_for(result(steady))
    assert (
        "5 of 1000 runs are severe outliers (modified z-score > 10) that raise the mean by "
        "9% (from 100.0 ms to 109.5 ms); they are kept and labelled in the JSON export."
    ) in text
    assert "--warmup" in text and "vary a lot" not in text
    # One in a handful of runs, and a bimodal sample whose MAD is 0 (hyperfine's epsilon
    # would flag every run; the MAD is taken as 0.1% of the median instead)
    few = warnings_for(result([0.1, 0.1, 0.101, 0.099, 0.1, 0.3, 0.1, 0.1]))
    assert "1 of 8 runs is a severe outlier (modified z-score > 10) that raises the mean by " \
        "25% (from 100.0 ms to 125.0 ms); it is kept" in few  # fmt: skip
    wide = warnings_for(result([27.53e-6] + [80e-6] * 8 + [14216.3e-6]))
    assert "2 of 10 runs are severe outliers" in wide and "raise the mean 18.6-fold" in wide
    # Runs far below the rest (a cached or short-circuited run) lower it
    low = warnings_for(result([0.100, 0.101, 0.099, 0.1005, 0.0995] * 4 + [0.001] * 2))
    assert "2 of 22 runs are severe outliers" in low and "lower the mean by 9%" in low


def test_severe_outliers_that_barely_move_the_mean_are_only_labelled() -> None:
    steady = [0.100, 0.101, 0.099, 0.1005, 0.0995] * 20
    steady[40] = steady[60] = 0.25  # 2 of 100: +3%
    assert len(severe_outliers(steady)) == 2 and len(outliers(steady).modified_z) >= 2
    assert warnings_for(result(steady)) == ""
    steady[80] = 0.25  # 3 of 100: +4.5%; a fourth makes +6%
    assert warnings_for(result(steady)) == ""
    steady[90] = 0.25
    assert "4 of 100 runs are severe outliers" in warnings_for(result(steady))


def test_a_slow_first_run_is_told_once_and_only_when_it_moved_the_mean() -> None:
    text = warnings_for(result([1.0] + [0.100, 0.101, 0.099, 0.1005] * 3))
    assert "first run was much slower" in text and "severe outlier" not in text
    assert "it raises the mean by 69% (from 100.1 ms to 169.3 ms)" in text
    # Among 1,200 runs the same first run moves the mean by 0.7%: it changed nothing,
    # so nothing is said (it stays labelled in the JSON).
    assert warnings_for(result([1.0] + [0.100, 0.101, 0.099, 0.1005] * 300)) == ""
    with_warmup = warnings_for(result([1.0] + [0.100, 0.101, 0.099, 0.1005] * 3, warmups=1))
    assert "1 of 13 runs is a severe outlier" in with_warmup and "first run" not in with_warmup


def test_spread_is_judged_on_the_bulk_of_the_runs() -> None:
    # One far run sends the classic CV to 89% but leaves the bulk as tight as before
    one_far = [0.100, 0.101, 0.099, 0.1005, 0.0995] * 200
    one_far[500] = 3.0
    assert summarize(one_far).cv > 0.8
    assert "vary a lot" not in warnings_for(result(one_far))
    # Runs spread across ±20%: half are more than 10% from the median, yet 100 of them
    # know the median to ±3%: an ordinary spread for a fast command, which changes no
    # conclusion (issue 18), so no warning
    spread = [0.1 * (0.8 + 0.4 * i / 99) for i in range(100)]
    assert summarize(spread).median_ci.relative_width(0.1) < 0.1
    assert "vary a lot" not in warnings_for(result(spread))
    # Nine runs across ±40%: the median is known only to ±30%
    wide = [0.1 * (0.6 + 0.8 * i / 8) for i in range(9)]
    text = warnings_for(result(wide))
    assert "The runs vary a lot: the median is known only to within 70.00 ms .. 130.0 ms " \
        "(95% interval; half of the runs are more than 20% from the median)" in text  # fmt: skip
    # Batches (SQL runs of many queries) are judged alike
    assert "vary a lot" in warnings_for(result(wide, loops=64))
    assert warnings_for(result([0.100, 0.104, 0.096, 0.102, 0.098] * 20)) == ""


def test_runs_measured_as_zero_after_spawn_subtraction_do_not_crash() -> None:
    # A command as fast as the shell's spawn time is measured as 0 s: the first run's
    # ratio to a median of 0 has no meaning, and must not divide by it.
    text = warnings_for(result([0.002] + [0.0] * 9))
    assert "much slower" not in text
