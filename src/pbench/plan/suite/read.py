"""The one entry point: a suite file read, checked whole and selected from.

Everything wrong in the file is reported at once (:class:`SuiteError`, exit 2), one line
per problem, except undefined environment variables, which count only in what is used
(``[defaults]``, the selected tier and the selected benchmarks).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pbench.errors import UsageError
from pbench.plan.budgets import merge_budgets
from pbench.plan.options import ReportFlags
from pbench.plan.suite.checks import check_flags
from pbench.plan.suite.entries import Document, Entry, read_document
from pbench.plan.suite.expand import missing_message
from pbench.plan.suite.history import HistorySettings
from pbench.plan.suite.layers import Layer, Reader
from pbench.plan.suite.merge import Merged, merge
from pbench.plan.suite.schema import (
    TARGET_KEY,
    TIME_CAP_KEY,
    BuildRequest,
    Flags,
    Kind,
    SuiteSchema,
)
from pbench.plan.suite.select import Selection, membership, unknown_tier
from pbench.plan.suite.source import Locator, Problems, SuiteError, parse_toml
from pbench.results.redact import MASK, redact, secret_name
from pbench.stats.budget import Budget

__all__ = ["Selection", "Suite", "SuiteBenchmark", "SuiteError", "read_suite", "read_suite_path"]

NO_FILE_HINT = (
    "create it with one [[benchmark]] table per benchmark (name = ..., command = ...), "
    "or pass the suite file's path"
)


@dataclass(frozen=True)
class SuiteBenchmark:
    """One selected benchmark, ready to plan: ``flags`` go to the kind's
    ``plan_from_options``; variants of its ``parameters`` are in the flags already
    (-P/-L, named by ``flags.names``)."""

    name: str
    kind: Kind
    flags: Flags
    report: ReportFlags  # alpha, threshold, seed, ignore_failure of this benchmark
    budgets: tuple[Budget, ...]
    tags: tuple[str, ...]
    tiers: tuple[str, ...]  # the tiers it belongs to
    time_cap_s: float | None  # max_time after merging: the most this benchmark may take
    settings: tuple[tuple[str, object], ...]  # effective keys and TOML values, redacted
    line: int | None  # where its [[benchmark]] starts
    # harness = "pytest-benchmark": ``flags.commands[0]`` runs that harness, whose
    # results are read (pbench.plan.harness); the flags' other options are unused.
    harness: str | None = None

    @property
    def shown_kind(self) -> str:
        """What it is, for people: its kind, or "pytest-benchmark harness"."""
        return f"{self.harness} harness" if self.harness else self.kind


@dataclass(frozen=True)
class Suite:
    file: str
    selection: Selection
    tiers: tuple[str, ...]  # every tier: built in, then the file's
    benchmarks: tuple[SuiteBenchmark, ...]  # selected, in file order
    history: HistorySettings = field(default_factory=HistorySettings)  # [history]


def read_suite_path(
    path: Path,
    schema: SuiteSchema,
    selection: Selection | None = None,
    environ: Mapping[str, str] | None = None,
) -> Suite:
    """Read the suite at ``path``; UsageError (exit 2) for a missing or bad file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"no suite file {str(path)!r}", NO_FILE_HINT) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UsageError(f"cannot read the suite file {str(path)!r}: {reason}") from None
    return read_suite(
        text,
        str(path),
        schema,
        selection or Selection(),
        os.environ if environ is None else environ,
    )


def read_suite(
    text: str,
    file: str,
    schema: SuiteSchema,
    selection: Selection,
    environ: Mapping[str, str],
) -> Suite:
    locator = Locator(text)
    problems = Problems(file, locator)
    doc = read_document(parse_toml(text, file), Reader(schema, environ, problems))
    known = doc.known_tiers
    if selection.tier is not None and selection.tier not in known:
        problems.add_plain(unknown_tier(selection.tier, known))
    tier_tags = {name: doc.tiers[name].tags or () if name in doc.tiers else () for name in known}
    chosen: list[tuple[Entry, tuple[str, ...], tuple[str, ...]]] = []
    for entry in doc.entries:
        tags, tiers = _own_tiers(entry, doc, known, problems)
        found = membership(tiers, tags, tier_tags)
        if entry.name is not None and selection.matches(entry.name, tags, found):
            chosen.append((entry, tags, found))
    builtin, tier = doc.builtin.get(selection.tier or ""), doc.tiers.get(selection.tier or "")
    used = [doc.defaults, *([tier] if tier else []), *(entry.layer for entry, _, _ in chosen)]
    for layer in used:
        for where, names in layer.missing:
            problems.add(where, missing_message(names))
    selected = {id(entry) for entry, _, _ in chosen}
    built: dict[int, tuple[Merged, Flags, ReportFlags]] = {}
    for entry in doc.entries:
        layers = [doc.defaults, entry.layer]
        if id(entry) in selected:  # the tier's settings apply to what it runs
            layers = [*([builtin] if builtin else []), doc.defaults, *([tier] if tier else []),
                      entry.layer]  # fmt: skip
        result = _build(entry, layers, schema, problems)
        if result is not None:
            built[id(entry)] = result
    problems.raise_if_any()
    if not chosen:
        raise UsageError(
            f"no benchmark in {file} matches {selection.describe()}",
            "pbench suite --list shows every benchmark with its tags and tiers",
        )
    benchmarks = tuple(
        _benchmark(entry, built[id(entry)], tags, tiers, locator) for entry, tags, tiers in chosen
    )
    return Suite(file, selection, known, benchmarks, doc.history)


def _own_tiers(
    entry: Entry, doc: Document, known: Sequence[str], problems: Problems
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The tags and the named tiers of ``entry`` (its own, else the defaults')."""
    tags = entry.layer.tags if entry.layer.tags is not None else doc.defaults.tags or ()
    tiers = entry.layer.tiers if entry.layer.tiers is not None else doc.defaults.tiers or ()
    source = entry.layer if entry.layer.tiers is not None else doc.defaults
    for name in tiers:
        if name not in known:
            problems.add(source.where.child("tiers"), unknown_tier(name, known))
    return tags, tuple(name for name in tiers if name in known)


def _build(
    entry: Entry, layers: list[Layer], schema: SuiteSchema, problems: Problems
) -> tuple[Merged, Flags, ReportFlags] | None:
    """The merged settings and flags of ``entry``; None (and problems) when they
    cannot be made. A rule broken inside one lower layer is blamed on that layer."""
    if entry.kind is None or entry.name is None or entry.target is None:
        return None
    if entry.harness is not None:
        return _build_harness(entry, entry.name, entry.target, layers, schema, problems)
    merged = merge(layers, schema.kinds[entry.kind])
    if not merged.complete:
        return None
    try:
        flags, report = schema.build(_request(entry, entry.kind, entry.target, merged))
        check_flags(flags)
    except UsageError as exc:
        message = exc.message + (f" ({exc.hint})" if exc.hint else "")
        blamed = next(
            (layer for layer in layers[:-1] if _breaks(layer, entry, message, schema)), None
        )
        problems.add((blamed or entry.layer).where, message)
        return None
    return merged, flags, report


def _build_harness(
    entry: Entry,
    name: str,
    target: str,
    layers: list[Layer],
    schema: SuiteSchema,
    problems: Problems,
) -> tuple[Merged, Flags, ReportFlags] | None:
    """A harness benchmark: its budgets merged over the layers, and a command's flags
    with none of the layers' options (the harness decides how it measures)."""
    budgets: tuple[Budget, ...] = ()
    for layer in layers:
        budgets = merge_budgets(budgets, layer.budgets)
    request = BuildRequest("command", target, name, {}, (), None, ())
    try:
        flags, report = schema.build(request)
    except UsageError as exc:
        problems.add(entry.where, exc.message + (f" ({exc.hint})" if exc.hint else ""))
        return None
    return Merged({}, budgets, None, None, True), flags, report


def _breaks(layer: Layer, entry: Entry, message: str, schema: SuiteSchema) -> bool:
    """Does ``layer`` alone break the rule that ``message`` states?"""
    assert entry.kind is not None and entry.target is not None
    alone = merge([layer], schema.kinds[entry.kind])
    if not alone.settings or not alone.complete:
        return False
    try:
        check_flags(schema.build(_request(entry, entry.kind, entry.target, alone))[0])
    except UsageError as exc:
        return exc.message + (f" ({exc.hint})" if exc.hint else "") == message
    return False


def _request(entry: Entry, kind: Kind, target: str, merged: Merged) -> BuildRequest:
    settings = {key: s.normal for key, s in merged.settings.items() if s.normal is not None}
    parameters = merged.parameters
    name = entry.name or ""
    if parameters is not None:
        absent = [p for p in parameters.names if "{" + p + "}" not in name]
        if absent:
            name += " (" + ", ".join(f"{p}={{{p}}}" for p in absent) + ")"
    return BuildRequest(
        kind=kind,
        target=target,
        name_template=name,
        settings=settings,
        scans=parameters.scans if parameters else (),
        step=parameters.step if parameters else None,
        lists=parameters.lists if parameters else (),
    )


def _benchmark(
    entry: Entry,
    built: tuple[Merged, Flags, ReportFlags],
    tags: tuple[str, ...],
    tiers: tuple[str, ...],
    locator: Locator,
) -> SuiteBenchmark:
    merged, flags, report = built
    assert entry.name is not None and entry.kind is not None and entry.target is not None
    cap = merged.settings.get(TIME_CAP_KEY)
    settings: list[tuple[str, object]] = [(TARGET_KEY[entry.kind], entry.target)]
    if entry.harness is not None:
        settings.insert(0, ("harness", entry.harness))
    settings += [(key, s.value) for key, s in merged.settings.items()]
    if merged.parameters is not None:
        settings.append(("parameters", merged.parameters_value))
    return SuiteBenchmark(
        name=entry.name,
        kind=entry.kind,
        flags=flags,
        report=report,
        budgets=merged.budgets,
        tags=tags,
        tiers=tiers,
        time_cap_s=_seconds(cap.converted.get(entry.kind)) if cap else None,
        settings=tuple((key, _redacted(value)) for key, value in settings),
        line=locator.line(entry.where),
        harness=entry.harness,
    )


def _seconds(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _redacted(value: object) -> object:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    if isinstance(value, dict):  # env = { PGPASSWORD = "..." }: masked by the name
        return {key: MASK if secret_name(key) else _redacted(item) for key, item in value.items()}
    return value
