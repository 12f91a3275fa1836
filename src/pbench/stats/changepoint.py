"""Change points in a series of per-run values in time order (each saved run's median,
say): where the level stepped, by how much, how sure, and how severe; whether a slow
drift is a drift; and where the noise alone changed.

Method, for N values:

1. Noise and outliers: the noise scale σ from consecutive differences, and the values
   with lone outliers tamed (:mod:`pbench.stats.noise`).
2. Candidates: the best split of each of O(N) seeded intervals at every scale, down to
   ``4·min_size`` values (:mod:`pbench.stats.seeded`): a short interval sees a change
   that a longer one hides, such as a regression fixed a few commits later.
3. Model: of every cut at some of the candidates into pieces that are level or sloped,
   the one with the smallest Bayesian information criterion (:mod:`pbench.stats.
   segmentation`): a step, a line and both compete on the same footing, so a slow
   drift is one sloped piece, not a staircase, and a step on a drift is two sloped
   pieces with a jump. Each change is then moved to where the difference of the means
   of its neighbouring pieces is largest, within ``min_size`` runs.
4. Test: each change between its neighbouring changes. Its p-value is that of the
   largest standardised rank sum over the segment (:mod:`pbench.stats.rank_scan`),
   which pays for having searched the split, is deaf to outliers and to the shape of
   the noise, and holds a change-free segment to a false alarm rate of about α at any
   length. Next to a sloped piece, where a drift alone makes any split significant, the
   step must also stand out of a straight line through the segment
   (:mod:`pbench.stats.step_fit`), at the same α; the larger p-value counts. Changes
   above α are dropped (the worst of each run of failing neighbours at once) and 3-4
   repeated on the candidates left, until every change stands.
5. Size: the levels on either side, where the pieces meet: a level piece's median, a
   sloped piece's values moved along its slope to the change; the relative change
   after/before − 1 and a percentile interval of the ratio of those medians from the
   exact bootstrap distribution of each (:func:`pbench.stats.resampling.
   median_replicates`, ``resamples`` draws, seeded by (``seed``, index)).
6. Spread: the residuals from the fitted pieces relative to them (noise in proportion
   to the level, as timings have, does not change with a step), searched for changes
   of their size of at least ``min_spread_ratio`` either way
   (:mod:`pbench.stats.spread`): "noisier since".

Every p-value is asymptotic (:mod:`pbench.stats.scan_tail`): any α works, without
permutations or a seed; on short segments the rank test's is larger than the exact one,
so it errs towards "no change". Nothing is quadratic in N: the candidates cost
O(N log N), the model O(K) to O(K²) in the K candidates (far fewer than N), each test
O(L log L) for a segment of L values. scripts/changepoint_accuracy.py measures recall,
precision and false alarms beside Apache Otava and ruptures; scripts/bench_store.py
times a history of 100,000 runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from pbench.stats.segmentation import Kind, Segmentation, Sums
from pbench.stats.spread import SpreadChange
from pbench.stats.summary import Interval

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

ALPHA = 0.01
MIN_SIZE = 5
RESAMPLES = 1000
MIN_SPREAD_RATIO = 1.5  # a spread change smaller than this either way is not news
WINDOW = 500  # runs a history's trend reads by default (pbench trend --last)
CONFIDENCE = 0.95
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
    """The level changed at ``index`` (the first run of the new level): the levels on
    either side where they meet, ``change`` = after/before − 1 with its interval, the
    p-value of the change between its neighbouring change points, and whether the
    pieces on either side are level or sloped (a drift)."""

    index: int
    before: float
    after: float
    change: float
    change_interval: Interval
    p_value: float
    piece_before: Kind = "level"
    piece_after: Kind = "level"

    def severity(self, bands: SeverityBands = SeverityBands()) -> Severity:
        return severity(self.change, bands)


@dataclass(frozen=True)
class Changes:
    """Everything found in one series: change points of the level, the kind of each
    piece between them (one more than change points), and changes of the spread."""

    levels: tuple[ChangePoint, ...] = ()
    pieces: tuple[Kind, ...] = ("level",)
    spreads: tuple[SpreadChange, ...] = field(default=())


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
    trends: bool = True,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
    seed: int = SEED,
) -> list[ChangePoint]:
    """The level change points of ``values`` (in time order), in index order."""
    found = analyse_changes(
        values, alpha=alpha, min_size=min_size, trends=trends, resamples=resamples,
        confidence=confidence, seed=seed,
    )  # fmt: skip
    return list(found.levels)


def analyse_changes(
    values: Sequence[float],
    *,
    alpha: float = ALPHA,
    min_size: int = MIN_SIZE,
    trends: bool = True,
    resamples: int = RESAMPLES,
    confidence: float = CONFIDENCE,
    seed: int = SEED,
    min_spread_ratio: float = MIN_SPREAD_RATIO,
) -> Changes:
    """Change points, pieces and spread changes of ``values`` (see the module); a
    series shorter than 2·``min_size`` has none."""
    import numpy as np

    from pbench.stats.noise import noise_scale, tamed
    from pbench.stats.seeded import candidates
    from pbench.stats.spread import spread_changes

    if min_size < 2:
        raise ValueError("min_size must be at least 2")
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie between 0 and 1")
    data = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(data)):
        raise ValueError("values must be finite")
    if data.size < 2 * min_size:
        return Changes()
    scale = noise_scale(data)
    smooth = tamed(data, scale)
    search = _Search(data, smooth, scale, min_size, alpha, trends)
    model, p_values = search.run(candidates(smooth, scale, min_size))
    bounds = [0, *model.changes, data.size]
    levels = tuple(
        _sized(search, bounds[i : i + 3], model.kinds[i : i + 2], p_values[i], resamples,
               confidence, seed)
        for i in range(len(model.changes))
    )  # fmt: skip
    fitted = search.fitted(model)
    relative = (data - fitted) / np.where(fitted != 0, np.abs(fitted), 1.0)
    spreads = spread_changes(relative, min_size, alpha, min_spread_ratio)
    return Changes(levels, model.kinds, tuple(spreads))


class _Search:
    """Steps 3 and 4 of the module over one series."""

    def __init__(
        self,
        data: FloatArray,
        smooth: FloatArray,
        scale: float,
        min_size: int,
        alpha: float,
        trends: bool,
    ) -> None:
        self.data, self.smooth, self.scale = data, smooth, scale
        self.min_size, self.alpha, self.trends = min_size, alpha, trends
        self.sums = Sums(smooth)

    def run(self, pool: list[int]) -> tuple[Segmentation, list[float]]:
        """The model whose every change stands, and their p-values."""
        from pbench.stats.segmentation import segment

        while True:
            model = segment(self.sums, self.data.size, pool, self.scale, trends=self.trends)
            model = self._relocated(model, pool)
            p_values = [self.p_value(model, i) for i in range(len(model.changes))]
            failing = [p > self.alpha for p in p_values]
            if not any(failing):
                return model, p_values
            for i in self._worst(p_values, failing):
                pool.remove(model.changes[i])

    @staticmethod
    def _worst(p_values: list[float], failing: list[bool]) -> list[int]:
        """The failing changes whose p-value is the largest among failing neighbours."""
        count = len(p_values)
        return [
            i
            for i in range(count)
            if failing[i]
            and (i == 0 or not failing[i - 1] or p_values[i] >= p_values[i - 1])
            and (i + 1 == count or not failing[i + 1] or p_values[i] > p_values[i + 1])
        ]

    def _relocated(self, model: Segmentation, pool: list[int]) -> Segmentation:
        """Each change moved to the largest difference of means between its neighbours,
        within min_size runs of where it was (the pool updated to match)."""
        import numpy as np

        m = self.min_size
        moved: list[int] = []
        changes = model.changes
        for i, index in enumerate(changes):
            start = moved[-1] if moved else 0
            end = changes[i + 1] if i + 1 < len(changes) else self.data.size
            low, high = max(start + m, index - m), min(end - m, index + m)
            if high < low:
                moved.append(index)
                continue
            piece = self.smooth[start:end]
            t = np.arange(low - start, high - start + 1)
            head = np.cumsum(piece - piece.mean())
            spread = np.abs(head[t - 1]) / np.sqrt(t * (piece.size - t) / piece.size)
            moved.append(start + int(t[int(np.argmax(spread))]))
        for old, new in zip(changes, moved, strict=True):
            if new != old:
                pool[:] = [c for c in pool if c == old or abs(c - new) >= m]
                pool[pool.index(old)] = new
        pool.sort()
        return Segmentation(tuple(moved), model.kinds)

    def p_value(self, model: Segmentation, i: int) -> float:
        """Step 4 of the module for the i-th change of ``model``."""
        from pbench.stats.rank_scan import split_p_value
        from pbench.stats.step_fit import beyond_line_p

        changes = model.changes
        start = changes[i - 1] if i > 0 else 0
        end = changes[i + 1] if i + 1 < len(changes) else self.data.size
        index = changes[i] - start
        p = split_p_value(self.data[start:end], index, self.min_size)
        if "sloped" in model.kinds[i : i + 2]:
            smooth = self.smooth[start:end]
            p = max(p, beyond_line_p(smooth, index, self.min_size, self.scale))
        return p

    def slope(self, start: int, end: int) -> float:
        _, _, slope = self.sums.squares(start, end)
        return float(slope)

    def fitted(self, model: Segmentation) -> FloatArray:
        """The model's value at each run: a level piece's median, a sloped piece's
        least-squares line (through the tamed values)."""
        import numpy as np

        bounds = [0, *model.changes, self.data.size]
        fit = np.empty(self.data.size)
        for kind, start, end in zip(model.kinds, bounds, bounds[1:], strict=False):
            if kind == "level":
                fit[start:end] = float(np.median(self.data[start:end]))
            else:
                t = np.arange(start, end, dtype=np.float64)
                piece = self.smooth[start:end]
                fit[start:end] = piece.mean() + self.slope(start, end) * (t - t.mean())
        return fit


def _sized(
    search: _Search,
    bounds: Sequence[int],
    kinds: Sequence[Kind],
    p_value: float,
    resamples: int,
    confidence: float,
    seed: int,
) -> ChangePoint:
    """Step 5 of the module for the change at bounds[1] between bounds[0] and bounds[2]."""
    import numpy as np

    from pbench.stats.resampling import contrast, median_replicates, percentile_interval

    start, index, end = bounds
    sides = []
    pieces = ((kinds[0], start, index, index - 1), (kinds[1], index, end, index))
    for kind, first, past, edge in pieces:
        values = search.data[first:past]
        if kind == "sloped":
            values = values - search.slope(first, past) * (np.arange(first, past) - edge)
        sides.append(values)
    before, after = (float(np.median(side)) for side in sides)
    rng = np.random.default_rng([seed, index])
    ratios = contrast(
        median_replicates(sides[0], resamples, rng),
        median_replicates(sides[1], resamples, rng),
        "ratio",
    )
    low, high = percentile_interval(ratios, confidence)
    change = after / before - 1 if before else (0.0 if after == before else float("inf"))
    return ChangePoint(
        index, before, after, change, Interval(low - 1, high - 1), p_value, kinds[0], kinds[1]
    )
