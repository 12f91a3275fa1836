"""A fixed-size, mergeable latency histogram (HdrHistogram's log-linear layout).

Values are integers in nanoseconds. Values below 2048 ns get one bucket each (exact);
above that, every power-of-two range [2^k, 2^(k+1)) is split into 1024 equal
sub-buckets, so any recorded value is known to within 1/1024 of itself (better than
3 significant digits, the same guarantee as an HdrHistogram with 3 significant
figures). The largest trackable value is 2^45 ns (about 9.8 hours); larger values are
clamped to it and counted in ``saturated``. The whole histogram is 36,864 int64
counters (288 KiB), whatever the number of values recorded.

Recording is batched: callers append raw values to a plain buffer on their hot path
and fold them in with :meth:`LatencyHistogram.record_many`, which costs a few
nanoseconds per value with numpy (the ``hdrhistogram`` package's ``record_value``
costs ~800 ns per call, too slow to call once per request).

Quantiles follow HdrHistogram's convention: the value at quantile q is the highest
value equivalent to the bucket holding the ceil(q·n)-th smallest value, clamped to the
exact recorded minimum and maximum.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

SUB_BUCKET_BITS = 10  # 1024 sub-buckets per power of two above the linear range
SUB_BUCKETS = 1 << SUB_BUCKET_BITS
MAX_BITS = 45
MAX_VALUE = (1 << MAX_BITS) - 1
SIZE = SUB_BUCKETS * (MAX_BITS - SUB_BUCKET_BITS) + SUB_BUCKETS  # 36,864 buckets


def bucket_indices(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Bucket index of each value (values already clamped to [0, MAX_VALUE])."""
    import numpy as np

    # frexp is exact here: every value < 2^45 is exactly representable as a float64.
    _, exponent = np.frexp(np.maximum(values, 1).astype(np.float64))
    shift = np.maximum(exponent.astype(np.int64) - 1 - SUB_BUCKET_BITS, 0)
    return (shift << SUB_BUCKET_BITS) + (values >> shift)


def bucket_bounds(indices: npt.NDArray[np.int64]) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Lowest value and width of each bucket index."""
    import numpy as np

    shift = np.maximum((indices >> SUB_BUCKET_BITS) - 1, 0)
    sub = indices - (shift << SUB_BUCKET_BITS)
    return sub << shift, np.left_shift(np.ones_like(shift), shift)


class LatencyHistogram:
    """Counts of nanosecond values in log-linear buckets; merge with ``+=``."""

    __slots__ = ("_counts", "max", "min", "saturated", "sum", "total")

    def __init__(self) -> None:
        self._counts: npt.NDArray[np.int64] | None = None  # allocated on first record
        self.total = 0
        self.min = 0
        self.max = 0
        self.saturated = 0
        self.sum = 0  # exact sum of the (clamped) values, for the mean

    # ----------------------------------------------------------------- recording
    def record_many(self, values: Sequence[int] | npt.NDArray[np.int64]) -> None:
        """Fold a batch of raw nanosecond values in (negative values count as 0)."""
        import numpy as np

        raw = np.asarray(values, dtype=np.int64)
        if raw.size == 0:
            return
        raw = np.maximum(raw, 0)
        over = int(np.count_nonzero(raw > MAX_VALUE))
        if over:
            self.saturated += over
            raw = np.minimum(raw, MAX_VALUE)
        counts = self._ensure_counts()
        counts += np.bincount(bucket_indices(raw), minlength=SIZE)
        low, high = int(raw.min()), int(raw.max())
        self.min = low if self.total == 0 else min(self.min, low)
        self.max = max(self.max, high)
        self.total += int(raw.size)
        self.sum += int(raw.sum())

    def _ensure_counts(self) -> npt.NDArray[np.int64]:
        import numpy as np

        if self._counts is None:
            self._counts = np.zeros(SIZE, dtype=np.int64)
        return self._counts

    def __iadd__(self, other: LatencyHistogram) -> LatencyHistogram:
        if other.total == 0:
            return self
        self._ensure_counts()[:] += other._ensure_counts()
        self.min = other.min if self.total == 0 else min(self.min, other.min)
        self.max = max(self.max, other.max)
        self.total += other.total
        self.saturated += other.saturated
        self.sum += other.sum
        return self

    def __getstate__(self) -> dict[str, Any]:
        # Sparse form for pickling between worker processes.
        import numpy as np

        state: dict[str, Any] = {
            "total": self.total,
            "min": self.min,
            "max": self.max,
            "saturated": self.saturated,
            "sum": self.sum,
        }
        counts = self._counts if self._counts is not None else np.zeros(0, dtype=np.int64)
        nonzero = np.flatnonzero(counts)
        state["indices"] = nonzero
        state["counts"] = counts[nonzero]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._counts = None
        self.total = state["total"]
        self.min = state["min"]
        self.max = state["max"]
        self.saturated = state["saturated"]
        self.sum = state["sum"]
        if len(state["indices"]):
            self._ensure_counts()[state["indices"]] = state["counts"]

    # ----------------------------------------------------------------- queries
    def buckets(self) -> tuple[npt.NDArray[Any], npt.NDArray[np.int64]]:
        """(representative value, count) of each non-empty bucket, ascending.

        The representative is the bucket's midpoint, clamped to [min, max].
        """
        import numpy as np

        counts = self._ensure_counts()
        nonzero = np.flatnonzero(counts)
        low, width = bucket_bounds(nonzero)
        middle = np.clip(low + (width - 1) / 2.0, self.min, self.max)
        return middle, counts[nonzero]

    def quantiles(self, qs: Sequence[float]) -> list[float]:
        """Values (ns) at quantiles ``qs`` in [0, 1], HdrHistogram's convention."""
        import numpy as np

        if self.total == 0:
            raise ValueError("empty histogram")
        counts = self._ensure_counts()
        nonzero = np.flatnonzero(counts)
        cumulative = np.cumsum(counts[nonzero])
        out: list[float] = []
        for q in qs:
            rank = max(1, math.ceil(min(max(q, 0.0), 1.0) * self.total))
            position = int(np.searchsorted(cumulative, rank))
            out.append(float(self.value_at_index(int(nonzero[position]))))
        return out

    def value_at_rank(self, rank: int) -> float:
        """Value (ns) of the rank-th smallest recorded value (0-based), bucket precision."""
        import numpy as np

        counts = self._ensure_counts()
        nonzero = np.flatnonzero(counts)
        cumulative = np.cumsum(counts[nonzero])
        position = int(np.searchsorted(cumulative, rank + 1))
        return float(self.value_at_index(int(nonzero[position])))

    def value_at_index(self, index: int) -> int:
        """Highest value equivalent to bucket ``index``, clamped to [min, max]."""
        import numpy as np

        low, width = bucket_bounds(np.asarray([index], dtype=np.int64))
        return int(min(max(int(low[0] + width[0] - 1), self.min), self.max))

    @property
    def mean(self) -> float:
        """Exact mean (ns) of the recorded values."""
        if self.total == 0:
            raise ValueError("empty histogram")
        return self.sum / self.total

    @property
    def stddev(self) -> float:
        """Sample standard deviation (ns), N-1 denominator, from bucket midpoints.

        Each value is off by at most 1/2048 of itself; 0 for fewer than 2 values.
        """
        import numpy as np

        if self.total < 2:
            return 0.0
        values, counts = self.buckets()
        deviation = values - self.mean
        return math.sqrt(float(np.dot(counts, deviation * deviation)) / (self.total - 1))


def to_document(histogram: LatencyHistogram) -> dict[str, Any]:
    """The histogram exactly, as JSON data: its non-empty buckets (index, count) and
    the exact total, min, max, sum and saturated count; :func:`from_document` reads it
    back. A few KB even for millions of requests."""
    state = histogram.__getstate__()
    return {
        "sub_bucket_bits": SUB_BUCKET_BITS,
        "total": int(state["total"]),
        "min": int(state["min"]),
        "max": int(state["max"]),
        "sum": int(state["sum"]),
        "saturated": int(state["saturated"]),
        "indices": [int(i) for i in state["indices"]],
        "counts": [int(c) for c in state["counts"]],
    }


def from_document(document: Any) -> LatencyHistogram:
    """A histogram from :func:`to_document`'s data; ValueError when it is not one."""
    import numpy as np

    if document.get("sub_bucket_bits") != SUB_BUCKET_BITS:
        raise ValueError(f"buckets of another layout ({document.get('sub_bucket_bits')} bits)")
    indices = np.asarray(document["indices"], dtype=np.int64)
    counts = np.asarray(document["counts"], dtype=np.int64)
    if indices.shape != counts.shape or (
        indices.size and (indices.min() < 0 or indices.max() >= SIZE)
    ):
        raise ValueError("bucket indices and counts do not match")
    if int(counts.sum()) != int(document["total"]):
        raise ValueError("the counts do not add up to the total")
    histogram = LatencyHistogram()
    histogram.__setstate__(
        {
            "total": int(document["total"]),
            "min": int(document["min"]),
            "max": int(document["max"]),
            "sum": int(document["sum"]),
            "saturated": int(document["saturated"]),
            "indices": indices,
            "counts": counts,
        }
    )
    return histogram
