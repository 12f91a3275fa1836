"""The noise of a history from one commit to the next, and its values with lone
outliers tamed: what the change-point search (:mod:`pbench.stats.changepoint`) measures
steps and slopes against.

- Scale: from the differences of consecutive values, which a step or a slow drift
  hardly touches (a step is one large difference, a drift a tiny shift of all): the
  root mean square of the smallest ``KEEP`` (90%) of them, divided by its expectation
  under Gaussian noise (the mean of a squared standard normal below its 95th
  percentile of |z|, 0.6230) and by √2 (a difference holds two values' noise). Cutting
  the largest tenth leaves a few steps and spikes out; keeping the rest is about twice
  as efficient as the median absolute difference.
- Tamed values: each value's distance from the running median of five (the value and
  two on either side, the ends repeated) clipped to ``CLIP`` (3) noise scales. A spike
  of one or two commits is brought back near its neighbours; a step, which the running
  median follows, is not touched. Only the least-squares parts of the search (where a
  candidate split lies, how a piece is fitted) use them; the tests use ranks of the
  values themselves.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

KEEP = 0.9
TRIMMED_MEAN_SQUARE = 0.6230154846  # E[Z² | |Z| ≤ 1.6449] for a standard normal Z
CLIP = 3.0
RUNNING = 5
SCALE_FLOOR = 1e-12  # relative to the largest |value|: the scale of a constant series


def noise_scale(values: FloatArray) -> float:
    """The noise's standard deviation from one value to the next (see the module);
    a tiny positive floor for constant series."""
    import numpy as np

    floor = SCALE_FLOOR * max(float(np.max(np.abs(values))) if values.size else 0.0, 1e-300)
    if values.size < 3:
        return floor
    squares = np.sort(np.diff(values) ** 2)
    kept = squares[: max(1, int(KEEP * squares.size))]
    return max(math.sqrt(float(np.mean(kept)) / TRIMMED_MEAN_SQUARE / 2.0), floor)


def running_median(values: FloatArray, width: int = RUNNING) -> FloatArray:
    """The median of each value and its width // 2 neighbours on either side."""
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view

    half = width // 2
    if values.size == 0:
        return values.copy()
    padded = np.concatenate([np.full(half, values[0]), values, np.full(half, values[-1])])
    result: FloatArray = np.median(sliding_window_view(padded, width), axis=1)
    return result


def tamed(values: FloatArray, scale: float, clip: float = CLIP) -> FloatArray:
    """``values`` with lone outliers pulled to ``clip`` scales of their neighbours."""
    import numpy as np

    base = running_median(values)
    result: FloatArray = base + np.clip(values - base, -clip * scale, clip * scale)
    return result
