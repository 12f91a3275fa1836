"""Where a history may change: candidate split positions from seeded intervals
(Kovács, Li, Haubner, Munk & Bühlmann, "Seeded binary segmentation: a general
methodology for fast and optimal changepoint detection", Biometrika 110, 2023).

The intervals come in layers: the whole series, then intervals half as long, and so on
down to ``4·min_size`` values (the last layer); a layer of intervals of length l holds
2⌈N/l⌉ − 1 of them spread evenly, so neighbours overlap by half. In each interval, the
split with the largest standardised difference of means (the CUSUM statistic of the
tamed values, in noise scales, :mod:`pbench.stats.noise`) is a candidate when that
largest value would be reached by chance in at most ``alpha`` of change-free intervals
of that length (:func:`pbench.stats.scan_tail.split_tail`). Short intervals find a
change that a longer one hides (a regression fixed a few commits later: the whole
series sees a bump, a short interval two clean steps); long ones place large steps
well.

Candidates closer than ``min_size`` to a stronger one are dropped. What is kept is a
superset: the segmentation (:mod:`pbench.stats.segmentation`) and the tests decide.

Cost: every layer covers the series about twice, O(N) with numpy per layer, O(N log N)
in all; nothing is quadratic.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pbench.stats.scan_tail import split_adjacent, tail_probability

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]
    IntArray = npt.NDArray[np.int64]

CANDIDATE_ALPHA = 0.05


def intervals(length: int, min_size: int) -> list[tuple[int, IntArray]]:
    """The layers of the module: (interval length, start of each interval)."""
    import numpy as np

    smallest = 4 * min_size
    if length < 2 * min_size:
        return []
    layers: list[tuple[int, IntArray]] = [(length, np.zeros(1, dtype=np.int64))]
    depth = 1
    while layers[-1][0] > smallest:
        size = max(math.ceil(length / 2**depth), smallest)
        count = 2 * math.ceil(length / size) - 1
        starts = np.unique(np.round(np.linspace(0, length - size, count)).astype(np.int64))
        layers.append((size, starts))
        depth += 1
    return layers


def critical_level(length: int, min_size: int, alpha: float) -> float:
    """The level that the largest split statistic of ``length`` values reaches with
    probability ``alpha`` (bisection on :func:`pbench.stats.scan_tail.split_tail`)."""
    if length < 2 * min_size:
        return math.inf
    adjacent = split_adjacent(length, min_size)
    low, high = 0.0, 40.0
    for _ in range(40):
        middle = (low + high) / 2
        if tail_probability(middle, adjacent) > alpha:
            low = middle
        else:
            high = middle
    return high


def candidates(
    tamed: FloatArray, scale: float, min_size: int, alpha: float = CANDIDATE_ALPHA
) -> list[int]:
    """Candidate change positions of the module (the index of a new level's first
    value), in index order."""
    import numpy as np

    length = tamed.size
    layers = intervals(length, min_size)
    if not layers:
        return []
    prefix = np.concatenate([[0.0], np.cumsum(tamed - float(np.mean(tamed)))])
    found_stat: list[FloatArray] = []
    found_at: list[IntArray] = []
    for size, starts in layers:
        t = np.arange(min_size, size - min_size + 1)
        total = prefix[starts + size] - prefix[starts]
        head = prefix[starts[:, None] + t[None, :]] - prefix[starts][:, None]
        stat = np.abs(head - total[:, None] * (t / size)) / np.sqrt(t * (size - t) / size) / scale
        best = np.argmax(stat, axis=1)
        value = stat[np.arange(starts.size), best]
        keep = value >= critical_level(size, min_size, alpha)
        found_stat.append(value[keep])
        found_at.append(starts[keep] + t[best[keep]])
    stats, where = np.concatenate(found_stat), np.concatenate(found_at)
    taken = np.zeros(length + 1, dtype=bool)
    chosen = []
    for position in where[np.argsort(-stats, kind="stable")]:
        low, high = max(0, position - min_size + 1), position + min_size
        if not taken[low:high].any():
            taken[position] = True
            chosen.append(int(position))
    return sorted(chosen)
