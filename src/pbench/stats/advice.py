"""Which remedies a piece of advice may suggest: only flags the subcommand that measured
a result really has (``--prepare`` exists for ``run``, ``--prepare-sql`` for ``sql``,
neither for ``http``; a load run gets more data from a longer ``-d``, not more runs)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

# The target kinds (``info["type"]`` or ``info["kind"]``) whose subcommand has
# --precision and --max-time.
PRECISION_KINDS = frozenset({"command", "sql", "http"})


@dataclass(frozen=True)
class Remedies:
    """The flags advice may name for one result.

    ``prepare``: the untimed per-run hook (None: there is none); ``precision``:
    --precision/--max-time exist; ``load``: a load run, whose sample grows with a longer
    -d; ``noun``: what one run is ("runs", "requests", "queries").
    """

    prepare: str | None = "--prepare"
    precision: bool = True
    load: bool = False
    noun: str = "runs"

    def more_data(self, runs: int) -> str:
        """The flag that measures more: "--runs 40", or "a longer -d" for a load run."""
        return "a longer -d" if self.load else f"--runs {runs}"


COMMAND = Remedies()


class Measured(Protocol):
    """What advice reads of a result (a :class:`pbench.models.BenchmarkResult`)."""

    @property
    def info(self) -> Mapping[str, Any]: ...

    @property
    def sections(self) -> Mapping[str, Any]: ...


def remedies_for(result: Measured) -> Remedies:
    """What the subcommand that produced ``result`` offers."""
    kind = str(result.info.get("type") or result.info.get("kind") or "command")
    precision = kind in PRECISION_KINDS
    if "load" in result.sections or kind == "http":
        noun = "queries" if kind == "sql" else "requests"
        return Remedies(prepare=None, precision=precision, load=True, noun=noun)
    if kind == "sql":
        return Remedies(prepare="--prepare-sql", precision=precision)
    return Remedies(precision=precision)
