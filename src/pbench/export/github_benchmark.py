"""github-action-benchmark's custom JSON (``--export-github-benchmark[-bigger] FILE``).

The action's ``customSmallerIsBetter`` and ``customBiggerIsBetter`` tools read a JSON
list of ``{"name", "unit", "value", "range", "extra"}`` (``name``, ``unit`` and
``value`` required; ``range`` and ``extra`` strings, shown in the chart's tooltip).
One file holds one direction, hence two exports:

- smaller is better (:func:`render`): per benchmark its **mean** latency (see
  :mod:`pbench.export.tracked` for why the mean) in ``s``, ``ms``, ``us`` or ``ns``
  (the action converts between these four when a benchmark's unit changes from one
  run to the next), named after the benchmark; and for commands whose memory was
  measured, ``"NAME (peak memory)"``: the largest peak RSS of any run, in ``MiB``.
- bigger is better (:func:`render_bigger`): throughput, ``requests/s`` (``queries/s``
  for SQL) for load runs and ``runs/s`` (``queries/s``) otherwise, named after the
  benchmark.

``range`` is ``"± X"`` in the value's unit, X the larger half of the 95% confidence
interval (the action parses ``±`` and a number); ``extra`` says what the value is.
"""

from __future__ import annotations

import json
from typing import Any

from pbench.export.memo import ResultMemo
from pbench.export.tracked import Estimate, Tracked, of_comparison, of_results
from pbench.models import RunResults, is_count
from pbench.results.pairing import FileComparison

# The action's own time units (its normalizeValueByUnit), from our TimeUnit names.
_UNITS = (("s", 1.0), ("ms", 1e3), ("us", 1e6), ("ns", 1e9))
_MIB = 2**20
_ONE = {"runs": "run", "requests": "request", "queries": "query"}


def render(results: RunResults, memo: ResultMemo | None = None) -> str:
    """``customSmallerIsBetter``: mean latency, and peak memory where measured."""
    return _dumps(smaller(of_results(results)))


def render_bigger(results: RunResults, memo: ResultMemo | None = None) -> str:
    """``customBiggerIsBetter``: throughput."""
    return _dumps(bigger(of_results(results)))


def render_comparison(result: FileComparison) -> str:
    """``pbench compare``: the candidate side's mean latency (smaller is better)."""
    return _dumps(smaller(of_comparison(result)))


def render_comparison_bigger(result: FileComparison) -> str:
    """``pbench compare``: the candidate side's runs per second (commands only)."""
    return _dumps(bigger(of_comparison(result)))


def smaller(tracked: list[Tracked]) -> list[dict[str, Any]]:
    entries = []
    for t in tracked:
        if t.latency is not None and is_count(t.measure):
            # A series of its own: the action charts one unit per name.
            interval = _interval_words(t.latency)
            extra = f"mean {t.measure} of one run (Valgrind), {interval}; n = {t.n}"
            entries.append(_entry(f"{t.name} ({t.measure})", t.measure, t.latency, 1.0, extra))
        elif t.latency is not None:
            unit, scale = time_unit(t.latency.value)
            what = "CPU time" if t.measure == "cpu" else "time"
            extra = f"mean {what} of one {_ONE[t.noun]}, {_interval_words(t.latency)}; n = {t.n}"
            name = f"{t.name} (cpu)" if t.measure == "cpu" else t.name
            entries.append(_entry(name, unit, t.latency, scale, extra))
        if t.peak_memory is not None:
            entries.append(
                _entry(
                    f"{t.name} (peak memory)",
                    "MiB",
                    Estimate(float(t.peak_memory)),
                    1 / _MIB,
                    "largest peak resident set size of any run",
                )
            )
    return entries


def bigger(tracked: list[Tracked]) -> list[dict[str, Any]]:
    entries = []
    for t in tracked:
        if t.throughput is None:
            continue
        how = "over the whole load run" if t.load else "1 / mean time of one run"
        extra = f"{t.noun} per second, {how}, {_interval_words(t.throughput)}"
        entries.append(_entry(t.name, f"{t.noun}/s", t.throughput, 1.0, extra))
    return entries


def time_unit(seconds: float) -> tuple[str, float]:
    """The largest of s, ms, us, ns in which ``seconds`` is at least 1."""
    for unit, scale in _UNITS:
        if seconds * scale >= 1:
            return unit, scale
    return _UNITS[-1]


def _entry(name: str, unit: str, estimate: Estimate, scale: float, extra: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name, "unit": unit, "value": estimate.value * scale}
    half = estimate.half_width
    if half is not None:
        entry["range"] = f"± {half * scale:.6g}"
    entry["extra"] = extra
    return entry


def _interval_words(estimate: Estimate) -> str:
    return "range: 95% confidence interval" if estimate.half_width is not None else "no interval"


def _dumps(entries: list[dict[str, Any]]) -> str:
    return json.dumps(entries, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
