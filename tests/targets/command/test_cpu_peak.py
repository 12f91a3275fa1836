"""A sampled CPU peak never shows more cores than the threads seen at once."""

from __future__ import annotations

from pbench.targets.command.sampling import TreeRun, run_metrics


def _run(peak: float, threads: int, cpu_ns: int) -> TreeRun:
    # root -1: nothing left to read in /proc; exact_totals: no reaper to ask.
    return TreeRun(
        root=-1, t_begin=0.0, exact_totals=True, samples=5, cpu_ns=cpu_ns, cpu_peak=peak,
        rss_peak=4096, rss_sum=5 * 4096, threads_peak=threads,
    )  # fmt: skip


def test_one_thread_peak_is_capped_at_one_core() -> None:
    metrics = run_metrics(_run(peak=118.0, threads=1, cpu_ns=800_000_000), t_end=1.0)
    assert metrics["cpu_mean_percent"] == 80.0
    assert metrics["cpu_peak_percent"] == 100.0


def test_several_threads_may_use_several_cores() -> None:
    metrics = run_metrics(_run(peak=350.0, threads=4, cpu_ns=2_000_000_000), t_end=1.0)
    assert metrics["cpu_peak_percent"] == 350.0


def test_peak_is_never_below_the_mean() -> None:
    metrics = run_metrics(_run(peak=10.0, threads=1, cpu_ns=500_000_000), t_end=1.0)
    assert metrics["cpu_peak_percent"] == 50.0
