"""Where the noise of a history changed while its level did not: "noisier since" (or
quieter since) a commit.

The values' residuals from their fitted levels (each piece's median, or its line where
the piece is sloped: :mod:`pbench.stats.changepoint`) are taken in absolute value, and
their changes of location are found as the level's are, with ranks: binary
segmentation at the split of the largest standardised rank sum
(:mod:`pbench.stats.rank_scan`), a split standing when its p-value
(:func:`pbench.stats.scan_tail.split_tail`) is at most ``alpha``, then every change
judged again between its final neighbours, the one with the largest p-value dropped
until all stand (as for levels). Ranks of absolute residuals are the scale test of
Mood and Ansari & Bradley in scan form: larger residuals on one side is a larger
spread there, whatever the noise's shape, and a lone spike is one rank.

The spread of a side is 1.4826 × the median absolute residual (the standard deviation
for Gaussian noise); ``ratio`` is after/before. A change whose ratio lies within
``min_ratio`` either way fails as a large p-value would (a tiny but significant change
of a long history is not news). O(N log N) per level of the recursion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pbench.stats.diagnosis import MAD_SCALE
from pbench.stats.rank_scan import scan, split_p_value
from pbench.stats.scan_tail import split_tail

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

SpreadKind = Literal["noisier", "quieter"]


@dataclass(frozen=True)
class SpreadChange:
    """The noise changed at ``index`` (the first run of the new spread): the spreads
    before and after (in the residuals' unit), their ratio and the split's p-value."""

    index: int
    before: float
    after: float
    p_value: float

    @property
    def ratio(self) -> float:
        if self.before == 0:
            return 1.0 if self.after == 0 else float("inf")
        return self.after / self.before

    @property
    def kind(self) -> SpreadKind:
        return "noisier" if self.after > self.before else "quieter"


def spread_changes(
    residuals: FloatArray, min_size: int, alpha: float, min_ratio: float = 1.0
) -> list[SpreadChange]:
    """The spread changes of ``residuals`` (values minus their fitted levels, in time
    order), in index order (see the module)."""
    import numpy as np

    size = np.abs(residuals)
    found: list[int] = []
    pending = [(0, size.size)]
    while pending:
        start, end = pending.pop()
        if end - start < 2 * min_size:
            continue
        z = scan(size[start:end], min_size)
        if z.size == 0:
            continue
        best = int(np.argmax(z))
        if split_tail(float(z[best]), end - start, min_size) <= alpha:
            index = start + min_size + best
            found.append(index)
            pending += [(start, index), (index, end)]
    kept = sorted(found)

    def p_of(i: int) -> float:
        start = kept[i - 1] if i > 0 else 0
        end = kept[i + 1] if i + 1 < len(kept) else size.size
        before = float(np.median(size[start : kept[i]]))
        after = float(np.median(size[kept[i] : end]))
        if min(before, after) * min_ratio >= max(before, after):
            return 1.0
        return split_p_value(size[start:end], kept[i] - start, min_size)

    p_values = [p_of(i) for i in range(len(kept))]
    while kept:
        worst = max(range(len(kept)), key=lambda i: p_values[i])
        if p_values[worst] <= alpha:
            break
        del kept[worst], p_values[worst]
        for i in (worst - 1, worst):
            if 0 <= i < len(kept):
                p_values[i] = p_of(i)
    bounds = [0, *kept, size.size]
    spread = [
        MAD_SCALE * float(np.median(size[bounds[i] : bounds[i + 1]]))
        for i in range(len(bounds) - 1)
    ]
    return [SpreadChange(kept[i], spread[i], spread[i + 1], p_values[i]) for i in range(len(kept))]
