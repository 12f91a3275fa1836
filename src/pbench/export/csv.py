"""The CSV export: hyperfine's columns first, in hyperfine's order, then pbench's.

One row per benchmark. Times in seconds (counts in instructions or cycles with
``--measure``: the ``measure`` and ``unit`` columns say), memory in bytes; a figure that cannot be
computed (no run yet, fewer than two runs for ``stddev``, NaN) is an empty cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import partial

from pbench.export.figures import finite_or_none, mean_or_none, peak_memory, stddev_of
from pbench.export.memo import ResultMemo, memoised
from pbench.models import BenchmarkResult, RunResults
from pbench.results.escape import csv_text
from pbench.stats.summary import Summary

HYPERFINE_COLUMNS = ("command", "mean", "stddev", "median", "user", "system", "min", "max")
PBENCH_COLUMNS = (
    "name",
    "command_line",
    "n",
    "p5",
    "p25",
    "p75",
    "p90",
    "p95",
    "p99",
    "mad",
    "iqr",
    "cv",
    "mean_ci_low",
    "mean_ci_high",
    "median_ci_low",
    "median_ci_high",
    "peak_memory_bytes",
    "stop_reason",
    "measure",  # --measure: what mean, median... are (wall time by default)
    "unit",  # their unit: second, instruction or cycle
)

Cell = str | int | float | None


def render(results: RunResults, memo: ResultMemo | None = None) -> str:
    """The CSV text; with ``memo``, each row's text is reused while its result is unchanged."""
    parameter_names = _parameter_names(results.results)
    columns = (
        *HYPERFINE_COLUMNS,
        *(f"parameter_{name}" for name in parameter_names),
        *PBENCH_COLUMNS,
    )
    lines = [_line(map(csv_text, columns))]
    for result in results.results:
        make = partial(_result_line, columns, result, results)
        lines.append(memoised(memo, result, ("csv", columns), make))
    return "".join(lines)


def _result_line(columns: tuple[str, ...], result: BenchmarkResult, results: RunResults) -> str:
    row = _row(result, results.summary(result))
    return _line([_cell(row.get(column)) for column in columns])


def _line(cells: Iterable[Cell]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def _parameter_names(results: Iterable[BenchmarkResult]) -> list[str]:
    """Every parameter name, in order of first appearance."""
    names: dict[str, None] = {}
    for result in results:
        names.update(dict.fromkeys(str(k) for k in result.parameters))
    return list(names)


def _row(result: BenchmarkResult, summary: Summary | None) -> dict[str, Cell]:
    row: dict[str, Cell] = {
        "command": result.name,  # hyperfine's "command" is the display name
        "command_line": result.command,
        "user": mean_or_none(m.user_s for m in result.measurements),
        "system": mean_or_none(m.system_s for m in result.measurements),
        "name": result.name,
        "n": 0,
        "peak_memory_bytes": peak_memory(result),
        "stop_reason": result.stop_reason,
        "measure": result.measure,
        "unit": result.unit,
    }
    row.update({f"parameter_{k}": str(v) for k, v in result.parameters.items()})
    if summary is not None:
        row.update({field: getattr(summary, field) for field in _SUMMARY_FIELDS})
        row["stddev"] = stddev_of(summary)
        row["mean_ci_low"], row["mean_ci_high"] = summary.mean_ci.low, summary.mean_ci.high
        row["median_ci_low"], row["median_ci_high"] = summary.median_ci.low, summary.median_ci.high
    return row


# Columns copied from pbench.stats.summary.Summary attributes of the same name.
_SUMMARY_FIELDS = (
    *("mean", "median", "min", "max", "n"),
    *("p5", "p25", "p75", "p90", "p95", "p99", "mad", "iqr", "cv"),
)


def _cell(value: object) -> str | int:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return csv_text(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        finite = finite_or_none(value)
        return "" if finite is None else repr(finite)
    return ""
