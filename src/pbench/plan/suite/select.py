"""Which benchmarks run: tiers, tags and ``-k`` patterns.

A benchmark belongs to the tiers it names (``tiers = [...]``) and to every tier whose
``tags`` share one of its tags; one that belongs to none this way is in every tier.
A selection keeps the benchmarks of its tier that have any of its tags and whose name
matches its pattern, in file order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from fnmatch import fnmatchcase


@dataclass(frozen=True)
class Selection:
    """What to run: a tier (None: no tier's settings), tags (any of them; none: all),
    and ``-k PATTERN``: a case-insensitive substring of the name, or a glob if it has
    ``*``, ``?`` or ``[``."""

    tier: str | None = None
    tags: tuple[str, ...] = ()
    pattern: str | None = None

    def describe(self) -> str:
        parts = [f"tier {self.tier!r}"] if self.tier else []
        if self.tags:
            parts.append(f"tag {' or '.join(repr(tag) for tag in self.tags)}")
        if self.pattern is not None:
            parts.append(f"-k {self.pattern!r}")
        return ", ".join(parts) or "the selection"

    def matches(self, name: str, tags: Iterable[str], tiers: Iterable[str]) -> bool:
        if self.tier is not None and self.tier not in tiers:
            return False
        if self.tags and not set(self.tags) & set(tags):
            return False
        return self.pattern is None or name_matches(name, self.pattern)


def name_matches(name: str, pattern: str) -> bool:
    name, pattern = name.lower(), pattern.lower()
    if any(char in pattern for char in "*?["):
        return fnmatchcase(name, pattern)
    return pattern in name


def membership(
    own: Sequence[str], tags: Sequence[str], tier_tags: Mapping[str, Sequence[str]]
) -> tuple[str, ...]:
    """The tiers of a benchmark; every tier of ``tier_tags`` when it names none."""
    found = list(own) + [tier for tier, wanted in tier_tags.items() if set(wanted) & set(tags)]
    return tuple(dict.fromkeys(found)) or tuple(tier_tags)


def unknown_tier(name: str, known: Sequence[str]) -> str:
    close = get_close_matches(name, known, n=1)
    guess = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown tier {name!r} ({guess}known tiers: {', '.join(known)})"
