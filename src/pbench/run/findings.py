"""Findings about a finished benchmark, each with advice on what to do about it."""

from __future__ import annotations

from collections import Counter

from pbench.models import BenchmarkResult
from pbench.stats.advice import remedies_for
from pbench.stats.summary import Summary, outliers

SHELL_TOO_FAST_S = 0.005
HIGH_CV = 0.10
SLOW_FIRST_FACTOR = 1.5
# A few outliers in thousands of runs are the normal noise of a shared machine; warn when
# they are more than this share of the runs (with 50 runs or fewer, one is enough).
OUTLIER_SHARE = 0.02


def findings(result: BenchmarkResult, summary: Summary | None) -> list[str]:
    """Warnings with actionable advice, in a stable order; advice names only flags the
    subcommand that measured ``result`` has."""
    if "load" in result.sections:
        # A load run's runs are thousands of requests: its findings (the client is the
        # bottleneck, the target did not keep up) come with its figures; first-run and
        # outlier rules are meant for repeated whole executions.
        return list(result.sections["load"].get("warnings", ()))
    notes: list[str] = []
    times = result.times
    if summary is None or not times or result.stop_reason == "failed":
        return notes
    remedies = remedies_for(result)
    if result.info.get("shell_mode") == "shell" and summary.mean < SHELL_TOO_FAST_S:
        notes.append(
            f"Runs took less than {SHELL_TOO_FAST_S * 1e3:.0f} ms on average, so the shell's "
            "spawn time that was subtracted is a large share of each measurement. Run the "
            "command without a shell (-N) if it needs no shell syntax."
        )
    if len(times) >= 3 and result.warmups == 0:
        rest = sorted(times[1:])
        middle = rest[len(rest) // 2]
        flagged = outliers(times).modified_z
        if 0 in flagged and times[0] > SLOW_FIRST_FACTOR * middle:
            notes.append(
                f"The first run was much slower than the rest ({times[0] / middle:.1f}x the "
                "median), probably because caches were cold. Use --warmup to fill them "
                "before measuring"
                + (f", or {remedies.prepare} to clear them before every run." if remedies.prepare
                   else ".")
            )  # fmt: skip
    # Tukey's fences flag many runs of tightly clustered data; warn on the more robust
    # modified z-score, and export both labels.
    flagged_z = outliers(times).modified_z
    if len(flagged_z) > OUTLIER_SHARE * len(times):
        notes.append(
            f"{len(flagged_z)} of {len(times)} runs are statistical outliers (modified "
            "z-score > 3.5); they are kept and labelled in the JSON export. Other programs "
            "may have disturbed the measurement: close them, or use --warmup."
        )
    if summary.n >= 3 and summary.cv >= HIGH_CV:
        remedy = (
            ", or use --precision to run until the median is known precisely"
            if remedies.precision
            else " and measure more runs"
        )
        notes.append(
            f"The runs vary a lot (coefficient of variation {summary.cv:.0%}). Compare medians "
            f"rather than means, quieten the machine{remedy}."
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
