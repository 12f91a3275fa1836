"""``--baseline REF`` of run, http, sql and suite: the run compared with a stored run.

Before anything is measured, REF is resolved (:func:`prepare`): an unknown REF, one
that names a run of another machine (without ``--any-machine``) or a missing SQLite
store is a UsageError (exit 2) and nothing runs. A store that cannot be read is
remembered instead: the run goes on, is reported and exported, and then exits 1,
as saving does.

At the end (:func:`compare_run`, called by :meth:`pbench.session.publish.Session.publish`),
the stored run's samples are read and compared with the finished benchmarks; the
comparison joins the :class:`~pbench.models.RunResults` (the JSON, Markdown and JUnit
exports show it), its table follows the report (:func:`show`), and a regression
exits 3 (after every export; a broken budget's 4 still wins).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pbench.errors import ExitCode, PbenchError, UsageError

if TYPE_CHECKING:
    from pbench.history.baseline import BaselineComparison
    from pbench.history.refs import Found, Ref
    from pbench.history.store import StoreAddress
    from pbench.models import RunResults
    from pbench.plan.options import ReportFlags
    from pbench.plan.store import StoreFlags
    from pbench.session.output import Output


@dataclass(frozen=True)
class Against:
    """A ``--baseline REF`` resolved before measuring: the run it names, or the store
    error that kept it from being read (reported after the exports)."""

    address: StoreAddress
    ref: Ref
    any_machine: bool
    found: Found | None = None
    error: PbenchError | None = None


@dataclass(frozen=True)
class Outcome:
    """What comparing gave: the comparison (None when it failed), what it adds to the
    exit status, and an error to show after the exports."""

    comparison: BaselineComparison | None
    status: ExitCode = ExitCode.OK
    error: PbenchError | None = None


def save_name(flags: StoreFlags) -> str | None:
    """``--save-baseline NAME`` checked before measuring (None without it)."""
    if flags.save_baseline is None:
        return None
    from pbench.history.refs import check_baseline_name

    return check_baseline_name(flags.save_baseline)


def prepare(
    flags: StoreFlags, metadata: Mapping[str, Any], address: StoreAddress | None = None
) -> Against | None:
    """``--baseline REF`` resolved on this machine (see the module docstring), in the
    store at ``address`` (default: the one --store names); None without one."""
    text = flags.baseline
    if text is None:
        if flags.any_machine:
            raise UsageError("--any-machine applies to --baseline REF", "add --baseline REF")
        return None
    from pbench.history.backends import open_store
    from pbench.history.fingerprint import machine_from, this_host
    from pbench.history.refs import find_run, parse_ref
    from pbench.history.store import StoreError
    from pbench.session.stores import named

    ref = parse_ref(text)
    address = address or named(flags.store)
    missing_store(address, ref.text)
    here = machine_from(metadata, this_host())
    try:
        with open_store(address, create=False) as store:
            found = find_run(store, ref, here, flags.any_machine)
    except StoreError as exc:
        return Against(address, ref, flags.any_machine, error=exc)
    return Against(address, ref, flags.any_machine, found=found)


def missing_store(address: StoreAddress, ref: str) -> None:
    """A UsageError when the SQLite file ``--baseline`` would read does not exist."""
    if address.scheme == "sqlite" and address.path and not Path(address.path).exists():
        raise UsageError(
            f"--baseline {ref}: no history store at {address.shown}",
            "save a run there first (--save-baseline NAME or --save), or name the store "
            "with --store or PBENCH_STORE",
        )


def compare_run(against: Against, run_results: RunResults, report: ReportFlags) -> Outcome:
    """The finished run compared with the stored one (see the module docstring)."""
    from pbench.history.backends import open_store
    from pbench.history.baseline import compare_with, records_side
    from pbench.history.capture import record_run
    from pbench.history.store import StoreError

    if against.error is not None or against.found is None:
        return Outcome(None, ExitCode.BENCHMARK_FAILED, against.error)
    record = record_run(run_results)
    if not record.results:
        return Outcome(None)  # nothing finished: the failure says why
    settings = report.settings
    try:
        with open_store(against.address, create=False) as store:
            found = compare_with(
                store, against.found, records_side(record.results), settings, against.any_machine
            )
    except StoreError as exc:
        return Outcome(None, ExitCode.BENCHMARK_FAILED, exc)
    except UsageError as exc:  # no benchmark in common
        exc.message = f"--baseline {against.ref.text}: {exc.message}"
        return Outcome(None, ExitCode.USAGE, exc)
    return Outcome(found, found.comparison.exit_code())


def attach(run_results: RunResults, outcome: Outcome) -> RunResults:
    return replace(run_results, baseline=outcome.comparison)


def show(outcome: Outcome, to_stderr: bool, output: Output) -> None:
    """The heading, the warnings, compare's table and its notes, after the report."""
    if outcome.comparison is None:
        return
    from pbench.report.compare import notes, render_table, warnings

    baseline = outcome.comparison
    run = baseline.found.run
    commit = f", commit {run.commit[:12]}" if run.commit else ""
    branch = f" on {run.branch}" if run.branch else ""
    for line in baseline.warnings() + warnings(baseline.comparison):
        output.echo(f"pbench: warning: {line}", err=True)
    output.echo(
        f"\nCompared with {baseline.found.label}, saved {run.time:%Y-%m-%d %H:%M} UTC"
        f"{commit}{branch}:\n" + render_table(baseline.comparison),
        err=to_stderr,
    )
    for line in notes(baseline.comparison):
        output.echo(line, err=to_stderr)


def problems(outcome: Outcome, output: Output) -> None:
    """After the exports: the store's error, or one line per regression."""
    if outcome.error is not None:
        error = outcome.error
        if not error.message.startswith("--baseline"):
            error.message = f"the run was reported and exported but not compared: {error.message}"
        output.echo(error.render(), err=True)
    if outcome.comparison is not None:
        for line in regression_lines(outcome.comparison):
            output.echo(f"pbench: {line}", err=True)


def regression_lines(baseline: BaselineComparison) -> Sequence[str]:
    comparison = baseline.comparison
    return [
        f"regression: '{c.name}' takes {c.ratio:.3f} [{c.ratio_ci[0]:.3f}, {c.ratio_ci[1]:.3f}] "
        f"times its {c.statistic} in {baseline.found.label} (threshold "
        f"±{c.threshold * 100:g}%, p {c.p_adjusted:.2g})"
        for c in comparison.comparisons
        if c.verdict == "slower"
    ]
