"""The statistics behind a comparison: bootstrap intervals, Mann-Whitney U, Holm's step-down.

Pure functions on sequences of floats. numpy is imported lazily; scipy is not used at
all, because ``import scipy.stats`` costs most of a second and a comparison runs at the
end of every multi-command run. The Mann-Whitney test is therefore the large-sample
normal approximation, which the tests check against ``scipy.stats.mannwhitneyu(...,
method="asymptotic")``.

Sources:
- Bootstrap: Efron & Tibshirani, *An Introduction to the Bootstrap* (1993): two-sample
  bootstrap with each sample resampled independently (§8.3), percentile interval
  (§13.3). The percentile interval is transformation-respecting (§13.6), so an interval
  for a ratio needs no log transform; BCa (§14.3) would need a jackknife of the median,
  which is unstable for a discontinuous statistic, for little gain at these sample sizes.
- Mann-Whitney U: Mann & Whitney, "On a test of whether one of two random variables is
  stochastically larger than the other", Ann. Math. Statist. 18 (1947); the normal
  approximation with mean n1·n2/2, the tie-corrected variance
  n1·n2/12·((n+1) − Σ(t³ − t)/(n(n − 1))) and a continuity correction of 1/2
  (Lehmann, *Nonparametrics*, 1975, §1.4 and eq. 1.56; Conover, *Practical
  Nonparametric Statistics*, 3rd ed., 1999, §5.1).
- Holm, "A simple sequentially rejective multiple test procedure", Scand. J. Statist. 6
  (1979): adjusted p_(i) = max over j ≤ i of min(1, (m − j + 1)·p_(j)).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]
    IntArray = npt.NDArray[np.int32]

Kind = Literal["ratio", "difference"]

# Resampled indices held in memory at once (rows × sample size): small enough to stay
# in cache, large enough to amortise numpy's per-call overhead.
CHUNK_ELEMENTS = 1 << 18

# A sample of more values than this is not resampled whole (10,000 resamples of 5
# million times took many minutes): its order statistics (median, percentiles, min,
# max) are drawn from their exact bootstrap distribution in O(1) a resample
# (:func:`order_statistic_replicates`), and its mean from the normal law the bootstrap
# mean of that many values follows. Paired samples (whose pairs must be drawn
# together) are resampled on a seeded random subsample of SUBSAMPLE pairs, the spread
# scaled by sqrt(SUBSAMPLE / n) to the whole sample's (the m-out-of-n bootstrap:
# Bickel, Götze & van Zwet, "Resampling fewer than n observations", Statist. Sinica 7,
# 1997). The work is then a sort of the sample plus a fixed amount.
SUBSAMPLE = 5_000


def subsampled(n: int) -> bool:
    """Whether a sample of ``n`` values is resampled through :data:`SUBSAMPLE`."""
    return n > SUBSAMPLE


def percentile_of(statistic: str) -> float | None:
    """``"p95"`` → 95.0, ``"p99.9"`` → 99.9; None when ``statistic`` is not a percentile."""
    if not statistic.startswith("p"):
        return None
    try:
        q = float(statistic[1:])
    except ValueError:
        return None
    return q if 0.0 < q < 100.0 and math.isfinite(q) else None


def known_statistic(statistic: str) -> bool:
    """``median``, ``mean``, ``min``, ``max`` or a percentile ``pNN``."""
    return statistic in ("median", "mean", "min", "max") or percentile_of(statistic) is not None


def statistic_of(values: Sequence[float], statistic: str) -> float:
    """One statistic of a sample, computed the way :func:`bootstrap_statistics` does."""
    import numpy as np

    data = np.asarray(values, dtype=np.float64)
    if statistic == "mean":
        return float(np.mean(data))
    if statistic == "min":
        return float(np.min(data))
    if statistic == "max":
        return float(np.max(data))
    q = 50.0 if statistic == "median" else percentile_of(statistic)
    if q is None:
        raise ValueError(f"unknown statistic {statistic!r}")
    return float(np.percentile(data, q))


def bootstrap_statistics(
    values: Sequence[float],
    statistics: Sequence[str],
    resamples: int,
    rng: np.random.Generator,
) -> dict[str, FloatArray]:
    """Each statistic over ``resamples`` bootstrap resamples of ``values``.

    Returns statistic name → array of length ``resamples``; the same resamples serve
    every statistic. The data are sorted once and each row of drawn indices is sorted,
    so a resample's order statistics are read straight off the sorted data (index
    order is value order) and the mean gathers memory in order. Percentiles use
    linear interpolation between order statistics (Hyndman & Fan 1996, definition 7,
    numpy's default), so ``p50`` is the median.
    """
    data = _sorted_sample(values, statistics)
    if subsampled(data.size):
        return _large_statistics(data, statistics, resamples, rng)
    return _statistics_of(data, statistics, resamples, _draws(data.size, resamples, rng))


def seeded_bootstraps(
    samples: Sequence[Sequence[float]], statistics: Sequence[str], resamples: int, seed: int
) -> list[dict[str, FloatArray]]:
    """:func:`bootstrap_statistics` of each sample in turn, all from one generator
    seeded with ``seed``: the same values, bit for bit.

    Which indices are drawn depends only on the seed, the count and the samples'
    sizes, so comparisons made with one seed (every benchmark of a scan against the
    reference, each from the same seed) draw the same indices, and the reference's
    statistics come out the same each time: when the draws are small
    (``CACHED_DRAWS_ELEMENTS``) both are kept for the comparisons to come, which
    makes a comparison of short samples several times cheaper.
    """
    import numpy as np

    data = [_sorted_sample(values, statistics) for values in samples]
    sizes = tuple(d.size for d in data)
    if resamples * sum(sizes) > CACHED_DRAWS_ELEMENTS:
        rng = np.random.default_rng(seed)
        return [  # one sample after the other from the one generator
            _large_statistics(d, statistics, resamples, rng)
            if subsampled(d.size)
            else _statistics_of(d, statistics, resamples, _draws(d.size, resamples, rng))
            for d in data
        ]
    names = tuple(statistics)
    return [
        _cached_statistics(seed, resamples, sizes, i, d.tobytes(), names)
        for i, d in enumerate(data)
    ]


# Index draws kept for comparisons to come: up to 4 MiB (int32) each, four of them.
CACHED_DRAWS_ELEMENTS = 1 << 20


@lru_cache(maxsize=8)
def _cached_statistics(
    seed: int,
    resamples: int,
    sizes: tuple[int, ...],
    index: int,
    data: bytes,
    statistics: tuple[str, ...],
) -> dict[str, FloatArray]:
    """The statistics of sample ``index`` (``data``: its sorted values) of a
    :func:`seeded_bootstraps` call; the reference's are asked for again and again."""
    import numpy as np

    values = np.frombuffer(data, dtype=np.float64)
    draws = _cached_draws(seed, resamples, sizes)[index]
    out = _statistics_of(values, statistics, resamples, draws)
    for replicates in out.values():
        replicates.setflags(write=False)
    return out


@lru_cache(maxsize=4)
def _cached_draws(
    seed: int, resamples: int, sizes: tuple[int, ...]
) -> tuple[tuple[IntArray, ...], ...]:
    import numpy as np

    rng = np.random.default_rng(seed)
    kept = []
    for n in sizes:
        chunks = tuple(_draws(n, resamples, rng))
        for chunk in chunks:
            chunk.setflags(write=False)
        kept.append(chunks)
    return tuple(kept)


def _sorted_sample(values: Sequence[float], statistics: Sequence[str]) -> FloatArray:
    import numpy as np

    data = np.sort(np.asarray(values, dtype=np.float64))
    if data.size == 0:
        raise ValueError("cannot resample an empty sample")
    for name in statistics:
        if not known_statistic(name):
            raise ValueError(f"unknown statistic {name!r}")
    return data


def _draws(n: int, resamples: int, rng: np.random.Generator) -> Iterator[IntArray]:
    """Rows of ``n`` indices drawn with replacement, each row sorted, in chunks."""
    import numpy as np

    rows = max(1, CHUNK_ELEMENTS // n)
    for start in range(0, resamples, rows):
        drawn = rng.integers(0, n, size=(min(resamples, start + rows) - start, n), dtype=np.int32)
        drawn.sort(axis=1)
        yield drawn


def _statistics_of(
    data: FloatArray, statistics: Sequence[str], resamples: int, draws: Iterable[IntArray]
) -> dict[str, FloatArray]:
    import numpy as np

    out = {name: np.empty(resamples, dtype=np.float64) for name in statistics}
    start = 0
    for drawn in draws:
        stop = start + len(drawn)
        for name in statistics:
            out[name][start:stop] = _row_statistic(data, drawn, name)
        start = stop
    return out


def _large_statistics(
    data: FloatArray, statistics: Sequence[str], resamples: int, rng: np.random.Generator
) -> dict[str, FloatArray]:
    """:func:`_statistics_of` for a sorted sample larger than :data:`SUBSAMPLE` (see
    there): order statistics exactly, the mean by the scaled m-out-of-n bootstrap."""
    import numpy as np

    n = data.size
    out: dict[str, FloatArray] = {}
    for name in statistics:
        if name != "mean":
            q = {"min": 0.0, "max": 100.0, "median": 50.0}.get(name, percentile_of(name))
            assert q is not None
            out[name] = order_statistic_replicates(data, q, resamples, rng)
            continue
        # The mean of n draws: normal about the sample's mean with the plug-in
        # variance / n (the central limit theorem; the skew left is O(1/sqrt(n))).
        spread = float(np.std(data)) / math.sqrt(n)
        out[name] = float(np.mean(data)) + spread * rng.standard_normal(resamples)
    return out


def order_statistic_replicates(
    data: FloatArray, q: float, resamples: int, rng: np.random.Generator
) -> FloatArray:
    """The ``q``-th percentile (linear interpolation, as :func:`_row_statistic`; 0: the
    least, 100: the greatest) of ``resamples`` bootstrap resamples of the sorted
    ``data``, each drawn in O(1) from its exact distribution (see
    :func:`median_replicates`): the k-th smallest of n draws is the sorted value at
    ⌊n·U_(k)⌋, U_(k) ~ Beta(k, n − k + 1), and the next one is U_(k) plus (1 − U_(k))
    times a Beta(1, n − k)."""
    import numpy as np

    n = data.size
    position = (n - 1) * q / 100.0
    below = math.floor(position)
    fraction = position - below
    k = below + 1  # the k-th smallest, 1-based
    lower = rng.beta(k, n - k + 1, resamples)
    low: FloatArray = data[np.minimum((n * lower).astype(np.int64), n - 1)]
    if fraction == 0.0 or k >= n:
        return low
    upper = lower + (1.0 - lower) * rng.beta(1, n - k, resamples)
    high = data[np.minimum((n * upper).astype(np.int64), n - 1)]
    interpolated: FloatArray = low + fraction * (high - low)
    return interpolated


def _row_statistic(data: FloatArray, drawn: IntArray, name: str) -> FloatArray:
    n = data.size
    if name == "mean":
        if n < 8:
            # numpy reduces a short axis slowly (170 µs for 10,000 rows of 2); its sum
            # of fewer than 8 values is this sequential one, so the means are the same.
            total: FloatArray = data[drawn[:, 0]]
            for column in range(1, n):
                total += data[drawn[:, column]]
            return total / n
        result: FloatArray = data.take(drawn).mean(axis=1)
        return result
    if name == "min":
        return data[drawn[:, 0]]
    if name == "max":
        return data[drawn[:, -1]]
    q = 50.0 if name == "median" else percentile_of(name)
    assert q is not None
    position = (n - 1) * q / 100.0
    below = math.floor(position)
    fraction = position - below
    low = data[drawn[:, below]]
    if fraction == 0.0 or below + 1 >= n:
        return low
    high = data[drawn[:, below + 1]]
    interpolated: FloatArray = low + fraction * (high - low)
    return interpolated


def median_replicates(
    values: Sequence[float] | FloatArray, resamples: int, rng: np.random.Generator
) -> FloatArray:
    """The medians of ``resamples`` bootstrap resamples of ``values``, drawn in O(1)
    each from their exact distribution, however many values there are.

    A resample is n uniform draws U_i, each picking the sorted value at ⌊n·U_i⌋, so its
    k-th smallest value is the sorted value at ⌊n·U_(k)⌋ with U_(k) ~ Beta(k, n − k + 1)
    (the k-th order statistic of n uniforms); the next one, U_(k+1), is U_(k) plus
    (1 − U_(k)) times a Beta(1, n − k) (the least of the n − k draws above it). The
    median is the middle one for odd n and the mean of the two middle ones for even n,
    as :func:`bootstrap_statistics` computes it, so both draw from the same distribution.
    """
    import numpy as np

    data = np.sort(np.asarray(values, dtype=np.float64))
    n = data.size
    if n == 0:
        raise ValueError("cannot resample an empty sample")
    k = (n + 1) // 2
    lower = rng.beta(k, n - k + 1, resamples)
    at = np.minimum((n * lower).astype(np.int64), n - 1)
    if n % 2:
        result: FloatArray = data[at]
        return result
    upper = lower + (1.0 - lower) * rng.beta(1, n - k, resamples)
    above = np.minimum((n * upper).astype(np.int64), n - 1)
    result = (data[at] + data[above]) / 2.0
    return result


def percentile_interval(replicates: FloatArray, confidence: float = 0.95) -> tuple[float, float]:
    """Efron & Tibshirani (1993) §13.3: the (α/2, 1 − α/2) quantiles of the replicates.

    A ratio replicate is NaN when both resampled statistics are 0 (0/0: runs shorter
    than the shell spawn time that was subtracted); those are left out, and when every
    replicate is NaN the interval is undefined, (NaN, NaN), without numpy's "All-NaN
    slice" warning on stderr.
    """
    import numpy as np

    defined = replicates[~np.isnan(replicates)]
    if defined.size == 0:
        return math.nan, math.nan
    tail = (1.0 - confidence) / 2.0 * 100.0
    with np.errstate(invalid="ignore"):  # inf - inf when a reference resample is 0
        low, high = _linear_percentiles(defined, (tail, 100.0 - tail))
    return float(low), float(high)


def _linear_percentiles(values: FloatArray, percents: Sequence[float]) -> FloatArray:
    """``np.percentile(values, percents)`` (linear interpolation, Hyndman & Fan's
    definition 7), value for value, at half its cost: a comparison reads two intervals
    off 10,000 replicates, and a scan makes a comparison per benchmark."""
    import numpy as np

    virtual = (values.size - 1) * (np.asarray(percents, dtype=np.float64) / 100)
    below = np.floor(virtual).astype(np.intp)
    above = np.minimum(below + 1, values.size - 1)
    ordered = np.partition(values, np.unique(np.concatenate([below, above])))
    low, high, weight = ordered[below], ordered[above], virtual - below
    step = high - low
    # numpy's interpolation: from the nearer end, so that a weight of 1 gives ``high``.
    result: FloatArray = np.where(weight >= 0.5, high - step * (1 - weight), low + step * weight)
    return result


def contrast(reference: FloatArray, candidate: FloatArray, kind: Kind) -> FloatArray:
    """candidate / reference (``ratio``) or candidate − reference (``difference``)."""
    import numpy as np

    if kind == "difference":
        return candidate - reference
    with np.errstate(divide="ignore", invalid="ignore"):
        result: FloatArray = candidate / reference
    return result


def mann_whitney_p(x: Sequence[float], y: Sequence[float]) -> float:
    """Two-sided p-value of the Mann-Whitney U test, normal approximation.

    Mann & Whitney (1947); variance corrected for ties and a continuity correction
    of 1/2 (Lehmann 1975, eq. 1.56). Equal to ``scipy.stats.mannwhitneyu(x, y,
    method="asymptotic")``. Returns 1.0 when every value is the same.
    """
    import numpy as np

    a = np.asarray(x, dtype=np.float64)
    b = np.asarray(y, dtype=np.float64)
    n1, n2 = a.size, b.size
    if n1 == 0 or n2 == 0:
        raise ValueError("both samples need at least one value")
    n = n1 + n2
    combined = np.sort(np.concatenate([a, b]))
    # Average rank of a value: the ranks its ties span are (below + 1) .. (below +
    # count), whose mean is below + (count + 1) / 2, ``below`` the values less than it
    # (found by bisection: sorts and two searches, no argsort of the whole sample).
    ordered = np.sort(a)  # searched in order, the bisections stay in cache
    below = np.searchsorted(combined, ordered, side="left")
    through = np.searchsorted(combined, ordered, side="right")
    rank_sum_x = float(np.sum((below + through + 1) / 2.0))
    starts = np.flatnonzero(np.concatenate(([True], combined[1:] != combined[:-1])))
    counts = np.diff(np.append(starts, n))
    u1 = rank_sum_x - n1 * (n1 + 1) / 2.0
    mean_u = n1 * n2 / 2.0
    tie_term = (
        float(np.sum(counts.astype(np.float64) ** 3 - counts)) / (n * (n - 1)) if n > 1 else 0.0
    )
    variance = n1 * n2 / 12.0 * ((n + 1) - tie_term)
    if variance <= 0.0:
        return 1.0
    z = (abs(u1 - mean_u) - 0.5) / math.sqrt(variance)
    if z <= 0.0:
        return 1.0
    return min(1.0, math.erfc(z / math.sqrt(2.0)))


def holm_adjust(p_values: Sequence[float]) -> list[float]:
    """Holm (1979) adjusted p-values, in the input order.

    Rejecting every hypothesis whose adjusted p is below α is exactly Holm's
    step-down procedure at family-wise error rate α.
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for step, index in enumerate(order):
        running = max(running, min(1.0, (m - step) * p_values[index]))
        adjusted[index] = running
    return adjusted


def signed_rank_p(differences: Sequence[float]) -> float:
    """Two-sided p-value of Wilcoxon's signed-rank test, normal approximation.

    Wilcoxon (1945), "Individual comparisons by ranking methods"; zero differences are
    dropped (Wilcoxon's own convention), ties get average ranks with the variance
    corrected for them, and a continuity correction of 1/2 is applied (Conover 1999,
    §5.7; Lehmann 1975, §3.2). Equal to ``scipy.stats.wilcoxon(d, zero_method="wilcox",
    correction=True, method="approx")``. Returns 1.0 when every difference is 0.
    """
    import numpy as np

    d = np.asarray(differences, dtype=np.float64)
    d = d[d != 0.0]
    n = d.size
    if n == 0:
        return 1.0
    magnitudes = np.abs(d)
    _, inverse, counts = np.unique(magnitudes, return_inverse=True, return_counts=True)
    average_rank = np.cumsum(counts) - (counts - 1) / 2.0
    ranks = average_rank[inverse]
    w_plus = float(np.sum(ranks[d > 0]))
    mean = n * (n + 1) / 4.0
    variance = n * (n + 1) * (2 * n + 1) / 24.0
    variance -= float(np.sum(counts.astype(np.float64) ** 3 - counts)) / 48.0
    if variance <= 0.0:
        return 1.0
    z = (abs(w_plus - mean) - 0.5) / math.sqrt(variance)
    if z <= 0.0:
        return 1.0
    return min(1.0, math.erfc(z / math.sqrt(2.0)))


def paired_ratio_replicates(
    reference: Sequence[float],
    candidate: Sequence[float],
    resamples: int,
    rng: np.random.Generator,
) -> dict[str, FloatArray]:
    """Bootstrap replicates of candidate/reference for the median and the mean, with the
    PAIRS resampled together (Efron & Tibshirani 1993, §9.5: resampling the units of
    a paired design keeps each unit's two values together, so what they share, such as
    the machine's state during one round, cancels in the ratio)."""
    import numpy as np

    ref = np.asarray(reference, dtype=np.float64)
    cand = np.asarray(candidate, dtype=np.float64)
    n = ref.size
    if n == 0 or cand.size != n:
        raise ValueError("paired samples need the same, non-zero length")
    out = {
        "median": np.empty(resamples, dtype=np.float64),
        "mean": np.empty(resamples, dtype=np.float64),
    }
    # More pairs than SUBSAMPLE: the bootstrap of a random subsample of SUBSAMPLE
    # pairs, its deviations from the subsample's ratio scaled by sqrt(SUBSAMPLE / n)
    # and put about the whole sample's ratio (m-out-of-n, see SUBSAMPLE).
    m = min(n, SUBSAMPLE)
    whole_ref, whole_cand = ref, cand
    if m < n:
        kept = np.sort(rng.choice(n, size=m, replace=False))
        ref, cand = ref[kept], cand[kept]
    rows = max(1, CHUNK_ELEMENTS // m)
    with np.errstate(divide="ignore", invalid="ignore"):
        for start in range(0, resamples, rows):
            stop = min(resamples, start + rows)
            drawn = rng.integers(0, m, size=(stop - start, m), dtype=np.int32)
            r, c = ref[drawn], cand[drawn]
            out["median"][start:stop] = np.median(c, axis=1) / np.median(r, axis=1)
            out["mean"][start:stop] = c.mean(axis=1) / r.mean(axis=1)
        if m < n:  # deviations about the subsample's own ratio, scaled, about all's
            scale = math.sqrt(m / n)
            for name, centre in (("median", np.median), ("mean", np.mean)):
                whole = float(centre(whole_cand)) / float(centre(whole_ref))
                own = float(centre(cand)) / float(centre(ref))
                out[name] = whole + (out[name] - own) * scale
    return out
