"""Summaries of timing samples: location, spread, percentiles, confidence intervals, outliers.

Pure functions on sequences of floats; numpy is imported lazily so that importing this
module costs nothing. Timing data are skewed and heavy-tailed, so the median and
percentiles are reported beside mean ± standard deviation, and intervals are given for
both the mean and the median.

Sources of the formulas:
- Percentiles: linear interpolation between order statistics (Hyndman & Fan 1996,
  definition 7; numpy's default), so p50 equals the median.
- Confidence interval of the mean: Student's t interval, mean ± t(1-α/2, n-1)·s/√n.
- Confidence interval of the median, and of any quantile: distribution-free interval
  between two order statistics chosen from the Binomial(n, q) distribution (Conover,
  *Practical Nonparametric Statistics*, 3rd ed., 1999, §3.2; also Hahn & Meeker 1991,
  §5.2).
- Outliers: the modified z-score M = 0.6745·(x − median)/MAD, flagged when |M| > 3.5
  (Iglewicz & Hoaglin, *How to Detect and Handle Outliers*, 1993); when MAD is 0 (more
  than half the runs identical, as with a coarse clock) the mean absolute deviation
  is used instead, M = (x − median)/(1.253314·MeanAD) (IBM SPSS's variant of the same
  rule); and Tukey's fences Q1 − 1.5·IQR, Q3 + 1.5·IQR (Tukey, *Exploratory Data
  Analysis*, 1977).
- Severe outliers (what the warnings are about; not exported): hyperfine's rule,
  |x − median| > 14.826·MAD, i.e. a modified z-score above 10, about ten standard
  deviations (hyperfine's ``OUTLIER_THRESHOLD``, src/outlier_detection.rs). Where more
  than half the runs are identical (MAD 0) the MAD is taken as 0.1% of the median, where
  hyperfine takes machine epsilon and flags every run that differs.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

CONFIDENCE = 0.95
MODIFIED_Z_LIMIT = 3.5
TUKEY_K = 1.5
SEVERE_MAD_MULTIPLE = 14.826  # hyperfine's bar: 10 × 1.4826·MAD, a modified z-score of 10
MAD_FLOOR = 0.001  # of the median, for the severe rule when MAD is 0


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low

    def relative_width(self, estimate: float) -> float:
        """Width as a fraction of the estimate (inf when the estimate is 0)."""
        return self.width / abs(estimate) if estimate else math.inf


@dataclass(frozen=True, slots=True)
class Summary:
    """Statistics of one sample. All values in the sample's unit (seconds for times)."""

    n: int
    mean: float
    stddev: float  # sample standard deviation (N-1); 0 when n < 2
    median: float
    min: float
    max: float
    p5: float
    p25: float
    p75: float
    p90: float
    p95: float
    p99: float
    mad: float  # median absolute deviation, unscaled
    iqr: float
    cv: float  # stddev / mean
    mean_ci: Interval
    median_ci: Interval
    confidence: float = CONFIDENCE

    def as_dict(self) -> dict[str, float | int | list[float]]:
        return {
            "n": self.n,
            "mean": self.mean,
            "stddev": self.stddev,
            "median": self.median,
            "min": self.min,
            "max": self.max,
            "p5": self.p5,
            "p25": self.p25,
            "p75": self.p75,
            "p90": self.p90,
            "p95": self.p95,
            "p99": self.p99,
            "mad": self.mad,
            "iqr": self.iqr,
            "cv": self.cv,
            "confidence": self.confidence,
            "mean_ci": [self.mean_ci.low, self.mean_ci.high],
            "median_ci": [self.median_ci.low, self.median_ci.high],
        }


@dataclass(frozen=True, slots=True)
class Outliers:
    """Indices (into the sample, execution order) flagged by each rule."""

    modified_z: tuple[int, ...]
    tukey: tuple[int, ...]
    tukey_severe: tuple[int, ...]  # beyond 3·IQR

    @property
    def any(self) -> tuple[int, ...]:
        return tuple(sorted(set(self.modified_z) | set(self.tukey)))


def summarize(values: Sequence[float], confidence: float = CONFIDENCE) -> Summary:
    """Summarise a non-empty sample."""
    if len(values) == 0:
        raise ValueError("cannot summarise an empty sample")
    if _plain(len(values)):
        return _summarize_small([float(v) for v in values], confidence)
    import numpy as np

    x = np.asarray(values, dtype=np.float64)
    n = int(x.size)
    ordered = np.sort(x)
    mean = float(x.mean())
    stddev = float(x.std(ddof=1)) if n > 1 else 0.0
    p5, p25, median, p75, p90, p95, p99 = (
        float(v) for v in np.percentile(ordered, [5, 25, 50, 75, 90, 95, 99])
    )
    mad = float(np.median(np.abs(x - median)))
    return assemble(
        n=n,
        mean=mean,
        stddev=stddev,
        minimum=float(ordered[0]),
        maximum=float(ordered[-1]),
        quantiles=(p5, p25, median, p75, p90, p95, p99),
        mad=mad,
        median_ci=median_interval(ordered.tolist(), confidence),
        confidence=confidence,
    )


# Samples are summarised in plain Python (:func:`_summarize_small`) up to SMALL_SAMPLE
# values, and up to PLAIN_BEFORE_NUMPY while numpy is not imported yet: numpy's fixed
# cost per call was most of the time a scan of 1,000 two-run benchmarks took to
# summarise, and importing it (~0.1 s) a fifth of a 1,000-run invocation, while for
# large samples it is the faster once loaded. The sums are formed in numpy's order
# (:func:`_numpy_sum`), so both paths give the same bits: the choice is speed alone.
SMALL_SAMPLE = 256
PLAIN_BEFORE_NUMPY = 50_000


def _plain(n: int) -> bool:
    """Whether a sample of ``n`` values is summarised without numpy."""
    return n <= SMALL_SAMPLE or (n <= PLAIN_BEFORE_NUMPY and "numpy" not in sys.modules)


def _summarize_small(x: list[float], confidence: float) -> Summary:
    """:func:`summarize` without numpy, bit for bit the same: numpy's reduction order
    (:func:`_numpy_sum`) and its linear percentile interpolation."""
    n = len(x)
    ordered = sorted(x)
    mean = _numpy_sum(x) / n
    stddev = math.sqrt(_numpy_sum([(v - mean) * (v - mean) for v in x]) / (n - 1)) if n > 1 else 0.0
    p5, p25, median, p75, p90, p95, p99 = (_linear_quantile(ordered, p / 100) for p in _PERCENTS)
    deviations = sorted(abs(v - median) for v in x)
    middle = n // 2
    mad = deviations[middle] if n % 2 else (deviations[middle - 1] + deviations[middle]) / 2
    return assemble(
        n=n,
        mean=mean,
        stddev=stddev,
        minimum=ordered[0],
        maximum=ordered[-1],
        quantiles=(p5, p25, median, p75, p90, p95, p99),
        mad=mad,
        median_ci=median_interval(ordered, confidence),
        confidence=confidence,
    )


_PERCENTS = (5, 25, 50, 75, 90, 95, 99)


def _numpy_sum(x: Sequence[float]) -> float:
    """The sum as numpy's add.reduce forms it over a contiguous float64 array: its
    pairwise summation (numpy/_core/src/umath/loops_utils.h.src): in turn below 8
    values, in 8 interleaved partial sums up to 128, else the two halves (the first a
    multiple of 8 long) summed apart."""
    return _pairwise(x, 0, len(x))


def _pairwise(x: Sequence[float], start: int, n: int) -> float:
    if n < 8:
        total = 0.0
        for v in x[start : start + n]:
            total += v
        return total
    if n <= 128:
        r0, r1, r2, r3, r4, r5, r6, r7 = x[start : start + 8]
        end = start + n - n % 8
        for i in range(start + 8, end, 8):
            r0 += x[i]
            r1 += x[i + 1]
            r2 += x[i + 2]
            r3 += x[i + 3]
            r4 += x[i + 4]
            r5 += x[i + 5]
            r6 += x[i + 6]
            r7 += x[i + 7]
        total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        for v in x[end : start + n]:
            total += v
        return total
    half = n // 2
    half -= half % 8
    return _pairwise(x, start, half) + _pairwise(x, start + half, n - half)


def _linear_quantile(ordered: Sequence[float], q: float) -> float:
    """numpy's "linear" quantile of a sorted sample (its interpolation, rounding alike)."""
    virtual = (len(ordered) - 1) * q
    below = math.floor(virtual)
    if virtual >= len(ordered) - 1:
        return ordered[-1]
    gamma = virtual - below
    a, b = ordered[below], ordered[below + 1]
    diff = b - a
    return b - diff * (1 - gamma) if gamma >= 0.5 else a + diff * gamma


# The quantiles every summary carries, in the order :func:`assemble` takes them.
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99)


def assemble(
    *,
    n: int,
    mean: float,
    stddev: float,
    minimum: float,
    maximum: float,
    quantiles: Sequence[float],
    mad: float,
    median_ci: Interval,
    confidence: float = CONFIDENCE,
) -> Summary:
    """The one place a :class:`Summary` is put together, from a sample
    (:func:`summarize`) or from a histogram (:mod:`pbench.load.result`): the figures
    that follow from the others (IQR, CV, the mean's t interval) are derived here.
    ``quantiles`` are the values at :data:`QUANTILES`."""
    p5, p25, median, p75, p90, p95, p99 = quantiles
    return Summary(
        n=n,
        mean=mean,
        stddev=stddev,
        median=median,
        min=minimum,
        max=maximum,
        p5=p5,
        p25=p25,
        p75=p75,
        p90=p90,
        p95=p95,
        p99=p99,
        mad=mad,
        iqr=p75 - p25,
        cv=stddev / mean if mean else 0.0,
        mean_ci=mean_interval(mean, stddev, n, confidence),
        median_ci=median_ci,
        confidence=confidence,
    )


def mean_interval(mean: float, stddev: float, n: int, confidence: float = CONFIDENCE) -> Interval:
    """Student's t interval for the mean."""
    if n < 2:
        return Interval(mean, mean)
    half = t_quantile(0.5 + confidence / 2, n - 1) * stddev / math.sqrt(n)
    return Interval(mean - half, mean + half)


def median_interval(ordered: Sequence[float], confidence: float = CONFIDENCE) -> Interval:
    """Distribution-free interval for the median from order statistics (sorted input).

    For samples too small to reach the confidence (n < 6 at 95%) the full range is
    returned, which then covers less than asked for.
    """
    n = len(ordered)
    lo_rank, hi_rank = median_ci_ranks(n, confidence)
    return Interval(float(ordered[lo_rank]), float(ordered[hi_rank]))


def median_ci_ranks(n: int, confidence: float = CONFIDENCE) -> tuple[int, int]:
    """0-based ranks (j, k) with P(X(j) <= median <= X(k)) >= confidence (symmetric:
    k = n - 1 - j); :func:`quantile_ci_ranks` at q = 1/2."""
    return quantile_ci_ranks(n, 0.5, confidence)


@lru_cache(maxsize=1024)
def quantile_ci_ranks(n: int, q: float, confidence: float = CONFIDENCE) -> tuple[int, int]:
    """0-based ranks (j, k) with P(X(j) <= ξ_q <= X(k)) >= confidence, ξ_q the q-quantile.

    The number of values at or below ξ_q is B ~ Binomial(n, q), so
    P(X(j) > ξ_q) = P(B <= j) and P(X(k) < ξ_q) = P(B >= k + 1). Equal tails: j is the
    largest rank with P(B <= j) <= α/2, and k the smallest with P(B >= k + 1) <= α/2,
    found as the same lower rank of n - B ~ Binomial(n, 1 - q), so that q = 1/2 is
    exactly symmetric. Where a tail cannot be cut that finely (too few values for the
    quantile, see :func:`quantile_ci_reached`) the rank is clamped to the sample's
    first or last value, and the interval then covers less than asked for.
    """
    if n < 1:
        raise ValueError("empty sample")
    if not 0.0 < q < 1.0:
        raise ValueError("quantile must be in (0, 1)")
    tail = (1.0 - confidence) / 2
    low = _lower_rank(n, q, tail)
    high = n - 1 - _lower_rank(n, 1.0 - q, tail)
    return max(low, 0), min(high, n - 1)


def quantile_ci_reached(n: int, q: float, confidence: float = CONFIDENCE) -> bool:
    """True when n values are enough for :func:`quantile_ci_ranks` to reach the
    confidence (neither rank had to be clamped)."""
    tail = (1.0 - confidence) / 2
    return _lower_rank(n, q, tail) >= 0 and _lower_rank(n, 1.0 - q, tail) >= 0


@lru_cache(maxsize=1024)
def _lower_rank(n: int, q: float, tail: float) -> int:
    """The largest i with P(B <= i) <= tail for B ~ Binomial(n, q); -1 when none."""
    cumulative = 0.0
    rank = -1
    for i in range(n):
        cumulative += _binomial_pmf(n, i, q)
        if cumulative > tail:
            break
        rank = i
    return rank


def _binomial_pmf(n: int, i: int, q: float) -> float:
    return math.exp(
        math.lgamma(n + 1)
        - math.lgamma(i + 1)
        - math.lgamma(n - i + 1)
        + i * math.log(q)
        + (n - i) * math.log1p(-q)
    )


@lru_cache(maxsize=256)
def t_quantile(q: float, df: int) -> float:
    """Quantile of Student's t distribution with ``df`` degrees of freedom.

    Closed forms for df 1 and 2; otherwise Newton's method on the CDF (through the
    regularised incomplete beta function, :func:`_t_central_mass`) from the normal
    quantile, which converges from below (the CDF is concave there): within ~1e-14
    of scipy's, in plain Python (importing numpy for it cost a 1,000-run invocation a
    fifth of its time), cached per (q, df). Above 1000 degrees of freedom the normal
    quantile is used (difference < 0.1%).
    """
    if not 0.0 < q < 1.0:
        raise ValueError("quantile must be in (0, 1)")
    if q < 0.5:
        return -t_quantile(1.0 - q, df)
    if df == 1:
        return math.tan(math.pi * (q - 0.5))
    if df == 2:
        p = 2 * q - 1
        return p * math.sqrt(2.0 / (1.0 - p * p))
    if df > 1000:
        return NormalDist().inv_cdf(q)
    target = q - 0.5
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    t = NormalDist().inv_cdf(q)
    for _ in range(100):
        density = math.exp(log_c - (df + 1) / 2 * math.log1p(t * t / df))
        step = (_t_central_mass(t, df) - target) / density
        t -= step
        if abs(step) <= 1e-15 * t:
            break
    return t


def _t_central_mass(t: float, df: int) -> float:
    """P(0 <= T <= t) for t >= 0: (1 - I_x(df/2, 1/2)) / 2 with x = df / (df + t²)."""
    x = df / (df + t * t)
    return 0.5 * (1.0 - _incomplete_beta(df / 2, 0.5, x))


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), by its continued fraction."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b), by the modified Lentz method."""
    tiny = 1e-300

    def guarded(value: float) -> float:
        return value if abs(value) > tiny else tiny

    c, d = 1.0, 1.0 / guarded(1.0 - (a + b) * x / (a + 1))
    fraction = d
    for m in range(1, 10_000):
        even = m * (b - m) * x / ((a - 1 + 2 * m) * (a + 2 * m))
        d = 1.0 / guarded(1.0 + even * d)
        c = guarded(1.0 + even / c)
        fraction *= d * c
        odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 1 + 2 * m))
        d = 1.0 / guarded(1.0 + odd * d)
        c = guarded(1.0 + odd / c)
        fraction *= d * c
        if abs(d * c - 1.0) < 1e-16:
            break
    return fraction


def outliers(values: Sequence[float]) -> Outliers:
    """Label outliers by both rules; nothing is ever dropped."""
    if len(values) < 3:
        return Outliers((), (), ())
    if _plain(len(values)):
        return _outliers_small([float(v) for v in values])
    import numpy as np

    x = np.asarray(values, dtype=np.float64)
    median = float(np.median(x))
    mad = float(np.median(np.abs(x - median)))
    mean_ad = float(np.mean(np.abs(x - median)))
    if mad > 0:
        modified_z = 0.6745 * (x - median) / mad
    elif mean_ad > 0:
        modified_z = (x - median) / (1.253314 * mean_ad)
    else:
        modified_z = np.zeros(x.size)
    by_z = tuple(int(i) for i in np.flatnonzero(np.abs(modified_z) > MODIFIED_Z_LIMIT))
    q1, q3 = (float(v) for v in np.percentile(x, [25, 75]))
    iqr = q3 - q1
    outside = (x < q1 - TUKEY_K * iqr) | (x > q3 + TUKEY_K * iqr)
    severe = (x < q1 - 3 * iqr) | (x > q3 + 3 * iqr)
    if iqr == 0:
        outside = severe = np.zeros(x.size, dtype=bool)
    return Outliers(
        modified_z=by_z,
        tukey=tuple(int(i) for i in np.flatnonzero(outside)),
        tukey_severe=tuple(int(i) for i in np.flatnonzero(severe)),
    )


def _outliers_small(x: list[float]) -> Outliers:
    """:func:`outliers` without numpy, bit for bit the same (see :func:`_summarize_small`)."""
    n = len(x)
    median = _median_of(x)
    mad = _median_of([abs(v - median) for v in x])
    mean_ad = _numpy_sum([abs(v - median) for v in x]) / n
    if mad > 0:
        modified_z = [0.6745 * (v - median) / mad for v in x]
    elif mean_ad > 0:
        modified_z = [(v - median) / (1.253314 * mean_ad) for v in x]
    else:
        modified_z = [0.0] * n
    by_z = tuple(i for i, z in enumerate(modified_z) if abs(z) > MODIFIED_Z_LIMIT)
    ordered = sorted(x)
    q1, q3 = _linear_quantile(ordered, 0.25), _linear_quantile(ordered, 0.75)
    iqr = q3 - q1
    if iqr == 0:
        return Outliers(modified_z=by_z, tukey=(), tukey_severe=())
    low, high = q1 - TUKEY_K * iqr, q3 + TUKEY_K * iqr
    far_low, far_high = q1 - 3 * iqr, q3 + 3 * iqr
    return Outliers(
        modified_z=by_z,
        tukey=tuple(i for i, v in enumerate(x) if v < low or v > high),
        tukey_severe=tuple(i for i, v in enumerate(x) if v < far_low or v > far_high),
    )


def severe_outliers(values: Sequence[float]) -> tuple[int, ...]:
    """Indices of the runs beyond hyperfine's bar, |x − median| > 14.826·MAD (about ten
    standard deviations), the MAD floored at 0.1% of the median; none below 3 runs.

    Plain Python (bit for bit numpy's figures: a median is a middle value or the mean
    of two), so that a run of a few samples never imports numpy for its warnings."""
    x = [float(v) for v in values]
    if len(x) < 3:
        return ()
    median = _median_of(x)
    mad = max(_median_of([abs(v - median) for v in x]), MAD_FLOOR * abs(median))
    if mad == 0:
        return ()
    bar = SEVERE_MAD_MULTIPLE * mad
    return tuple(i for i, v in enumerate(x) if abs(v - median) > bar)


def precision_reached(
    values: Sequence[float], fraction: float, of: str = "median", confidence: float = CONFIDENCE
) -> bool:
    """True when the confidence interval of ``of`` is no wider than ``fraction`` of it."""
    if len(values) < 3:
        return False
    summary = summarize(values, confidence)
    if of == "mean":
        return summary.mean_ci.relative_width(summary.mean) <= fraction
    return summary.median_ci.relative_width(summary.median) <= fraction


def summarize_in_slices(
    values: Sequence[float], slices: Sequence[int], confidence: float = CONFIDENCE
) -> Summary:
    """Summarise runs that may come in slices (one id per value, as for
    :func:`slice_values`). Runs in slices (SQL) are summarised by their slices, see
    :func:`with_slices`; one run per slice is a plain :func:`summarize`."""
    summary = summarize(values, confidence)
    if len(set(slices)) == len(slices):
        return summary
    groups: dict[int, list[float]] = {}
    for value, key in zip(values, slices, strict=True):
        groups.setdefault(key, []).append(value)
    means = [sum(g) / len(g) for g in groups.values()]
    return with_slices(summary, slice_values(values, slices), means)


def with_slices(summary: Summary, medians: Sequence[float], means: Sequence[float]) -> Summary:
    """``summary`` with a median and intervals that count slices, given each slice's
    median and mean (in slice order): runs in one slice are not independent
    observations, so intervals that counted runs would be far too narrow. The median is
    that of the slices' medians (the unit that comparisons and --precision count) with
    their distribution-free interval; the mean stays that of every run, with the t
    interval of the slices' means. Used for runs in slices and for load runs."""
    import dataclasses

    ordered = sorted(medians)
    n = len(means)
    average = sum(means) / n
    spread = math.sqrt(sum((v - average) ** 2 for v in means) / (n - 1)) if n > 1 else 0.0
    half = mean_interval(average, spread, n, summary.confidence)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0
    return dataclasses.replace(
        summary,
        median=median,
        median_ci=median_interval(ordered, summary.confidence),
        mean_ci=Interval(summary.mean - (average - half.low), summary.mean + (half.high - average)),
    )


def slice_values(values: Sequence[float], slices: Sequence[int]) -> list[float]:
    """One value per slice: the median of the values that share a slice id.

    A slice is a stretch of consecutive runs of one benchmark (one visit of it in an
    interleaved round, or one phase of a load run). Runs inside a slice share the
    machine's state of that moment and are not independent observations; slices,
    placed in random order among the other benchmarks' slices, are. Comparisons and
    precision targets therefore count slices, not runs. Order: first appearance.
    """
    if len(values) != len(slices):
        raise ValueError("one slice id per value")
    groups: dict[int, list[float]] = {}
    for value, key in zip(values, slices, strict=True):
        groups.setdefault(key, []).append(value)
    return [_median_of(group) for group in groups.values()]


def _median_of(values: list[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0
