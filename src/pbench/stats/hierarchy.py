"""Comparing several separate runs per side: a two-level (hierarchical) bootstrap and a t-test.

Two separate runs of the same benchmark differ by more than their within-run noise: the
machine changes between them (frequency, caches, placement, neighbours). A comparison
of one run against one other cannot tell that change from a change of the code or
endpoint, because the within-run interval has no term for it. With several result
files (runs) per side the spread *between* runs becomes measurable, and the interval
and the test must use it (Kalibera & Jones, "Rigorous benchmarking in reasonable
time", ISMM 2013; "Quantifying performance changes with effect size confidence
intervals", Tech. Rep. 4-12, Univ. of Kent, 2012).

The data of one side: runs r = 1..R, each a list of slice values s_r1..s_rn_r (a
slice's median latency for load runs, one run's time for commands).

- **Statistic** of a side: θ = (1/R)·Σ_r stat(s_r·), the mean over runs of each run's
  statistic (median by default) of its slices. This is Kalibera & Jones' estimator for
  a random-effects design: every run is one draw of the machine's state, so each run
  weighs the same however many slices it holds, and the mean over runs estimates the
  performance averaged over machine states. Within a run the median keeps a few slow
  slices from moving it (DESIGN §4: median by default). The median of the pooled
  slices was rejected: it weighs runs by their slice count and, when run offsets
  exceed the within-run spread, jumps between the runs' modes.
- **Interval**: the two-stage bootstrap of Kalibera & Jones (2013, §4; Davison &
  Hinkley, *Bootstrap Methods and their Application*, 1997, §3.8, strategy 1): draw R
  runs with replacement, then n_r slices with replacement within each drawn run, and
  compute θ; each side independently; the ratio θ_cand / θ_ref per replicate; the
  percentile interval. With few runs the bootstrap's spread is too small (the
  plug-in variance carries the factor (R − 1)/R, and the normal tails are too thin
  for a variance estimated from R values), so the percentile level is expanded as in
  Hesterberg ("What teachers should know about the bootstrap", *The American
  Statistician* 69, 2015, §5.2): the tail α′/2 with Φ⁻¹(1 − α′/2) = √(R/(R − 1)) ·
  t_{1−α/2, ν}, R the smaller run count, ν = R_ref + R_cand − 2. Resampling the
  slices as well adds the within-run variance once more, so the interval errs wide
  when runs barely differ (Davison & Hinkley 1997, §3.8), never narrow.
- **Test**: Student's two-sample t-test with pooled variance on the logarithms of the
  per-run statistics (the run is the unit; ν = R_ref + R_cand − 2 degrees of freedom).
  Logarithms make a multiplicative machine effect additive and the two sides' spreads
  alike. The slices are never fed to a rank test as if independent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist
from typing import TYPE_CHECKING

from pbench.stats.resampling import bootstrap_statistics, statistic_of

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

Runs = Sequence[Sequence[float]]

# A percentile interval's tail should hold at least this many replicates.
TAIL_REPLICATES = 20
MAX_RESAMPLES = 100_000


def side_statistic(runs: Runs, statistic: str) -> float:
    """θ: the mean over runs of each run's ``statistic`` of its slices."""
    return math.fsum(statistic_of(run, statistic) for run in runs) / len(runs)


def hierarchical_statistics(
    runs: Runs, statistics: Sequence[str], resamples: int, rng: np.random.Generator
) -> dict[str, FloatArray]:
    """Each statistic θ over ``resamples`` two-stage bootstrap resamples of ``runs``.

    Stage one draws R run indices per replicate; stage two resamples the slices of
    every drawn run independently (a run drawn twice gets two separate resamples).
    All runs' stage-two draws come from :func:`bootstrap_statistics`, one batch per
    run for all the slots that drew it, scattered back to their (replicate, slot).
    """
    import numpy as np

    count = len(runs)
    if count == 0:
        raise ValueError("no runs to resample")
    drawn = rng.integers(0, count, size=(resamples, count))
    slots = {name: np.empty((resamples, count), dtype=np.float64) for name in statistics}
    for index, run in enumerate(runs):
        mask = drawn == index
        chosen = int(mask.sum())
        if chosen == 0:
            continue
        values = bootstrap_statistics(run, statistics, chosen, rng)
        for name in statistics:
            slots[name][mask] = values[name]
    return {name: slots[name].mean(axis=1) for name in statistics}


def expanded_confidence(confidence: float, runs_reference: int, runs_candidate: int) -> float:
    """Hesterberg's (2015) expanded percentile level for R runs per side (see module doc)."""
    from pbench.stats.summary import t_quantile

    smaller = min(runs_reference, runs_candidate)
    df = runs_reference + runs_candidate - 2
    if smaller < 2 or df < 1:
        return confidence
    z = math.sqrt(smaller / (smaller - 1)) * t_quantile(1.0 - (1.0 - confidence) / 2.0, df)
    return 1.0 - 2.0 * NormalDist().cdf(-z)


def resamples_for(confidence: float, resamples: int) -> int:
    """Enough replicates that each tail of the interval holds TAIL_REPLICATES of them."""
    tail = (1.0 - confidence) / 2.0
    needed = math.ceil(TAIL_REPLICATES / tail) if tail > 0.0 else MAX_RESAMPLES
    return max(resamples, min(MAX_RESAMPLES, needed))


def run_t_test_p(reference: Sequence[float], candidate: Sequence[float]) -> float:
    """Two-sided p of Student's pooled-variance t-test on the logs of per-run statistics.

    Equal to ``scipy.stats.ttest_ind(np.log(reference), np.log(candidate)).pvalue``.
    1.0 when it cannot be computed (fewer than 3 runs in all, a non-positive value)
    or when every run of both sides is equal.
    """
    n1, n2 = len(reference), len(candidate)
    df = n1 + n2 - 2
    if df < 1 or min(n1, n2) < 1 or not all(v > 0.0 for v in (*reference, *candidate)):
        return 1.0
    a = [math.log(v) for v in reference]
    b = [math.log(v) for v in candidate]
    mean_a, mean_b = math.fsum(a) / n1, math.fsum(b) / n2
    squares = math.fsum((v - mean_a) ** 2 for v in a) + math.fsum((v - mean_b) ** 2 for v in b)
    pooled = squares / df
    if pooled <= 0.0:
        return 1.0 if mean_a == mean_b else 0.0
    t = (mean_b - mean_a) / math.sqrt(pooled * (1.0 / n1 + 1.0 / n2))
    return t_two_sided_p(t, df)


def t_two_sided_p(t: float, df: int) -> float:
    """P(|T| ≥ |t|) for Student's t with integer ``df``, exactly.

    The finite series for integer degrees of freedom (Abramowitz & Stegun 1964,
    26.7.3 and 26.7.4), with θ = atan(|t|/√df): A = P(|T| ≤ |t|) is
    (2/π)·(θ + sinθ·cosθ·Σ_{k=0}^{(df−3)/2} c_k cos^{2k}θ) for odd df and
    sinθ·Σ_{k=0}^{(df−2)/2} d_k cos^{2k}θ for even df, with c_0 = d_0 = 1,
    c_k = c_{k−1}·2k/(2k + 1) and d_k = d_{k−1}·(2k − 1)/(2k).
    """
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if math.isnan(t):
        return 1.0
    if math.isinf(t):
        return 0.0
    theta = math.atan(abs(t) / math.sqrt(df))
    sin, cos2 = math.sin(theta), math.cos(theta) ** 2
    if df % 2:
        total, term = 0.0, 1.0
        if df > 1:
            total = 1.0
            for k in range(1, (df - 3) // 2 + 1):
                term *= cos2 * 2 * k / (2 * k + 1)
                total += term
            total *= sin * math.cos(theta)
        mass = 2.0 / math.pi * (theta + total)
    else:
        total, term = 1.0, 1.0
        for k in range(1, (df - 2) // 2 + 1):
            term *= cos2 * (2 * k - 1) / (2 * k)
            total += term
        mass = sin * total
    return min(1.0, max(0.0, 1.0 - mass))
