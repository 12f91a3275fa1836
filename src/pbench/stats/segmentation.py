"""Which candidate positions are changes, and whether a stretch between them is level or
sloped: the penalised choice between a step, a line and both.

A history is cut at some of the candidates (:mod:`pbench.stats.seeded`) into pieces,
each either *level* (one value) or *sloped* (a straight line). Of all such models the
one with the smallest

    Σ residual² / σ² + (2·ln N) · changes + (ln N) · slopes

is chosen (σ the noise scale, :mod:`pbench.stats.noise`; N the series' length): the
Bayesian information criterion of Gaussian noise of known variance (Schwarz, "Estimating
the dimension of a model", Annals of Statistics 6, 1978), each change counting two
parameters (where, and the new level) and each slope one. No p-value is fixed here: a
slow drift is one sloped piece, cheaper than the staircase of levels that would follow
it; a step in a flat series is two level pieces, closer to the data than a line; a step
on top of a drift is two sloped pieces with a jump. Whether a chosen change is more
than noise is tested afterwards, at the user's α (:mod:`pbench.stats.changepoint`).

Without slopes (``trends=False``) every piece is level: every change is a step, and a
drift a staircase.

The minimum is found exactly by dynamic programming over the candidates (optimal
partitioning), each piece's least-squares fit read in O(1) from prefix sums; positions
that can no longer end the last piece before a later one are pruned (PELT: Killick,
Fearnhead & Eckley, JASA 107, 2012; here with the constant −ln N, as splitting a
sloped piece in two may add a slope), so the cost is O(K) to O(K²) for K candidates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]
    IntArray = npt.NDArray[np.int64]

Kind = Literal["level", "sloped"]


class Sums:
    """Prefix sums of 1, t, t², y, t·y and y² over a series (values centred, t from the
    series' middle, for accuracy): every piece's fit in O(1)."""

    def __init__(self, values: FloatArray) -> None:
        import numpy as np

        n = values.size
        t = np.arange(n, dtype=np.float64) - (n - 1) / 2
        y = values - (float(np.mean(values)) if n else 0.0)

        def prefix(v: FloatArray) -> FloatArray:
            return np.concatenate([[0.0], np.cumsum(v)])

        self.t, self.tt = prefix(t), prefix(t * t)
        self.y, self.ty, self.yy = prefix(y), prefix(t * y), prefix(y * y)

    def squares(
        self, start: IntArray | int, end: IntArray | int
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """(residual sum of squares of a level fit, of a line fit, the line's slope)
        of the pieces [start, end) (arrays broadcast)."""
        import numpy as np

        n = np.asarray(end - start, dtype=np.float64)
        sy, syy = self.y[end] - self.y[start], self.yy[end] - self.yy[start]
        st, stt = self.t[end] - self.t[start], self.tt[end] - self.tt[start]
        sty = self.ty[end] - self.ty[start]
        level = np.maximum(syy - sy * sy / n, 0.0)
        sxx = stt - st * st / n
        sxy = sty - st * sy / n
        safe = np.where(sxx > 0, sxx, 1.0)
        slope = np.where(sxx > 0, sxy / safe, 0.0)
        line = np.maximum(level - slope * sxy, 0.0)
        return level, line, slope


@dataclass(frozen=True)
class Segmentation:
    """The changes chosen (indices of a new piece's first value, in order) and the kind
    of each piece (one more than changes)."""

    changes: tuple[int, ...]
    kinds: tuple[Kind, ...]


def segment(
    sums: Sums,
    length: int,
    candidates: Sequence[int],
    scale: float,
    *,
    trends: bool = True,
) -> Segmentation:
    """The model of the module with the smallest criterion, cut at some of
    ``candidates`` (sorted, at least 3 apart and from either end)."""
    import numpy as np

    bounds = np.asarray([0, *candidates, length], dtype=np.int64)
    count = bounds.size
    variance = scale * scale
    change_cost, slope_cost = 2 * math.log(max(length, 2)), math.log(max(length, 2))
    best = np.full(count, math.inf)
    best[0] = 0.0
    previous = np.zeros(count, dtype=np.int64)
    sloped = np.zeros(count, dtype=bool)
    alive = np.zeros(1, dtype=np.int64)
    for j in range(1, count):
        level, line, _ = sums.squares(bounds[alive], int(bounds[j]))
        level_cost = level / variance
        line_cost = line / variance + slope_cost if trends else np.full(level.size, math.inf)
        piece = np.minimum(level_cost, line_cost)
        total = best[alive] + piece + np.where(alive > 0, change_cost, 0.0)
        k = int(np.argmin(total))
        best[j], previous[j] = total[k], alive[k]
        sloped[j] = bool(line_cost[k] < level_cost[k])
        # PELT: F(i) (−change_cost for the start, which pays none) + piece + K ≥ F(j),
        # K = −slope_cost, means i ends no later piece better than j does
        start = best[alive] - np.where(alive > 0, 0.0, change_cost)
        slack = slope_cost if trends else 0.0
        alive = np.append(alive[start + piece - slack < best[j]], j)
    changes: list[int] = []
    kinds: list[Kind] = []
    j = count - 1
    while j > 0:
        kinds.append("sloped" if sloped[j] else "level")
        j = int(previous[j])
        if j > 0:
            changes.append(int(bounds[j]))
    return Segmentation(tuple(reversed(changes)), tuple(reversed(kinds)))
