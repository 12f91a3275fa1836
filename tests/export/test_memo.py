"""Checkpoints reuse what was computed for unchanged results, and say the same thing as a
fresh render."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from pbench.export import FORMATS, ExportFormat, render
from pbench.export.memo import ResultMemo, revision
from pbench.models import BenchmarkResult, RunResults

from .conftest import runs


def test_memoised_render_equals_a_fresh_one(report: RunResults) -> None:
    memo = ResultMemo()
    for _ in range(2):  # first computed, then reused
        memo.refresh(report.results)
        for fmt in FORMATS:
            assert render(fmt, report, memo) == render(fmt, report)


def _counting(calls: list[str], name: str, value: str) -> Callable[[], str]:
    def compute() -> str:
        calls.append(name)
        return value

    return compute


def test_values_are_computed_once_per_revision() -> None:
    a = BenchmarkResult("a", "a", {}, {})
    b = BenchmarkResult("b", "b", {}, {})
    memo = ResultMemo()
    calls: list[str] = []
    memo.refresh([a, b])
    assert memo.get(a, "k", _counting(calls, "a", "a0")) == "a0"
    assert memo.get(b, "k", _counting(calls, "b", "b0")) == "b0"
    memo.refresh([a, b])
    assert memo.get(a, "k", _counting(calls, "a", "a1")) == "a0"  # unchanged: reused
    a.measurements.extend(runs([0.1]))
    memo.refresh([a, b])
    assert memo.get(a, "k", _counting(calls, "a", "a2")) == "a2"  # changed: computed again
    assert memo.get(b, "k", _counting(calls, "b", "b2")) == "b0"
    assert calls == ["a", "b", "a"]


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.measurements.extend(runs([0.2])),
        lambda r: setattr(r, "warmups", r.warmups + 1),
        lambda r: setattr(r, "stop_reason", "interrupted"),
        lambda r: r.notes.append("a note"),
        lambda r: r.sections.update(extra={"x": 1}),
        lambda r: r.sections.update(load={"replaced": True}),
        lambda r: setattr(r, "summary_override", object()),
    ],
)
def test_every_kind_of_growth_is_a_new_revision(
    change: Callable[[BenchmarkResult], None],
) -> None:
    result = BenchmarkResult("a", "a", {}, {}, sections={"load": {}})
    before = revision(result)
    change(result)
    assert revision(result) != before


def test_a_result_growing_run_by_run_renders_like_a_fresh_one(report: RunResults) -> None:
    """As in a checkpoint of an interleaved run: benchmarks grow between rewrites."""
    growing = [
        dataclasses.replace(r, measurements=[], stop_reason=None, notes=[], sections={})
        for r in report.results
        if r.summary_override is None
    ]
    full = {r.name: r for r in report.results}
    memo = ResultMemo()
    for step in range(6):
        for result in growing:
            source = full[result.name]
            if step < len(source.measurements):
                result.measurements.append(source.measurements[step])
            elif result.stop_reason is None:
                result.stop_reason = source.stop_reason or "runs"
                result.sections.update(source.sections)
        partial = dataclasses.replace(report, results=growing, summaries={})
        memo.refresh(growing)
        for fmt in FORMATS:
            expected: ExportFormat = fmt
            assert render(expected, partial, memo) == render(expected, partial), (fmt, step)
