"""Saving a finished invocation to the history store (``--save``, ``--store``, a suite's
``[history]``): after the report and every export, so a store that cannot be reached
loses nothing but the saving, and says so in one message (exit 1)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from pbench.cli.common import Display, flags_from
from pbench.errors import ExitCode
from pbench.history.store import StoreAddress, StoreError
from pbench.models import RunResults
from pbench.plan.store import StoreFlags, store_address


def store_for(options: Mapping[str, Any]) -> StoreAddress | None:
    """Where ``--save``/``--store`` save the run (None: not saved); a bad address
    is a UsageError before anything is measured."""
    flags = flags_from(StoreFlags, options)
    return store_address(flags.store) if flags.saving else None


def save_run(
    address: StoreAddress, run_results: RunResults, status: ExitCode, display: Display
) -> ExitCode:
    """Save ``run_results`` (an interrupted run is not saved); what it adds to the exit
    status: BENCHMARK_FAILED when the store failed, else OK."""
    if status == ExitCode.INTERRUPTED:
        click.echo("pbench: interrupted: the run was not saved to history", err=True)
        return ExitCode.OK
    from pbench.history.backends import open_store
    from pbench.history.capture import record_run

    record = record_run(run_results, int(status))
    if not record.results:
        if not display.quiet:
            click.echo("pbench: nothing saved to history: no benchmark finished", err=True)
        return ExitCode.OK
    try:
        with open_store(address) as store:
            run_id = store.save(record)
    except StoreError as exc:
        exc.message = f"the run was reported and exported but not saved: {exc.message}"
        click.echo(exc.render(), err=True)
        return ExitCode.BENCHMARK_FAILED
    if not display.quiet:
        click.echo(f"pbench: saved run #{run_id} to {address.shown}", err=True)
    return ExitCode.OK
