"""How surprising a split of a segment is, were the segment free of change: a
permutation test of the largest standardised rank-sum over every split position.

For a segment of L values with mid-ranks r (ties share their average rank), the rank
sum of the first t values, centred, is S(t) = Σ_{i<t} (rᵢ − (L + 1)/2); under
exchangeability (no change) its variance is proportional to t(L − t), so

    Z(t) = |S(t)| / √(t(L − t)(L + 1)/12)

is the standardised Mann-Whitney (Wilcoxon rank-sum) statistic of ``x[:t]`` against
``x[t:]``, comparable across positions (ties shrink the variance by a factor that is the
same for every t and every permutation, so their correction would change no p-value).
The p-value of a split at τ is the share of permutations of the segment whose *largest*
Z(t), over min_size ≤ t ≤ L − min_size, is at least the observed Z(τ): (1 + #{max Z* ≥
Z(τ)}) / (R + 1) (Davison & Hinkley, *Bootstrap Methods and their Application*, 1997,
§4.3). Comparing against the maximum pays for the search that chose τ, so a change-free
segment is split with probability at most α whatever its length; ranks make the test
distribution-free and deaf to a lone outlier's size (Pettitt, "A non-parametric approach
to the change-point problem", Applied Statistics 28, 1979, uses the same statistic
unstandardised).

Without ties the ranks are a permutation of 1..L, so the null distribution depends
only on (L, min_size, permutations, seed) and is cached; with ties the segment's own
mid-ranks are permuted. The shuffles of every length come from one draw of R random
orders of 0..511 (:func:`_permutations`). Cost: O(R·L) (R = 499, L = 500: about 2 ms).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

BASE_LENGTH = 512  # the random orders are drawn for lengths rounded up to this

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


def scan(ranks: FloatArray, min_size: int) -> FloatArray:
    """Z(t) for t = min_size .. L − min_size, along the last axis (rows are series)."""
    import numpy as np

    length = ranks.shape[-1]
    centred = np.cumsum(ranks - (length + 1) / 2.0, axis=-1)
    t = np.arange(min_size, length - min_size + 1)
    result: FloatArray = np.abs(centred[..., t - 1]) / np.sqrt(t * (length - t) * (length + 1) / 12)
    return result


def split_p_value(
    values: FloatArray,
    index: int,
    min_size: int,
    permutations: int,
    seed: int,
) -> float:
    """Permutation p-value of splitting ``values`` before ``index`` (see the module)."""
    import numpy as np

    length = values.size
    if index < min_size or length - index < min_size:
        raise ValueError("the split leaves a side shorter than min_size")
    ranks = midranks(values)
    observed = float(scan(ranks, min_size)[index - min_size])
    if np.unique(ranks).size == length:
        null = _untied_null(length, min_size, permutations, seed)
    else:
        null = _null(ranks, min_size, permutations, seed)
    exceeding = permutations - int(np.searchsorted(null, observed * (1 - 1e-12), side="left"))
    return (1 + exceeding) / (permutations + 1)


@lru_cache(maxsize=4)
def _permutations(permutations: int, seed: int, length: int) -> npt.NDArray[np.int32]:
    """``permutations`` rows, each a random order of 0..length − 1. Keeping only the
    entries below L, in their order, leaves a random order of 0..L − 1 in each row, so
    one draw serves every segment length up to ``length``."""
    import numpy as np

    rng = np.random.default_rng([seed, length])
    order = rng.permuted(
        np.broadcast_to(np.arange(length, dtype=np.int32), (permutations, length)), axis=1
    )
    order.flags.writeable = False
    return order


@lru_cache(maxsize=512)
def _untied_null(length: int, min_size: int, permutations: int, seed: int) -> FloatArray:
    import numpy as np

    null = _null(np.arange(1.0, length + 1.0), min_size, permutations, seed)
    null.flags.writeable = False
    return null


def _null(ranks: FloatArray, min_size: int, permutations: int, seed: int) -> FloatArray:
    """The sorted largest Z(t) of ``permutations`` shuffles of ``ranks`` (twice the
    centred mid-ranks are whole numbers, so their running sums are exact)."""
    import numpy as np

    length = ranks.size
    base = _permutations(permutations, seed, -(-length // BASE_LENGTH) * BASE_LENGTH)
    order = base[base < length].reshape(permutations, length)
    shuffled = (2 * ranks - (length + 1))[order]
    np.cumsum(shuffled, axis=1, out=shuffled)
    t = np.arange(min_size, length - min_size + 1)
    weights = 0.5 / np.sqrt(t * (length - t) * (length + 1) / 12)
    inner = np.abs(shuffled[:, min_size - 1 : length - min_size])
    null: FloatArray = np.sort((inner * weights).max(axis=1))
    return null
