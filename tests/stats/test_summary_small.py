"""Samples of up to SMALL_SAMPLE values (PLAIN_BEFORE_NUMPY until numpy is imported) are
summarised without numpy: the summary must be numpy's, bit for bit (a fast path may not
change a figure), at every size where numpy's summation order changes (8 values, 128,
each halving above)."""

from __future__ import annotations

import random

import pytest

from pbench.stats import summary


def _samples() -> list[list[float]]:
    rng = random.Random(27)
    draws = [
        lambda: rng.lognormvariate(-7, 1),
        lambda: rng.choice([0.001, 0.0015, 0.002]),  # ties
        lambda: rng.uniform(0, 1e3),
        lambda: float(rng.randint(0, 5)),
        lambda: rng.gauss(1e-3, 1e-5),
    ]
    sizes = [rng.randint(1, 9) for _ in range(2000)] + [rng.randint(1, 300) for _ in range(300)]
    sizes += [15, 16, 17, 127, 128, 129, 136, 255, 256, 257, 1000, 1001, 4097, 8191, 10_000]
    return [[draws[i % len(draws)]() for _ in range(n)] for i, n in enumerate(sizes)]


def test_sums_are_numpys_bit_for_bit() -> None:
    import numpy as np

    rng = random.Random(24)
    for n in [*range(1, 300), 1000, 1001, 4096, 8192, 8193, 20_000, 100_000]:
        values = [rng.lognormvariate(0, 1) * 10 ** rng.randint(-6, 0) for _ in range(n)]
        assert summary._numpy_sum(values) == float(np.add.reduce(np.asarray(values))), n


def test_small_samples_summarised_as_numpy_does(monkeypatch: pytest.MonkeyPatch) -> None:
    samples = _samples()
    assert {len(values) for values in samples} >= {*range(1, 10), 128, 129, 8191, 10_000}
    monkeypatch.setattr(summary, "SMALL_SAMPLE", 10**6)  # every sample in plain Python
    fast = [summary.summarize(values) for values in samples]
    monkeypatch.setattr(summary, "SMALL_SAMPLE", 0)  # every sample through numpy
    monkeypatch.setattr(summary, "PLAIN_BEFORE_NUMPY", 0)
    assert [summary.summarize(values) for values in samples] == fast


def test_small_samples_outliers_labelled_as_numpy_does(monkeypatch: pytest.MonkeyPatch) -> None:
    samples = [values for values in _samples() if len(values) >= 3]
    samples += [[1.0, 1.0, 1.0, 9.0], [2.0, 2.0, 2.0], [1.0, 1.1, 1.2, 50.0, 1.1]]
    monkeypatch.setattr(summary, "SMALL_SAMPLE", 10**6)
    fast = [summary.outliers(values) for values in samples]
    assert any(found.tukey_severe for found in fast) and any(found.modified_z for found in fast)
    monkeypatch.setattr(summary, "SMALL_SAMPLE", 0)
    monkeypatch.setattr(summary, "PLAIN_BEFORE_NUMPY", 0)
    assert [summary.outliers(values) for values in samples] == fast


def _severe_by_numpy(values: list[float]) -> tuple[int, ...]:
    import numpy as np

    x = np.asarray(values, dtype=np.float64)
    if x.size < 3:
        return ()
    median = float(np.median(x))
    mad = max(float(np.median(np.abs(x - median))), summary.MAD_FLOOR * abs(median))
    if mad == 0:
        return ()
    bar = summary.SEVERE_MAD_MULTIPLE * mad
    return tuple(int(i) for i in np.flatnonzero(np.abs(x - median) > bar))


def test_severe_outliers_without_numpy_are_numpys() -> None:
    rng = random.Random(24)
    samples = _samples() + [
        [rng.lognormvariate(0, 0.2) * (40 if rng.random() < 0.05 else 1) for _ in range(n)]
        for n in (8, 9, 100, 1001)
    ]
    samples += [[1.0, 1.0, 1.0, 1.0, 80.0], [0.0, 0.0, 0.0]]
    found = [summary.severe_outliers(values) for values in samples]
    assert any(found)
    assert found == [_severe_by_numpy(values) for values in samples]
