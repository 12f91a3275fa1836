"""A score from 0 to 100 per benchmark and for the suite, from the budgets alone.

The score says how far each measured metric sits from the warn and error levels the
user set; there are no thresholds of pbench's own in it. A benchmark without budgets
has no score. Formula (for one metric, from its point estimate ``m``):

- Ceilings (smaller is better) are used as they are. For floors (bigger is better,
  e.g. ``throughput``) the reciprocals are scored instead: m' = 1/m and limits 1/L,
  so that a floor mirrors a ceiling (m = 0 counts as infinitely far past the floor).
- L0 is the first level met on the way up: the warn level W if given, else the
  error level E.
- m ≤ L0: score = 75 + 25·min(1, 2·(L0 − m)/L0): 75 at the first limit, 100 at half
  of it or below.
- W < m ≤ E (both levels given): score = 40 + 34·(E − m)/(E − W): 74 just past the
  warn level, 40 at the error level.
- only a warn level, m > W: score = 40 + 34·max(0, 1 − (m − W)/W): never below 40, as
  there is no error level to break.
- m > E: score = 39·max(0, 1 − (m − E)/E): 39 just past the error level, 0 at twice it.

(34 and 39 rather than 35 and 40: a score past a level then stays below the band of
the level before it, even once rounded for display; a broken budget never shows 40.)

A metric without a measured value (status ``no_data``) has no score. A benchmark's
score is the lowest of its metrics' scores (the weakest budget decides: one broken
error budget makes it critical however good the others are); None when no metric has
a value. The suite's score is the mean of its benchmarks' scores (None when none has
one). Scores are kept as floats; for display they are rounded half up to an integer,
and the band is that of the rounded score: 90–100 excellent, 75–89 good, 60–74
average, 40–59 poor, 0–39 critical.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pbench.stats.budget import BudgetCheck

NO_BUDGETS = "no budgets: add budgets to get a score"
NO_DATA = "no data: the benchmark measured none of its budgets' metrics"
BANDS = ((90, "excellent"), (75, "good"), (60, "average"), (40, "poor"), (0, "critical"))


@dataclass(frozen=True)
class MetricScore:
    """One metric of one benchmark: its levels, what was measured, and its score
    (None without a measured value)."""

    metric: str
    warn: float | None
    error: float | None
    measured: float | None
    bigger_is_better: bool
    score: float | None


@dataclass(frozen=True)
class Score:
    """A benchmark's score, with the metrics it came from; ``reason`` says why there is
    none (``value`` None)."""

    benchmark: str
    value: float | None
    metrics: tuple[MetricScore, ...] = ()
    reason: str | None = None

    @property
    def shown(self) -> int | None:
        return None if self.value is None else shown(self.value)

    @property
    def band(self) -> str | None:
        return None if self.value is None else band(self.value)

    @property
    def weakest(self) -> MetricScore | None:
        """The metric that decided the score (the first of equals, in budget order)."""
        scored = [m for m in self.metrics if m.score is not None]
        return min(scored, key=lambda m: m.score or 0.0, default=None)


def shown(score: float) -> int:
    """The score as displayed: rounded half up to an integer."""
    return math.floor(score + 0.5)


def band(score: float) -> str:
    """``"excellent"``, ``"good"``, ``"average"``, ``"poor"`` or ``"critical"``, for the
    score as displayed (rounded)."""
    rounded = shown(score)
    return next(name for low, name in BANDS if rounded >= low)


def metric_score(
    measured: float, *, warn: float | None, error: float | None, bigger_is_better: bool
) -> float:
    """The score of one metric (see the module's docstring); limits must be positive."""
    if warn is None and error is None:
        raise ValueError("a budget needs a warn or an error level")
    if any(limit is not None and limit <= 0 for limit in (warn, error)):
        raise ValueError("budget limits must be positive")
    if bigger_is_better:
        m = 1 / measured if measured > 0 else math.inf
        warn = None if warn is None else 1 / warn
        error = None if error is None else 1 / error
    else:
        m = measured
    first = warn if warn is not None else error
    assert first is not None
    if m <= first:
        return 75 + 25 * min(1.0, 2 * (first - m) / first)
    if error is None:
        assert warn is not None
        return 40 + 34 * max(0.0, 1 - (m - warn) / warn)
    if warn is not None and m <= error:
        return 40 + 34 * (error - m) / (error - warn)
    return 39 * max(0.0, 1 - (m - error) / error)


def benchmark_score(benchmark: str, checks: Sequence[BudgetCheck]) -> Score:
    """The score of ``benchmark`` from the checks judged on it (other benchmarks'
    checks in ``checks`` are ignored)."""
    levels: dict[str, dict[str, float]] = {}
    measured: dict[str, float | None] = {}
    floors: dict[str, bool] = {}
    for check in checks:
        if check.benchmark != benchmark:
            continue
        levels.setdefault(check.metric, {})[check.level] = check.limit
        floors[check.metric] = check.bigger_is_better
        if measured.get(check.metric) is None:
            measured[check.metric] = check.measured
    if not levels:
        return Score(benchmark, None, reason=NO_BUDGETS)
    metrics = tuple(
        MetricScore(
            metric=metric,
            warn=found.get("warn"),
            error=found.get("error"),
            measured=measured[metric],
            bigger_is_better=floors[metric],
            score=_score_of(measured[metric], found, floors[metric]),
        )
        for metric, found in levels.items()
    )
    scores = [m.score for m in metrics if m.score is not None]
    if not scores:
        return Score(benchmark, None, metrics, reason=NO_DATA)
    return Score(benchmark, min(scores), metrics)


def _score_of(measured: float | None, levels: dict[str, float], floor: bool) -> float | None:
    if measured is None:
        return None
    return metric_score(
        measured, warn=levels.get("warn"), error=levels.get("error"), bigger_is_better=floor
    )


def scores(benchmarks: Iterable[str], checks: Sequence[BudgetCheck]) -> dict[str, Score]:
    """Each benchmark's score, in the given order (those without budgets get a Score
    whose value is None and whose reason says so)."""
    return {name: benchmark_score(name, checks) for name in benchmarks}


def suite_score(benchmark_scores: Iterable[Score]) -> float | None:
    """The mean of the benchmarks' scores that exist; None when none does."""
    values = [s.value for s in benchmark_scores if s.value is not None]
    return sum(values) / len(values) if values else None
