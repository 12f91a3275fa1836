"""The figures that trend trackers (github-action-benchmark, Bencher) chart per benchmark.

- latency: the **mean** time of one run (a load run: of one request or query) with
  its 95% confidence interval, in seconds. The mean, not the median, because that is
  what those trackers' own adapters chart for hyperfine, pytest-benchmark, Go,
  Google Benchmark and benchmark.js (Bencher's hyperfine adapter defaults to the
  mean; github-action-benchmark's alerts compare one value per run), and because the
  mean's t interval is symmetric, which "± X" needs.
- throughput: a load run's requests (queries) per second over the whole run, with
  the interval of the per-slice rates (centred on the run's rate); for other
  benchmarks runs per second, 1 / mean, with the reciprocal interval.
- peak memory: the largest peak resident set size of any run, in bytes (commands).

With ``--measure`` the latency is the measure's mean (CPU seconds, or a count of
instructions or cycles: no throughput and no peak memory then, both being Valgrind's).

For ``pbench compare`` the figures are the candidate side's: one file, the mean of
its compared values (run times; a load run's per-slice median latencies) with the t
interval; several files, the mean of the per-file means with the t interval across
files, so run-to-run variation counts. Load throughput and memory are not in the
compared values, so they are left out there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pbench.export.figures import finite_or_none, peak_memory
from pbench.models import BenchmarkResult, RunResults, is_count
from pbench.results.pairing import FileComparison, Pair


@dataclass(frozen=True, slots=True)
class Estimate:
    """A value and its interval (``low``/``high`` None when there is none)."""

    value: float
    low: float | None = None
    high: float | None = None

    @classmethod
    def of(cls, value: float, low: float | None, high: float | None) -> Estimate:
        """An estimate whose interval is dropped unless both bounds are finite."""
        if finite_or_none(low) is None or finite_or_none(high) is None:
            return cls(value)
        return cls(value, low, high)

    @property
    def half_width(self) -> float | None:
        """The larger distance from the value to a bound: the "± X" of the interval."""
        if self.low is None or self.high is None:
            return None
        return max(self.value - self.low, self.high - self.value)


@dataclass(frozen=True, slots=True)
class Tracked:
    name: str
    noun: str  # what one run is: "runs", "requests", "queries"
    n: int  # runs (load runs: slices) the latency came from
    latency: Estimate | None  # seconds
    throughput: Estimate | None  # per second
    peak_memory: int | None  # bytes
    load: bool = False
    # --measure: what ``latency`` is (wall seconds by default; cpu seconds; a count of
    # instructions or cycles, whose runs have no throughput and Valgrind's memory)
    measure: str = "wall"


def of_results(results: RunResults) -> list[Tracked]:
    """One entry per benchmark that has a summary (benchmarks without one are left out)."""
    tracked = []
    for result in results.results:
        summary = results.summary(result)
        if summary is None or finite_or_none(summary.mean) is None:
            continue
        latency = (
            Estimate.of(summary.mean, summary.mean_ci.low, summary.mean_ci.high)
            if summary.n >= 2
            else Estimate(summary.mean)
        )
        load = result.sections.get("load")
        throughput = _load_rate(result) if isinstance(load, dict) else _reciprocal(latency)
        counted = is_count(result.measure)
        tracked.append(
            Tracked(
                name=result.name,
                noun=_noun(result),
                n=summary.n,
                latency=latency,
                throughput=None if counted else throughput,
                peak_memory=None if counted else peak_memory(result),
                load=isinstance(load, dict),
                measure=result.measure,
            )
        )
    return tracked


def of_comparison(result: FileComparison) -> list[Tracked]:
    """The candidate side of every pair."""
    return [_candidate(pair) for pair in result.pairs]


def _candidate(pair: Pair) -> Tracked:
    from pbench.stats.summary import mean_interval

    runs = [values for values in pair.values("candidate") if values]
    if len(runs) == 1:
        sample: Sequence[float] = runs[0]
    else:
        sample = [math.fsum(v) / len(v) for v in runs]
    mean, spread = _mean_sd(sample)
    interval = mean_interval(mean, spread, len(sample))
    latency = Estimate.of(mean, interval.low, interval.high) if len(sample) >= 2 else Estimate(mean)
    load = pair.candidate.load
    return Tracked(
        name=pair.label,
        noun={"http": "requests", "sql": "queries"}.get(load or "", "runs"),
        n=sum(len(v) for v in runs),
        latency=latency,
        throughput=None if load or is_count(pair.measure) else _reciprocal(latency),
        peak_memory=None,
        load=load is not None,
        measure=pair.measure,
    )


def _noun(result: BenchmarkResult) -> str:
    kind = str(result.info.get("type") or result.info.get("kind") or "command")
    if "load" in result.sections or kind == "http":
        return "queries" if kind == "sql" else "requests"
    return "queries" if kind == "sql" else "runs"


def _reciprocal(latency: Estimate) -> Estimate | None:
    """Runs per second from the time of one run; the interval's bounds swap."""
    if latency.value <= 0:
        return None
    if latency.low is None or latency.high is None or latency.low <= 0:
        return Estimate(1 / latency.value)
    return Estimate(1 / latency.value, 1 / latency.high, 1 / latency.low)


def _load_rate(result: BenchmarkResult) -> Estimate | None:
    from pbench.stats.summary import mean_interval

    throughput = result.sections["load"].get("throughput") or {}
    rate = finite_or_none(throughput.get("requests_per_s"))
    if rate is None:
        return None
    key = "requests_per_s"
    rates = [m.metrics[key] for m in result.measurements if key in m.metrics]
    if len(rates) < 2:
        return Estimate(rate)
    mean, spread = _mean_sd(rates)
    interval = mean_interval(mean, spread, len(rates))
    return Estimate.of(rate, rate - (mean - interval.low), rate + (interval.high - mean))


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    mean = math.fsum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1))
