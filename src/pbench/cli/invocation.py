"""The session of one ``run``, ``http`` or ``sql`` invocation, from its parsed options:
the report settings, ``--budget``, where the run is saved (``--save``/``--store``) and
the history it is compared with (``--baseline``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pbench.cli.common import Display, flags_from
from pbench.cli.saving import store_for
from pbench.cli.session import Session
from pbench.plan.budgets import budgets_for
from pbench.plan.options import ReportFlags
from pbench.plan.store import StoreFlags

if TYPE_CHECKING:
    from pbench.export import ExportSpec


def session_for(
    options: Mapping[str, Any],
    specs: Sequence[ExportSpec],
    display: Display,
    subcommand: str,
    reference: str | None,
) -> Session:
    """A :class:`Session` for ``pbench SUBCOMMAND`` with these options; ``reference``
    names the benchmark the others are compared with (None: the fastest, or none)."""
    report = flags_from(ReportFlags, options)
    return Session(
        specs,
        display,
        report,
        reference,
        budgets_for(subcommand, report.budgets),
        store=store_for(options),
        history=flags_from(StoreFlags, options),
    )
