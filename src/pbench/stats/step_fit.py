"""Whether a step stands out of a straight line: the test of a change point next to a
sloped piece (:mod:`pbench.stats.changepoint`), where a drift alone would make any
split of its levels look significant.

The segment's values y (tamed, :mod:`pbench.stats.noise`) are fitted by least squares
on an intercept and the run index; for every split τ the step s_τ = 1{i ≥ τ} is
projected off that line, e_τ = s_τ − P s_τ, and

    Z(τ) = e_τ·y / (σ·‖e_τ‖)

is the standardised coefficient of a step at τ beyond the line (σ the noise scale). A
drift is absorbed by the line and leaves Z near 0; a step is not a line and keeps it.
The p-value of the split at τ is the chance that the largest |Z| over all splits with
``min_size`` values on either side reaches |Z(τ)| when the segment is a line plus
noise, from the correlations of neighbouring Z (e_τ·e_{τ+1}/‖e_τ‖‖e_{τ+1}‖) by
:func:`pbench.stats.scan_tail.tail_probability`. Everything comes from cumulative sums:
O(L).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pbench.stats.scan_tail import tail_probability

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]


def step_beyond_line(segment: FloatArray, min_size: int) -> tuple[FloatArray, FloatArray]:
    """(e_τ·y / ‖e_τ‖ for τ = min_size .. L − min_size, the correlations of neighbours)."""
    import numpy as np

    n = segment.size
    t = np.arange(n, dtype=np.float64)
    centred = t - t.mean()
    q1 = centred / math.sqrt(float(centred @ centred))
    residual = segment - segment.mean() - float(q1 @ segment) * q1
    taus = np.arange(min_size, n - min_size + 1)
    tail_residual = np.cumsum(residual[::-1])[::-1]
    tail_q1 = np.cumsum(q1[::-1])[::-1]
    on_mean = (n - taus) / math.sqrt(n)
    on_slope = tail_q1[taus]
    norms = np.maximum((n - taus) - on_mean**2 - on_slope**2, 1e-300)
    z: FloatArray = tail_residual[taus] / np.sqrt(norms)
    inner = (n - taus[1:]) - (on_mean[:-1] * on_mean[1:] + on_slope[:-1] * on_slope[1:])
    adjacent: FloatArray = inner / np.sqrt(norms[:-1] * norms[1:])
    return z, adjacent


def beyond_line_p(segment: FloatArray, index: int, min_size: int, scale: float) -> float:
    """p-value of a step at ``index`` beyond a line through ``segment`` (see the
    module); 1.0 when a side is shorter than ``min_size`` or than 2 values."""
    size = max(min_size, 2)
    if index < size or segment.size - index < size:
        return 1.0
    z, adjacent = step_beyond_line(segment, size)
    return tail_probability(abs(float(z[index - size])) / scale, adjacent)
