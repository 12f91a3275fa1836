"""Concurrency sweeps: ``-j 1,2,4,8`` (``pbench run``) or ``-c 1,2,4,8`` (``http``,
``sql``) measures one load run per level, each as long as a single one would be, and
ends with a scaling table (:mod:`pbench.run.scaling`).

Each level is planned and measured on its own (its own pool of N clients); its results
are named ``NAME (c=N)`` with ``parameters["concurrency"] = "N"``, so that exports and
reports see one benchmark per level. Exports are rewritten after each level. A level
that fails, or Ctrl-C, ends the sweep: the levels measured so far are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from pbench.errors import ExitCode
from pbench.models import BenchmarkResult
from pbench.session.publish import Measured, Session

P = TypeVar("P")


def measure_sweep(
    levels: Sequence[int], measure: Callable[[int], Measured], session: Session, noun: str
) -> Measured:
    """Measure every level in turn with ``measure(level)``; results labelled by level."""
    from pbench.run.scaling import label_level

    session.sweep = noun
    done: list[BenchmarkResult] = []
    for level in levels:
        if not session.display.quiet:
            session.output.echo(
                f"Concurrency {level} ({levels.index(level) + 1} of {len(levels)})", err=True
            )
        results, status, failure = measure(level)
        for result in results:
            label_level(result, level)
        done += results
        session.checkpoint(done)
        if status != ExitCode.OK:
            return done, status, failure
    return done, ExitCode.OK, None


def finish_levels(
    plans: Mapping[int, P],
    session_for: Callable[[str | None], Session],
    reference: str | None,
    measure: Callable[[P, Session], Measured],
    noun: str,
) -> int:
    """One plan measured and finished (compared with ``reference``), or a sweep of
    several levels (no reference: its scaling table instead); the exit status."""
    levels = list(plans)
    if len(levels) == 1:
        session = session_for(reference)
        return session.finish(*measure(plans[levels[0]], session))
    session = session_for(None)
    return session.finish(
        *measure_sweep(levels, lambda level: measure(plans[level], session), session, noun)
    )
