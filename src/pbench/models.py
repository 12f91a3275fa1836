"""Plain data that flows through pbench: specs and plans in, measurements out.

Everything here is a frozen dataclass built once (by the CLI or a suite file) and
never mutated by the domain; results are appended to only by the runner.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:  # statistics import lazily: `pbench --help` stays fast
    from pbench.stats.budget import BudgetCheck
    from pbench.stats.comparison import Comparison
    from pbench.stats.score import Score
    from pbench.stats.summary import Summary

Order = Literal["interleaved", "sequential"]
# --measure: what one run's figure is, the figure statistics, comparisons and budgets use.
Measure = Literal["wall", "cpu", "instructions", "cycles"]
MEASURES: tuple[Measure, ...] = ("wall", "cpu", "instructions", "cycles")
# The unit of each measure's figure, as the JSON export names it.
MEASURE_UNITS: Mapping[str, str] = {
    "wall": "second",
    "cpu": "second",
    "instructions": "instruction",
    "cycles": "cycle",
}


# What the terminal calls each measure's figure ("Time (mean ± σ)" for wall time, as
# hyperfine), and the words for it in sentences.
MEASURE_LABELS: Mapping[str, str] = {
    "wall": "Time",
    "cpu": "CPU time",
    "instructions": "Instructions",
    "cycles": "Est. cycles",
}
MEASURE_WORDS: Mapping[str, str] = {
    "wall": "wall time",
    "cpu": "CPU time",
    "instructions": "instructions",
    "cycles": "estimated cycles",
}
# --measure cycles: estimated cycles weight each simulated access by where it was served,
# as iai-callgrind does (its "estimated cycles", after Itamar Turner-Trauring's formula).
L1_HIT, LL_HIT, RAM_HIT = 1, 5, 35
_VALGRIND = "valgrind --tool=cachegrind --trace-children=yes"
_HOW_TAKEN: Mapping[str, str] = {
    "wall": "wall time: the monotonic clock read right around fork and reap of each run",
    "cpu": (
        "CPU time: user + system time of each run's whole process tree, the kernel's "
        "account (wait4 of the command and the children it waited for)"
    ),
    "instructions": (
        f"{_VALGRIND} --cache-sim=no: instructions executed (Ir), summed over the process tree"
    ),
    "cycles": (
        f"{_VALGRIND} --cache-sim=yes: estimated cycles = L1 hits + {LL_HIT} x LL hits + "
        f"{RAM_HIT} x RAM hits (iai-callgrind's weights), summed over the process tree"
    ),
}


def how_taken(measure: str) -> str:
    """One line on how a measure's figure is taken (the JSON's ``measured_with``)."""
    return _HOW_TAKEN[measure]


def measure_named(value: object, where: str) -> Measure:
    """A result file's ``measure`` (absent: wall time); a usage error for an unknown one."""
    if value is None:
        return "wall"
    for known in MEASURES:
        if value == known:
            return known
    from pbench.errors import UsageError

    raise UsageError(
        f"{where}: measure {value!r} is not one of {', '.join(MEASURES)}",
        "the file is damaged or from a newer pbench; re-export it",
    )


def is_count(measure: str) -> bool:
    """Whether a measure's figures are counts (instructions, cycles), not seconds."""
    return measure in ("instructions", "cycles")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one execution of a target reports back to the runner.

    ``elapsed_ns`` is set by targets whose own apparatus reads the monotonic clock
    more tightly around the execution than the runner can (the command launcher
    reads it right around fork and reap); otherwise the runner's clock is used.
    ``loops`` > 1 means the execution ran the work that many times in a batch and
    per-run figures are divided by it (pyperf's "loops"). A failed execution says why in
    ``error`` and, when the target knows better than the runner, what to do in ``hint``.
    """

    exit_code: int | None = 0
    signal: int | None = None
    timed_out: bool = False
    error: str | None = None  # why it failed, in the target's own terms
    hint: str | None = None  # what to do about that failure
    elapsed_ns: int | None = None
    loops: int = 1
    user_ns: int | None = None
    system_ns: int | None = None
    peak_rss_bytes: int | None = None
    metrics: Mapping[str, float] = field(default_factory=dict)
    # The monotonic clock (``time.perf_counter_ns``) at the start, when the target's
    # apparatus read it (the command launcher, right before fork): with ``elapsed_ns``
    # it places the execution in time (a load run's start and end of each run).
    started_ns: int | None = None
    # Cut short by Ctrl-C or SIGTERM (a query cancelled on their account): a failed
    # execution that says nothing about the target (a load run does not count it).
    interrupted: bool = False

    @property
    def failed(self) -> bool:
        return self.timed_out or self.error is not None or self.exit_code != 0


@dataclass(frozen=True, slots=True)
class Measurement:
    """One measured run, in seconds, in execution order.

    ``round`` and ``position`` say where the run sat in the interleaved schedule
    (position 0 = first in its round); ``iteration`` counts the benchmark's own runs.
    """

    wall_s: float
    user_s: float | None
    system_s: float | None
    peak_rss_bytes: int | None
    exit_code: int | None
    signal: int | None
    timed_out: bool
    error: str | None
    round: int
    position: int
    iteration: int
    loops: int = 1
    metrics: Mapping[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.timed_out or self.error is not None or self.exit_code != 0

    def figure(self, measure: Measure = "wall") -> float:
        """This run's figure of ``measure``: wall seconds, CPU seconds (user + system
        over the process tree, from the kernel), or a count from Valgrind (NaN when the
        run has none: a failed run)."""
        if measure == "wall":
            return self.wall_s
        if measure == "cpu":
            if self.user_s is None and self.system_s is None:
                return math.nan
            return (self.user_s or 0.0) + (self.system_s or 0.0)
        return float(self.metrics.get(measure, math.nan))

    @property
    def why_failed(self) -> str | None:
        """How the run failed, for people: "exit code 1", "killed by SIGSEGV", ..."""
        if not self.failed:
            return None
        if self.error is not None:
            return self.error
        if self.timed_out:
            return "timed out"
        if self.signal is not None:
            return f"killed by {signal_name(self.signal)}"
        return f"exit code {self.exit_code}"


def signal_name(number: int) -> str:
    """``11`` → ``"SIGSEGV"`` (``"signal 99"`` for a number without a name)."""
    import signal

    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


class Target(Protocol):
    """One thing to measure: a command, an HTTP request, a SQL query.

    ``open`` acquires what the target needs (resolves the program, connects); it runs
    once before any hook. ``execute`` performs exactly one (possibly batched) execution
    and must leave nothing running behind if interrupted. ``close`` releases resources.
    All three raise :class:`pbench.errors.PbenchError` subclasses on bad input.
    """

    def open(self) -> None: ...

    def execute(self, iteration: int) -> Outcome: ...

    def close(self) -> None: ...


class Hook(Protocol):
    """An untimed action around runs (setup, prepare, conclude, cleanup).

    Raises :class:`pbench.errors.HookFailed` when it fails.
    """

    @property
    def description(self) -> str: ...

    def __call__(self, iteration: int | None = None) -> None: ...


@dataclass(frozen=True)
class Hooks:
    setup: Hook | None = None
    prepare: Hook | None = None
    conclude: Hook | None = None
    cleanup: Hook | None = None


@dataclass(frozen=True)
class BenchmarkSpec:
    """A benchmark as the user asked for it.

    ``command`` is what is shown and exported (already redacted of secrets);
    ``info`` records the choices that shaped the measurement (shell mode, DSN without
    password, HTTP method, ...) and goes verbatim into the JSON export; ``notes`` are
    what the plan decided for the user (said once on stderr, and in the result's notes).
    """

    name: str
    command: str
    target: Target
    hooks: Hooks = field(default_factory=Hooks)
    parameters: Mapping[str, str] = field(default_factory=dict)
    info: Mapping[str, Any] = field(default_factory=dict)
    notes: Sequence[str] = ()
    measure: Measure = "wall"


@dataclass(frozen=True)
class IgnoreFailure:
    """``-i`` (all non-zero exits) or ``-i=CODES`` (only those codes)."""

    enabled: bool = False
    codes: frozenset[int] | None = None

    def allows(self, outcome: Outcome | Measurement) -> bool:
        if not outcome.failed:
            return True
        if not self.enabled or outcome.timed_out or outcome.error is not None:
            return False
        if self.codes is None:
            return True
        return outcome.exit_code is not None and outcome.exit_code in self.codes


@dataclass(frozen=True)
class Precision:
    """Adaptive stopping: run until the 95% CI of ``of`` is within ``fraction`` of it."""

    fraction: float
    of: Literal["median", "mean"] = "median"
    max_time_s: float | None = None


@dataclass(frozen=True)
class RunPlan:
    """How many times, in which order, and when to stop."""

    benchmarks: Sequence[BenchmarkSpec]
    warmup: int = 0
    min_runs: int = 10
    max_runs: int | None = None
    min_time_s: float = 3.0
    order: Order = "interleaved"
    seed: int | None = None
    ignore_failure: IgnoreFailure = field(default_factory=IgnoreFailure)
    precision: Precision | None = None
    slice_s: float | None = None  # None: one run per visit of a round
    # --max-time: the longest the measuring phase may take (of each benchmark in
    # sequential order), whatever run count or --precision asks for.
    max_time_s: float | None = None

    @property
    def measured_as(self) -> str:
        """How pbench.session.measure measures it."""
        return "commands"

    @property
    def noun(self) -> str:
        """What a sweep's throughput counts."""
        return "runs"

    @property
    def exact_runs(self) -> int | None:
        """``-r N`` is spelled as min_runs == max_runs == N with no time floor."""
        if self.max_runs is not None and self.min_runs == self.max_runs:
            return self.max_runs
        return None


StopReason = Literal["runs", "time", "precision", "budget", "max-runs", "interrupted", "failed"]


@dataclass
class BenchmarkResult:
    """The runner's output for one benchmark: raw measurements, never thrown away.

    ``notes`` are facts the runner learnt while measuring (e.g. the shell spawn time
    that was subtracted); ``sections`` are target-specific summaries exported as-is.
    """

    name: str
    command: str
    parameters: Mapping[str, str]
    info: Mapping[str, Any]
    measurements: list[Measurement] = field(default_factory=list)
    warmups: int = 0
    stop_reason: StopReason | None = None
    notes: list[str] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)
    # Set when ``measurements`` is only a capped sample of many more executions (HTTP,
    # SQL load runs): the summary computed from the full histogram.
    summary_override: Summary | None = None
    # --measure: what ``times`` (and so every statistic) holds; see Measurement.figure.
    measure: Measure = "wall"

    @property
    def times(self) -> list[float]:
        """Each run's figure of the result's measure (wall seconds by default)."""
        if self.measure == "wall":
            return [m.wall_s for m in self.measurements]
        return [m.figure(self.measure) for m in self.measurements]

    @property
    def unit(self) -> str:
        return MEASURE_UNITS[self.measure]


TimeUnit = Literal["second", "millisecond", "microsecond", "nanosecond"]


@dataclass(frozen=True)
class RunResults:
    """Everything an exporter or report needs about one pbench invocation.

    ``warnings`` maps a benchmark name to its warnings (actionable text, see
    :mod:`pbench.run.warnings`);
    ``comparisons`` holds :class:`pbench.stats.comparison.Comparison` objects against the
    reference; ``reference`` names the benchmark others are compared with.
    """

    results: Sequence[BenchmarkResult]
    metadata: Mapping[str, Any]
    reference: str | None = None
    warnings: Mapping[str, Sequence[str]] = field(default_factory=dict)
    comparisons: Sequence[Comparison] = ()
    time_unit: TimeUnit | None = None
    # The summary (or None) by benchmark name, computed once for everything that shows
    # the report; results missing here are summarised on demand.
    summaries: Mapping[str, Summary | None] = field(default_factory=dict)
    # Budgets judged on the results, one check per level (see pbench.stats.budget).
    budgets: Sequence[BudgetCheck] = ()
    # With budgets: each benchmark's score (see pbench.stats.score), by name.
    scores: Mapping[str, Score] = field(default_factory=dict)
    # What follows from the measurements, by benchmark name (see pbench.run.recommend).
    recommendations: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # The other variance diagnoses the data support, by name: in the JSON only.
    other_diagnoses: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # A concurrency sweep's scaling tables, one per benchmark (see pbench.run.scaling),
    # as exported: plain JSON data.
    scaling: Sequence[Mapping[str, Any]] = ()
    # --baseline REF: this run compared with a stored run, a
    # pbench.history.baseline.BaselineComparison. models sits below history, so the
    # type is checked where it is read (pbench.export.baseline.baseline_of).
    baseline: object | None = None
    # --sort: "mean-time" orders the Markdown export's table by mean, as hyperfine's
    # markup exports; "auto" and "command" keep the order the benchmarks were given.
    sort: Literal["auto", "command", "mean-time"] = "auto"

    def summary(self, result: BenchmarkResult) -> Summary | None:
        if result.name in self.summaries:
            return self.summaries[result.name]
        return summary_of(result)


def summary_of(result: BenchmarkResult) -> Summary | None:
    """A result's statistics: ``summary_override`` when its runs are only a sample of
    a load run's histogram, else the summary of its times (by slice when its runs came
    in slices, as SQL runs do); None before any run."""
    if result.summary_override is not None:
        return result.summary_override
    if not result.measurements:
        return None
    from pbench.stats.summary import summarize_in_slices

    return summarize_in_slices(result.times, [m.round for m in result.measurements])
