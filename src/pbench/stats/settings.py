"""The comparison settings: how sure a verdict must be and how large a difference must
be to count, with their defaults named once (the CLI's ``--alpha 5%`` and
``--threshold 1%``, a suite's benchmarks, ``pbench compare``, ``--baseline``)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_ALPHA = 0.05  # significance level of a comparison (after Holm's adjustment)
DEFAULT_THRESHOLD = 0.01  # differences smaller than this (a fraction) count as noise
DEFAULT_RESAMPLES = 10_000  # bootstrap resamples of a confidence interval
DEFAULT_STATISTIC = "median"


@dataclass(frozen=True)
class Settings:
    """How benchmarks are compared: ``alpha``, ``threshold``, the per-run ``statistic``
    compared, and the bootstrap's ``seed`` and ``resamples``."""

    alpha: float = DEFAULT_ALPHA
    threshold: float = DEFAULT_THRESHOLD
    statistic: str = DEFAULT_STATISTIC
    seed: int = 0
    resamples: int = DEFAULT_RESAMPLES


DEFAULTS = Settings()
