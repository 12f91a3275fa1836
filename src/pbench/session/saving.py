"""Saving a finished invocation to the history store (``--save``, ``--store``, a suite's
``[history]``): after the report and every export, so a store that cannot be reached
loses nothing but the saving, and says so in one message (exit 1)."""

from __future__ import annotations

from pbench.errors import ExitCode
from pbench.history.store import StoreAddress, StoreError
from pbench.models import RunResults
from pbench.plan.store import StoreFlags
from pbench.session.output import Display, Output
from pbench.session.stores import named


def store_for(flags: StoreFlags) -> StoreAddress | None:
    """Where ``--save``/``--store``/``--save-baseline`` save the run (None: not saved);
    a bad address is a UsageError before anything is measured."""
    return named(flags.store) if flags.saving else None


def save_run(
    address: StoreAddress,
    run_results: RunResults,
    status: ExitCode,
    display: Display,
    output: Output,
    mark: str | None = None,
) -> ExitCode:
    """Save ``run_results`` (an interrupted run is not saved) and, with ``mark``
    (--save-baseline), name it as that baseline unless a benchmark failed; what it adds
    to the exit status: BENCHMARK_FAILED when the store failed, else OK."""
    if status == ExitCode.INTERRUPTED:
        output.echo("pbench: interrupted: the run was not saved to history", err=True)
        return ExitCode.OK
    from pbench.history.backends import open_store
    from pbench.history.capture import record_run

    record = record_run(run_results, int(status))
    if not record.results:
        if not display.quiet:
            output.echo("pbench: nothing saved to history: no benchmark finished", err=True)
        return ExitCode.OK
    marking = mark if status not in (ExitCode.BENCHMARK_FAILED, ExitCode.USAGE) else None
    run_id: int | None = None
    try:
        with open_store(address) as store:
            run_id = store.save(record)
            if marking is not None:
                store.mark_baseline(marking, run_id)
    except StoreError as exc:
        done = "not saved" if run_id is None else f"saved as run #{run_id} but not marked"
        exc.message = f"the run was reported and exported but {done}: {exc.message}"
        output.echo(exc.render(), err=True)
        return ExitCode.BENCHMARK_FAILED
    if mark is not None and marking is None:
        output.echo(f"pbench: baseline '{mark}' not moved: the run did not succeed", err=True)
    if not display.quiet:
        named = f" as baseline '{marking}'" if marking is not None else ""
        output.echo(f"pbench: saved run #{run_id} to {address.shown}{named}", err=True)
    return ExitCode.OK
