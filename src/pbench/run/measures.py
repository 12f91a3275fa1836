"""What each ``--measure`` is and how it is taken, said once for the JSON export and
the report (the figure itself is :meth:`pbench.models.Measurement.figure`)."""

from __future__ import annotations

from pbench.models import Measure

_HOW = {
    "wall": "wall time: the monotonic clock read right around fork and reap of each run",
    "cpu": (
        "CPU time: user + system time of each run's whole process tree, the kernel's "
        "account (wait4 of the command and the children it waited for)"
    ),
}


def how_taken(measure: Measure) -> str:
    """One line on how a measure's figure is taken (the JSON's ``measured_with``)."""
    if measure in _HOW:
        return _HOW[measure]
    from pbench.targets.command.valgrind import how_taken as counted

    return counted(measure)  # type: ignore[arg-type]
