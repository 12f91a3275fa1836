"""What ``pbench compare`` exports: Markdown and JSON (strings only).

The Markdown table has the columns of the terminal's (:mod:`pbench.report.compare`).
The JSON carries the full
:meth:`pbench.stats.comparison.Comparison.as_dict` of every pair, the gates, and the unpaired
benchmarks, with ``compare_schema_version`` to version its shape (history in
:mod:`pbench.results.schema`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pbench import __version__
from pbench.models import MEASURE_UNITS
from pbench.report.compare import headers, notes, rows, warnings
from pbench.results.pairing import FileComparison, Pair
from pbench.results.read import Side
from pbench.results.schema import COMPARE_SCHEMA_VERSION
from pbench.stats.hierarchy import side_statistic

if TYPE_CHECKING:
    from pbench.stats.comparison import Comparison


def render_markdown(result: FileComparison) -> str:
    from pbench.report.markdown_text import cell, table_head, table_row

    settings = result.settings
    table = table_head([cell(h) for h in headers(result)]) + "".join(
        table_row([cell(c) for c in row]) for row in rows(result)
    )
    parts = [
        f"## pbench compare: `{result.baseline.path}` → `{result.candidate.path}`",
        "",
        f"Ratio = candidate / baseline of the {settings.statistic}, with its "
        f"{1 - settings.alpha:.0%} bootstrap interval; noise threshold "
        f"{thresholds_text(result.comparisons, settings.threshold)}, alpha {settings.alpha:g}.",
        "",
        table.rstrip("\n"),
    ]
    if any(c.hierarchical for c in result.comparisons):
        parts[3:3] = [
            "",
            "With several result files per side: hierarchical bootstrap (runs, then "
            "slices) and a t-test on the per-run statistics.",
        ]
    extra = [f"- {line}" for line in notes(result) + warnings(result)]
    if extra:
        parts += ["", *extra]
    return "\n".join(parts) + "\n"


def thresholds_text(comparisons: Sequence[Comparison], default: float) -> str:
    """The noise thresholds the comparisons used ("±1%"; "±0.1% and ±1%" when counts and
    times were compared, each at its measure's default), ``default``'s without any."""
    found = sorted({c.threshold for c in comparisons}) or [default]
    return " and ".join(f"±{t * 100:g}%" for t in found)


def document(result: FileComparison) -> dict[str, Any]:
    settings = result.settings
    return {
        "compare_schema_version": COMPARE_SCHEMA_VERSION,
        "tool": {"name": "pbench", "version": __version__},
        "baseline": _files(result.baseline),
        "candidate": _files(result.candidate),
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
                "measure": pair.measure,
                "unit": MEASURE_UNITS[pair.measure],
                "baseline": _side(pair, "baseline"),
                "candidate": _side(pair, "candidate"),
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
        "warnings": warnings(result),
    }


def render_json(result: FileComparison) -> str:
    return json.dumps(document(result), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _files(side: Side) -> dict[str, Any]:
    return {
        "path": side.path if len(side.files) == 1 else None,
        "paths": side.paths,
        "format": side.format,
    }


def _side(pair: Pair, side: str) -> dict[str, Any]:
    """One side of a pair; ``runs`` counts timed runs (per-run times), as in version 1."""
    runs = pair.baseline_runs if side == "baseline" else pair.candidate_runs
    values = pair.values(side)
    first = runs[0]
    found = first.aggregate
    if found is not None:  # only mean, sd and n: no slices, no median
        return {
            "name": first.name,
            "command": first.command,
            "parameters": dict(first.parameters),
            "runs": 0,
            "result_files": len(runs),
            "slices": 0,
            "load": first.load,
            "median": None,
            "mean": found.mean,
            "aggregates_only": found.as_dict(),
        }
    return {
        "name": first.name,
        "command": first.command,
        "parameters": dict(first.parameters),
        "runs": sum(len(run.times) for run in runs),
        "result_files": len(runs),
        "slices": sum(len(v) for v in values),
        "load": first.load,
        "median": side_statistic(values, "median"),
        "mean": side_statistic(values, "mean"),
    }
