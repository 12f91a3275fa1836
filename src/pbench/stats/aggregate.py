"""Judging from aggregates alone: a benchmark a harness kept only as its mean, standard
deviation and count (``n``), never as per-run values.

Nothing is made up to stand for the missing values: the mean's interval is the
t interval ``mean ± t(1 − alpha/2, n − 1)·sd/√n``, and a comparison with another
benchmark (aggregates, or a sample reduced to its own mean, sd and n) is Welch's
t-test on the two means (Welch 1947), its degrees of freedom by Welch–Satterthwaite
(rounded down, which errs on the wide side). The ratio of means gets its interval on
the log scale by the delta method: ``se(log r)² = sd₁²/(n₁·m₁²) + sd₂²/(n₂·m₂²)``
(each side's relative standard error of its mean, squared), read at the same t
quantile. Without a standard deviation or a count (Bencher Metric Format's value,
Criterion's ``estimates.json``), the mean has no interval and a comparison no test:
its verdict is *inconclusive*, with what to pass instead. Only the mean is known:
a median, a percentile or a minimum of such a benchmark is not estimated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from pbench.stats.settings import DEFAULT_ALPHA

# The key of a result's ``info`` that holds its aggregates (seconds; n a count).
INFO_KEY = "aggregate"


@dataclass(frozen=True)
class Aggregate:
    """What a harness kept of one benchmark: the mean, the standard deviation of its
    values (None: not kept) and how many values they summarise (None: not said)."""

    mean: float
    stddev: float | None
    n: int | None

    @property
    def testable(self) -> bool:
        """Whether it holds enough for an interval: an sd and at least 2 values."""
        return self.stddev is not None and self.n is not None and self.n >= 2

    def as_dict(self) -> dict[str, Any]:
        return {"mean": self.mean, "stddev": self.stddev, "n": self.n}

    def describe(self) -> str:
        """For people: "mean 1.2e-06 s, sd 3e-08 s, n 20" (what is known)."""
        parts = [f"mean {self.mean:.4g} s"]
        parts.append(f"sd {self.stddev:.4g} s" if self.stddev is not None else "no sd")
        parts.append(f"n {self.n}" if self.n is not None else "no n")
        return ", ".join(parts)


def of_info(info: Mapping[str, Any]) -> Aggregate | None:
    """The aggregates a result's ``info`` holds (None: it has per-run values)."""
    found = info.get(INFO_KEY)
    if not isinstance(found, Mapping):
        return None
    mean, stddev, n = found.get("mean"), found.get("stddev"), found.get("n")
    if not _number(mean):
        return None
    return Aggregate(
        float(mean),
        float(stddev) if _number(stddev) and stddev >= 0 else None,
        int(n) if isinstance(n, int) and not isinstance(n, bool) and n >= 1 else None,
    )


def of_sample(values: Sequence[float]) -> Aggregate:
    """A sample reduced to its mean, sd (n − 1) and n, to meet an aggregate."""
    n = len(values)
    mean = math.fsum(values) / n
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else None
    return Aggregate(mean, sd, n)


def mean_interval(found: Aggregate, alpha: float = DEFAULT_ALPHA) -> tuple[float, float]:
    """The (1 − alpha) t interval of the mean; the mean itself at both ends when it
    cannot be made (no sd, or n < 2)."""
    if not found.testable:
        return found.mean, found.mean
    from pbench.stats.summary import t_quantile

    assert found.stddev is not None and found.n is not None
    half = t_quantile(1.0 - alpha / 2.0, found.n - 1) * found.stddev / math.sqrt(found.n)
    return max(0.0, found.mean - half), found.mean + half  # a time is never negative


def record_figures(found: Aggregate) -> dict[str, float | None]:
    """What a saved run keeps of it (the history's figures): the mean, its interval
    and the sd; no median, minimum or maximum, which it does not know."""
    low, high = mean_interval(found)
    known = found.testable
    return {
        "median": None,
        "median_low": None,
        "median_high": None,
        "mean": found.mean,
        "mean_low": low if known else None,
        "mean_high": high if known else None,
        "stddev": found.stddev,
        "min": None,
        "max": None,
    }


@dataclass(frozen=True)
class Welch:
    """Welch's test of the candidate's mean against the reference's: the ratio of
    means with its interval, the two-sided p-value and the degrees of freedom (None:
    no test could be made, p is 1 and the interval unbounded)."""

    ratio: float
    ratio_ci: tuple[float, float]
    p_value: float
    df: int | None


def welch(reference: Aggregate, candidate: Aggregate, alpha: float = DEFAULT_ALPHA) -> Welch:
    """Welch's t-test and the interval of the ratio of means (module docstring)."""
    from pbench.stats.hierarchy import t_two_sided_p
    from pbench.stats.summary import t_quantile

    m1, m2 = reference.mean, candidate.mean
    ratio = m2 / m1 if m1 > 0 else math.nan
    if not (reference.testable and candidate.testable) or m1 <= 0 or m2 <= 0:
        return Welch(ratio, (0.0, math.inf), 1.0, None)
    assert reference.stddev is not None and reference.n is not None
    assert candidate.stddev is not None and candidate.n is not None
    v1 = reference.stddev**2 / reference.n
    v2 = candidate.stddev**2 / candidate.n
    if v1 + v2 == 0.0:
        p = 1.0 if m1 == m2 else 0.0
        return Welch(ratio, (ratio, ratio), p, reference.n + candidate.n - 2)
    df_exact = (v1 + v2) ** 2 / (v1**2 / (reference.n - 1) + v2**2 / (candidate.n - 1))
    df = max(1, math.floor(df_exact))
    p = t_two_sided_p((m2 - m1) / math.sqrt(v1 + v2), df)
    se_log = math.sqrt(v1 / m1**2 + v2 / m2**2)
    half = t_quantile(1.0 - alpha / 2.0, df) * se_log
    return Welch(ratio, (ratio * math.exp(-half), ratio * math.exp(half)), p, df)


def _number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
