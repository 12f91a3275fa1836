"""A suite benchmark that runs another harness (``harness = "pytest-benchmark"``) and
reads what it wrote: the plan of one such run.

The harness decides how it measures (its own rounds, warmups and time limits); pbench
runs its ``command`` once through ``/bin/sh`` from the suite file's folder, with
``{output}`` replaced by the path of a file pbench owns (shell-quoted), and reads that
file, or the command's standard output when it has no ``{output}`` (``go test -bench``
prints its results), as the harness's format. Each benchmark in it becomes a benchmark
of the suite named ``ENTRY/NAME`` (run by :mod:`pbench.run.harness`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pbench.run.harness import OUTPUT


@dataclass(frozen=True)
class HarnessPlan:
    """Run ``command`` (``{output}`` still in it) and read its results as ``harness``
    (a format name of :mod:`pbench.results.formats`); results named ``entry/NAME``."""

    entry: str
    harness: str
    command: str

    @property
    def measured_as(self) -> str:
        """How pbench.session.measure measures it."""
        return "harness"

    @property
    def noun(self) -> str:
        return "benchmarks"

    @property
    def to_file(self) -> bool:
        """Whether the harness writes a file (``{output}``), else its stdout is read."""
        return OUTPUT in self.command
