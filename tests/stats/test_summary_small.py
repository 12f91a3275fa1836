"""Samples of up to SMALL_SAMPLE values are summarised without numpy: the summary must
be numpy's, bit for bit (a fast path may not change a figure)."""

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
    return [
        [draws[i % len(draws)]() for _ in range(rng.randint(1, summary.SMALL_SAMPLE))]
        for i in range(3000)
    ]


def test_small_samples_summarised_as_numpy_does(monkeypatch: pytest.MonkeyPatch) -> None:
    samples = _samples()
    assert {len(values) for values in samples} == set(range(1, summary.SMALL_SAMPLE + 1))
    fast = [summary.summarize(values) for values in samples]
    monkeypatch.setattr(summary, "SMALL_SAMPLE", 0)  # every sample through numpy
    assert [summary.summarize(values) for values in samples] == fast
