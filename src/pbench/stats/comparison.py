"""Comparing benchmarks: ratios with confidence intervals, significance, and a verdict.

``ratio = candidate / reference``: above 1 the candidate is slower. The verdict reads
the interval of the chosen statistic (median by default) against a practical noise
threshold and the Mann-Whitney p-value (Holm-adjusted when several comparisons are
made at once):

- *slower* / *faster*: p < alpha and the whole interval lies above 1 + threshold /
  below 1 − threshold;
- *same*: the whole interval lies within [1 − threshold, 1 + threshold];
- *inconclusive*: anything else, with advice on how many runs should decide it.

The interval is the (1 − alpha) bootstrap percentile interval, 95% at the default
alpha (Efron & Tibshirani 1993, §13.3); the test is Mann & Whitney (1947); the
family-wise correction is Holm (1979). See :mod:`pbench.stats.resampling` for formulas.

Several separate runs per side (:func:`compare_runs`) are compared with a two-level
bootstrap (runs, then slices) and a t-test on per-run statistics instead, so that the
variation between runs is in the interval and the test (:mod:`pbench.stats.hierarchy`).
A comparison of one load run with one other (``run_to_run_missing``) is never given a
verdict: its interval holds the noise within each run but not the change of the
machine between them, which routinely exceeds the effect being measured.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pbench.errors import UsageError
from pbench.stats.aggregate import Aggregate
from pbench.stats.resampling import (
    Kind,
    contrast,
    holm_adjust,
    mann_whitney_p,
    percentile_interval,
    seeded_bootstraps,
)
from pbench.stats.settings import DEFAULT_ALPHA, DEFAULT_RESAMPLES, DEFAULT_THRESHOLD
from pbench.stats.verdict import MIN_RUNS, Verdict, verdict_for

__all__ = [
    "MIN_RUNS",
    "Comparison",
    "Verdict",
    "adjust_family",
    "compare_aggregates",
    "compare_many",
    "compare_paired",
    "compare_runs",
    "compare_samples",
    "contrast_replicates",
    "contrast_run_replicates",
    "verdict_for",
]

Statistic = Literal["median", "mean"]


# With several runs per side, fewer than this many on either side give no verdict: a
# bootstrap over 2 runs cannot reach past them, and a variance from 2 values is crude.
MIN_RESULT_FILES = 3


@dataclass(frozen=True)
class Comparison:
    """One candidate against the reference. Ratios are candidate / reference."""

    name: str
    reference: str
    ratio_median: float
    ratio_median_ci: tuple[float, float]
    ratio_mean: float
    ratio_mean_ci: tuple[float, float]
    p_value: float
    p_adjusted: float
    verdict: Verdict
    statistic: Statistic
    threshold: float
    alpha: float
    n_reference: int
    n_candidate: int
    advice: str | None
    resamples: int = DEFAULT_RESAMPLES
    seed: int = 0
    unit: str = "runs"  # what n_reference/n_candidate count: "runs", or "slices" of runs
    # Separate runs (result files) per side; n_reference/n_candidate count their slices.
    runs_reference: int = 1
    runs_candidate: int = 1
    hierarchical: bool = False
    # Rounds of an interleaved run: each round's reference and candidate values are a
    # pair, resampled together and tested with Wilcoxon's signed-rank test.
    paired: bool = False
    # One load run against one other: run-to-run variation is not in the interval.
    run_to_run_missing: bool = False
    interval_confidence: float | None = None  # the expanded percentile level used
    # One command file per side: the log-sd added for the shift between the two runs,
    # estimated from each run's time-block drift (:mod:`pbench.stats.drift`).
    between_run_allowance: float | None = None
    # Either side held only aggregates (mean, sd, n): Welch's t-test on the means
    # (pbench.stats.aggregate), the mean the only statistic.
    aggregates: bool = False

    @property
    def ratio(self) -> float:
        """The ratio of the statistic the verdict is based on."""
        return self.ratio_median if self.statistic == "median" else self.ratio_mean

    @property
    def ratio_ci(self) -> tuple[float, float]:
        return self.ratio_median_ci if self.statistic == "median" else self.ratio_mean_ci

    @property
    def confidence(self) -> float:
        return 1.0 - self.alpha

    def describe(self) -> str:
        """One line for a summary: "'b' is 1.52 [1.49, 1.55] times slower than 'a' ..."."""
        low, high = self.ratio_ci
        if self.ratio >= 1.0:
            factor, bounds, word = self.ratio, (low, high), "slower"
        else:
            factor, bounds, word = 1.0 / self.ratio, (1.0 / high, 1.0 / low), "faster"
        return (
            f"'{self.name}' is {factor:.3f} [{bounds[0]:.3f}, {bounds[1]:.3f}] times {word} "
            f"than '{self.reference}' ({self.statistic}, {self.confidence:.0%} CI, "
            f"p = {self.p_adjusted:.3g}): {self.verdict}"
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: tuples become lists, non-finite floats become None."""
        return {
            "name": self.name,
            "reference": self.reference,
            "ratio_median": _finite(self.ratio_median),
            "ratio_median_ci": [_finite(v) for v in self.ratio_median_ci],
            "ratio_mean": _finite(self.ratio_mean),
            "ratio_mean_ci": [_finite(v) for v in self.ratio_mean_ci],
            "p_value": self.p_value,
            "p_adjusted": self.p_adjusted,
            "verdict": self.verdict,
            "statistic": self.statistic,
            "threshold": self.threshold,
            "alpha": self.alpha,
            "confidence": self.confidence,
            "n_reference": self.n_reference,
            "n_candidate": self.n_candidate,
            "unit": self.unit,
            "runs_reference": self.runs_reference,
            "runs_candidate": self.runs_candidate,
            "slices_reference": self.n_reference,
            "slices_candidate": self.n_candidate,
            "run_to_run_in_interval": not self.run_to_run_missing,
            "between_run_allowance": self.between_run_allowance,
            "advice": self.advice,
            "method": self._method(),
        }

    def _method(self) -> dict[str, Any]:
        if self.aggregates:
            return {
                "interval": "ratio of means, delta method on the log scale at Welch's "
                "degrees of freedom (from mean, sd and n: one side holds only aggregates)",
                "test": "Welch's t-test on the means, two-sided",
                "adjustment": "Holm",
            }
        if self.paired:
            return {
                "interval": "bootstrap percentile, rounds resampled in pairs",
                "resamples": self.resamples,
                "seed": self.seed,
                "test": "Wilcoxon signed-rank on the paired differences, two-sided, normal "
                "approximation with tie and continuity corrections",
                "adjustment": "Holm",
            }
        if not self.hierarchical:
            interval = "bootstrap percentile, samples resampled independently"
            if self.run_to_run_missing:
                interval += " (slices of one run per side: run-to-run variation not included)"
            elif self.between_run_allowance is not None:
                interval += (
                    ", widened in log units by z times the runs' time-block drift "
                    "(between-run change estimated from within-run drift)"
                )
            return {
                "interval": interval,
                "resamples": self.resamples,
                "seed": self.seed,
                "test": "Mann-Whitney U, two-sided, normal approximation "
                "with tie and continuity corrections",
                "adjustment": "Holm",
            }
        return {
            "interval": "hierarchical bootstrap: runs, then slices",
            "statistic": f"mean over runs of each run's {self.statistic} of its slices",
            "percentile_level": self.interval_confidence,
            "reference": "Kalibera & Jones 2013; expanded percentile, Hesterberg 2015",
            "resamples": self.resamples,
            "seed": self.seed,
            "test": f"Student t, pooled variance, two-sided, on the logs of per-run "
            f"{self.statistic}s ({self.runs_reference + self.runs_candidate - 2} df)",
            "adjustment": "Holm",
        }


def compare_samples(
    reference: Sequence[float],
    candidate: Sequence[float],
    *,
    name: str,
    reference_name: str,
    alpha: float = DEFAULT_ALPHA,
    threshold: float = DEFAULT_THRESHOLD,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    statistic: str = "median",
    unit: str = "runs",
) -> Comparison:
    """Compare one candidate sample with the reference sample (times, any unit).

    Each value must be one independent observation: a run, or one value per slice of
    runs that share a moment (``unit="slices"``; see :func:`pbench.stats.summary.slice_values`).
    """
    _check_options(alpha, threshold, resamples, statistic)
    _check_sample(reference, reference_name)
    _check_sample(candidate, name)
    ratios = contrast_replicates(
        reference, candidate, ("median", "mean"), "ratio", resamples=resamples, seed=seed
    )
    p_value = mann_whitney_p(reference, candidate)
    return _judged(
        reference, candidate, ratios, p_value, name=name, reference_name=reference_name,
        alpha=alpha, threshold=threshold, resamples=resamples, seed=seed,
        statistic=statistic, unit=unit, paired=False,
    )  # fmt: skip


def _judged(
    reference: Sequence[float],
    candidate: Sequence[float],
    ratios: Mapping[str, Any],
    p_value: float,
    *,
    name: str,
    reference_name: str,
    alpha: float,
    threshold: float,
    resamples: int,
    seed: int,
    statistic: str,
    unit: str,
    paired: bool,
) -> Comparison:
    """The comparison of two samples from their ratio replicates and p-value."""
    confidence = 1.0 - alpha
    comparison = Comparison(
        name=name,
        reference=reference_name,
        ratio_median=_point_ratio(reference, candidate, "median"),
        ratio_median_ci=percentile_interval(ratios["median"], confidence),
        ratio_mean=_point_ratio(reference, candidate, "mean"),
        ratio_mean_ci=percentile_interval(ratios["mean"], confidence),
        p_value=p_value,
        p_adjusted=p_value,
        verdict="inconclusive",
        statistic="mean" if statistic == "mean" else "median",
        threshold=threshold,
        alpha=alpha,
        n_reference=len(reference),
        n_candidate=len(candidate),
        advice=None,
        resamples=resamples,
        seed=seed,
        unit=unit,
        paired=paired,
    )
    return _decide(comparison)


PAIRED_SHARE = 0.8  # pairs must cover this share of both samples to be used


def compare_paired(
    reference: Mapping[int, float],
    candidate: Mapping[int, float],
    *,
    name: str,
    reference_name: str,
    alpha: float = DEFAULT_ALPHA,
    threshold: float = DEFAULT_THRESHOLD,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    statistic: str = "median",
    unit: str = "runs",
) -> Comparison:
    """Compare two benchmarks measured in the same interleaved rounds (round → value).

    In interleaved order each round holds one run (or one slice) of every benchmark,
    close together in time and in random order: whatever the machine did during that
    round (a CPU frequency step, a loopback round trip at 14 µs or 100 µs) touched
    both. Pairing by round takes that out of the comparison instead of letting it
    widen both samples: the bootstrap resamples rounds (both values together) and the
    test is Wilcoxon's signed-rank on the per-round differences. The point estimates
    are those of :func:`compare_samples`. When the rounds do not pair up (sequential
    order, a benchmark stopped early), this is :func:`compare_samples`.
    """
    import numpy as np

    from pbench.stats.resampling import paired_ratio_replicates, signed_rank_p

    rounds = sorted(set(reference) & set(candidate))
    enough = len(rounds) >= PAIRED_SHARE * max(len(reference), len(candidate))
    if not enough or len(rounds) < MIN_RUNS:
        return compare_samples(
            list(reference.values()), list(candidate.values()), name=name,
            reference_name=reference_name, alpha=alpha, threshold=threshold,
            resamples=resamples, seed=seed, statistic=statistic, unit=unit,
        )  # fmt: skip
    _check_options(alpha, threshold, resamples, statistic)
    ref = [reference[k] for k in rounds]
    cand = [candidate[k] for k in rounds]
    _check_sample(ref, reference_name)
    _check_sample(cand, name)
    ratios = paired_ratio_replicates(ref, cand, resamples, np.random.default_rng(seed))
    p_value = signed_rank_p([c - r for r, c in zip(ref, cand, strict=True)])
    return _judged(
        ref, cand, ratios, p_value, name=name, reference_name=reference_name, alpha=alpha,
        threshold=threshold, resamples=resamples, seed=seed, statistic=statistic, unit=unit,
        paired=True,
    )  # fmt: skip


def compare_many(
    reference_name: str,
    samples: Mapping[str, Sequence[float]],
    *,
    alpha: float = DEFAULT_ALPHA,
    threshold: float = DEFAULT_THRESHOLD,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    statistic: str = "median",
    unit: str = "runs",
    rounds: Mapping[str, Mapping[int, float]] | None = None,
) -> list[Comparison]:
    """Every other sample against ``samples[reference_name]``, in mapping order.

    With ``rounds`` (each benchmark's value per interleaved round), benchmarks measured
    in the same rounds are compared as pairs (:func:`compare_paired`). With more than
    one comparison the p-values are Holm-adjusted (Holm 1979), so the chance of any
    false *slower*/*faster* among them stays at most alpha.
    """
    if reference_name not in samples:
        raise UsageError(
            f"reference '{reference_name}' is not among the benchmarks",
            hint="name one of: " + ", ".join(f"'{n}'" for n in samples),
        )
    settings: dict[str, Any] = {
        "reference_name": reference_name, "alpha": alpha, "threshold": threshold,
        "resamples": resamples, "seed": seed, "statistic": statistic, "unit": unit,
    }  # fmt: skip
    paired = rounds is not None and reference_name in rounds

    def one(name: str, values: Sequence[float]) -> Comparison:
        if paired and rounds is not None and name in rounds:
            return compare_paired(rounds[reference_name], rounds[name], name=name, **settings)
        return compare_samples(samples[reference_name], values, name=name, **settings)

    return adjust_family(
        [one(name, values) for name, values in samples.items() if name != reference_name]
    )


def compare_runs(
    reference: Sequence[Sequence[float]],
    candidate: Sequence[Sequence[float]],
    *,
    name: str,
    reference_name: str,
    alpha: float = DEFAULT_ALPHA,
    threshold: float = DEFAULT_THRESHOLD,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    statistic: str = "median",
) -> Comparison:
    """Compare several separate runs per side (each a sequence of slice values).

    One run on both sides is :func:`compare_samples` on those runs' slices. Otherwise
    the hierarchical comparison of :mod:`pbench.stats.hierarchy`: θ per side is the
    mean over runs of each run's statistic, the interval a two-stage bootstrap (runs,
    then slices) at Hesterberg's expanded level, and the p-value a t-test on the logs
    of the per-run statistics of the chosen ``statistic``.
    """
    from pbench.stats.hierarchy import run_t_test_p, side_statistic
    from pbench.stats.resampling import statistic_of

    if len(reference) == 1 and len(candidate) == 1:
        return compare_samples(
            reference[0], candidate[0], name=name, reference_name=reference_name, alpha=alpha,
            threshold=threshold, resamples=resamples, seed=seed, statistic=statistic,
        )  # fmt: skip
    _check_options(alpha, threshold, resamples, statistic)
    for runs, label in ((reference, reference_name), (candidate, name)):
        if not runs:
            raise UsageError(f"'{label}' has no runs to compare", hint="pass its result files")
        for run in runs:
            _check_sample(run, label)
    ratios, level, used = contrast_run_replicates(
        reference, candidate, ("median", "mean"), "ratio", alpha=alpha,
        resamples=resamples, seed=seed,
    )  # fmt: skip
    chosen: Statistic = "mean" if statistic == "mean" else "median"
    p_value = run_t_test_p(
        [statistic_of(run, chosen) for run in reference],
        [statistic_of(run, chosen) for run in candidate],
    )
    point = {
        s: _ratio_of(side_statistic(reference, s), side_statistic(candidate, s))
        for s in ("median", "mean")
    }
    comparison = Comparison(
        name=name,
        reference=reference_name,
        ratio_median=point["median"],
        ratio_median_ci=percentile_interval(ratios["median"], level),
        ratio_mean=point["mean"],
        ratio_mean_ci=percentile_interval(ratios["mean"], level),
        p_value=p_value,
        p_adjusted=p_value,
        verdict="inconclusive",
        statistic=chosen,
        threshold=threshold,
        alpha=alpha,
        n_reference=sum(len(run) for run in reference),
        n_candidate=sum(len(run) for run in candidate),
        advice=None,
        resamples=used,
        seed=seed,
        runs_reference=len(reference),
        runs_candidate=len(candidate),
        hierarchical=True,
        interval_confidence=level,
    )
    return _decide(comparison)


def contrast_run_replicates(
    reference: Sequence[Sequence[float]],
    candidate: Sequence[Sequence[float]],
    statistics: Sequence[str],
    kind: Kind,
    *,
    alpha: float = DEFAULT_ALPHA,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> tuple[dict[str, Any], float, int]:
    """Hierarchical bootstrap replicates of candidate-vs-reference, runs then slices.

    Returns (statistic → replicates, the percentile level to read them at, the number
    of replicates). With one run per side it is :func:`contrast_replicates` at 1 − alpha.
    """
    import numpy as np

    from pbench.stats.hierarchy import (
        expanded_confidence,
        hierarchical_statistics,
        resamples_for,
    )

    if len(reference) == 1 and len(candidate) == 1:
        replicates = contrast_replicates(
            reference[0], candidate[0], statistics, kind, resamples=resamples, seed=seed
        )
        return replicates, 1.0 - alpha, resamples
    level = expanded_confidence(1.0 - alpha, len(reference), len(candidate))
    count = resamples_for(level, resamples)
    rng = np.random.default_rng(seed)
    ref = hierarchical_statistics(reference, statistics, count, rng)
    cand = hierarchical_statistics(candidate, statistics, count, rng)
    return {s: contrast(ref[s], cand[s], kind) for s in statistics}, level, count


def adjust_family(comparisons: Sequence[Comparison]) -> list[Comparison]:
    """Holm-adjust the p-values of comparisons made together and redo their verdicts."""
    adjusted = holm_adjust([c.p_value for c in comparisons])
    return [
        _decide(dataclasses.replace(c, p_adjusted=p))
        for c, p in zip(comparisons, adjusted, strict=True)
    ]


def contrast_replicates(
    reference: Sequence[float],
    candidate: Sequence[float],
    statistics: Sequence[str],
    kind: Kind,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> dict[str, Any]:
    """Bootstrap replicates of candidate-vs-reference for each statistic.

    Both samples are resampled independently (Efron & Tibshirani 1993, §8.3) from one
    seeded generator; ``kind`` is ``ratio`` (candidate / reference) or ``difference``
    (candidate − reference). Returns statistic → numpy array of ``resamples`` values.
    """
    ref, cand = seeded_bootstraps([reference, candidate], statistics, resamples, seed)
    return {s: contrast(ref[s], cand[s], kind) for s in statistics}


def _point_ratio(reference: Sequence[float], candidate: Sequence[float], statistic: str) -> float:
    import numpy as np

    function = np.median if statistic == "median" else np.mean
    denominator = float(function(np.asarray(reference, dtype=np.float64)))
    numerator = float(function(np.asarray(candidate, dtype=np.float64)))
    return _ratio_of(denominator, numerator)


def _ratio_of(denominator: float, numerator: float) -> float:
    if denominator == 0.0:
        return math.inf if numerator > 0.0 else math.nan
    return numerator / denominator


def compare_aggregates(
    reference: Aggregate,
    candidate: Aggregate,
    *,
    name: str,
    reference_name: str,
    alpha: float = DEFAULT_ALPHA,
    threshold: float = DEFAULT_THRESHOLD,
) -> Comparison:
    """The candidate's mean against the reference's when either holds only aggregates:
    Welch's t-test and the ratio of means (:mod:`pbench.stats.aggregate`)."""
    from pbench.stats.aggregate import welch

    found = welch(reference, candidate, alpha)
    comparison = Comparison(
        name=name,
        reference=reference_name,
        ratio_median=math.nan,
        ratio_median_ci=(math.nan, math.nan),
        ratio_mean=found.ratio,
        ratio_mean_ci=found.ratio_ci,
        p_value=found.p_value,
        p_adjusted=found.p_value,
        verdict="inconclusive",
        statistic="mean",
        threshold=threshold,
        alpha=alpha,
        n_reference=reference.n or 0,
        n_candidate=candidate.n or 0,
        advice=None,
        resamples=0,
        aggregates=True,
    )
    return _decide(comparison)


def _untestable_advice(c: Comparison) -> str | None:
    """Why a comparison of aggregates has no test: a side without an sd or an n."""
    if not c.aggregates or math.isfinite(c.ratio_mean_ci[1]):
        return None
    return (
        "one side holds only a mean, without its standard deviation and count: no test "
        "can be made; pass files that keep per-run values, or at least mean, sd and n"
    )


def _decide(c: Comparison) -> Comparison:
    untestable = _untestable_advice(c)
    if untestable is not None:
        return dataclasses.replace(c, verdict="inconclusive", advice=untestable)
    verdict, advice = verdict_for(c)
    if c.run_to_run_missing:
        verdict, advice = "inconclusive", _one_run_each_advice(c)
    elif c.hierarchical and min(c.runs_reference, c.runs_candidate) < MIN_RESULT_FILES:
        verdict, advice = (
            "inconclusive",
            (
                f"only {min(c.runs_reference, c.runs_candidate)} result file(s) on one side; "
                f"a verdict across runs needs at least {MIN_RESULT_FILES} per side"
            ),
        )
    elif c.hierarchical and verdict == "inconclusive" and advice is not None:
        advice = _more_runs_advice(c)
    return dataclasses.replace(c, verdict=verdict, advice=advice)


def _one_run_each_advice(c: Comparison) -> str:
    low, high = c.ratio_ci
    return (
        f"one load run per side: the interval [{low:.3f}, {high:.3f}] holds the variation "
        "within each run, not between runs (a change of the machine looks like a change "
        "of the target); no verdict"
    )


def _more_runs_advice(c: Comparison) -> str:
    low, high = c.ratio_ci
    runs = max(c.runs_reference, c.runs_candidate)
    half_width = (high - low) / 2.0
    margin = abs(abs((low + high) / 2.0 - 1.0) - c.threshold)
    interval = f"the interval [{low:.4f}, {high:.4f}] across {runs} runs per side"
    if not (math.isfinite(half_width) and margin > half_width / 10.0):
        return (
            f"{interval} is centred on the ±{c.threshold:.2%} threshold; only many more "
            "result files per side can decide"
        )
    needed = max(runs + 1, math.ceil(runs * (half_width / margin) ** 2 * 1.2))
    return (
        f"{interval} cannot decide at p = {c.p_adjusted:.3g}; about {needed} result files "
        "per side should (run baseline and candidate alternately, so drift hits both alike)"
    )


def _check_options(alpha: float, threshold: float, resamples: int, statistic: str) -> None:
    if not 0.0 < alpha < 1.0:
        raise UsageError(f"alpha must be between 0 and 1, not {alpha:g}", hint="e.g. --alpha 0.05")
    if not 0.0 <= threshold < 1.0:
        raise UsageError(
            f"threshold must be between 0 and 1, not {threshold:g}", hint="e.g. --threshold 1%"
        )
    if resamples < 1000:
        raise UsageError(f"{resamples} bootstrap resamples are too few", hint="use 10000")
    if statistic not in ("median", "mean"):
        raise UsageError(f"unknown statistic {statistic!r}", hint="use median or mean")


def _check_sample(values: Sequence[float], name: str) -> None:
    if len(values) == 0:
        raise UsageError(f"'{name}' has no runs to compare", hint="run it at least 5 times")
    if not all(math.isfinite(v) and v >= 0.0 for v in values):
        raise UsageError(
            f"'{name}' has a negative or non-finite time",
            hint="times must be non-negative seconds",
        )


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None
