"""A suite file's ``[history]`` table: whether ``pbench suite`` saves its run to the
history store, and which store::

    [history]
    save = true                          # as pbench suite --save
    store = "postgresql://bench@db/hist" # where; ${VAR} expands; relative paths are
                                         # taken from the file's folder
    notify = "${BENCH_WEBHOOK}"          # as pbench suite --notify (one URL or a list)

``pbench suite --save`` / ``--store`` / ``--notify`` win over the file. Each key is one entry of
    baseline = "main"                    # as pbench suite --baseline main (any REF)

``pbench suite --save`` / ``--store`` / ``--baseline`` win over the file. Each key is one entry of
:data:`KEYS` (its reader and what it takes, for messages); a new key is a new entry
and a new field of :class:`HistorySettings`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from difflib import get_close_matches

from pbench.plan.suite.expand import missing_message
from pbench.plan.suite.layers import Layer, Reader
from pbench.plan.suite.source import Where
from pbench.plan.suite.values import shown

TABLE = "history"


@dataclass(frozen=True)
class HistorySettings:
    save: bool = False
    store: str | None = field(default=None, repr=False)  # may hold a password
    notify: tuple[str, ...] = field(default=(), repr=False)  # a hook's path is its secret
    baseline: str | None = None


def _save(settings: HistorySettings, value: object) -> HistorySettings | str:
    if not isinstance(value, bool):
        return f"expected true or false, got {shown(value)}"
    return replace(settings, save=value)


def _store(settings: HistorySettings, value: object) -> HistorySettings | str:
    if not isinstance(value, str) or not value.strip():
        return f"expected a store address (a path or a URL), got {shown(value)}"
    return replace(settings, store=value)


def _notify(settings: HistorySettings, value: object) -> HistorySettings | str:
    urls = [value] if isinstance(value, str) else value
    if (
        not isinstance(urls, list)
        or not urls
        or not all(isinstance(url, str) and url.strip() for url in urls)
    ):
        return f"expected a webhook URL or a list of them, got {shown(value)}"
    return replace(settings, notify=tuple(str(url).strip() for url in urls))


def _baseline(settings: HistorySettings, value: object) -> HistorySettings | str:
    if not isinstance(value, str) or not value.strip():
        return (
            f"expected a baseline REF (a name, latest, branch:NAME, commit:SHA), got {shown(value)}"
        )
    return replace(settings, baseline=value.strip())


# key -> (reader: the settings with the key's value, or what is wrong; what it takes)
KEYS: dict[str, tuple[Callable[[HistorySettings, object], HistorySettings | str], str]] = {
    "save": (_save, "true or false"),
    "store": (_store, "a path or a postgresql:// URL"),
    "notify": (_notify, "a webhook URL or a list of them"),
    "baseline": (_baseline, "a baseline REF"),
}


def read_history(value: object, reader: Reader) -> HistorySettings:
    """The ``[history]`` table checked; its problems go to ``reader.problems``."""
    where = Where((TABLE,), TABLE)
    settings = HistorySettings()
    if not isinstance(value, Mapping):
        reader.problems.add(where, f"expected a table [{TABLE}], got {shown(value)}")
        return settings
    layer = Layer(where)
    for key, raw in value.items():
        at = where.child(str(key))
        if key not in KEYS:
            close = get_close_matches(str(key), list(KEYS), n=1)
            known = ", ".join(f"`{name}` ({what})" for name, (_, what) in KEYS.items())
            guess = f", did you mean `{close[0]}`?" if close else f" ([{TABLE}] takes {known})"
            reader.problems.add(at, f"unknown key `{key}`{guess}")
            continue
        found = reader.expanded(raw, at, layer)
        if found.errors:
            continue
        outcome = KEYS[key][0](settings, found.value)
        if isinstance(outcome, str):
            reader.problems.add(at, outcome)
        else:
            settings = outcome
    for at, names in layer.missing:  # the table always applies: report them now
        reader.problems.add(at, missing_message(names))
    return settings
