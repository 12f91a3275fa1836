"""Change points in a series of per-run values in time order (each saved run's median,
say): where the level stepped, by how much, how sure, and how severe.

Method: the e-divisive scheme of Matteson & James (JASA 2014) as Apache Otava (formerly
Hunter; Fleming et al., "Hunter: Using Change Point Detection to Hunt for Performance
Regressions", ICPE 2023) applies it to performance history, with a calibrated test:

1. Locate: in a segment, the split τ maximising the energy statistic Q̂
   (:mod:`pbench.stats.energy`), both sides at least ``min_size`` values long; when it
   does not stand (2), the place of the largest rank-sum scan is tried instead.
2. Test: the permutation p-value of the rank-sum scan at τ against the *largest* scan
   over all positions (:mod:`pbench.stats.rank_scan`), ``permutations`` shuffles; the
   split stands when p ≤ ``alpha``. Otava tests with Student's t at the chosen τ, which
   ignores that τ was picked as the most different place (hence its low max p-value,
   0.001). Comparing against the maximum pays for the choice, and a split at τ stands
   only when the largest scan would, so a change-free segment is split with
   probability at most ``alpha`` (both candidates included), whatever its length and
   however skewed or outlier-ridden its values (ranks).
3. Recurse on both sides of every split that stands (binary segmentation).
4. Merge (as Otava's second pass): judge every change point between its final
   neighbours: it stays when its p-value (2) is at most ``alpha`` and its step stands
   out of a straight line through the two neighbouring segments with p <
   ``drift_alpha`` (:mod:`pbench.stats.step_fit`). The one furthest past its thresholds
   is dropped, its neighbours judged again, until all stay. The p-value reported is
   the last one. The line check is why a slow drift, which the rank test rightly sees
   as a change and splits into a cascade in 3, ends with no change point (it shows in
   the slope of :mod:`pbench.stats.recent`), while a staircase of real steps, each
   judged between its own neighbours, keeps them. Checking the line already in 2
   missed such staircases, the whole segment looking like one line.
5. Size: the medians of the segments on either side, the relative change
   after/before − 1 and a percentile-bootstrap interval of the ratio of the medians
   (each side resampled apart, ``resamples`` times; :mod:`pbench.stats.resampling`).

Defaults (alpha 0.01, drift_alpha 0.001, min_size 5, 499 permutations) were chosen
with scripts/changepoint_accuracy.py and checked on fresh seeds; it prints recall,
precision and false alarms by step size and noise. Randomness is seeded: the
permutations by (``seed``, segment length), the bootstrap by (``seed``, index).

Cost: O(N²) numpy once per series for the pair sums of the energy statistic, then
O(L) per segment scanned and O(R·L) per test (R = 499); the permutations of a
segment length are drawn once per process. 500 values take about 10-100 ms; the
script prints the timings. The cost grows with N², so a long history is analysed over
its last ``window`` values (default 500); indices are still those of the series
passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pbench.stats.energy import best_split, pair_sums
from pbench.stats.rank_scan import midranks, scan, split_p_value
from pbench.stats.step_fit import step_beyond_line_p
from pbench.stats.summary import Interval

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
DRIFT_ALPHA = 0.001

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
    drift_alpha: float = DRIFT_ALPHA,
    window: int | None = WINDOW,
    seed: int = SEED,
) -> list[ChangePoint]:
    """The change points of ``values`` (in time order) in index order, see the module.

    Only the last ``window`` values are analysed (None: all of them, at O(N²) time and
    memory); series shorter than 2·``min_size`` have none.
    """
    import numpy as np

    if min_size < 2:
        raise ValueError("min_size must be at least 2")
    offset = max(0, len(values) - window) if window is not None else 0
    data = np.asarray(values[offset:], dtype=np.float64)
    if not np.all(np.isfinite(data)):
        raise ValueError("values must be finite")
    test = _Tester(data, alpha, drift_alpha, min_size, permutations, seed)
    found: list[int] = []
    pending = [(0, data.size)]
    sums = pair_sums(data)
    while pending:
        start, end = pending.pop()
        candidates = _candidates(data, sums, start, end, min_size)
        index = next((i for i in candidates if test.stands(start, i, end)), None)
        if index is not None:
            found.append(index)
            pending += [(start, index), (index, end)]
    kept, p_values = test.merge(sorted(found))
    bounds = [0, *kept, data.size]
    return [
        _sized(data, bounds[i : i + 3], p_values[i], offset, resamples, confidence, seed)
        for i in range(len(kept))
    ]


def _candidates(
    data: FloatArray, sums: FloatArray, start: int, end: int, min_size: int
) -> list[int]:
    """Step 1's split positions, in the order they are tried."""
    import numpy as np

    if end - start < 2 * min_size:
        return []
    energy = best_split(sums, start, end, min_size)
    rank = start + min_size + int(np.argmax(scan(midranks(data[start:end]), min_size)))
    return [rank] if energy is None or energy == rank else [energy, rank]


class _Tester:
    """Whether a split stands (step 2 of the module), and the merge (step 4)."""

    def __init__(
        self,
        data: FloatArray,
        alpha: float,
        drift_alpha: float,
        min_size: int,
        permutations: int,
        seed: int,
    ) -> None:
        self.data, self.alpha, self.drift_alpha = data, alpha, drift_alpha
        self.min_size, self.permutations, self.seed = min_size, permutations, seed

    def p_value(self, start: int, index: int, end: int) -> float:
        segment = self.data[start:end]
        return split_p_value(segment, index - start, self.min_size, self.permutations, self.seed)

    def stands(self, start: int, index: int, end: int) -> bool:
        return self.p_value(start, index, end) <= self.alpha

    def merge(self, found: list[int]) -> tuple[list[int], list[float]]:
        """Step 4 of the module: the change points kept and their p-values."""
        kept = list(found)

        def judged(i: int) -> tuple[float, float]:
            """(p-value, how far past the thresholds: above 1 fails) of kept[i]."""
            start = kept[i - 1] if i > 0 else 0
            end = kept[i + 1] if i + 1 < len(kept) else self.data.size
            p = self.p_value(start, kept[i], end)
            line_p = step_beyond_line_p(self.data[start:end], kept[i] - start)
            drift = line_p / self.drift_alpha if line_p >= self.drift_alpha else 0.0
            return p, max(p / self.alpha, drift)

        verdicts = [judged(i) for i in range(len(kept))]
        while kept:
            worst = max(range(len(kept)), key=lambda i: verdicts[i][1])
            if verdicts[worst][1] <= 1:
                break
            del kept[worst], verdicts[worst]
            for i in (worst - 1, worst):
                if 0 <= i < len(kept):
                    verdicts[i] = judged(i)
        return kept, [p for p, _ in verdicts]


def _sized(
    data: FloatArray,
    bounds: Sequence[int],
    p_value: float,
    offset: int,
    resamples: int,
    confidence: float,
    seed: int,
) -> ChangePoint:
    """Step 5 of the module for the change at bounds[1] between bounds[0] and bounds[2]."""
    import numpy as np

    from pbench.stats.resampling import bootstrap_statistics, contrast, percentile_interval

    start, index, end = bounds
    before_values, after_values = data[start:index], data[index:end]
    before, after = float(np.median(before_values)), float(np.median(after_values))
    rng = np.random.default_rng([seed, offset + index])
    ratios = contrast(
        bootstrap_statistics(before_values.tolist(), ["median"], resamples, rng)["median"],
        bootstrap_statistics(after_values.tolist(), ["median"], resamples, rng)["median"],
        "ratio",
    )
    low, high = percentile_interval(ratios, confidence)
    change = after / before - 1 if before else (0.0 if after == before else float("inf"))
    return ChangePoint(offset + index, before, after, change, Interval(low - 1, high - 1), p_value)
