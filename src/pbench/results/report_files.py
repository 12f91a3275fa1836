"""The files a report is made from, read back: result files (pbench's or hyperfine's JSON
export) and the JSON of ``pbench compare``, in any mix.

Every result file is restored (:func:`pbench.results.read.restore`) and all become
one :class:`~pbench.models.RunResults`, benchmarks in file order. A name found in
more than one file is prefixed by its file's name in every file it is in
(``base.json: sort``), or by the file's path when the names of the files are the
same too; its warnings, summaries, comparisons, budgets, scores and recommendations
follow it. The metadata and the reference are the first file's that has them.

A compare file (it has ``compare_schema_version``) gives a :class:`SavedCompare`: its
comparisons restored as written (:func:`pbench.results.records.comparison_of`), its
warnings, and a line per failed ``--fail-if`` gate.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pbench.errors import UsageError
from pbench.models import BenchmarkResult, RunResults
from pbench.results import records
from pbench.results.read import REPORT_RUNS, read_json, restore
from pbench.results.schema import COMPARE_SCHEMA_VERSION
from pbench.stats.comparison import Comparison


@dataclass(frozen=True)
class SavedCompare:
    """What one ``pbench compare`` JSON file found: baseline → candidate."""

    path: str
    baseline: str  # the baseline file's path, or paths joined by ", "
    candidate: str
    comparisons: tuple[Comparison, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportFiles:
    """Everything a report is made from: the result files' :class:`RunResults` (empty
    without result files) and the compare files' findings."""

    results: RunResults
    compares: tuple[SavedCompare, ...] = ()
    result_files: tuple[str, ...] = ()

    @property
    def comparisons(self) -> tuple[Comparison, ...]:
        """Every comparison: those within the result files, then the compare files'."""
        saved = (c for s in self.compares for c in s.comparisons)
        return (*self.results.comparisons, *saved)


def read_report_files(paths: Sequence[str], input_format: str | None = None) -> ReportFiles:
    """Read every file (as ``input_format``, or the format each one's content shows); a
    :class:`UsageError` names the first unreadable or malformed one."""
    runs: list[tuple[str, RunResults]] = []
    compares: list[SavedCompare] = []
    if len({Path(p).resolve() for p in paths}) < len(paths):
        raise UsageError("the same file is given twice", hint="pass each file once")
    for path in paths:
        document = read_json(path, "result", input_format)
        if isinstance(document, dict) and "compare_schema_version" in document:
            compares.append(saved_compare(document, path))
        else:
            runs.append((path, restore(document, path, REPORT_RUNS)))
    return ReportFiles(merge(runs), tuple(compares), tuple(path for path, _ in runs))


def saved_compare(document: Mapping[str, Any], path: str) -> SavedCompare:
    """A ``pbench compare`` JSON document read back."""
    version = document.get("compare_schema_version")
    if not isinstance(version, int) or version > COMPARE_SCHEMA_VERSION:
        raise UsageError(
            f"{path} has compare_schema_version {records.shown(version)}; this pbench reads "
            f"1 to {COMPARE_SCHEMA_VERSION}",
            hint="report it with the pbench version that wrote it, or upgrade pbench",
        )
    benchmarks = document.get("benchmarks")
    if not isinstance(benchmarks, list):
        raise UsageError(f"{path} has no 'benchmarks' list", hint=records.DAMAGED)
    comparisons = tuple(
        records.comparison_of(
            records.record(entry, f"{path}: benchmarks[{i}]").get("comparison"),
            f"{path}: benchmarks[{i}].comparison",
        )
        for i, entry in enumerate(benchmarks)
    )
    warnings = [str(w) for w in document.get("warnings") or () if isinstance(w, str)]
    for gate in document.get("gates") or ():
        if isinstance(gate, dict) and gate.get("failed") is True:
            warnings.append(
                f"--fail-if {gate.get('expression')} failed for '{gate.get('benchmark')}'"
            )
    return SavedCompare(
        path=path,
        baseline=_side_path(document.get("baseline")),
        candidate=_side_path(document.get("candidate")),
        comparisons=comparisons,
        warnings=tuple(warnings),
    )


def merge(runs: Sequence[tuple[str, RunResults]]) -> RunResults:
    """Several files' results as one (see the module docstring); one file as it is."""
    if len(runs) == 1:
        return runs[0][1]
    counts = Counter(r.name for _, run in runs for r in run.results)
    labels = _labels([path for path, _ in runs])
    parts = [
        _renamed(run, {n: f"{labels[path]}: {n}" for n in counts if counts[n] > 1})
        for path, run in runs
    ]
    return RunResults(
        results=[r for part in parts for r in part.results],
        metadata=next((p.metadata for p in parts if p.metadata), {}),
        reference=next((p.reference for p in parts if p.reference), None),
        warnings={k: v for p in parts for k, v in p.warnings.items()},
        comparisons=[c for p in parts for c in p.comparisons],
        summaries={k: v for p in parts for k, v in p.summaries.items()},
        budgets=[b for p in parts for b in p.budgets],
        scores={k: v for p in parts for k, v in p.scores.items()},
        recommendations={k: v for p in parts for k, v in p.recommendations.items()},
        other_diagnoses={k: v for p in parts for k, v in p.other_diagnoses.items()},
    )


def _labels(paths: Sequence[str]) -> dict[str, str]:
    """Each file's name, or its path where two files share a name."""
    names = Counter(Path(p).name for p in paths)
    return {p: Path(p).name if names[Path(p).name] == 1 else p for p in paths}


def _renamed(run: RunResults, new: Mapping[str, str]) -> RunResults:
    if not any(r.name in new for r in run.results):
        return run

    def name(old: str) -> str:
        return new.get(old, old)

    return dataclasses.replace(
        run,
        results=[_rename_result(r, name(r.name)) for r in run.results],
        reference=None if run.reference is None else name(run.reference),
        warnings={name(k): v for k, v in run.warnings.items()},
        comparisons=[
            dataclasses.replace(c, name=name(c.name), reference=name(c.reference))
            for c in run.comparisons
        ],
        summaries={name(k): v for k, v in run.summaries.items()},
        budgets=[dataclasses.replace(b, benchmark=name(b.benchmark)) for b in run.budgets],
        scores={name(k): dataclasses.replace(v, benchmark=name(k)) for k, v in run.scores.items()},
        recommendations={name(k): v for k, v in run.recommendations.items()},
        other_diagnoses={name(k): v for k, v in run.other_diagnoses.items()},
    )


def _rename_result(result: BenchmarkResult, name: str) -> BenchmarkResult:
    return dataclasses.replace(result, name=name) if name != result.name else result


def _side_path(side: Any) -> str:
    if not isinstance(side, dict):
        return "?"
    paths = side.get("paths")
    if isinstance(paths, list) and paths:
        return ", ".join(str(p) for p in paths)
    return str(side.get("path") or "?")
