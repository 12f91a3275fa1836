"""``pbench trend --format json``: the trends for machines. Times and medians in
seconds, changes and slopes as fractions (0.05: 5% slower), run times in ISO 8601
UTC; ``fit`` is whether the run's machine was fit to measure (null: not checked)::

    {"store": "sqlite:///...", "alpha": 0.01, "bands": {"major": 0.05, "critical": 0.15},
     "trends": [{
       "benchmark": "parse", "machine": "1a2b3c4d5e6f7a8b", "host": "ci-1", "runs": 60,
       "unfit_runs": [12],
       "change_points": [{"index": 30, "run": 31, "time": "...", "fit": true,
                          "commit_before": "...", "commit_after": "...",
                          "before": 0.012, "after": 0.0132, "change": 0.1,
                          "change_low": 0.095, "change_high": 0.106,
                          "p_value": 0.002, "piece_before": "level",
                          "piece_after": "level", "severity": "major", "new": false}],
       "spread_changes": [{"index": 40, "run": 41, "commit_after": "...",
                           "kind": "noisier", "before": 0.01, "after": 0.03,
                           "ratio": 3.0, "p_value": 1e-05}],
       "slope": {"n": 20, "per_run": 1e-06, "low": ..., "high": ..., "relative": 0.0001,
                 "relative_low": ..., "relative_high": ..., "p_value": 0.4,
                 "since_change_point": true},
       "newest": {"run": 60, "time": "...", "commit": "...", "median": 0.0132,
                  "fit": true, "anomaly": {"is_anomaly": false, "centre": 0.0132,
                  "mad": 0.0001, "mads": 0.3, "limit_mads": 9.4, "n": 29}}
     }]}

A piece is ``level`` or ``sloped`` (a drift, :mod:`pbench.stats.segmentation`);
``spread_changes`` are changes of the noise alone (``noisier`` or ``quieter`` since
``commit_after``, spreads as fractions of the level). ``new`` marks the newest change
point while its level holds at most ``within`` runs
(see :meth:`pbench.history.trend.Trend.new_change`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pbench.history.records import Point
from pbench.history.trend import Change, Trend
from pbench.stats.changepoint import SeverityBands


def _time(point: Point) -> str:
    return point.time.isoformat(timespec="microseconds").replace("+00:00", "Z")


def change_fields(change: Change, new: bool) -> dict[str, Any]:
    cp = change.change_point
    return {
        "index": cp.index,
        "run": change.first_after.run_id,
        "time": _time(change.first_after),
        "fit": change.first_after.fit,
        "commit_before": change.last_before.commit,
        "commit_after": change.first_after.commit,
        "before": cp.before,
        "after": cp.after,
        "change": cp.change,
        "change_low": cp.change_interval.low,
        "change_high": cp.change_interval.high,
        "p_value": cp.p_value,
        "piece_before": cp.piece_before,
        "piece_after": cp.piece_after,
        "severity": change.severity,
        "new": new,
    }


def trend_fields(trend: Trend, within: int) -> dict[str, Any]:
    new = trend.new_change(within)
    slope, anomaly, newest = trend.slope, trend.anomaly, trend.newest
    return {
        "benchmark": trend.benchmark,
        "measure": trend.measure,
        "machine": trend.machine,
        "host": trend.host,
        "runs": len(trend.points),
        "unfit_runs": [p.run_id for p in trend.unfit],
        "change_points": [change_fields(c, c is new) for c in trend.changes],
        "spread_changes": [
            {
                "index": e.spread_change.index,
                "run": e.first_after.run_id,
                "commit_after": e.first_after.commit,
                "kind": e.spread_change.kind,
                "before": e.spread_change.before,
                "after": e.spread_change.after,
                "ratio": _finite(e.spread_change.ratio),
                "p_value": e.spread_change.p_value,
            }
            for e in trend.spreads
        ],
        "slope": None
        if slope is None
        else {
            "n": slope.n,
            "per_run": slope.slope,
            "low": slope.interval.low,
            "high": slope.interval.high,
            "relative": slope.relative,
            "relative_low": slope.relative_interval.low,
            "relative_high": slope.relative_interval.high,
            "p_value": slope.p_value,
            "since_change_point": bool(trend.changes),
        },
        "newest": {
            "run": newest.run_id,
            "time": _time(newest),
            "commit": newest.commit,
            "median": newest.median,
            "fit": newest.fit,
            "anomaly": None
            if anomaly is None
            else {
                "is_anomaly": anomaly.is_anomaly,
                "centre": anomaly.centre,
                "mad": anomaly.mad,
                "mads": _finite(anomaly.mads),
                "limit_mads": anomaly.limit_mads,
                "n": anomaly.n,
            },
        },
    }


def trends_json(
    trends: Sequence[Trend], store: str, alpha: float, bands: SeverityBands, within: int
) -> str:
    document = {
        "store": store,
        "alpha": alpha,
        "bands": {"major": bands.major, "critical": bands.critical},
        "trends": [trend_fields(trend, within) for trend in trends],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _finite(value: float) -> float | None:
    import math

    return value if math.isfinite(value) else None
