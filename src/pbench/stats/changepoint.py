"""Change points in a series of per-run values in time order (each saved run's median,
say): where the level stepped, by how much, how sure, and how severe.

Method (the e-divisive scheme of Matteson & James 2014, as Apache Otava, formerly
Hunter, uses it for performance history; Fleming et al., "Hunter: Using Change Point
Detection to Hunt for Performance Regressions", ICPE 2023):

1. Locate: in a segment, the split τ maximising the energy statistic Q̂
   (:mod:`pbench.stats.energy`), both sides at least ``min_size`` values long.
2. Test: the permutation p-value of the rank-sum scan at τ against the largest scan
   over all positions (:mod:`pbench.stats.rank_scan`), ``permutations`` shuffles; the
   split stands when p ≤ ``alpha``. Otava tests with Student's t at the chosen τ, which
   ignores that τ was chosen as the most different place (its answer is a much lower
   max p-value, 0.001); the scan's maximum pays for the choice, so a change-free series
   gets a change point with probability at most ``alpha``, whatever its length.
3. Step, not drift: a slow drift also makes the two sides differ. A split also needs
   its step to stand out of a straight line through the segment: the rank regression
   of the segment's mid-ranks on the run index and a step at τ must give the step a
   t-test p-value below ``alpha`` (n − 3 degrees of freedom). A drift shows as the
   slope of :mod:`pbench.stats.recent`, not as a cascade of change points.
4. Recurse on both sides of every split that stands (binary segmentation).
5. Merge (Hunter's second pass): re-test every change point between its final
   neighbours, drop the weakest one whose p-value is above ``alpha``, and repeat.
6. Size: the medians of the segments on either side, the relative change
   after/before − 1 with a percentile-bootstrap interval of the ratio of medians (each
   side resampled apart, ``resamples`` times; :mod:`pbench.stats.resampling`).

Randomness is seeded: each test and each bootstrap draws from its own generator seeded
by (``seed``, its position), so a result does not depend on the order of the work.

Cost: O(N²) numpy for the pair sums and the energy grid of the whole series, O(R·L)
per test. For 500 values about 0.05–0.1 s (scripts/changepoint_accuracy.py prints the
timings); the cost grows with N², so longer histories are analysed over their last
``window`` values (default 500): indices stay those of the series passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pbench.stats.energy import best_split, pair_sums
from pbench.stats.rank_scan import midranks, split_p_value
from pbench.stats.summary import Interval
from pbench.stats.trend import t_two_sided_p

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

ALPHA = 0.01
MIN_SIZE = 5
PERMUTATIONS = 499
RESAMPLES = 1000
CONFIDENCE = 0.95
WINDOW = 500
SEED = 0

Severity = Literal["minor", "major", "critical"]


@dataclass(frozen=True)
class SeverityBands:
    """|relative change| below ``major`` is minor, above ``critical`` critical."""

    major: float = 0.05
    critical: float = 0.15

    def __post_init__(self) -> None:
        if not 0 <= self.major <= self.critical:
            raise ValueError("severity bands need 0 <= major <= critical")


@dataclass(frozen=True)
class ChangePoint:
    """The level changed at ``index`` (the first run of the new level): the medians of
    the segments before and after, ``change`` = after/before − 1 with its interval,
    and the p-value of the split between its neighbouring change points."""

    index: int
    before: float
    after: float
    change: float
    change_interval: Interval
    p_value: float

    def severity(self, bands: SeverityBands = SeverityBands()) -> Severity:
        return severity(self.change, bands)


def severity(change: float, bands: SeverityBands = SeverityBands()) -> Severity:
    """The band of a relative change's size (either direction)."""
    size = abs(change)
    if size > bands.critical:
        return "critical"
    if size >= bands.major:
        return "major"
    return "minor"


def change_points(
    values: Sequence[float],
    *,
    alpha: float = ALPHA,
    min_size: int = MIN_SIZE,
    permutations: int = PERMUTATIONS,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
    window: int | None = WINDOW,
    seed: int = SEED,
) -> list[ChangePoint]:
    """The change points of ``values`` in index order (see the module); only the last
    ``window`` values are analysed (None: all of them, at O(N²) cost)."""
    import numpy as np

    if min_size < 2:
        raise ValueError("min_size must be at least 2")
    offset = max(0, len(values) - window) if window is not None else 0
    data = np.asarray(values[offset:], dtype=np.float64)
    if not np.all(np.isfinite(data)):
        raise ValueError("values must be finite")
    test = _Tester(data, alpha, min_size, permutations, seed)
    found: list[int] = []
    pending = [(0, data.size)]
    sums = pair_sums(data)
    while pending:
        start, end = pending.pop()
        split = best_split(sums, start, end, min_size)
        if split is None or not test.stands(start, split.index, split.end_of_y, end):
            continue
        found.append(split.index)
        pending += [(start, split.index), (split.index, end)]
    kept, p_values = test.merge(sorted(found))
    bounds = [0, *kept, data.size]
    return [
        _sized(data, bounds[i : i + 3], p_values[i], offset, resamples, confidence, seed)
        for i in range(len(kept))
    ]


class _Tester:
    """Whether a split stands (steps 2 and 3 of the module), and the merge (step 5)."""

    def __init__(
        self, data: FloatArray, alpha: float, min_size: int, permutations: int, seed: int
    ) -> None:
        self.data, self.alpha, self.min_size = data, alpha, min_size
        self.permutations, self.seed = permutations, seed

    def p_value(self, start: int, index: int, end: int, null_end: int | None = None) -> float:
        segment = self.data[start:end]
        null_length = None if null_end is None else null_end - start
        return split_p_value(
            segment, index - start, self.min_size, self.permutations, self.seed, null_length
        )

    def stands(self, start: int, index: int, end_of_y: int, end: int) -> bool:
        return (
            self.p_value(start, index, end_of_y, end) <= self.alpha
            and step_beyond_drift_p(self.data[start:end_of_y], index - start) < self.alpha
        )

    def merge(self, found: list[int]) -> tuple[list[int], list[float]]:
        kept = list(found)
        while True:
            bounds = [0, *kept, self.data.size]
            p_values = [
                self.p_value(bounds[i], bounds[i + 1], bounds[i + 2]) for i in range(len(kept))
            ]
            if not kept or max(p_values) <= self.alpha:
                return kept, p_values
            del kept[max(range(len(kept)), key=lambda i: p_values[i])]


def step_beyond_drift_p(segment: FloatArray, index: int) -> float:
    """Two-sided p-value of the step at ``index`` in the regression of the segment's
    mid-ranks on the run index and that step (step 3 of the module)."""
    import numpy as np

    n = segment.size
    if n < 4:
        return 1.0
    ranks = segment
    t = np.arange(n, dtype=np.float64)
    design = np.column_stack([np.ones(n), t, (t >= index).astype(np.float64)])
    coefficients, _, rank, _ = np.linalg.lstsq(design, ranks, rcond=None)
    if rank < 3:
        return 1.0
    residual = ranks - design @ coefficients
    df = n - 3
    variance = float(residual @ residual) / df
    covariance = np.linalg.inv(design.T @ design)
    se = float(np.sqrt(variance * covariance[2, 2]))
    if se == 0.0:
        return 0.0 if coefficients[2] != 0 else 1.0
    return t_two_sided_p(float(coefficients[2]) / se, df)


def _sized(
    data: FloatArray,
    bounds: Sequence[int],
    p_value: float,
    offset: int,
    resamples: int,
    confidence: float,
    seed: int,
) -> ChangePoint:
    """Step 6 of the module for the change at bounds[1] between bounds[0] and bounds[2]."""
    import numpy as np

    from pbench.stats.resampling import bootstrap_statistics, contrast, percentile_interval

    start, index, end = bounds
    before_values, after_values = data[start:index], data[index:end]
    before, after = float(np.median(before_values)), float(np.median(after_values))
    rng = np.random.default_rng([seed, offset + index])
    ratios = contrast(
        bootstrap_statistics(before_values, ["median"], resamples, rng)["median"],
        bootstrap_statistics(after_values, ["median"], resamples, rng)["median"],
        "ratio",
    )
    low, high = percentile_interval(ratios, confidence)
    change = after / before - 1 if before else (0.0 if after == before else float("inf"))
    return ChangePoint(
        offset + index, before, after, change, Interval(low - 1, high - 1), p_value
    )
