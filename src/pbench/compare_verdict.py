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
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from pbench.compare import Comparison

Verdict = Literal["slower", "faster", "same", "inconclusive"]

# Below this many runs on either side no verdict is given: a bootstrap of 3 values
# has too few distinct resamples to mean anything.
MIN_RUNS = 5


def verdict_for(c: Comparison) -> tuple[Verdict, str | None]:
    """The verdict from the interval, the threshold and the (adjusted) p-value."""
    low, high = c.ratio_ci
    upper, lower = 1.0 + c.threshold, 1.0 - c.threshold
    runs = min(c.n_reference, c.n_candidate)
    if runs < MIN_RUNS:
        return "inconclusive", (
            f"only {runs} run(s) of '{c.name if c.n_candidate == runs else c.reference}'; "
            f"a verdict needs at least {MIN_RUNS} runs per command: use --runs 10 or more"
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
    return "inconclusive", _advice(c, low, high)


def _advice(c: Comparison, low: float, high: float) -> str:
    interval = f"the {c.confidence:.0%} interval [{low:.4f}, {high:.4f}] of the {c.statistic} ratio"
    limit = f"±{c.threshold:.2%}".replace(".00%", "%")
    if low > 1.0 + c.threshold or high < 1.0 - c.threshold:
        p = "p" if c.p_adjusted == c.p_value else "Holm-adjusted p"
        return (
            f"{interval} lies beyond the {limit} noise threshold, but {p} = "
            f"{c.p_adjusted:.3g} is not below alpha = {c.alpha:g}; run more "
            f"(--runs {2 * max(c.n_reference, c.n_candidate)}) or use --precision 1%"
        )
    half_width = (high - low) / 2.0
    distance = abs((low + high) / 2.0 - 1.0)
    margin = abs(distance - c.threshold)
    base = f"{interval} straddles the {limit} noise threshold"
    if margin < half_width / 10.0:
        return (
            f"{base}; the change sits right at the threshold, so only many more runs "
            "can decide: pick a --threshold that matters to you, or use --precision 0.5%"
        )
    runs = math.ceil(max(c.n_reference, c.n_candidate) * (half_width / margin) ** 2 * 1.2)
    precision = _nice_fraction(margin * math.sqrt(2.0))
    return (
        f"{base}; about {runs} runs per command should decide it: "
        f"use --runs {runs} or --precision {precision}"
    )


def _nice_fraction(fraction: float) -> str:
    """The largest of 5%, 2%, 1%, 0.5%, ... not above ``fraction``, as text."""
    for step in (0.05, 0.02, 0.01, 0.005, 0.002, 0.001):
        if step <= fraction:
            return f"{step * 100:g}%"
    return "0.1%"
