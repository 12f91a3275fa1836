"""The session of one ``run``, ``http`` or ``sql`` invocation, from its typed flags:
the report settings, ``--budget``, the exports, where the run is saved
(``--save``/``--store``) and the history it is compared with (``--baseline``).

A front end builds one :class:`Invocation` per invocation (``cli/`` from click's
keyword arguments, once, at the top of each command; any other front end from its own
input) and hands its :meth:`Invocation.session` to
:func:`pbench.session.measure.finish`: the application layer never sees click."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pbench.plan.budgets import budgets_for
from pbench.plan.options import ReportFlags
from pbench.plan.store import StoreFlags
from pbench.session.output import Display, Output
from pbench.session.publish import Session
from pbench.session.saving import store_for

if TYPE_CHECKING:
    from pbench.export import ExportSpec


@dataclass(frozen=True, kw_only=True)
class Invocation:
    """What the end of one ``pbench SUBCOMMAND`` run needs, typed: the report settings,
    the store flags, the exports and the display; ``command`` is the name it was
    invoked with (default ``subcommand``)."""

    subcommand: str
    report: ReportFlags
    history: StoreFlags
    exports: Sequence[ExportSpec]
    display: Display
    output: Output
    command: str | None = None

    def session(self, reference: str | None) -> Session:
        """A :class:`Session` for these flags; ``reference`` names the benchmark the
        others are compared with (None: the fastest, or none)."""
        return Session(
            self.exports,
            self.display,
            self.report,
            reference,
            budgets_for(self.subcommand, self.report.budgets),
            store=store_for(self.history),
            history=self.history,
            output=self.output,
            command=self.command or self.subcommand,
        )
