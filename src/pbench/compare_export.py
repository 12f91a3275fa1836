"""What ``pbench compare`` shows and exports: a table, Markdown, and JSON (strings only).

Columns: benchmark, baseline, candidate (the compared statistic, median by default,
and the run count), the ratio candidate / baseline with its confidence interval, the
Holm-adjusted p-value, and the verdict. The JSON carries the full
:meth:`pbench.compare.Comparison.as_dict` of every pair, the gates, and the unpaired
benchmarks, with ``compare_schema_version`` to version its shape:

1  pbench 0.1.0: ``compare_schema_version, tool, baseline, candidate, settings,
   benchmarks[], only_in_baseline, only_in_candidate, gates[], regressions,
   inconclusive``.
"""

from __future__ import annotations

import json
from typing import Any

from pbench import __version__
from pbench.compare import Comparison
from pbench.compare_files import Benchmark
from pbench.compare_results import FileComparison
from pbench.compare_stats import statistic_of
from pbench.units import SYMBOL, format_in, unit_for

COMPARE_SCHEMA_VERSION = 1


def headers(result: FileComparison) -> list[str]:
    statistic = result.settings.statistic
    p_label = "p (Holm)" if len(result.pairs) > 1 else "p"
    return ["benchmark", f"baseline {statistic}", f"candidate {statistic}", "ratio [CI]", p_label,
            "verdict"]  # fmt: skip


def rows(result: FileComparison) -> list[list[str]]:
    statistic = result.settings.statistic
    table: list[list[str]] = []
    for pair, comparison in zip(result.pairs, result.comparisons, strict=True):
        base = statistic_of(pair.baseline.times, statistic)
        cand = statistic_of(pair.candidate.times, statistic)
        unit = unit_for(min(base, cand))
        table.append(
            [
                pair.label,
                f"{format_in(base, unit)} {SYMBOL[unit]} (n={len(pair.baseline.times)})",
                f"{format_in(cand, unit)} {SYMBOL[unit]} (n={len(pair.candidate.times)})",
                ratio_text(comparison),
                f"{comparison.p_adjusted:.2g}",
                comparison.verdict,
            ]
        )
    return table


def ratio_text(c: Comparison) -> str:
    low, high = c.ratio_ci
    return f"{c.ratio:.3f} [{low:.3f}, {high:.3f}]"


def notes(result: FileComparison) -> list[str]:
    """Advice for inconclusive comparisons and every gate's outcome, one line each."""
    lines = [
        f"'{pair.label}': {c.advice}"
        for pair, c in zip(result.pairs, result.comparisons, strict=True)
        if c.advice
    ]
    lines += [g.describe() for g in result.gates]
    return lines


def missing(result: FileComparison) -> list[str]:
    """One line per benchmark present on one side only."""
    return [
        f"'{name}' is in the baseline {result.baseline.path} but not in the candidate"
        for name in result.only_in_baseline
    ] + [
        f"'{name}' is in the candidate {result.candidate.path} but not in the baseline"
        for name in result.only_in_candidate
    ]


def render_table(result: FileComparison) -> str:
    from tabulate import tabulate

    text: str = tabulate(rows(result), headers=headers(result), tablefmt="simple",
                         disable_numparse=True)  # fmt: skip
    return text


def render_markdown(result: FileComparison) -> str:
    from tabulate import tabulate

    settings = result.settings
    table: str = tabulate(
        [[cell.replace("|", "\\|") for cell in row] for row in rows(result)],
        headers=headers(result),
        tablefmt="github",
        disable_numparse=True,
    )
    parts = [
        f"## pbench compare: `{result.baseline.path}` → `{result.candidate.path}`",
        "",
        f"Ratio = candidate / baseline of the {settings.statistic}, with its "
        f"{1 - settings.alpha:.0%} bootstrap interval; noise threshold "
        f"±{settings.threshold * 100:g}%, alpha {settings.alpha:g}.",
        "",
        table,
    ]
    extra = [f"- {line}" for line in notes(result) + missing(result)]
    if extra:
        parts += ["", *extra]
    return "\n".join(parts) + "\n"


def document(result: FileComparison) -> dict[str, Any]:
    settings = result.settings
    return {
        "compare_schema_version": COMPARE_SCHEMA_VERSION,
        "tool": {"name": "pbench", "version": __version__},
        "baseline": {"path": result.baseline.path, "format": result.baseline.format},
        "candidate": {"path": result.candidate.path, "format": result.candidate.format},
        "settings": {
            "alpha": settings.alpha,
            "threshold": settings.threshold,
            "statistic": settings.statistic,
            "seed": settings.seed,
            "resamples": settings.resamples,
        },
        "benchmarks": [
            {
                "benchmark": pair.label,
                "baseline": _side(pair.baseline),
                "candidate": _side(pair.candidate),
                "comparison": comparison.as_dict(),
                "gates": [g.as_dict() for g in result.gates if g.benchmark == pair.label],
            }
            for pair, comparison in zip(result.pairs, result.comparisons, strict=True)
        ],
        "only_in_baseline": list(result.only_in_baseline),
        "only_in_candidate": list(result.only_in_candidate),
        "gates": [g.as_dict() for g in result.gates],
        "regressions": [p.label for p in result.regressions],
        "inconclusive": [p.label for p in result.inconclusive],
    }


def render_json(result: FileComparison) -> str:
    return json.dumps(document(result), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _side(benchmark: Benchmark) -> dict[str, Any]:
    return {
        "name": benchmark.name,
        "command": benchmark.command,
        "parameters": dict(benchmark.parameters),
        "runs": len(benchmark.times),
        "median": statistic_of(benchmark.times, "median"),
        "mean": statistic_of(benchmark.times, "mean"),
    }
