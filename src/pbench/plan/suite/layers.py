"""One table of a suite (``[defaults]``, a ``[tier.X]``, a ``[[benchmark]]``) read into a
:class:`Layer`: every key known, every value of the right type and accepted by its
option, environment variables expanded. Problems go to :class:`Problems` with the
key's place; undefined variables are kept aside, to be reported only if the layer is
used (a tier that is not run may name a variable that is not set)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches

from pbench.errors import UsageError
from pbench.plan.budgets import budget_from_toml
from pbench.plan.suite.expand import Expanded, expand
from pbench.plan.suite.schema import KINDS, OWN_KEYS, TARGET_KEY, Kind, SuiteSchema
from pbench.plan.suite.source import Problems, Where
from pbench.plan.suite.values import Normal, Parameters, normalize, parameters, shown
from pbench.stats.budget import Budget

# ``budget = { mean = "2ms" }``: a table under the singular name is the budgets table
# (a string there is --budget's form, refused with the table's form).
BUDGET_ALIAS = "budget"


@dataclass(frozen=True)
class Setting:
    """One option key of one layer: its value as written (variables expanded), its
    command-line form (None when it is wrong or waits for a variable), its value as
    each kind's option converts it, and where it was written."""

    key: str
    value: object
    normal: Normal | None
    converted: Mapping[Kind, object]
    where: Where


@dataclass
class Layer:
    where: Where
    settings: dict[str, Setting] = field(default_factory=dict)
    budgets: tuple[Budget, ...] = ()
    parameters: Parameters | None = None
    parameters_value: object = None
    parameters_ok: bool = True
    tags: tuple[str, ...] | None = None
    tiers: tuple[str, ...] | None = None
    # undefined variables: (where, names), reported when the layer is used
    missing: list[tuple[Where, tuple[str, ...]]] = field(default_factory=list)


@dataclass(frozen=True)
class Reader:
    """Reads tables with one schema and environment, into one list of problems."""

    schema: SuiteSchema
    environ: Mapping[str, str]
    problems: Problems

    def expanded(self, value: object, where: Where, layer: Layer) -> Expanded:
        """``value`` expanded; malformed references are problems, undefined variables
        are kept in ``layer``."""
        result = expand(value, self.environ)
        for error in result.errors:
            self.problems.add(where, error)
        if result.missing:
            layer.missing.append((where, result.missing))
        return result

    def fill(
        self, layer: Layer, table: Mapping[str, object], kind: Kind | None, own: tuple[str, ...]
    ) -> Layer:
        """``layer`` with ``table``'s keys: options of ``kind`` (of any kind for defaults
        and tiers) and the suite keys in ``own`` (tags, budgets, ...)."""
        where = layer.where
        kinds = (kind,) if kind is not None else KINDS
        for key, raw in table.items():
            at = where.child(key)
            if key == BUDGET_ALIAS and "budgets" in own and isinstance(raw, Mapping):
                if "budgets" in table:
                    self.problems.add(at, "`budget` and `budgets` are the same table: give one")
                    continue
                key = "budgets"  # budget = { mean = "2ms" } reads as budgets = { ... }
            if key in own:
                self._own(layer, key, raw, at)
                continue
            canonical = self.schema.canonical(key, kind)
            if canonical is None:
                self.problems.add(at, unknown_key(key, kind, self.schema, own))
                continue
            if canonical in layer.settings:
                other = layer.settings[canonical].where.keys[-1]
                self.problems.add(at, f"`{key}` and `{other}` are the same option: give one")
                continue
            layer.settings[canonical] = self._setting(layer, canonical, raw, at, kinds)
        return layer

    def _setting(
        self, layer: Layer, key: str, raw: object, at: Where, kinds: tuple[Kind, ...]
    ) -> Setting:
        found = self.expanded(raw, at, layer)
        if found.missing or found.errors:
            return Setting(key, found.value, None, {}, at)
        try:
            normal = normalize(self.schema.shape(key), found.value)
            converted = {
                kind: self.schema.convert(kind, key, normal)
                for kind in kinds
                if key in self.schema.kinds[kind].keys
            }
        except UsageError as exc:
            self.problems.add(at, exc.message + (f" ({exc.hint})" if exc.hint else ""))
            return Setting(key, found.value, None, {}, at)
        return Setting(key, found.value, normal, converted, at)

    def _own(self, layer: Layer, key: str, raw: object, at: Where) -> None:
        found = self.expanded(raw, at, layer)
        value = found.value
        if key in ("tags", "tiers"):
            names = normalize("texts", value) if _texts(value) else None
            if names is None:
                self.problems.add(at, f"expected a list of names, got {shown(value)}")
            setattr(layer, key, names or ())
        elif key == "budgets":
            layer.budgets = self._budgets(value, at)
        elif key == "parameters":
            layer.parameters, problems = parameters(value)
            layer.parameters_value = value
            layer.parameters_ok = not problems and not found.missing and not found.errors
            for keys, message in problems:
                self.problems.add(at.child(*keys), message)

    def _budgets(self, value: object, at: Where) -> tuple[Budget, ...]:
        if not isinstance(value, Mapping):
            self.problems.add(at, f'expected a table like {{ p95 = "250ms" }}, got {shown(value)}')
            return ()
        budgets: list[Budget] = []
        for metric, limit in value.items():
            try:
                budgets.append(budget_from_toml(metric, limit))
            except UsageError as exc:
                level, sep, rest = exc.message.partition(": ")
                keys = (metric, level) if sep and level in ("warn", "error") else (metric,)
                message = rest if len(keys) == 2 else exc.message
                self.problems.add(at.child(*keys), message + (f" ({exc.hint})" if exc.hint else ""))
        return tuple(budgets)


def _texts(value: object) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    )


def unknown_key(key: str, kind: Kind | None, schema: SuiteSchema, own: tuple[str, ...]) -> str:
    """Why ``key`` is not a key here, and what was probably meant."""
    if key in schema.refused:
        return f"`{key}` cannot be set in a suite file: {schema.refused[key]}"
    if key in TARGET_KEY.values() or key in ("name", "kind"):
        if kind is None:
            return f"`{key}` belongs in a [[benchmark]] table"
        owner = next(k for k, target in TARGET_KEY.items() if target == key)
        return (
            f"{article(kind)} {kind} benchmark has `{TARGET_KEY[kind]}`, not `{key}` "
            f'(for {article(owner)} {owner} benchmark, set kind = "{owner}")'
        )
    if key in OWN_KEYS:
        return f"`{key}` cannot be set here" + (
            "" if kind is None else f" ({article(kind)} {kind} benchmark takes no {key})"
        )
    others = [k for k in KINDS if schema.canonical(key, k) is not None]
    if kind is not None and others:
        return f"`{key}` is an option of {' and '.join(others)} benchmarks, not of {kind} ones"
    keys = [k for name in ((kind,) if kind else KINDS) for k in schema.kinds[name].keys]
    candidates = [*dict.fromkeys(keys), *own]
    close = get_close_matches(key, candidates, n=1, cutoff=0.6)
    if close:
        return f"unknown key `{key}`, did you mean `{close[0]}`?"
    return f"unknown key `{key}`"


def article(kind: str) -> str:
    return "a" if kind == "command" else "an"
