"""The latency histogram on known data: precision, quantiles, merging, pickling."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from pbench.load.histogram import MAX_VALUE, SIZE, LatencyHistogram, bucket_indices


def test_small_values_are_exact_and_quantiles_follow_hdr_convention() -> None:
    h = LatencyHistogram()
    h.record_many(list(range(1, 1001)))
    assert h.total == 1000
    assert (h.min, h.max) == (1, 1000)
    assert h.quantiles([0.0, 0.5, 0.9, 0.999, 1.0]) == [1.0, 500.0, 900.0, 999.0, 1000.0]
    assert h.mean == pytest.approx(500.5)
    assert h.stddev == pytest.approx(np.std(np.arange(1, 1001), ddof=1))


def test_three_significant_digits_over_the_whole_range() -> None:
    rng = np.random.default_rng(7)
    values = np.exp(rng.uniform(np.log(2048), np.log(MAX_VALUE), 200_000)).astype(np.int64)
    h = LatencyHistogram()
    h.record_many(values)
    for q in (0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999):
        exact = float(np.quantile(values, q, method="inverted_cdf"))
        assert abs(h.quantiles([q])[0] - exact) <= exact / 1000
    assert h.mean == pytest.approx(values.mean(), rel=1e-12)
    assert h.stddev == pytest.approx(values.std(ddof=1), rel=1e-3)


def test_bucket_layout_is_continuous_and_fixed_size() -> None:
    values = np.array([0, 1, 2047, 2048, 2049, 4095, 4096, MAX_VALUE], dtype=np.int64)
    indices = bucket_indices(values).tolist()
    assert indices[:4] == [0, 1, 2047, 2048]
    assert indices[4] == 2048  # 2048 and 2049 share a 2-ns-wide bucket
    assert indices[-1] == SIZE - 1


def test_out_of_range_values_are_clamped_and_counted() -> None:
    h = LatencyHistogram()
    h.record_many([-5, MAX_VALUE + 10])
    assert h.saturated == 1
    assert (h.min, h.max) == (0, MAX_VALUE)


def test_merging_equals_recording_everything_in_one() -> None:
    rng = np.random.default_rng(3)
    a = rng.lognormal(12, 1, 10_000).astype(np.int64)
    b = rng.lognormal(14, 0.5, 5_000).astype(np.int64)
    one, left, right = LatencyHistogram(), LatencyHistogram(), LatencyHistogram()
    one.record_many(np.concatenate([a, b]))
    left.record_many(a)
    right.record_many(b)
    merged = pickle.loads(pickle.dumps(left))  # the way workers send it back
    merged += pickle.loads(pickle.dumps(right))
    qs = [0.0, 0.1, 0.5, 0.9, 0.99, 1.0]
    assert merged.total == one.total == 15_000
    assert merged.quantiles(qs) == one.quantiles(qs)
    assert (merged.min, merged.max, merged.sum) == (one.min, one.max, one.sum)


def test_empty_histogram_refuses_quantiles() -> None:
    with pytest.raises(ValueError):
        LatencyHistogram().quantiles([0.5])
