"""``--fail-if`` gates: pytest-benchmark-style limits on a slowdown, judged conservatively.

``median:5%`` fails when the candidate's median is more than 5% above the baseline's,
``mean:0.002`` when its mean is more than 2 ms above (a bare number is seconds; ``ms``,
``us``/``µs`` and ``ns`` suffixes are accepted), ``p95:10%`` likewise for the 95th
percentile. Any of ``min``, ``max``, ``mean``, ``median`` and ``pNN`` can be gated.

A gate is evaluated on the favourable end of the bootstrap interval of the slowdown
(the (1 − alpha) percentile interval, Efron & Tibshirani 1993, §13.3), not on the point
estimate: it fails only when even the lower bound exceeds the limit, so noise alone
fails a gate with probability at most alpha/2. With several result files per side the
interval is the hierarchical one (runs, then slices; :mod:`pbench.stats.hierarchy`)
and the estimate the mean over runs of each run's statistic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pbench.errors import UsageError
from pbench.stats.aggregate import Aggregate
from pbench.stats.comparison import contrast_run_replicates
from pbench.stats.hierarchy import side_statistic
from pbench.stats.resampling import Kind, known_statistic, percentile_interval
from pbench.stats.settings import DEFAULT_ALPHA, DEFAULT_RESAMPLES

_EXPRESSION = re.compile(
    r"^\s*(?P<stat>[a-z][a-z0-9.]*)\s*:\s*(?P<value>[0-9]*\.?[0-9]+(?:e-?[0-9]+)?)"
    r"\s*(?P<unit>%|s|ms|us|µs|ns)?\s*$",
    re.IGNORECASE,
)
_SECONDS = {None: 1.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}


@dataclass(frozen=True)
class FailIf:
    """A limit on the slowdown of ``statistic``: a fraction if ``relative``, else seconds."""

    text: str
    statistic: str
    limit: float
    relative: bool


@dataclass(frozen=True)
class GateResult:
    """One gate on one benchmark: the slowdown estimate, its lower bound, and the outcome.

    ``estimate`` and ``bound`` are fractions (0.05 = 5% slower) for relative gates and
    seconds for absolute ones.
    """

    gate: FailIf
    benchmark: str
    estimate: float
    bound: float
    failed: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "expression": self.gate.text,
            "benchmark": self.benchmark,
            "statistic": self.gate.statistic,
            "limit": self.gate.limit,
            "relative": self.gate.relative,
            "estimate": self.estimate if math.isfinite(self.estimate) else None,
            "lower_bound": self.bound if math.isfinite(self.bound) else None,
            "failed": self.failed,
        }

    def describe(self) -> str:
        outcome = "FAILED" if self.failed else "passed"
        return (
            f"--fail-if {self.gate.text} {outcome} for '{self.benchmark}': "
            f"{self.gate.statistic} change {self._show(self.estimate)}, "
            f"lower bound {self._show(self.bound)}"
        )

    def _show(self, value: float) -> str:
        return f"{value * 100:+.2f}%" if self.gate.relative else f"{value * 1e3:+.3f} ms"


def parse_fail_if(text: str) -> FailIf:
    """Parse one ``--fail-if`` expression; a bad one is a :class:`UsageError`."""
    hint = "write STAT:LIMIT, e.g. median:5%, mean:0.002 (seconds) or p95:10%"
    match = _EXPRESSION.match(text)
    if match is None:
        raise UsageError(f"--fail-if {text!r} is not an expression pbench understands", hint=hint)
    statistic = match["stat"].lower()
    if not known_statistic(statistic):
        raise UsageError(
            f"--fail-if {text!r}: unknown statistic '{statistic}'",
            hint="use min, max, mean, median or a percentile such as p95",
        )
    value = float(match["value"])
    unit = match["unit"]
    if unit == "%":
        return FailIf(text=text.strip(), statistic=statistic, limit=value / 100.0, relative=True)
    return FailIf(
        text=text.strip(),
        statistic=statistic,
        limit=value * _SECONDS[unit.lower() if unit else None],
        relative=False,
    )


def evaluate(
    gates: Sequence[FailIf],
    name: str,
    reference: Sequence[float],
    candidate: Sequence[float],
    *,
    alpha: float = DEFAULT_ALPHA,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> list[GateResult]:
    """Every gate on one benchmark pair (baseline = ``reference``)."""
    return evaluate_runs(
        gates, name, [reference], [candidate], alpha=alpha, resamples=resamples, seed=seed
    )


def evaluate_runs(
    gates: Sequence[FailIf],
    name: str,
    reference: Sequence[Sequence[float]],
    candidate: Sequence[Sequence[float]],
    *,
    alpha: float = DEFAULT_ALPHA,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> list[GateResult]:
    """Every gate on one benchmark pair given as runs (each a sequence of slice values)."""
    results: list[GateResult] = []
    kinds: tuple[tuple[Kind, bool], ...] = (("ratio", True), ("difference", False))
    for kind, relative in kinds:
        chosen = [g for g in gates if g.relative == relative]
        if not chosen:
            continue
        statistics = sorted({g.statistic for g in chosen})
        replicates, level, _ = contrast_run_replicates(
            reference, candidate, statistics, kind, alpha=alpha, resamples=resamples, seed=seed
        )
        for gate in chosen:
            low, _ = percentile_interval(replicates[gate.statistic], level)
            point = _point(reference, candidate, gate.statistic, relative)
            bound = low - 1.0 if relative else low
            results.append(
                GateResult(
                    gate=gate,
                    benchmark=name,
                    estimate=point,
                    bound=bound,
                    failed=bound > gate.limit,
                )
            )
    order = {id(g): i for i, g in enumerate(gates)}
    return sorted(results, key=lambda r: order[id(r.gate)])


def _point(
    reference: Sequence[Sequence[float]],
    candidate: Sequence[Sequence[float]],
    statistic: str,
    relative: bool,
) -> float:
    ref = side_statistic(reference, statistic)
    cand = side_statistic(candidate, statistic)
    if relative:
        return cand / ref - 1.0 if ref > 0.0 else float("inf")
    return cand - ref


def evaluate_aggregates(
    gates: Sequence[FailIf],
    name: str,
    reference: Aggregate,
    candidate: Aggregate,
    *,
    alpha: float = DEFAULT_ALPHA,
) -> list[GateResult]:
    """Every gate on a pair of which a side holds only aggregates (mean, sd, n): a gate
    on the mean is judged on the lower end of Welch's interval (of the ratio of means,
    or of their difference); any other statistic is not known, a :class:`UsageError`."""
    from pbench.stats.aggregate import welch
    from pbench.stats.summary import t_quantile

    results: list[GateResult] = []
    for gate in gates:
        if gate.statistic != "mean":
            raise UsageError(
                f"--fail-if {gate.text}: '{name}' holds only aggregates (mean, sd, n) on "
                f"one side, so its {gate.statistic} is not known",
                hint="gate it on the mean (e.g. --fail-if mean:5%), or pass files that "
                "keep per-run values",
            )
        found = welch(reference, candidate, alpha)
        if gate.relative:
            estimate, bound = found.ratio - 1.0, found.ratio_ci[0] - 1.0
        else:
            estimate = candidate.mean - reference.mean
            bound = -math.inf
            if found.df is not None:
                assert reference.stddev is not None and reference.n is not None
                assert candidate.stddev is not None and candidate.n is not None
                se = math.sqrt(reference.stddev**2 / reference.n
                               + candidate.stddev**2 / candidate.n)  # fmt: skip
                bound = estimate - t_quantile(1.0 - alpha / 2.0, found.df) * se
        results.append(GateResult(gate, name, estimate, bound, bound > gate.limit))
    return results
