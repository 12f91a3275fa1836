"""How surprising a split of a segment is, were the segment free of change: the largest
standardised rank-sum over every split position, and its p-value.

For a segment of L values with mid-ranks r (ties share their average rank), the rank
sum of the first t values, centred, is S(t) = Σ_{i<t} (rᵢ − (L + 1)/2); under
exchangeability (no change) its variance is t(L − t)(L + 1)/12 · (1 − Σ(c³ − c)/(L³ − L))
(c the sizes of the groups of ties), so

    Z(t) = |S(t)| / √Var S(t)

is the standardised Mann-Whitney (Wilcoxon rank-sum) statistic of ``x[:t]`` against
``x[t:]``, comparable across positions. The p-value of a split at τ is the chance that
the *largest* Z(t), over min_size ≤ t ≤ L − min_size, reaches the observed Z(τ) in a
segment without change: :func:`pbench.stats.scan_tail.split_tail` (the tail of a scan
of partial sums, to which the rank scan converges). Comparing against the maximum pays
for the search that chose τ, so a change-free segment is split with probability at
most about α whatever its length; ranks make the test deaf to a lone outlier's size
and to the shape of the noise (Pettitt, "A non-parametric approach to the change-point
problem", Applied Statistics 28, 1979, uses the same statistic unstandardised). The
rank scan's largest value is bounded (all large ranks on one side), so on short
segments the approximation overstates p: the test errs towards "no change".

Cost: a sort and a cumulative sum, O(L log L); no permutation, any level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pbench.stats.scan_tail import split_tail

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]


def midranks(values: FloatArray) -> FloatArray:
    """Ranks 1..n, ties given the average of the ranks they span."""
    import numpy as np

    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    average: FloatArray = (np.cumsum(counts) - (counts - 1) / 2.0)[inverse]
    return average


def tie_factor(values: FloatArray) -> float:
    """1 − Σ(c³ − c)/(L³ − L): how much ties shrink the rank sum's variance."""
    import numpy as np

    length = values.size
    if length < 2:
        return 0.0
    _, counts = np.unique(values, return_counts=True)
    c = counts.astype(np.float64)
    return float(1.0 - np.sum(c**3 - c) / (float(length) ** 3 - length))


def scan(values: FloatArray, min_size: int) -> FloatArray:
    """Z(t) of the module for t = min_size .. L − min_size (zeros when every value is
    the same)."""
    import numpy as np

    length = values.size
    t = np.arange(min_size, length - min_size + 1)
    ties = tie_factor(values)
    if ties <= 0 or t.size == 0:
        return np.zeros(max(t.size, 0))
    centred = np.cumsum(midranks(values) - (length + 1) / 2.0)
    result: FloatArray = np.abs(centred[t - 1]) / np.sqrt(
        t * (length - t) * (length + 1) / 12 * ties
    )
    return result


def split_p_value(values: FloatArray, index: int, min_size: int) -> float:
    """p-value of splitting ``values`` before ``index`` (see the module)."""
    length = values.size
    if index < min_size or length - index < min_size:
        raise ValueError("the split leaves a side shorter than min_size")
    observed = float(scan(values, min_size)[index - min_size])
    return split_tail(observed, length, min_size)
