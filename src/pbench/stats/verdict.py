"""The verdict of a comparison, and advice when the data cannot decide.

*slower* / *faster* need both a significant Mann-Whitney test (p < alpha after Holm's
adjustment) and an interval wholly beyond the noise threshold; *same* needs the
interval wholly within it; anything else is *inconclusive*. The advice estimates the
runs needed from the interval's half-width h and its distance m from the decision
boundary: the width of a bootstrap interval shrinks like 1/√n (Efron & Tibshirani
1993, §5.2), so about n·(h/m)² runs should separate them.
"""

from __future__ import annotations

import math
from typing import Literal, Protocol

from pbench.stats.advice import COMMAND, Remedies

Verdict = Literal["slower", "faster", "same", "inconclusive"]

# Below this many runs on either side no verdict is given: a bootstrap of 3 values
# has too few distinct resamples to mean anything.
MIN_RUNS = 5


class Evidence(Protocol):
    """What a verdict is decided from: the plain values of a comparison (a
    :class:`pbench.stats.comparison.Comparison` has them all)."""

    @property
    def name(self) -> str: ...
    @property
    def reference(self) -> str: ...
    @property
    def statistic(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def ratio(self) -> float: ...
    @property
    def ratio_ci(self) -> tuple[float, float]: ...
    @property
    def confidence(self) -> float: ...
    @property
    def threshold(self) -> float: ...
    @property
    def alpha(self) -> float: ...
    @property
    def p_value(self) -> float: ...
    @property
    def p_adjusted(self) -> float: ...
    @property
    def n_reference(self) -> int: ...
    @property
    def n_candidate(self) -> int: ...


def verdict_for(
    c: Evidence, remedies: Remedies = COMMAND, budget_spent: bool = False
) -> tuple[Verdict, str | None]:
    """The verdict from the interval, the threshold and the (adjusted) p-value.

    ``remedies`` says which flags the advice may name; ``budget_spent``: a benchmark
    stopped because --max-time ran out before --precision was met.
    """
    low, high = c.ratio_ci
    upper, lower = 1.0 + c.threshold, 1.0 - c.threshold
    runs = min(c.n_reference, c.n_candidate)
    if runs < MIN_RUNS:
        more = "a longer -d" if remedies.load else "--runs 10 or more"
        return "inconclusive", (
            f"only {runs} {c.unit} of '{c.name if c.n_candidate == runs else c.reference}'; "
            f"a verdict needs at least {MIN_RUNS} {c.unit} per benchmark: use {more}"
        )
    if not (math.isfinite(low) and math.isfinite(high) and math.isfinite(c.ratio)):
        return "inconclusive", (
            f"the ratio is undefined: the {c.statistic} of '{c.reference}' is 0; "
            "measure something longer than the clock's resolution"
        )
    significant = c.p_adjusted < c.alpha
    if significant and low > upper:
        return "slower", None
    if significant and high < lower:
        return "faster", None
    if low >= lower and high <= upper:
        return "same", None
    return "inconclusive", _advice(c, low, high, remedies, budget_spent)


def _advice(c: Evidence, low: float, high: float, remedies: Remedies, budget_spent: bool) -> str:
    interval = f"the {c.confidence:.0%} interval [{low:.4f}, {high:.4f}] of the {c.statistic} ratio"
    limit = _percent(c.threshold, prefix="±")
    most = max(c.n_reference, c.n_candidate)
    if low > 1.0 + c.threshold or high < 1.0 - c.threshold:
        p = "p" if c.p_adjusted == c.p_value else "Holm-adjusted p"
        base = (
            f"{interval} lies beyond the {limit} noise threshold, but {p} = "
            f"{c.p_adjusted:.3g} is not below alpha = {c.alpha:g}"
        )
        if budget_spent:
            return f"{base}; {_more_budget(2.0)}"
        precision = " or use --precision 1%" if remedies.precision else ""
        return f"{base}; run more ({remedies.more_data(2 * most)}){precision}"
    half_width = (high - low) / 2.0
    # How far the estimate itself (not the interval's midpoint: bootstrap intervals of
    # a ratio are skewed) lies from the threshold it must clear.
    distance = abs(c.ratio - 1.0)
    margin = abs(distance - c.threshold)
    base = f"{interval} straddles the {limit} noise threshold"
    looser = _percent(max(abs(high - 1.0), abs(1.0 - low)), round_up=True)
    if margin < half_width / 10.0:
        if budget_spent:
            return (
                f"{base}; the change (ratio {c.ratio:.3f}) sits right at the threshold: "
                f"--max-time ran out before --precision was met, and only much more time "
                f"can decide; or accept a looser --threshold {looser}"
            )
        precision = ", or use --precision 0.5%" if remedies.precision else ""
        return (
            f"{base}; the change (ratio {c.ratio:.3f}) sits right at the threshold, so only "
            f"many more {remedies.noun} can decide: pick a --threshold that matters to you"
            f"{precision}"
        )
    factor = (half_width / margin) ** 2 * 1.2
    runs = math.ceil(most * factor)
    if budget_spent:
        return f"{base}; {_more_budget(factor)}, or accept a looser --threshold {looser}"
    if remedies.load:
        return (
            f"{base}; about {factor:.1f}x as many {remedies.noun} should decide it: "
            f"measure for longer ({remedies.more_data(runs)})"
        )
    text = f"{base}; about {runs} runs per command should decide it: use {remedies.more_data(runs)}"
    if remedies.precision:
        text += f" or --precision {_nice_fraction(margin * math.sqrt(2.0))}"
    return text


def _more_budget(factor: float) -> str:
    """Advice for a benchmark whose --max-time ran out before --precision was met."""
    return (
        "--max-time ran out before --precision was met: give it about "
        f"{max(factor, 1.5):.1f}x more time (a larger --max-time)"
    )


def _percent(fraction: float, prefix: str = "", round_up: bool = False) -> str:
    """0.01 → "1%"; ``round_up`` rounds up to a tenth of a percent (a threshold that
    must cover the whole interval)."""
    value = fraction * 100
    if round_up:
        value = math.ceil(value * 10 - 1e-9) / 10
    return f"{prefix}{value:.2f}".rstrip("0").rstrip(".") + "%"


def _nice_fraction(fraction: float) -> str:
    """The largest of 5%, 2%, 1%, 0.5%, ... not above ``fraction``, as text."""
    for step in (0.05, 0.02, 0.01, 0.005, 0.002, 0.001):
        if step <= fraction:
            return f"{step * 100:g}%"
    return "0.1%"
