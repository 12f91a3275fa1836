"""The session of one ``run``, ``http`` or ``sql`` invocation, from its parsed options:
the report settings, ``--budget``, where the run is saved (``--save``/``--store``) and
the history it is compared with (``--baseline``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pbench.plan.budgets import budgets_for
from pbench.plan.options import ReportFlags
from pbench.plan.store import StoreFlags
from pbench.session.output import Display, Output
from pbench.session.publish import Session
from pbench.session.saving import store_for

if TYPE_CHECKING:
    from pbench.export import ExportSpec


def session_for(
    report: ReportFlags,
    history: StoreFlags,
    specs: Sequence[ExportSpec],
    display: Display,
    subcommand: str,
    reference: str | None,
    output: Output,
    command: str | None = None,
) -> Session:
    """A :class:`Session` for ``pbench SUBCOMMAND`` with these flags; ``reference``
    names the benchmark the others are compared with (None: the fastest, or none);
    ``command`` is the name it was invoked with (default ``subcommand``)."""
    return Session(
        specs,
        display,
        report,
        reference,
        budgets_for(subcommand, report.budgets),
        store=store_for(history),
        history=history,
        output=output,
        command=command or subcommand,
    )
