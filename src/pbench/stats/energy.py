"""Where a series most likely changes: the e-divisive energy statistic of Matteson &
James, "A Nonparametric Approach for Multiple Change Point Analysis of Multivariate
Data", JASA 109 (2014), for one-dimensional values and exponent 1.

For a segment ``x[s:e]`` split into X = ``x[s:τ]`` (n values) and Y = ``x[τ:e]`` (k):

    Ê(X, Y) = 2/(n·k) Σ|Xᵢ − Yⱼ| − 2/(n(n−1)) Σ_{i<j}|Xᵢ − Xⱼ| − 2/(k(k−1)) Σ_{i<j}|Yᵢ − Yⱼ|
    Q̂(X, Y) = n·k/(n + k) · Ê(X, Y)

Ê estimates the energy distance between the two distributions (zero exactly when they
are equal), so Q̂ reacts to any change of distribution, not only of the mean, and a
lone outlier adds about as much to the between-sides term as to its own side's
within term. The candidate is the τ that maximises Q̂ with both sides at least
``min_size`` long. Matteson & James also let Y end before e (a second index κ), to
find a change that a later one in the other direction would hide; on the synthetic
histories of scripts/changepoint_accuracy.py that found no more steps (recursive
splitting finds them on the next level) at three to four times the cost, so Y runs
to the end of the segment here.

Cost: the absolute differences of all pairs and their two-dimensional prefix sums,
O(N²) once per series (N = 500: 250 000 cells, a few milliseconds); every block sum is
then four look-ups, so scanning one segment is O(L) vectorised numpy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]
    Index = int | npt.NDArray[np.int64]


def pair_sums(values: FloatArray) -> FloatArray:
    """S[i, j] = Σ_{a<i, b<j} |x_a − x_b|, shape (N + 1, N + 1)."""
    import numpy as np

    n = values.size
    sums = np.zeros((n + 1, n + 1), dtype=np.float64)
    distances = np.abs(values[:, None] - values[None, :])
    np.cumsum(distances, axis=0, out=sums[1:, 1:])
    np.cumsum(sums[1:, 1:], axis=1, out=sums[1:, 1:])
    return sums


def best_split(sums: FloatArray, start: int, end: int, min_size: int) -> int | None:
    """The τ maximising Q̂ inside [start, end) (see the module), given the series'
    :func:`pair_sums`; None when the segment is too short for two sides of
    ``min_size`` (at least 2) values."""
    import numpy as np

    size = max(min_size, 2)
    if end - start < 2 * size:
        return None
    taus = np.arange(start + size, end - size + 1)

    def block(a: Index, b: Index, c: Index, d: Index) -> FloatArray:
        """Σ |x_i − x_j| over a ≤ i < b, c ≤ j < d."""
        result: FloatArray = sums[b, d] - sums[a, d] - sums[b, c] + sums[a, c]
        return result

    n = (taus - start).astype(np.float64)
    k = (end - taus).astype(np.float64)
    between = block(start, taus, taus, end)
    within_x = block(start, taus, start, taus)  # each pair twice
    within_y = block(taus, end, taus, end)
    energy = 2 * between / (n * k) - within_x / (n * (n - 1)) - within_y / (k * (k - 1))
    return int(taus[int(np.argmax(n * k / (n + k) * energy))])
