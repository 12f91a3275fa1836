"""Interrupts deferred while what was measured is passed on to the report and the
exports: a first SIGINT or SIGTERM then is noted and acted on after, a second one
interrupts at once (see :meth:`pbench.session.publish.Session.publish`)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

INTERRUPTS = (signal.SIGINT, signal.SIGTERM)


class DeferredInterrupts:
    """From :meth:`start` to :meth:`stop`: a first SIGINT or SIGTERM is noted, not
    raised, so that what runs then (passing what was measured on to the report, writing
    the exports) is not cut in the middle; a second one raises KeyboardInterrupt as
    usual. Outside the main thread, where Python cannot set handlers, signals are left
    as they are. :func:`pbench.cli.common.guarded` restores both handlers whatever
    happens."""

    def __init__(self) -> None:
        self._noted: list[int] = []
        self._previous: dict[int, Any] | None = None

    def start(self) -> None:
        if self._previous is None and threading.current_thread() is threading.main_thread():
            self._previous = {signum: signal.signal(signum, self._note) for signum in INTERRUPTS}

    def stop(self) -> list[int]:
        """Signals raise again; the ones noted since :meth:`start`."""
        if self._previous is not None:
            for signum, handler in self._previous.items():
                signal.signal(signum, handler)
            self._previous = None
        noted, self._noted = self._noted, []
        return noted

    def _note(self, signum: int, frame: FrameType | None) -> None:
        self._noted.append(signum)
        if len(self._noted) > 1:
            raise KeyboardInterrupt


@contextmanager
def interrupts_noted() -> Iterator[list[int]]:
    """The block runs with interrupts deferred (:class:`DeferredInterrupts`); the list
    yielded holds, once it ended, the signals noted meanwhile."""
    deferred = DeferredInterrupts()
    noted: list[int] = []
    deferred.start()
    try:
        yield noted
    finally:
        noted += deferred.stop()
