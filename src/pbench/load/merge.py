"""Load results of the same benchmarks from several machines, merged into one result
(``pbench merge``): one client machine cannot load a large service, so N machines load
it at once (``--start-at`` lines them up) and their result files are combined here.

Per benchmark (paired by name; every file must hold the same benchmarks):

- the exact latency histograms are added bucket by bucket, so the merged percentiles
  are those of every request of every machine (to the histogram's 1/1024 precision);
- requests, successes, failures, unfinished requests, bytes, errors by kind and status
  codes are added; the throughput is the sum of the machines' rates, which is the rate
  of their overlapping window when they ran together (the window each machine measured
  is kept, and a warning says when the windows overlap for less than 90% of the
  shortest one);
- each machine's own figures are kept under ``load.machines``; its slices are kept in
  ``measurements`` (the medians of all of them give the merged median's interval).

Files whose settings differ (the target, the method, the load model, connections,
rate, workers, slice length) are refused, naming the setting: the sum of two
different loads is no load anyone ran.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pbench.errors import UsageError
from pbench.load.histogram import LatencyHistogram
from pbench.load.result import latency_figures, summary_from_slices
from pbench.models import BenchmarkResult, RunResults

OVERLAP_SHARE = 0.9  # of the shortest window: less is worth a warning
# Settings that must be equal in every file: in the load section, and in ``info``.
LOAD_SETTINGS = ("model", "concurrency", "workers", "target_rate")
SLICE_SETTINGS = ("length_s", "order")
_ADDED = ("requests", "succeeded", "failed", "unfinished", "bytes_received")


@dataclasses.dataclass(frozen=True)
class MachineRun:
    """One machine's result of one benchmark: where it came from and its result."""

    path: str
    result: BenchmarkResult
    metadata: Mapping[str, Any]


def merge_runs(files: Sequence[tuple[str, RunResults]]) -> RunResults:
    """The merged results of ``files`` (path, its results); UsageError when they do
    not hold the same load benchmarks with the same settings."""
    if len(files) < 2:
        raise UsageError("merge needs two or more result files", "give each machine's file")
    names = [r.name for r in files[0][1].results]
    for path, results in files[1:]:
        theirs = [r.name for r in results.results]
        if sorted(theirs) != sorted(names):
            missing = sorted(set(names) ^ set(theirs))
            raise UsageError(
                f"{path} and {files[0][0]} do not hold the same benchmarks "
                f"({', '.join(repr(n) for n in missing[:3])} is in only one)",
                "merge the files of one run of the same benchmarks on several machines",
            )
    merged = []
    warnings: dict[str, list[str]] = {}
    for name in names:
        runs = [
            MachineRun(path, next(r for r in results.results if r.name == name), results.metadata)
            for path, results in files
        ]
        result, found = merge_benchmark(runs)
        merged.append(result)
        warnings[name] = found
    metadata = dict(files[0][1].metadata)
    metadata["merged_from"] = [
        {"file": path, "start_time": results.metadata.get("start_time")} for path, results in files
    ]
    return RunResults(results=merged, metadata=metadata, warnings=warnings)


def merge_benchmark(runs: Sequence[MachineRun]) -> tuple[BenchmarkResult, list[str]]:
    """One benchmark's machine results merged, and the warnings the merge earned."""
    first = runs[0]
    sections = [_load_of(run) for run in runs]
    _check_same(runs, sections)
    histogram = LatencyHistogram()
    for run, load in zip(runs, sections, strict=True):
        histogram += _histogram(run, load)
    load = _merged_section(runs, sections, histogram)
    warnings = _overlap_warning(runs, sections)
    slices = [
        dataclasses.replace(m, round=m.round + offset * 1_000_000, iteration=i)
        for offset, run in enumerate(runs)
        for i, m in enumerate(run.result.measurements)
    ]
    result = BenchmarkResult(
        name=first.result.name,
        command=first.result.command,
        parameters=dict(first.result.parameters),
        info=dict(first.result.info),
        measurements=slices,
        warmups=first.result.warmups,
        stop_reason=first.result.stop_reason,
        notes=[f"merged from {len(runs)} machines: {', '.join(r.path for r in runs)}"],
        sections={**first.result.sections, "load": load},
    )
    if histogram.total and slices:
        result.summary_override = summary_from_slices(histogram, slices)
    return result, warnings


def _load_of(run: MachineRun) -> Mapping[str, Any]:
    load = run.result.sections.get("load")
    if not isinstance(load, Mapping):
        raise UsageError(
            f"{run.path}: {run.result.name!r} is not a load run",
            "merge combines load runs (pbench http, pbench sql -c/-d/--rate, pbench run -j)",
        )
    if not isinstance(load.get("histogram"), Mapping):
        raise UsageError(
            f"{run.path}: {run.result.name!r} has no exact histogram",
            "export it with this pbench version (--export-json); older files cannot merge",
        )
    return load


def _check_same(runs: Sequence[MachineRun], sections: Sequence[Mapping[str, Any]]) -> None:
    first, base = runs[0], sections[0]
    for run, load in zip(runs[1:], sections[1:], strict=True):
        for key in LOAD_SETTINGS:
            _same(key, base.get(key), load.get(key), first.path, run.path)
        for key in SLICE_SETTINGS:
            _same(f"slice {key}", (base.get("slices") or {}).get(key),
                  (load.get("slices") or {}).get(key), first.path, run.path)  # fmt: skip
        for key in sorted(set(first.result.info) | set(run.result.info)):
            _same(key, first.result.info.get(key), run.result.info.get(key), first.path, run.path)


def _same(setting: str, mine: object, theirs: object, path: str, other: str) -> None:
    if mine != theirs:
        raise UsageError(
            f"the setting {setting!r} differs: {mine!r} in {path}, {theirs!r} in {other}",
            "merge only runs of the same benchmark with the same settings",
        )


def _histogram(run: MachineRun, load: Mapping[str, Any]) -> LatencyHistogram:
    from pbench.load.histogram import from_document

    try:
        return from_document(load["histogram"])
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(
            f"{run.path}: the histogram of {run.result.name!r} is malformed ({exc})",
            "export the file again with pbench",
        ) from None


def _merged_section(
    runs: Sequence[MachineRun], sections: Sequence[Mapping[str, Any]], histogram: LatencyHistogram
) -> dict[str, Any]:
    from pbench.load.histogram import to_document

    base = dict(sections[0])
    for key in _ADDED:
        base[key] = sum(int(load.get(key) or 0) for load in sections)
    base["errors"] = dict(sorted(_added(load.get("errors") for load in sections).items()))
    base["status_codes"] = dict(_added(load.get("status_codes") for load in sections))
    rates = [load.get("throughput") or {} for load in sections]
    base["throughput"] = {
        key: sum(float(rate.get(key) or 0.0) for rate in rates)
        for key in ("requests_per_s", "succeeded_per_s", "bytes_per_s")
    }
    asked = [load["rate"] for load in sections if load.get("rate")]
    if asked:  # open loop: every machine ran its own schedule, side by side
        target = sum(float(rate["target"]) for rate in asked)
        achieved = sum(float(rate["achieved"]) for rate in asked)
        base["rate"] = {
            "target": target,
            "achieved": achieved,
            "achieved_share": achieved / target if target else 0.0,
            "reached": len(asked) == len(sections) and all(r["reached"] for r in asked),
        }
    base["elapsed_s"] = max(float(load.get("elapsed_s") or 0.0) for load in sections)
    base["window"] = _union(load.get("window") for load in sections)
    base["latency"] = latency_figures(histogram)
    base["histogram"] = to_document(histogram)
    cpu = sum(float((load.get("client_cpu") or {}).get("cpu_s") or 0.0) for load in sections)
    base["client_cpu"] = {"cpu_s": cpu, "machines": len(runs)}
    base["sample"] = _samples(sections)
    base["machines"] = [
        {
            "file": run.path,
            "start_time": run.metadata.get("start_time"),
            "window": load.get("window"),
            "requests": load.get("requests"),
            "failed": load.get("failed"),
            "throughput": load.get("throughput"),
            "rate": load.get("rate"),
            "latency": load.get("latency"),
        }
        for run, load in zip(runs, sections, strict=True)
    ]
    base["warnings"] = [w for load in sections for w in load.get("warnings") or ()]
    return base


def _union(windows: Any) -> dict[str, Any] | None:
    """From the first machine's start to the last one's end (None without windows)."""
    found = [w for w in windows if isinstance(w, Mapping) and w.get("start") and w.get("end")]
    if not found:
        return None
    return {"start": min(str(w["start"]) for w in found), "end": max(str(w["end"]) for w in found)}


def _added(counts: Any) -> Counter[str]:
    total: Counter[str] = Counter()
    for found in counts:
        for key, value in (found or {}).items():
            total[str(key)] += int(value)
    return total


def _samples(sections: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Every machine's kept requests (each a uniform sample of its own)."""
    samples = [load.get("sample") or {} for load in sections]
    rows = [row for sample in samples for row in sample.get("rows") or ()]
    return {
        "kept": len(rows),
        "of": sum(int(sample.get("of") or 0) for sample in samples),
        "columns": samples[0].get("columns", []),
        "rows": rows,
    }


def _overlap_warning(
    runs: Sequence[MachineRun], sections: Sequence[Mapping[str, Any]]
) -> list[str]:
    """A warning when the machines' measuring windows overlap for less than
    OVERLAP_SHARE of the shortest one: their summed rate was then not one load."""
    windows = []
    for load in sections:
        window = load.get("window") or {}
        try:
            start = datetime.fromisoformat(str(window["start"])).timestamp()
            end = datetime.fromisoformat(str(window["end"])).timestamp()
        except (KeyError, ValueError):
            return ["a file has no measuring window: the summed throughput assumes the"
                    " machines ran together"]  # fmt: skip
        windows.append((start, end))
    overlap = min(end for _, end in windows) - max(start for start, _ in windows)
    shortest = min(end - start for start, end in windows)
    if shortest <= 0 or overlap >= OVERLAP_SHARE * shortest:
        return []
    share = max(overlap, 0.0) / shortest
    return [
        f"the {len(runs)} machines' measuring windows overlap for only {share:.0%} of the"
        " shortest one: the summed throughput is not that of one load (start them together"
        " with --start-at)"
    ]
