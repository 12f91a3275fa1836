"""The JSON export: a superset of hyperfine's ``--export-json``.

Its version (``schema_version``) and the history of the format live in
:mod:`pbench.results.schema`.

All times are in seconds. ``times``, ``memory_usage_byte``, ``exit_codes`` and
``measurements`` are in execution order. ``stddev`` is null for fewer than two runs
(as in hyperfine); any figure that cannot be computed is null, never NaN. A result
with no measurement yet (an interrupted first round) has null statistics.

``budgets`` (only when budgets were set): one entry per level of each budget of each
benchmark, the fields of :class:`pbench.stats.budget.BudgetCheck` in base units
(seconds, bytes, a fraction, per second); ``measured``/``low``/``high`` are null
without data. ``scores`` (with budgets): each benchmark's score from 0 to 100 and its
band, and the suite's (see :mod:`pbench.stats.score`). ``recommendations`` (when any
follow from the measurements): by benchmark name, each naming the figure it comes from.
``other_diagnoses`` (when any): by benchmark name, the variance causes the data also
support beyond the one the recommendations name (the output says one).
``scaling`` (a concurrency sweep only): one table per benchmark, see
:mod:`pbench.run.scaling`.
``baseline`` (with ``--baseline REF``): the comparison with a stored run, see
:mod:`pbench.export.baseline`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from pbench.export.figures import finite_or_none, mean_or_none, stddev_of
from pbench.export.jsontext import Rendered, Rows, dumps, pretty
from pbench.export.memo import ResultMemo
from pbench.models import BenchmarkResult, Measurement, RunResults, how_taken
from pbench.results.schema import (
    HYPERFINE_STATS,
    METRIC_PREFIX,
    RECORD_KEYS,
    RESULT_FILE_SCHEMA_VERSION,
    SECTION_PREFIX,
)
from pbench.stats.budget import BudgetCheck
from pbench.stats.score import Score
from pbench.stats.summary import Summary

_RESULT_LEVEL = 2  # document → "results" list → one result


def render(run_results: RunResults, memo: ResultMemo | None = None) -> str:
    """The JSON text; with ``memo``, each result's text is reused while it is unchanged."""
    if memo is None:
        return dumps(document(run_results))

    def text_of(result: BenchmarkResult) -> str:
        return pretty(_entry(run_results, result), _RESULT_LEVEL)

    results = [Rendered(memo.get(r, "json", partial(text_of, r))) for r in run_results.results]
    return dumps(_document(run_results, results))


def document(run_results: RunResults) -> dict[str, Any]:
    """The export as plain Python data (serialised by :func:`render`)."""
    return _document(run_results, [_entry(run_results, r) for r in run_results.results])


def _document(run_results: RunResults, results: list[Any]) -> dict[str, Any]:
    document: dict[str, Any] = {
        "schema_version": RESULT_FILE_SCHEMA_VERSION,
        "metadata": run_results.metadata,
        "reference": run_results.reference,
        "results": results,
        "comparisons": [c.as_dict() for c in run_results.comparisons],
    }
    if run_results.budgets:
        document["budgets"] = [budget_check(c) for c in run_results.budgets]
    if run_results.scores:
        document["scores"] = scores_document(run_results.scores.values())
    if run_results.scaling:
        document["scaling"] = [dict(t) for t in run_results.scaling]
    if run_results.recommendations:
        document["recommendations"] = {
            name: list(found) for name, found in run_results.recommendations.items()
        }
    if run_results.other_diagnoses:
        document["other_diagnoses"] = {
            name: list(found) for name, found in run_results.other_diagnoses.items()
        }
    if run_results.baseline is not None:
        from pbench.export.baseline import baseline_document, baseline_of

        against = baseline_of(run_results)
        if against is not None:
            document["baseline"] = baseline_document(against)
    return document


def scores_document(scores: Iterable[Score]) -> dict[str, Any]:
    """``{"benchmarks": {name: {score, band, weakest, reason}}, "suite": {score, band}}``:
    scores as floats (0-100), the band of the rounded score, null without a score."""
    from pbench.stats.score import band, suite_score

    listed = list(scores)
    suite = suite_score(listed)
    return {
        "benchmarks": {
            s.benchmark: {
                "score": s.value,
                "band": s.band,
                "weakest": s.weakest.metric if s.weakest is not None else None,
                "reason": s.reason,
            }
            for s in listed
        },
        "suite": {"score": suite, "band": None if suite is None else band(suite)},
    }


def budget_check(check: BudgetCheck) -> dict[str, Any]:
    """One budget check as JSON: every field, numbers in base units, null when absent."""
    return {
        "benchmark": check.benchmark,
        "metric": check.metric,
        "level": check.level,
        "limit": check.limit,
        "quantity": check.quantity,
        "bigger_is_better": check.bigger_is_better,
        "status": check.status,
        "measured": finite_or_none(check.measured),
        "low": finite_or_none(check.low),
        "high": finite_or_none(check.high),
        "note": check.note,
    }


def _entry(run_results: RunResults, result: BenchmarkResult) -> dict[str, Any]:
    return _result(result, run_results.summary(result), run_results.warnings.get(result.name, ()))


def _result(
    result: BenchmarkResult, summary: Summary | None, warnings: Sequence[str]
) -> dict[str, Any]:
    measurements = result.measurements
    # hyperfine writes the display name (-n) into "command"; so do we, and keep the
    # command line itself under "command_line".
    entry: dict[str, Any] = {"command": result.name}
    if summary is None:
        entry.update(dict.fromkeys(HYPERFINE_STATS))
    else:
        entry.update(
            mean=summary.mean,
            stddev=stddev_of(summary),
            median=summary.median,
            user=mean_or_none(m.user_s for m in measurements),
            system=mean_or_none(m.system_s for m in measurements),
            min=summary.min,
            max=summary.max,
        )
    entry["times"] = result.times
    entry["memory_usage_byte"] = [m.peak_rss_bytes for m in measurements]
    entry["exit_codes"] = [m.exit_code for m in measurements]
    if result.parameters:
        entry["parameters"] = {str(k): str(v) for k, v in result.parameters.items()}
    entry["name"] = result.name
    entry["command_line"] = result.command
    entry["statistics"] = None if summary is None else _statistics(summary.as_dict(), result)
    entry["measurements"] = Rows(_record(m) for m in measurements)
    entry["warmups"] = result.warmups
    entry["stop_reason"] = result.stop_reason
    entry["measure"] = result.measure
    entry["unit"] = result.unit
    entry["measured_with"] = how_taken(result.measure)
    entry["info"] = result.info
    entry["notes"] = list(result.notes)
    entry["warnings"] = list(warnings)
    for key, section in result.sections.items():
        entry[key if key not in entry else f"{SECTION_PREFIX}{key}"] = section
    return entry


def _statistics(figures: dict[str, Any], result: BenchmarkResult) -> dict[str, Any]:
    """Summary figures plus the outlier labels (indices into ``measurements``)."""
    from pbench.stats.summary import outliers

    labelled = outliers(result.times)
    figures["outliers"] = {
        "modified_z": list(labelled.modified_z),
        "tukey": list(labelled.tukey),
        "tukey_severe": list(labelled.tukey_severe),
    }
    return figures


def _record(m: Measurement) -> dict[str, Any]:
    """One measurement under the record keys the reader knows (their order is the
    schema's), then its metrics."""
    values = (m.wall_s, m.user_s, m.system_s, m.peak_rss_bytes, m.exit_code, m.signal,
              m.timed_out, m.error, m.round, m.position, m.iteration, m.loops)  # fmt: skip
    record: dict[str, Any] = dict(zip(RECORD_KEYS, values, strict=True))
    for key, value in m.metrics.items():
        record[key if key not in record else f"{METRIC_PREFIX}{key}"] = value
    return record
