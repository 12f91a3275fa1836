"""Recommendations on constructed results: each appears when, and only when, the data
call for it, and names the figure it follows from; then two real commands."""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Sequence

import numpy as np
import pytest

from pbench.models import BenchmarkResult, BenchmarkSpec, Measurement, RunPlan
from pbench.run.recommend import other_diagnoses, recommendations_for
from pbench.run.runner import Runner
from pbench.stats.budget import BudgetCheck, Quantity
from pbench.stats.summary import summarize
from pbench.targets.command.shell import plan_invocation
from pbench.targets.command.target import CommandOptions, CommandTarget

STEADY = [0.100, 0.101, 0.099, 0.1005, 0.0995] * 4


def result(
    times: Sequence[float],
    *,
    cpu: Sequence[float] | None = None,
    rss: Sequence[int] | None = None,
    rounds: Sequence[int] | None = None,
    info: dict[str, object] | None = None,
    sections: dict[str, object] | None = None,
    warmups: int = 0,
) -> BenchmarkResult:
    r = BenchmarkResult("x", "x", {}, info or {"type": "command"}, sections=dict(sections or {}))
    r.warmups = warmups
    for i, t in enumerate(times):
        user = None if cpu is None else cpu[i] * 0.8
        system = None if cpu is None else cpu[i] * 0.2
        peak = None if rss is None else rss[i]
        slot = i if rounds is None else rounds[i]
        r.measurements.append(Measurement(t, user, system, peak, 0, None, False, None, slot, 0, i))
    return r


def advice(r: BenchmarkResult, checks: Sequence[BudgetCheck] = ()) -> list[str]:
    return recommendations_for(r, summarize(r.times), checks)


def text(r: BenchmarkResult, checks: Sequence[BudgetCheck] = ()) -> str:
    return "\n".join(advice(r, checks))


def test_a_quiet_result_without_cpu_times_gets_nothing() -> None:
    assert advice(result(STEADY)) == []
    assert recommendations_for(result([]), None, []) == []


def test_a_failed_benchmark_gets_nothing() -> None:
    r = result([0.05] * 10, cpu=[0.002] * 10)
    assert advice(r) != []
    r.stop_reason = "failed"
    assert advice(r) == []


def test_cpu_bound_names_the_share_and_the_medians() -> None:
    walls = [0.0496] * 10
    found = text(result(walls, cpu=[0.0481] * 10))
    assert "CPU-bound: CPU time is 97% of wall time (median 48.10 ms of 49.60 ms)" in found
    assert "cores" in found and "mostly waiting" not in found


def test_multithreaded_says_how_many_cores() -> None:
    found = text(result([0.05] * 10, cpu=[0.16] * 10))
    assert "multithreaded: it uses 3.2 cores" in found and "CPU-bound" not in found


def test_waiting_and_the_silent_middle() -> None:
    found = text(result([0.05] * 10, cpu=[0.002] * 10))
    assert "mostly waiting: CPU time is 4% of wall time (median 2.00 ms of 50.00 ms)" in found
    middle = text(result([0.05] * 10, cpu=[0.035] * 10))  # 70%: nothing follows
    assert "CPU" not in middle and "waiting" not in middle


def test_growing_memory_is_a_leak_suspect() -> None:
    rss = [12_000_000 + 1_200_000 * i + (50_000 if i % 2 else -50_000) for i in range(10)]
    found = text(result([0.1] * 10, rss=rss))
    assert (
        "leak suspect: peak memory grows 1.1 MiB per run (11.4 MiB → 21.8 MiB over 10 runs" in found
    )
    assert "p < 0.0001" in found and "--prepare" in found


def test_flat_or_noisy_memory_or_few_runs_is_no_leak() -> None:
    rng = np.random.default_rng(4)
    noisy = [int(v) for v in rng.normal(50e6, 5e6, 30)]
    assert "leak" not in text(result([0.1] * 30, rss=noisy))
    assert "leak" not in text(result([0.1] * 30, rss=[50_000_000] * 30))
    creeping = [50_000_000 + 1000 * i for i in range(30)]  # significant, but 0.06%
    assert "leak" not in text(result([0.1] * 30, rss=creeping))
    rising = [12_000_000 + 1_200_000 * i for i in range(9)]
    assert "leak" not in text(result([0.1] * 9, rss=rising))  # too few runs to tell


def test_slow_start_names_the_runs_and_the_warmup_to_use() -> None:
    found = text(result([0.3, 0.25, 0.2, *STEADY]))
    assert "high variance (CV " in found
    assert "from a slow start" in found and "the first 3 runs took 2.5x the median" in found
    assert "--warmup 3" in found
    again = text(result([0.3, 0.25, 0.2, *STEADY], warmups=2))
    assert "--warmup 5" in again


def test_outliers_that_explain_the_variance() -> None:
    # One run at 2.5x among 40 moves the mean by 4%: no warning, so the recommendation
    # is the diagnosis
    times = [*STEADY, *STEADY]
    times[7] = 0.25
    found = text(result(times))
    assert "from 1 outliers" in found and "the CV is 1% without them" in found
    assert "slow start" not in found and "clusters" not in found and "drift" not in found
    assert len(advice(result(times))) == 1


def test_outliers_told_by_the_warning_are_not_told_again() -> None:
    # Two runs at 4x move the mean by 15%: the severe-outlier warning says so, with its
    # evidence and action; a recommendation naming the same cause would repeat it
    times = [*STEADY, *STEADY]
    times[7] = times[23] = 0.4
    assert advice(result(times)) == []


def test_one_diagnosis_per_benchmark() -> None:
    # A slow start and drift after it: the slow start accounts for most of the variance,
    # so it is the one told, with that share as its evidence
    times = [0.5, 0.45, 0.4] + [0.1 * (1 + 0.02 * i) + 0.001 * (-1) ** i for i in range(30)]
    found = advice(result(times))
    assert len(found) == 1 and "from a slow start" in found[0]
    assert found[0].endswith("of the variance")
    # the other candidates go to the JSON only (other_diagnoses), not to the output; the
    # slow runs at the start are not outliers of their own
    others = other_diagnoses(result(times))
    assert len(others) == 1 and "from drift" in others[0]


def test_the_cause_that_accounts_for_most_of_the_variance_is_told() -> None:
    # Two slow first runs, then two clusters: both are in the data, and told in a fixed
    # order the slow start would come first; the clusters account for far more of it
    rng = np.random.default_rng(5)
    times = [0.022, 0.022] + [
        0.010 + 0.004 * (i % 2) + float(rng.normal(0, 0.0001)) for i in range(60)
    ]
    found = advice(result(times))
    assert len(found) == 1 and "from two clusters" in found[0], found
    others = other_diagnoses(result(times))
    assert any("from a slow start" in text for text in others), others
    shares = [int(text.rsplit("accounts for ", 1)[1].split("%")[0]) for text in found + others]
    assert shares == sorted(shares, reverse=True)


def test_explained_share_is_adjusted_for_what_the_model_fits() -> None:
    from pbench.run.recommend import explained

    values = [1.0, 2.0, 3.0, 4.0]
    assert explained(values, values, 1) == 1.0  # a perfect fit
    assert explained(values, [2.5] * 4, 1) == 0.0  # the mean alone explains nothing
    assert explained(values, values, 4) == 0.0  # no degree of freedom left
    assert explained([2.0] * 4, [2.0] * 4, 1) == 0.0  # no spread to explain


def test_other_diagnoses_reach_the_json_only() -> None:
    from pbench.export.json import document as build_document
    from pbench.run.results import build_results

    times = [0.5, 0.45, 0.4] + [0.1 * (1 + 0.02 * i) + 0.001 * (-1) ** i for i in range(30)]
    run = build_results(
        [result(times)], {}, reference=None, time_unit=None, compare=False, recommend=True
    )
    assert [len(v) for v in run.recommendations.values()] == [1]
    document = build_document(run)
    assert "from drift" in document["other_diagnoses"]["x"][0]
    assert "from drift" not in " ".join(document["recommendations"]["x"])
    quiet = build_results(
        [result([0.1] * 10)], {}, reference=None, time_unit=None, compare=False, recommend=True
    )
    assert "other_diagnoses" not in build_document(quiet)


def test_two_clusters() -> None:
    rng = np.random.default_rng(2)
    times = [0.010 + 0.004 * (i % 2) + float(rng.normal(0, 0.0001)) for i in range(30)]
    found = text(result(times))
    assert "from two clusters: 15 runs near 10.03 ms and 15 near 13.95 ms" in found
    assert "--prepare to reset it before every run" in found
    assert "drift" not in found and "outliers" not in found


def test_drift() -> None:
    times = [0.1 * (1 + 0.02 * i) + 0.001 * (-1) ** i for i in range(30)]
    found = text(result(times))
    assert "from drift: the runs got 58% slower from first to last (p < 0.0001)" in found


def test_noise_without_a_pattern_gets_no_recommendation() -> None:
    rng = np.random.default_rng(11)
    times = [float(v) for v in rng.normal(0.1, 0.02, 40)]
    assert advice(result(times)) == []  # CV 20%; the warning "The runs vary a lot" says it


def test_variance_counts_slices_not_runs() -> None:
    # 10 slices of 5 runs: spread inside each slice, the slices' medians steady
    times = [0.1 + 0.05 * (j % 5 - 2) / 2 for j in range(50)]
    r = result(times, rounds=[j // 5 for j in range(50)], info={"type": "sql"})
    assert "high variance" not in text(r)
    uneven = result(
        [0.1, 0.1, 0.3, 0.3] * 12, rounds=[j // 2 for j in range(48)], info={"type": "sql"}
    )
    found = text(uneven)
    assert "over 24 slices), from two clusters: 12 slices near" in found
    assert "--prepare-sql" in found


def load_result(per_worker: float, kind: str) -> BenchmarkResult:
    load = {"client_cpu": {"per_worker": per_worker}, "workers": 2, "requests": 5000}
    load["warnings"] = ["pbench used 96% of a core per worker: ..."] if per_worker >= 0.9 else []
    return result(
        STEADY, info={"kind" if kind == "http" else "type": kind}, sections={"load": load}
    )


def test_client_bound_load_run() -> None:
    found = text(load_result(0.96, "http"))
    assert "client-bound (see the warning): pbench's client used 96% of a core per worker" in found
    assert "add --workers (now 2, try 4)" in found
    assert "--clients" in text(load_result(0.96, "sql"))
    assert "client-bound" not in text(load_result(0.6, "http"))


def at_risk(
    measured: float, low: float, high: float, limit: float, quantity: Quantity = "time"
) -> BudgetCheck:
    return BudgetCheck("x", "p95", "error", limit, quantity, False, "at_risk", measured, low, high)


def test_a_budget_at_risk_says_how_many_runs_would_decide_it() -> None:
    r = result([0.2] * 10)
    found = text(r, [at_risk(0.243, 0.231, 0.262, 0.250)])
    assert "p95 budget (error 250.0 ms) at risk: 243.0 ms [231.0, 262.0]" in found
    assert "about 7.4x the runs (~74) would likely decide it" in found and "--runs 74" in found
    near = text(r, [at_risk(0.2495, 0.231, 0.262, 0.250)])
    assert "sits right at the limit, where more data will hardly decide it" in near
    met = BudgetCheck("x", "p95", "error", 0.3, "time", False, "met", 0.243, 0.231, 0.262)
    other = BudgetCheck("y", "p95", "error", 0.25, "time", False, "at_risk", 0.243, 0.231, 0.262)
    assert "budget" not in text(r, [met, other])


def test_a_load_budget_at_risk_asks_for_a_longer_duration() -> None:
    check = at_risk(0.243, 0.231, 0.262, 0.237)
    found = text(load_result(0.5, "http"), [check])
    assert "a longer -d (about 4x) would likely decide it" in found and "--runs" not in found


def test_budget_figures_in_their_units() -> None:
    found = text(result([0.1] * 5), [at_risk(150e6, 140e6, 2e9, 160e6, "bytes")])
    assert "(error 152.6 MiB) at risk: 143.1 MiB [133.5, 1.9 GiB]" in found


def measure(command: str, runs: int) -> BenchmarkResult:
    target = CommandTarget(plan_invocation(command, None), CommandOptions(env=dict(os.environ)))
    spec = BenchmarkSpec(name=command, command=command, target=target)
    plan = RunPlan(benchmarks=[spec], min_runs=runs, max_runs=runs, min_time_s=0.0)
    return Runner(plan).run()[0]


def test_real_sleep_is_waiting() -> None:
    found = advice(measure("sleep 0.05", 5))
    assert any(line.startswith("mostly waiting: CPU time is ") for line in found)


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="CPU times come from wait4")
def test_real_cpu_loop_counts_its_cpu_time() -> None:
    # Whether a run is called CPU-bound depends on how long it waited for a core, which
    # a busy machine decides: the rule is checked on given CPU times above. A real loop
    # checks what no load can change: each run is charged at least the CPU time the loop
    # spins for, never more than its wall time allows on one core, and it is never
    # called multithreaded.
    loop = "import time\nt=time.process_time()\nwhile time.process_time()-t<0.15: pass"
    r = measure(f"{sys.executable} -c {shlex.quote(loop)}", 3)
    for m in r.measurements:
        assert m.user_s is not None and m.system_s is not None
        assert 0.15 <= m.user_s + m.system_s <= 1.2 * m.wall_s + 0.05, m
    assert not any("multithreaded" in line for line in advice(r))


def test_a_spread_that_leaves_no_conclusion_open_is_not_warned_about() -> None:
    # Issue 18: "the runs vary a lot" and a variance diagnosis are for a benchmark whose
    # figures leave the question open. Two benchmarks tenfold apart, each very noisy:
    # their comparison is decided, so neither is warned about; alone, one is.
    from pbench.run.results import build_results

    rng = np.random.default_rng(3)
    # two states in turn (a variance diagnosis: two clusters), the median between them
    noisy = [0.001 * (1 + 0.6 * (i % 2)) + float(rng.normal(0, 1e-5)) for i in range(30)]
    slow = [10 * v for v in noisy]
    a, b = result(noisy), result(slow)
    b.name = b.command = "y"
    alone = build_results([result(noisy)], {}, reference=None, time_unit=None, compare=True,
                          recommend=True)  # fmt: skip
    assert any(w.startswith("The runs vary a lot") for w in alone.warnings["x"])
    assert any(t.startswith("high variance") for t in alone.recommendations.get("x", []))
    both = build_results([a, b], {}, reference="x", time_unit=None, compare=True, recommend=True)
    (comparison,) = both.comparisons
    assert comparison.verdict == "slower"
    for name in ("x", "y"):
        assert not any(w.startswith("The runs vary a lot") for w in both.warnings[name])
        assert not any(t.startswith("high variance") for t in both.recommendations.get(name, []))
    assert any(t.startswith("high variance") for t in both.other_diagnoses["x"])
