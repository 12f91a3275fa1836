"""The tables of a suite file read into layers: ``[defaults]``, the built-in and the
file's tiers, and each ``[[benchmark]]`` with its name, kind and target."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any

from pbench.plan.suite.history import TABLE as HISTORY
from pbench.plan.suite.history import HistorySettings, read_history
from pbench.plan.suite.layers import BUDGET_ALIAS, Layer, Reader, article
from pbench.plan.suite.schema import BUILTIN_TIERS, KINDS, TARGET_KEY, Kind
from pbench.plan.suite.source import Where
from pbench.plan.suite.values import shown

TOP_LEVEL = ("benchmark", "defaults", "tier", HISTORY)
HARNESS = "harness"
HARNESS_OWN = ("tags", "tiers", "budgets")
_TARGET_WHAT: dict[Kind, str] = {
    "command": "the command to run",
    "http": "the URL to load",
    "sql": "the query to time",
}


@dataclass
class Entry:
    """One ``[[benchmark]]``: None where its name, kind or target is missing or wrong."""

    where: Where
    layer: Layer
    name: str | None = None
    kind: Kind | None = None
    target: str | None = None
    harness: str | None = None  # harness = "pytest-benchmark": runs it, reads its results


@dataclass
class Document:
    defaults: Layer
    tiers: dict[str, Layer]  # the file's [tier.X] tables
    builtin: dict[str, Layer]  # the built-in tiers' own settings
    entries: list[Entry] = field(default_factory=list)
    history: HistorySettings = field(default_factory=HistorySettings)

    @property
    def known_tiers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.builtin, *self.tiers]))


def read_document(doc: Mapping[str, Any], reader: Reader) -> Document:
    problems = reader.problems
    for key in doc:
        if key not in TOP_LEVEL:
            close = get_close_matches(key, TOP_LEVEL, n=1)
            guess = (
                f", did you mean `{close[0]}`?"
                if close
                else " (a suite has [[benchmark]] tables, [defaults], [tier.NAME] and [history])"
            )
            problems.add(Where((), "", (key,)), f"unknown table `{key}`{guess}")
    defaults = Layer(Where(("defaults",), "defaults"))
    reader.fill(defaults, _table(doc, "defaults", reader), None, ("tags", "tiers", "budgets",
                                                                  "parameters"))  # fmt: skip
    tiers: dict[str, Layer] = {}
    for name, table in _table(doc, "tier", reader).items():
        layer = Layer(Where(("tier", name), f"tier.{name}"))
        if not isinstance(table, Mapping):
            problems.add(layer.where, f"expected a table [tier.{name}], got {shown(table)}")
            table = {}
        tiers[name] = reader.fill(layer, table, None, ("tags", "budgets", "parameters"))
    builtin = {
        name: reader.fill(Layer(Where(("tier", name), f"tier.{name} (built in)")), table, None, ())
        for name, table in BUILTIN_TIERS.items()
    }
    document = Document(defaults, tiers, builtin)
    if HISTORY in doc:
        document.history = read_history(doc[HISTORY], reader)
    raw = doc.get("benchmark", [])
    if not isinstance(raw, list) or not all(isinstance(t, Mapping) for t in raw):
        problems.add(Where((), "", ("benchmark",)), "expected [[benchmark]] tables")
    elif not raw:
        problems.add(
            Where((), "", ("benchmark",)),
            "no benchmarks: add a [[benchmark]] table with a name and a command",
        )
    else:
        document.entries = [_entry(i, table, reader) for i, table in enumerate(raw, start=1)]
    _check_names(document.entries, reader)
    return document


def _table(doc: Mapping[str, Any], key: str, reader: Reader) -> Mapping[str, object]:
    value = doc.get(key, {})
    if isinstance(value, Mapping):
        return value
    reader.problems.add(Where((), "", (key,)), f"expected a table [{key}], got {shown(value)}")
    return {}


def _entry(index: int, table: Mapping[str, object], reader: Reader) -> Entry:
    section = ("benchmark", str(index))
    entry = Entry(Where(section, f"benchmark[{index}]"), Layer(Where(section, "")))
    problems = reader.problems
    name = reader.expanded(table.get("name"), entry.where.child("name"), entry.layer).value
    if "name" not in table:
        problems.add(entry.where, "missing `name` (every benchmark needs a unique name)")
    elif not isinstance(name, str) or not name.strip():
        problems.add(entry.where.child("name"), f"expected a non-empty string, got {shown(name)}")
    else:
        entry.name = name
        entry.where = Where(section, f'benchmark[{index}] ("{name}")')
    entry.layer.where = entry.where
    if HARNESS in table:
        return _harness_entry(entry, table, reader)
    raw_kind = table.get("kind", "command")
    kind = next((k for k in KINDS if k == raw_kind), None)
    if kind is None:
        close = get_close_matches(raw_kind, KINDS, n=1) if isinstance(raw_kind, str) else []
        guess = f', did you mean "{close[0]}"?' if close else ""
        problems.add(
            entry.where.child("kind"),
            f"unknown kind {shown(raw_kind)}{guess} (kinds: {', '.join(KINDS)})",
        )
        return entry  # its keys cannot be checked without a kind
    entry.kind = kind
    key = TARGET_KEY[kind]
    target = reader.expanded(table.get(key), entry.where.child(key), entry.layer).value
    if key not in table:
        problems.add(
            entry.where,
            f"missing `{key}`: {article(kind)} {kind} benchmark needs {_TARGET_WHAT[kind]}",
        )
    elif not isinstance(target, str) or not target.strip():
        problems.add(entry.where.child(key), f"expected a non-empty string, got {shown(target)}")
    else:
        entry.target = target
    rest = {k: v for k, v in table.items() if k not in ("name", "kind", key)}
    own = ("tags", "tiers", "budgets") + (
        ("parameters",) if reader.schema.kinds[kind].parameters else ()
    )
    reader.fill(entry.layer, rest, kind, own)
    return entry


def _harness_entry(entry: Entry, table: Mapping[str, object], reader: Reader) -> Entry:
    """A ``[[benchmark]]`` with ``harness``: a command that runs another harness, whose
    results become the benchmarks (:mod:`pbench.plan.harness`). It takes only its
    name, harness, command, budgets, tags and tiers: the harness decides how it measures."""
    from pbench.results.formats import NAMES

    problems = reader.problems
    at = entry.where.child(HARNESS)
    harness = reader.expanded(table.get(HARNESS), at, entry.layer).value
    if isinstance(harness, str) and harness in NAMES:
        entry.harness = harness
    else:
        close = get_close_matches(harness, NAMES, n=1) if isinstance(harness, str) else []
        guess = f', did you mean "{close[0]}"?' if close else ""
        problems.add(at, f"unknown harness {shown(harness)}{guess} (harnesses: {', '.join(NAMES)})")
    if table.get("kind", "command") != "command":
        problems.add(entry.where.child("kind"), "a harness benchmark runs a command: drop `kind`")
    entry.kind = "command"
    command = reader.expanded(table.get("command"), entry.where.child("command"), entry.layer)
    if "command" not in table:
        problems.add(
            entry.where,
            "missing `command`: a harness benchmark needs the command that runs the harness "
            "(with {output} where it writes its results)",
        )
    elif not isinstance(command.value, str) or not command.value.strip():
        problems.add(
            entry.where.child("command"), f"expected a non-empty string, got {shown(command.value)}"
        )
    else:
        entry.target = command.value
    rest: dict[str, object] = {}
    for key, value in table.items():
        if key in ("name", "kind", HARNESS, "command"):
            continue
        if key in HARNESS_OWN or key == BUDGET_ALIAS:
            rest[key] = value
            continue
        problems.add(
            entry.where.child(key),
            f"`{key}` is not a key of a harness benchmark (it takes name, harness, command, "
            "budgets, tags and tiers): the harness decides how it measures, give its own "
            "options in `command`",
        )
    reader.fill(entry.layer, rest, "command", HARNESS_OWN)
    return entry


def _check_names(entries: list[Entry], reader: Reader) -> None:
    first: dict[str, str] = {}
    for entry in entries:
        if entry.name is None:
            continue
        if entry.name in first:
            reader.problems.add(
                entry.where.child("name"),
                f'"{entry.name}" is also the name of {first[entry.name]} (names must be unique)',
            )
        else:
            first[entry.name] = entry.where.label.split(" ")[0]
