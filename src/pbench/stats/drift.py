"""How far a run's level moved while it ran: the allowance a one-file-per-side comparison
adds to its interval for the change of the machine between two runs.

One result file per side holds the variation within each run, not between them. Measured
with A/A trials (``scripts/compare_trials.py --verdicts``), separate invocations of the
same ``sleep 0.005`` differ by more than their within-run intervals: the machine
switches between levels (e.g. 6.3 ms and 7.8 ms on a shared 2-core machine), and such a
switch often happens inside one run too. The time-blocks of each run show it: each
side's values, in the order they were measured, are cut into ``BLOCKS`` consecutive
blocks, and the standard deviation of the logs of the block medians, less what sampling
alone gives them, is that run's drift. A shift between two invocations is taken to be as
large as the drift seen inside them, so the log-ratio's interval is widened, in
quadrature, by z·√(d_ref² + d_cand²) on each side (z the normal quantile of the
confidence). A level that stays the same through a whole run and changes only between
runs cannot be seen this way; the output says so and names the remedies (one interleaved
run, or 3+ files per side).

The drift must be shown before it is allowed for: the blocks' values must differ by rank
(a Kruskal–Wallis test across the blocks, chi-squared approximation, p < ``DRIFT_ALPHA``).
Without that test, heavy-tailed noise alone (a shared machine's occasional slow runs
landing two in one block of three) gave block medians far apart and an allowance that
could hide even a tenfold change; with it, stationary noise of any shape gets no
allowance in 95% of runs, and a real level switch is still seen from 15 values up.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pbench.stats.comparison import Comparison

BLOCKS = 4
MIN_PER_BLOCK = 3
DRIFT_ALPHA = 0.05


def block_drift(values: Sequence[float]) -> float:
    """The standard deviation, in log units, of the level of ``BLOCKS`` consecutive
    blocks of ``values`` beyond what sampling alone gives: the variance of the logs of
    the block medians less the variance a median of m values has by chance,
    (π/2)·σ²/m with σ the pooled within-block spread (1.4826·MAD of the logs); 0.0
    when there are too few values or a value is not positive."""
    blocks = min(BLOCKS, len(values) // MIN_PER_BLOCK)
    if blocks < 2 or min(values) <= 0.0:
        return 0.0
    logs = [math.log(v) for v in values]
    size = len(logs) / blocks
    bounds = [(round(i * size), round((i + 1) * size)) for i in range(blocks)]
    if blocks_differ_p(values, bounds) >= DRIFT_ALPHA:
        return 0.0
    parts = [logs[start:end] for start, end in bounds]
    medians = [statistics.median(part) for part in parts]
    spread = statistics.fmean(
        (1.4826 * statistics.median(abs(x - m) for x in part)) ** 2 / len(part)
        for part, m in zip(parts, medians, strict=True)
    )
    excess = statistics.variance(medians) - math.pi / 2.0 * spread
    return math.sqrt(max(0.0, excess))


def blocks_differ_p(values: Sequence[float], bounds: Sequence[tuple[int, int]]) -> float:
    """The p-value of the Kruskal–Wallis test that the blocks ``values[start:end]`` come
    from one distribution (mid-ranks for ties, the chi-squared approximation with
    ``len(bounds) − 1`` degrees of freedom, corrected for ties); 1.0 when all are tied."""
    n = len(values)
    order = sorted(range(n), key=values.__getitem__)
    ranks = [0.0] * n
    ties = 0.0
    i = 0
    while i < n:
        j = i
        while j + 1 < n and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2.0 + 1.0
        t = j - i + 1
        ties += t**3 - t
        i = j + 1
    correction = 1.0 - ties / (n**3 - n)
    if correction <= 0.0:
        return 1.0
    h = 12.0 / (n * (n + 1)) * sum(
        sum(ranks[start:end]) ** 2 / (end - start) for start, end in bounds
    ) - 3.0 * (n + 1)
    return chi2_sf(max(0.0, h / correction), len(bounds) - 1)


def chi2_sf(x: float, df: int) -> float:
    """P(X ≥ x) for a chi-squared X with 1 to 3 degrees of freedom (closed forms)."""
    if df == 1:
        return math.erfc(math.sqrt(x / 2.0))
    if df == 2:
        return math.exp(-x / 2.0)
    if df == 3:
        return math.erfc(math.sqrt(x / 2.0)) + math.sqrt(2.0 * x / math.pi) * math.exp(-x / 2.0)
    raise ValueError("1 to 3 degrees of freedom")


def between_run_allowance(reference: Sequence[float], candidate: Sequence[float]) -> float:
    """The standard deviation, in log units, assumed for the shift between the two runs."""
    return math.hypot(block_drift(reference), block_drift(candidate))


def widen(c: Comparison, allowance: float) -> Comparison:
    """``c`` with both ratio intervals widened by ``allowance`` (see the module); its
    verdict is redone by :func:`pbench.stats.comparison.adjust_family`."""
    if allowance <= 0.0:
        return dataclasses.replace(c, between_run_allowance=0.0)
    z = statistics.NormalDist().inv_cdf(1.0 - c.alpha / 2.0)
    extra = z * allowance

    def wider(point: float, bounds: tuple[float, float]) -> tuple[float, float]:
        low, high = bounds
        if not (point > 0.0 and low > 0.0 and high > 0.0 and math.isfinite(high)):
            return bounds
        centre = math.log(point)
        below = math.hypot(centre - math.log(low), extra)
        above = math.hypot(math.log(high) - centre, extra)
        return math.exp(centre - below), math.exp(centre + above)

    return dataclasses.replace(
        c,
        ratio_median_ci=wider(c.ratio_median, c.ratio_median_ci),
        ratio_mean_ci=wider(c.ratio_mean, c.ratio_mean_ci),
        between_run_allowance=allowance,
    )
