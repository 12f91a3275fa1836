"""Warnings about a finished benchmark, each with advice on what to do about it: the
``warnings`` of RunResults, the JSON export and the terminal (one name for one idea)."""

from __future__ import annotations

from collections import Counter

from pbench.models import BenchmarkResult
from pbench.report.units import format_duration
from pbench.stats.advice import remedies_for
from pbench.stats.summary import SEVERE_MAD_MULTIPLE, Summary, severe_outliers

SHELL_TOO_FAST_S = 0.005
SLOW_FIRST_FACTOR = 1.5
# Outliers are labelled in the JSON by the usual rules (modified z-score > 3.5, Tukey's
# fences), which flag the ordinary right tail of timings: a fifth of the README's quick
# start's runs (issue 9). A warning needs runs beyond hyperfine's bar (modified z-score
# > 10, about ten standard deviations) that also changed the result: leaving them out
# would move the mean by more than this fraction. (The median is what they cannot move.)
OUTLIER_MEAN_SHIFT = 0.05
SEVERE_Z = SEVERE_MAD_MULTIPLE / 1.4826  # 10 on the scale of the exported modified z-scores
# The spread of the bulk of the runs, 1.4826·MAD/median (the coefficient of variation of a
# normal sample, but blind to a few far runs, which the outlier rule judges by their effect
# on the mean): the classic CV passes 10% with one slow run in thousands.
HIGH_ROBUST_CV = 0.10
# A spread is worth a warning only when it leaves the median uncertain enough to change
# the reader's conclusion (issue 18): its 95% interval wider than ±10% of it. A CV of 25%
# is ordinary for a 7 µs query or for ``true``; with enough runs the median is still known
# to a few percent, and a comparison judges its own interval against its threshold.
UNCERTAIN_MEDIAN = 0.10


def median_uncertain(summary: Summary) -> bool:
    """Whether the median's interval is wider than ±UNCERTAIN_MEDIAN of the median."""
    return summary.median_ci.relative_width(summary.median) > 2 * UNCERTAIN_MEDIAN


def warnings_for(result: BenchmarkResult, summary: Summary | None) -> list[str]:
    """Warnings with actionable advice, in a stable order; advice names only flags the
    subcommand that measured ``result`` has."""
    if "load" in result.sections:
        # A load run's runs are thousands of requests: its warnings (the client is the
        # bottleneck, the target did not keep up) come with its figures; first-run and
        # outlier rules are meant for repeated whole executions.
        return list(result.sections["load"].get("warnings", ()))
    notes: list[str] = []
    times = result.times
    if summary is None or not times or result.stop_reason == "failed":
        return notes
    remedies = remedies_for(result)
    timed = result.measure == "wall"
    if timed and result.info.get("shell_mode") == "shell" and summary.mean < SHELL_TOO_FAST_S:
        notes.append(
            f"Runs took less than {SHELL_TOO_FAST_S * 1e3:.0f} ms on average, so the shell's "
            "spawn time that was subtracted is a large share of each measurement. Run the "
            "command without a shell (-N) if it needs no shell syntax."
        )
    severe = set(severe_outliers(times))
    mean = sum(times) / len(times)
    if len(times) >= 3 and result.warmups == 0:
        rest = sorted(times[1:])
        middle = rest[len(rest) // 2]
        # (middle is 0 when shell spawn subtraction leaves nothing: no ratio then)
        if 0 in severe and middle > 0 and times[0] > SLOW_FIRST_FACTOR * middle:
            # Said here, not again among the outliers (hyperfine says one or the other)
            severe.discard(0)
            moved = _moved(mean, sum(times[1:]) / len(rest), measure=result.measure)
        else:
            moved = ""
        if moved:  # a slow first run among thousands changes nothing: no warning then
            notes.append(
                f"The first run was much slower than the rest ({times[0] / middle:.1f}x the "
                f"median), probably because caches were cold; it {moved}"
                + ". Use --warmup to fill them before measuring"
                + (f", or {remedies.prepare} to clear them before every run." if remedies.prepare
                   else ".")
            )  # fmt: skip
    kept = [t for i, t in enumerate(times) if i not in severe]
    if severe and kept:
        without = sum(kept) / len(kept)
        moved = _moved(mean, without, plural=len(severe) > 1, measure=result.measure)
        if moved:
            notes.append(
                f"{len(severe)} of {len(times)} runs "
                + ("are severe outliers" if len(severe) > 1 else "is a severe outlier")
                + f" (modified z-score > {SEVERE_Z:.0f}) that {moved}; "
                + ("they are" if len(severe) > 1 else "it is")
                + " kept and labelled in the JSON export. Other programs may have disturbed "
                "the measurement: close them, or use --warmup."
            )
    robust_cv = 1.4826 * summary.mad / summary.median if summary.median else 0.0
    if summary.n >= 3 and robust_cv >= HIGH_ROBUST_CV and median_uncertain(summary):
        remedy = (
            ", or use --precision to run until the median is known precisely"
            if remedies.precision
            else " and measure more runs"
        )
        low, high = summary.median_ci.low, summary.median_ci.high
        notes.append(
            f"The runs vary a lot: the median is known only to within "
            f"{format_duration(float(f'{low:.4g}'), result.measure)} .. "
            f"{format_duration(float(f'{high:.4g}'), result.measure)} "
            f"(95% interval; half of the runs are more than "
            f"{summary.mad / summary.median:.0%} from the median). Quieten the machine{remedy}."
        )
    failed = [m for m in result.measurements if m.failed]
    if failed:
        kinds = Counter(m.why_failed for m in failed)
        listed = ", ".join(f"{why} ({count}x)" for why, count in sorted(kinds.items(), key=str))
        notes.append(
            f"{len(failed)} of {len(times)} runs failed ({listed}) and were "
            "counted anyway because of --ignore-failure."
        )
    return notes


def _moved(mean: float, without: float, plural: bool = False, measure: str = "wall") -> str:
    """What some runs did to the mean, when it is more than OUTLIER_MEAN_SHIFT: "raises
    the mean by 12% (from 2.10 ms to 2.35 ms)"; "" when they hardly moved it."""
    if without <= 0 or abs(mean / without - 1) <= OUTLIER_MEAN_SHIFT:
        return ""
    verb = ("raise" if mean > without else "lower") + ("" if plural else "s")
    ratio = mean / without
    by = f"{ratio:.1f}-fold" if ratio >= 2 else f"by {abs(ratio - 1):.0%}"
    before, after = (format_duration(float(f"{t:.4g}"), measure) for t in (without, mean))
    return f"{verb} the mean {by} (from {before} to {after})"
