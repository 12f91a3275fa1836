"""The comparison settings: how sure a verdict must be and how large a difference must
be to count, with their defaults named once (the CLI's ``--alpha 5%`` and
``--threshold 1%``, a suite's benchmarks, ``pbench compare``, ``--baseline``)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_ALPHA = 0.05  # significance level of a comparison (after Holm's adjustment)
DEFAULT_THRESHOLD = 0.01  # differences smaller than this (a fraction) count as noise
# Instruction and cycle counts (--measure instructions|cycles) repeat to about 0.02% (a
# Python process tree; a C binary's exactly): timing's 1% would call a 1% change in the
# work done (0.98% of a program's whole count) the same. Their default is 0.1%, five
# times the counts' own spread; a --threshold given applies as given.
COUNT_THRESHOLD = 0.001
# Two separate invocations of the same command, one result file each (pbench compare
# A.json B.json, --baseline): the machine changes between them by more than 1%. A/A
# trials on the idle 2-core machine (scripts/compare_trials.py --verdicts, sleep 0.005,
# 20 runs a file): the ratio of medians of separate invocations moved by 2.5% (median),
# 4.5% (p95), 5.5% at most. Their default is 5%, as asv's compare defaults to a factor
# of 1.1: beyond the run-to-run change of a quiet machine. Counts keep COUNT_THRESHOLD.
ONE_RUN_EACH_THRESHOLD = 0.05
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
    # whether ``threshold`` was chosen (--threshold, or by whoever built these) rather
    # than defaulted (:func:`settings_with` of no --threshold, :data:`DEFAULTS`)
    threshold_given: bool = True

    def threshold_for(self, measure: str, one_run_each: bool = False) -> float:
        """The noise threshold of a comparison of ``measure``'s figures: the one given,
        else the default (:func:`threshold_for`)."""
        given = self.threshold if self.threshold_given else None
        return threshold_for(given, measure, one_run_each)


def threshold_for(given: float | None, measure: str, one_run_each: bool = False) -> float:
    """``given`` (a --threshold), else :data:`COUNT_THRESHOLD` for counts (instructions,
    cycles), :data:`ONE_RUN_EACH_THRESHOLD` for times of one separate run per side, and
    :data:`DEFAULT_THRESHOLD` for other times."""
    if given is not None:
        return given
    if measure in ("instructions", "cycles"):
        return COUNT_THRESHOLD
    return ONE_RUN_EACH_THRESHOLD if one_run_each else DEFAULT_THRESHOLD


def settings_with(
    *, alpha: float, threshold: float | None, seed: int = 0, statistic: str = DEFAULT_STATISTIC
) -> Settings:
    """Settings from flags whose ``threshold`` is None when not given."""
    return Settings(
        alpha=alpha,
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
        threshold_given=threshold is not None,
        statistic=statistic,
        seed=seed,
    )


DEFAULTS = Settings(threshold_given=False)
