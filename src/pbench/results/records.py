"""Records of a saved file read back as the objects that wrote them: a comparison
(:meth:`pbench.stats.comparison.Comparison.as_dict`), a budget check
(:func:`pbench.export.json.budget_check`) and a summary
(:meth:`pbench.stats.summary.Summary.as_dict`).

Comparisons are *restored*, not recomputed: the record holds every figure a report
shows (ratios, intervals, p-values, verdict, advice), and recomputing would need what
the file does not say (which rounds were paired, the comparison family's Holm
adjustment). A figure written as null (it was NaN or infinite) comes back as NaN.

Every defect is a :class:`UsageError` naming ``where`` (file and record).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast, get_args

from pbench.errors import UsageError
from pbench.stats.budget import BudgetCheck, Level, Quantity, Status
from pbench.stats.comparison import Comparison
from pbench.stats.summary import CONFIDENCE, Interval, Summary
from pbench.stats.verdict import Verdict

DAMAGED = "the file is damaged; re-export it"


def record(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise UsageError(f"{where} is not an object", hint=DAMAGED)
    return value


def number(rec: Mapping[str, Any], key: str, where: str, *, null: bool = False) -> float:
    """``rec[key]`` as a float; null is NaN where ``null`` allows it."""
    value = rec.get(key)
    if value is None and null:
        return math.nan
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise UsageError(f"{where}: '{key}' is {shown(value)}, not a number", hint=DAMAGED)
    return float(value)


def optional_number(rec: Mapping[str, Any], key: str, where: str) -> float | None:
    return None if rec.get(key) is None else number(rec, key, where)


def text(rec: Mapping[str, Any], key: str, where: str, *, null: bool = False) -> str | None:
    value = rec.get(key)
    if value is None and null:
        return None
    if not isinstance(value, str):
        raise UsageError(f"{where}: '{key}' is {shown(value)}, not a string", hint=DAMAGED)
    return value


def integer(rec: Mapping[str, Any], key: str, where: str, default: int | None = None) -> int:
    value = rec.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise UsageError(f"{where}: '{key}' is {shown(value)}, not an integer", hint=DAMAGED)
    return value


def choice(rec: Mapping[str, Any], key: str, allowed: Any, where: str) -> Any:
    """``rec[key]`` when it is one of the ``Literal`` type ``allowed``'s values."""
    value = rec.get(key)
    if value not in get_args(allowed):
        raise UsageError(
            f"{where}: '{key}' is {shown(value)}, not one of {', '.join(get_args(allowed))}",
            hint=DAMAGED,
        )
    return value


def pair(rec: Mapping[str, Any], key: str, where: str) -> tuple[float, float]:
    value = rec.get(key)
    if not isinstance(value, list) or len(value) != 2:
        raise UsageError(f"{where}: '{key}' is {shown(value)}, not [low, high]", hint=DAMAGED)
    low, high = (number({"v": v}, "v", f"{where}.{key}", null=True) for v in value)
    return low, high


def comparison_of(value: Any, where: str) -> Comparison:
    """A comparison record back as a :class:`Comparison` (see the module docstring)."""
    rec = record(value, where)
    method = rec.get("method") if isinstance(rec.get("method"), dict) else {}
    assert isinstance(method, dict)
    interval = str(method.get("interval", ""))
    level = method.get("percentile_level")
    drift = rec.get("between_run_allowance")
    return Comparison(
        name=cast(str, text(rec, "name", where)),
        reference=cast(str, text(rec, "reference", where)),
        ratio_median=number(rec, "ratio_median", where, null=True),
        ratio_median_ci=pair(rec, "ratio_median_ci", where),
        ratio_mean=number(rec, "ratio_mean", where, null=True),
        ratio_mean_ci=pair(rec, "ratio_mean_ci", where),
        p_value=number(rec, "p_value", where, null=True),
        p_adjusted=number(rec, "p_adjusted", where, null=True),
        verdict=cast(Verdict, choice(rec, "verdict", Verdict, where)),
        statistic="mean" if rec.get("statistic") == "mean" else "median",
        threshold=number(rec, "threshold", where),
        alpha=number(rec, "alpha", where),
        n_reference=integer(rec, "n_reference", where),
        n_candidate=integer(rec, "n_candidate", where),
        advice=text(rec, "advice", where, null=True),
        resamples=integer(method, "resamples", where, default=0),
        seed=integer(method, "seed", where, default=0),
        unit=str(rec.get("unit", "runs")),
        runs_reference=integer(rec, "runs_reference", where, default=1),
        runs_candidate=integer(rec, "runs_candidate", where, default=1),
        hierarchical=interval.startswith("hierarchical"),
        paired="pairs" in interval,
        run_to_run_missing=rec.get("run_to_run_in_interval") is False,
        interval_confidence=float(level) if isinstance(level, int | float) else None,
        between_run_allowance=float(drift) if isinstance(drift, int | float) else None,
        large_sample=large if isinstance(large := method.get("large_sample"), str) else None,
    )


def budget_check_of(value: Any, where: str) -> BudgetCheck:
    """A budget record back as a :class:`BudgetCheck`."""
    rec = record(value, where)
    return BudgetCheck(
        benchmark=cast(str, text(rec, "benchmark", where)),
        metric=cast(str, text(rec, "metric", where)),
        level=cast(Level, choice(rec, "level", Level, where)),
        limit=number(rec, "limit", where),
        quantity=cast(Quantity, choice(rec, "quantity", Quantity, where)),
        bigger_is_better=rec.get("bigger_is_better") is True,
        status=cast(Status, choice(rec, "status", Status, where)),
        measured=optional_number(rec, "measured", where),
        low=optional_number(rec, "low", where),
        high=optional_number(rec, "high", where),
        note=text(rec, "note", where, null=True),
    )


_SUMMARY_FIGURES = ("mean", "stddev", "median", "min", "max", "p5", "p25", "p75", "p90", "p95",
                    "p99", "mad", "iqr", "cv")  # fmt: skip


def summary_of_record(value: Any, where: str) -> Summary | None:
    """A result's ``statistics`` back as the :class:`Summary` it was written from; None
    when some figure is missing (hand-made files), to be recomputed from the runs."""
    rec = record(value, where)
    if any(key not in rec for key in (*_SUMMARY_FIGURES, "n", "mean_ci", "median_ci")):
        return None
    figures = {key: number(rec, key, where, null=True) for key in _SUMMARY_FIGURES}
    mean_ci, median_ci = pair(rec, "mean_ci", where), pair(rec, "median_ci", where)
    return Summary(
        n=integer(rec, "n", where),
        mean_ci=Interval(*mean_ci),
        median_ci=Interval(*median_ci),
        confidence=number({"c": rec.get("confidence", CONFIDENCE)}, "c", where),
        **figures,
    )


def shown(value: Any) -> str:
    import json

    try:
        return json.dumps(value)[:60]
    except (TypeError, ValueError):
        return repr(value)[:60]
