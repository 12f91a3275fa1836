"""The layers of one benchmark merged: built-in tier < ``[defaults]`` < ``[tier.X]`` <
the benchmark's own table. A higher layer's key replaces a lower one's, except that

- budgets merge per metric (:func:`pbench.plan.budgets.merge_budgets`), and
- the keys of "how much to measure" (runs, min_runs, max_runs, precision, duration) go
  together: a layer that sets any of them drops all of them (and precision_of) below it.

Keys of another kind (a default ``sleep`` that no kind has) are skipped, and so are
keys that only a benchmark's own table may set (a tier's ``duration``, meant for the
URLs, does not make the commands load runs; see ``KindKeys.own_only``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pbench.plan.budgets import merge_budgets
from pbench.plan.suite.layers import Layer, Setting
from pbench.plan.suite.schema import COMPANIONS, EXCLUSIVE, KindKeys
from pbench.plan.suite.values import Parameters
from pbench.stats.budget import Budget


@dataclass(frozen=True)
class Merged:
    """The effective settings of one benchmark, in the kind's key order."""

    settings: dict[str, Setting]
    budgets: tuple[Budget, ...]
    parameters: Parameters | None
    parameters_value: object  # as written, for showing
    complete: bool


def merge(layers: Sequence[Layer], keys: KindKeys) -> Merged:
    settings: dict[str, Setting] = {}
    budgets: tuple[Budget, ...] = ()
    parameters: Parameters | None = None
    parameters_ok = True
    parameters_value: object = None
    last = len(layers) - 1  # the benchmark's own table
    for index, layer in enumerate(layers):
        own = {
            key: s
            for key, s in layer.settings.items()
            if key in keys.keys and (index == last or key not in keys.own_only)
        }
        if any(key in own for key in EXCLUSIVE):
            for key in (*EXCLUSIVE, *COMPANIONS):
                settings.pop(key, None)
        settings.update(own)
        budgets = merge_budgets(budgets, layer.budgets)
        if layer.parameters is not None and keys.parameters:
            parameters, parameters_ok = layer.parameters, layer.parameters_ok
            parameters_value = layer.parameters_value
    ordered = {key: settings[key] for key in keys.keys if key in settings}
    complete = parameters_ok and all(s.normal is not None for s in ordered.values())
    return Merged(ordered, budgets, parameters, parameters_value, complete)
