"""A run's comparison with a stored run (``--baseline REF``) in the exports.

- JSON: the top-level ``baseline`` object (:func:`baseline_document`): the ``ref`` as
  given, the stored ``run`` (id, time, commit, branch, dirty, its ``machine``: fingerprint,
  host, CPU), this run's ``machine``, ``other_machine`` (true only with
  ``--any-machine``), the settings, and per benchmark what ``pbench compare``'s JSON
  has (both sides' figures, the full comparison), then ``regressions``,
  ``inconclusive``, the unpaired names and ``warnings``.
- Markdown: a "Baseline" section with compare's table (:func:`markdown_section`).
- JUnit: one case per benchmark compared (:mod:`pbench.export.junit`).
"""

from __future__ import annotations

from typing import Any

from pbench.history.baseline import BaselineComparison
from pbench.history.records import Machine
from pbench.models import RunResults

# What a baseline comparison takes from pbench compare's JSON document.
_COMPARED = ("settings", "benchmarks", "regressions", "inconclusive", "only_in_baseline",
             "only_in_candidate")  # fmt: skip


def baseline_of(run_results: RunResults) -> BaselineComparison | None:
    """The run's comparison with a stored run, if ``--baseline`` asked for one."""
    found = run_results.baseline
    return found if isinstance(found, BaselineComparison) else None


def baseline_document(baseline: BaselineComparison) -> dict[str, Any]:
    from pbench.export.compare import document

    found, run = baseline.found, baseline.found.run
    compared = document(baseline.comparison)
    return {
        "ref": found.ref.text,
        "run": {
            "id": run.id,
            "time": run.time.isoformat().replace("+00:00", "Z"),
            "commit": run.commit,
            "branch": run.branch,
            "dirty": run.dirty,
            "machine": machine_dict(found.machine),
        },
        "machine": machine_dict(found.here),
        "other_machine": baseline.other_machine,
        "any_machine": baseline.any_machine,
        **{key: compared[key] for key in _COMPARED},
        "warnings": baseline.warnings() + compared["warnings"],
    }


def machine_dict(machine: Machine) -> dict[str, Any]:
    return {
        "fingerprint": machine.fingerprint,
        "host": machine.host,
        "cpu_model": machine.cpu_model,
        "cores": machine.cores,
        "memory_bytes": machine.memory_bytes,
        "kernel": machine.kernel,
        "python": machine.python,
        "pbench_version": machine.pbench_version,
    }


def markdown_section(baseline: BaselineComparison) -> str:
    """``### Baseline`` with the stored run's identity and compare's table."""
    from pbench.export.compare import thresholds_text
    from pbench.report.compare import headers, notes, rows, warnings
    from pbench.report.markdown_text import cell, code_span, table_head, table_row

    found, comparison = baseline.found, baseline.comparison
    run, settings = found.run, comparison.settings
    commit = f", commit {code_span(run.commit[:12])}" if run.commit else ""
    table = table_head([cell(h) for h in headers(comparison)]) + "".join(
        table_row([cell(c) for c in row]) for row in rows(comparison)
    )
    lines = [
        f"\n### Baseline {code_span(found.ref.text)}: run #{run.id}"
        f" of {run.time:%Y-%m-%d %H:%M} UTC{commit}\n\n",
        f"Ratio = this run / the baseline of the {settings.statistic}, with its "
        f"{1 - settings.alpha:.0%} bootstrap interval; noise threshold "
        f"{thresholds_text(comparison.comparisons, settings.threshold)}.\n\n",
        table,
    ]
    extra = baseline.warnings() + notes(comparison) + warnings(comparison)
    if extra:
        lines.append("\n" + "".join(f"- {cell(line)}\n" for line in extra))
    return "".join(lines)
