"""``pbench trend`` for people: per benchmark and machine a sparkline of its medians
(runs whose machine was not fit marked ``!`` under it), its change points (where,
between which commits, before → after, the change with its interval, p-value,
severity), the slope of its recent runs and the verdict on its newest run."""

from __future__ import annotations

from collections.abc import Sequence

from pbench.history.records import Point
from pbench.history.trend import Change, Trend
from pbench.models import MEASURE_WORDS
from pbench.report.history import SHORT_COMMIT, sparkline
from pbench.report.units import Unit, format_time, measure_unit

SPARK_WIDTH = 60  # bars at most: longer series are drawn in buckets (their means)
UNFIT = "!"


def render_trends(trends: Sequence[Trend]) -> str:
    """Every trend's block, separated by blank lines, and what ``!`` means."""
    text = "\n\n".join(_block(trend) for trend in trends)
    if any(trend.unfit for trend in trends):
        text += (
            f"\n\n{UNFIT} the machine was not fit to measure during that run "
            "(pbench system-check says why)"
        )
    return text


def machine_label(trend: Trend) -> str:
    short = trend.machine[:SHORT_COMMIT]
    return f"{trend.host} ({short})" if trend.host else f"machine {short}"


def _block(trend: Trend) -> str:
    values = trend.values
    unit = measure_unit(sorted(values)[len(values) // 2], trend.measure)
    bars, marks = _spark(trend.points)
    count = len(trend.points)
    what = "" if trend.measure == "wall" else f" ({MEASURE_WORDS[trend.measure]})"
    runs = f"{count} run{'s' * (count != 1)}"
    head = f"{trend.benchmark}{what} on {machine_label(trend)}  {bars}  {runs}"
    if trend.unfit:
        head += f", {len(trend.unfit)} not fit ({UNFIT})"
    lines = [head]
    if marks.strip():
        lines.append(" " * head.index(bars) + marks.rstrip())
    if trend.changes:
        rows = [_change_cells(change, unit) for change in trend.changes]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines.append("  change points:")
        lines += [
            "    " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ]
    else:
        lines.append("  no change point")
    for event in trend.spreads:
        spread = event.spread_change
        lines.append(
            f"  {spread.kind} since {_commit(event.first_after)} ({_run(event.first_after)}):"
            f" spread {spread.before:.1%} -> {spread.after:.1%} of the level"
            f", p {spread.p_value:.2g}"
        )
    lines.append("  " + _slope_line(trend))
    lines.append("  " + _newest_line(trend, unit))
    return "\n".join(lines)


def _spark(points: Sequence[Point]) -> tuple[str, str]:
    """The sparkline and, under it, ``!`` where a bar holds a run that was not fit."""
    count = len(points)
    width = min(count, SPARK_WIDTH)
    buckets = [points[i * count // width : (i + 1) * count // width] for i in range(width)]
    means = [
        sum(p.median for p in bucket if p.median is not None) / len(bucket) for bucket in buckets
    ]
    marks = "".join(UNFIT if any(p.fit is False for p in b) else " " for b in buckets)
    return sparkline(means), marks


def _run(point: Point) -> str:
    return f"#{point.run_id}{UNFIT if point.fit is False else ''}"


def _commit(point: Point) -> str:
    return (point.commit or "?")[:SHORT_COMMIT]


def _change_cells(change: Change, unit: Unit) -> list[str]:
    cp = change.change_point
    after = change.first_after
    low, high = cp.change_interval.low, cp.change_interval.high
    return [
        f"run {_run(after)}",
        after.time.strftime("%Y-%m-%d %H:%M"),
        f"commits {_commit(change.last_before)}..{_commit(after)}",
        f"{format_time(cp.before, unit)} → {format_time(cp.after, unit)}",
        f"{cp.change:+.1%} [{low:+.1%}, {high:+.1%}]",
        f"p = {cp.p_value:.3g}",
        change.severity,
    ]


def _slope_line(trend: Trend) -> str:
    slope = trend.slope
    since = " since the last change point" if trend.changes else ""
    if slope is None:
        return f"slope: too few runs{since} (3 needed)"
    low, high = slope.relative_interval.low, slope.relative_interval.high
    return (
        f"slope: {slope.relative:+.2%} a run [{low:+.2%}, {high:+.2%}] over the last "
        f"{slope.n} runs{since}"
    )


def _newest_line(trend: Trend, unit: Unit) -> str:
    newest = trend.newest
    assert newest.median is not None  # trends hold points with a median only
    shown = format_time(newest.median, unit)
    where = f"newest run {_run(newest)} (commit {_commit(newest)}): {shown}"
    anomaly = trend.anomaly
    if anomaly is None:
        return f"{where}, too few runs since the last change point to judge it"
    distance = f"{abs(anomaly.mads):.1f} MADs from the level {format_time(anomaly.centre, unit)}"
    verdict = "an ANOMALY" if anomaly.is_anomaly else "within the level"
    return f"{where}, {verdict} ({distance}; limit {anomaly.limit_mads:.1f})"
