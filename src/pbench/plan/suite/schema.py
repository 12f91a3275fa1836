"""What a suite file may say: the kinds of benchmark, the keys of each kind and the TOML
type each key takes, the keys refused in a file, and the built-in tiers.

The option keys come from outside (``cli/`` derives them from the click commands);
this module holds only their shape and the few keys every suite knows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from pbench.plan.options import HttpFlags, ReportFlags, RunFlags, SqlFlags

Kind = Literal["command", "http", "sql"]
KINDS: tuple[Kind, ...] = ("command", "http", "sql")
Flags = RunFlags | HttpFlags | SqlFlags

# The TOML type a key takes:
#   flag         true or false
#   int          an integer; number: an integer or a float
#   duration     a number of seconds or a string such as "250ms"
#   fraction     a number such as 0.02 or a string such as "2%"
#   text         a string
#   texts        a string or a list of strings (a repeatable option)
#   codes        like texts, integers allowed (``expect_status = [200, 204]``)
#   assignments  a table { NAME = "value" } or a list of "NAME=value" strings
#   levels       an integer, or a list of them (a concurrency sweep: [1, 2, 4, 8])
#   flag_or_codes  true or false, or a list of exit codes (ignore_failure = [1, 2])
Shape = Literal["flag", "int", "number", "duration", "fraction", "text", "texts", "codes",
                "assignments", "levels", "flag_or_codes"]  # fmt: skip

# The key of each kind that names what is measured; it is required.
TARGET_KEY: dict[Kind, str] = {"command": "command", "http": "url", "sql": "query"}
# Keys of a benchmark table that are not options of its subcommand.
OWN_KEYS = ("name", "kind", "tags", "tiers", "budgets", "parameters")
# "How much to measure": a layer that sets any of these replaces all of them below it,
# so a tier's ``runs = 10`` and a benchmark's ``min_runs = 50`` do not clash.
EXCLUSIVE = ("runs", "min_runs", "max_runs", "precision", "duration")
# Dropped together with the exclusive keys of its layer: it only qualifies precision.
COMPANIONS = ("precision_of",)
# The time one benchmark may take: its --max-time (the cap of its measuring phase, and
# the time budget of --precision).
TIME_CAP_KEY = "max_time"
# Built-in tiers: the time cap of one benchmark in each (a file's [tier.X] may add keys).
BUILTIN_TIERS: dict[str, dict[str, object]] = {
    "quick": {TIME_CAP_KEY: "30s"},
    "full": {TIME_CAP_KEY: "5min"},
    "load": {TIME_CAP_KEY: "10min"},
}


@dataclass(frozen=True)
class KindKeys:
    """The option keys of one kind: canonical key -> shape, other spellings -> the
    canonical key (``requests`` -> ``runs``), whether it takes ``parameters``, and the
    keys only a benchmark's own table may set (``own_only``: a command benchmark is a
    load run only when it says so itself, not because a tier set ``duration`` for the
    URLs)."""

    keys: Mapping[str, Shape]
    aliases: Mapping[str, str]
    parameters: bool
    own_only: frozenset[str] = frozenset()


@dataclass(frozen=True)
class BuildRequest:
    """Everything the flags of one benchmark are made of; ``settings`` holds the merged
    option keys with their TOML values (checked, variables expanded)."""

    kind: Kind
    target: str
    name_template: str
    settings: Mapping[str, object]
    scans: tuple[tuple[str, str, str], ...]
    step: str | None
    lists: tuple[tuple[str, str], ...]


# convert(kind, key, value) -> the option's value as the subcommand would have it;
# raises UsageError with a message that does not repeat the key.
Convert = Callable[[Kind, str, object], object]
# build(request) -> the subcommand's flags and the report's flags; raises UsageError.
Build = Callable[[BuildRequest], tuple[Flags, ReportFlags]]


@dataclass(frozen=True)
class SuiteSchema:
    kinds: Mapping[Kind, KindKeys]
    # key -> why a file cannot set it and what to do instead
    refused: Mapping[str, str]
    convert: Convert
    build: Build

    def canonical(self, key: str, kind: Kind | None = None) -> str | None:
        """The canonical option key of ``key`` (for ``kind``, or for any kind)."""
        for name in (kind,) if kind is not None else KINDS:
            keys = self.kinds[name]
            if key in keys.keys:
                return key
            if key in keys.aliases:
                return keys.aliases[key]
        return None

    def shape(self, key: str) -> Shape:
        """The shape of a canonical key (the same in every kind that has it)."""
        return next(k.keys[key] for k in self.kinds.values() if key in k.keys)

    def kinds_with(self, key: str) -> tuple[Kind, ...]:
        return tuple(kind for kind in KINDS if key in self.kinds[kind].keys)
