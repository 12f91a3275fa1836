"""Where a series most likely changes: the e-divisive energy statistic of Matteson &
James, "A Nonparametric Approach for Multiple Change Point Analysis of Multivariate
Data", JASA 109 (2014), for one-dimensional values and exponent 1.

For a segment ``x[s:e]`` and a split into X = ``x[s:τ]`` (n values) and
Y = ``x[τ:κ]`` (k values, κ ≤ e):

    Ê(X, Y) = 2/(n·k) Σ|Xᵢ − Yⱼ| − 2/(n(n−1)) Σ_{i<j}|Xᵢ − Xⱼ| − 2/(k(k−1)) Σ_{i<j}|Yᵢ − Yⱼ|
    Q̂(X, Y) = n·k/(n + k) · Ê(X, Y)

Ê estimates the energy distance between the two distributions (zero exactly when they
are equal), so Q̂ reacts to any change of distribution, not only of the mean, and a
lone outlier adds about as much to the between-sides term as to its own side's
within term. The candidate is the τ of the (τ, κ) that maximises Q̂ with both sides
at least ``min_size`` long (M&J §3.1: letting κ end before e finds a change that a
later change in the other direction would otherwise hide).

Cost: the absolute differences of all pairs and their two-dimensional prefix sums,
O(N²) once per series (N = 500: 250 000 cells, a few milliseconds); every block sum is
then four look-ups, so one segment's whole (τ, κ) grid is O(L²) vectorised numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Split:
    """The best split of a segment: X = [start, index), Y = [index, end_of_y)."""

    index: int
    end_of_y: int
    q_hat: float


def pair_sums(values: FloatArray) -> FloatArray:
    """S[i, j] = Σ_{a<i, b<j} |x_a − x_b|, shape (N + 1, N + 1)."""
    import numpy as np

    n = values.size
    sums = np.zeros((n + 1, n + 1), dtype=np.float64)
    distances = np.abs(values[:, None] - values[None, :])
    np.cumsum(distances, axis=0, out=sums[1:, 1:])
    np.cumsum(sums[1:, 1:], axis=1, out=sums[1:, 1:])
    return sums


def best_split(sums: FloatArray, start: int, end: int, min_size: int) -> Split | None:
    """The (τ, κ) maximising Q̂ inside [start, end) (see the module); None when the
    segment is too short for two sides of ``min_size`` (at least 2) values."""
    import numpy as np

    size = max(min_size, 2)
    if end - start < 2 * size:
        return None
    taus = np.arange(start + size, end - size + 1)[:, None]
    kappas = np.arange(start + 2 * size, end + 1)[None, :]
    valid = kappas - taus >= size
    kappas_safe = np.where(valid, kappas, end)

    def block(a: npt.ArrayLike, b: npt.ArrayLike, c: npt.ArrayLike, d: npt.ArrayLike) -> FloatArray:
        result: FloatArray = sums[b, d] - sums[a, d] - sums[b, c] + sums[a, c]
        return result

    n = (taus - start).astype(np.float64)
    k = (kappas_safe - taus).astype(np.float64)
    between = block(start, taus, taus, kappas_safe)
    within_x = block(start, taus, start, taus)  # each pair twice
    within_y = block(taus, kappas_safe, taus, kappas_safe)
    energy = 2 * between / (n * k) - within_x / (n * (n - 1)) - within_y / (k * (k - 1))
    q_hat = np.where(valid, n * k / (n + k) * energy, -np.inf)
    row, column = np.unravel_index(int(np.argmax(q_hat)), q_hat.shape)
    return Split(
        int(taus[row, 0]), int(kappas_safe[row, column]), float(q_hat[row, column])
    )
