"""Budgets as users write them: ``--budget METRIC:LIMIT[:warn]`` on the command line, and
``budgets = { p95 = "250ms", rss = { warn = "150MB", error = "200MB" } }`` in a suite.

Metric names are the JSON's. Limits take the units the CLI already accepts: durations
(``250ms``, ``1.5s``, a bare number is seconds), sizes (``200MB``, ``1.5GiB``, a bare
number is bytes), fractions (``1%``, ``0.01``), rates (``1000/s``, ``1000``) and counts
of instructions or cycles (``1.2G``, ``40k``, a bare number).
A bare limit is an error-level limit; ``:warn`` (or a ``warn`` key) makes it a warning.
The metric names and what each one is (``METRICS``, ``BIGGER_IS_BETTER``) live in
:mod:`pbench.stats.budget`, where the runner's side can reach them too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pbench.errors import UsageError
from pbench.plan.values import parse_duration, parse_fraction
from pbench.stats.budget import BIGGER_IS_BETTER as BIGGER_IS_BETTER
from pbench.stats.budget import METRICS as METRICS
from pbench.stats.budget import PERCENTILE, Budget, Level, Quantity
from pbench.stats.budget import percentile_of as percentile_of

_SIZE = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([kmgt]i?b|b)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {
    "b": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
}
_RATE = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(?:/s)?\s*$")
_EXAMPLES: dict[Quantity, str] = {
    "time": 'a duration like "250ms"',
    "bytes": 'a size like "200MB"',
    "fraction": 'a fraction like "1%"',
    "rate": 'a rate like "1000/s"',
    "instructions": 'a count like "1.2G" (instructions; k, M, G, T)',
    "cycles": 'a count like "900M" (estimated cycles; k, M, G, T)',
}
_COUNT = re.compile(r"^\s*(\d+(?:\.\d*)?(?:e\d+)?|\.\d+)\s*([kmgt])?\s*$", re.IGNORECASE)
_COUNT_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}


@dataclass(frozen=True)
class BudgetLimit:
    """One ``--budget METRIC:LIMIT[:warn]``: a metric, a level and a limit."""

    metric: str
    level: Level
    limit: float


def metric_quantity(metric: str) -> Quantity:
    """What the metric's limit is; a UsageError naming the known metrics otherwise."""
    if metric in METRICS:
        return METRICS[metric]
    match = PERCENTILE.match(metric)
    if match and 0 < percentile_of(metric) < 100:
        return "time"
    from difflib import get_close_matches

    close = get_close_matches(metric, [*METRICS, "p50", "p90", "p95", "p99", "p99.9"], n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise UsageError(
        f"unknown budget metric {metric!r}",
        f"{hint}use one of: {', '.join(METRICS)}, or a percentile such as p95 or p99.9",
    )


def canonical_metric(metric: str) -> str:
    """The JSON's spelling of a metric name: ``p99_9`` → ``p99.9``."""
    return metric.replace("_", ".") if PERCENTILE.match(metric) else metric


def parse_limit(metric: str, value: object) -> float:
    """A limit for ``metric`` from text or a TOML number, in base units.

    Raises UsageError whose message is ``expected a duration like "250ms", got "fast"``
    (the caller says where).
    """
    quantity = metric_quantity(metric)
    expected = _EXAMPLES[quantity]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise UsageError(f"expected {expected}, got {_shown(value)}")
    text = str(value)
    try:
        if quantity == "time":
            limit = parse_duration(text, "budget")
        elif quantity == "fraction":
            limit = parse_fraction(text, "budget")
        elif quantity == "bytes":
            limit = _parse_size(text)
        elif quantity in ("instructions", "cycles"):
            limit = _parse_count(text)
        else:
            limit = _parse_rate(text)
    except (UsageError, ValueError):
        raise UsageError(f"expected {expected}, got {_shown(value)}") from None
    if limit <= 0:
        raise UsageError(f"expected {expected} greater than 0, got {_shown(value)}")
    return limit


def _parse_size(text: str) -> float:
    match = _SIZE.match(text)
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * _SIZE_UNITS[(match.group(2) or "b").lower()]


def _parse_count(text: str) -> float:
    """``1.2G`` → 1.2e9, ``40k``, ``500M``, ``1e9``, a bare number: a count."""
    match = _COUNT.match(text)
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * _COUNT_UNITS[(match.group(2) or "").lower()]


def _parse_rate(text: str) -> float:
    match = _RATE.match(text)
    if not match:
        raise ValueError(text)
    return float(match.group(1))


def _shown(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def parse_budget_option(text: str) -> BudgetLimit:
    """``--budget METRIC:LIMIT[:warn|:error]``."""
    parts = text.split(":")
    hint = "write METRIC:LIMIT or METRIC:LIMIT:warn, e.g. p95:250ms or rss:200MB:warn"
    if len(parts) not in (2, 3) or not all(parts):
        raise UsageError(f"--budget {text!r} is not METRIC:LIMIT[:warn]", hint)
    metric = canonical_metric(parts[0].strip())
    level = parts[2].strip().lower() if len(parts) == 3 else "error"
    if level not in ("warn", "error"):
        raise UsageError(f"--budget {text!r}: the level must be warn or error", hint)
    try:
        limit = parse_limit(metric, parts[1].strip())
    except UsageError as exc:
        raise UsageError(f"--budget {text!r}: {exc.message}", exc.hint or hint) from None
    return BudgetLimit(metric, "warn" if level == "warn" else "error", limit)


def budgets_from_options(texts: Iterable[str]) -> tuple[Budget, ...]:
    """Repeated ``--budget`` options as budgets, one per metric (a later option for the
    same metric and level replaces an earlier one)."""
    levels: dict[str, dict[Level, float]] = {}
    for text in texts:
        limit = parse_budget_option(text)
        levels.setdefault(limit.metric, {})[limit.level] = limit.limit
    budgets = tuple(
        Budget(metric, warn=found.get("warn"), error=found.get("error"))
        for metric, found in levels.items()
    )
    for budget in budgets:
        check_levels(budget)
    return budgets


# Resource use is measured for commands only: pbench http and pbench sql run the client
# inside pbench, so its figures would be pbench's own, not the server's or the database's.
RESOURCE_METRICS = ("rss", "cpu", "cpu_util")


def budgets_for(subcommand: str, texts: Iterable[str]) -> tuple[Budget, ...]:
    """The ``--budget`` options of one ``pbench SUBCOMMAND`` invocation: parsed, and a
    metric that subcommand never measures refused (resource use outside ``run``)."""
    budgets = budgets_from_options(texts)
    if subcommand == "run":
        return budgets
    for budget in budgets:
        if budget.metric in ("instructions", "cycles"):
            raise UsageError(
                f"--budget {budget.metric}: pbench {subcommand} does not count "
                f"{budget.metric} (only pbench run --measure {budget.metric} does)",
                "budget latency (p95, median, max), error_rate or throughput instead",
            )
        if budget.metric in RESOURCE_METRICS:
            raise UsageError(
                f"--budget {budget.metric}: pbench {subcommand} does not measure {budget.metric}"
                " (the client runs inside pbench: its resource use would be pbench's own)",
                "budget latency (p95, median, max), error_rate or throughput instead; "
                "pbench run measures rss, cpu and cpu_util of commands",
            )
    return budgets


def check_measure(budgets: Iterable[Budget], measure: str, where: str = "--budget") -> None:
    """A budget on instructions or cycles needs that ``--measure``; under Valgrind
    (instructions, cycles) the times, CPU and memory are Valgrind's, so only the count
    measured can be budgeted."""
    counts = ("instructions", "cycles")
    for budget in budgets:
        if budget.metric in counts and budget.metric != measure:
            raise UsageError(
                f"{where} {budget.metric}: the benchmarks are measured in {measure}, "
                f"not {budget.metric}",
                f'add --measure {budget.metric} (measure = "{budget.metric}" in a suite)',
            )
        if measure in counts and budget.metric not in (*counts, "error_rate"):
            raise UsageError(
                f"{where} {budget.metric}: under --measure {measure} each run executes "
                f"under Valgrind, so its times, CPU and memory are Valgrind's",
                f'budget {measure} (e.g. {measure} = "1.2G"), or measure cpu or wall '
                "in another run",
            )


def budget_from_toml(metric: str, value: object) -> Budget:
    """One entry of a suite's ``budgets`` table: a bare limit (error level) or a table
    with ``warn`` and/or ``error``. Raises UsageError naming the bad part relative to
    the entry (``warn: expected ...``); the suite prefixes the key path."""
    metric = canonical_metric(metric)
    metric_quantity(metric)
    if isinstance(value, Mapping):
        unknown = [key for key in value if key not in ("warn", "error")]
        if unknown:
            raise UsageError(
                f"{unknown[0]}: unknown level", "a budget table has only warn and/or error"
            )
        if not value:
            raise UsageError("an empty table sets no limit", "give warn and/or error")
        found: dict[str, float] = {}
        for level, raw in value.items():
            try:
                found[level] = parse_limit(metric, raw)
            except UsageError as exc:
                raise UsageError(f"{level}: {exc.message}", exc.hint) from None
        budget = Budget(metric, warn=found.get("warn"), error=found.get("error"))
    else:
        budget = Budget(metric, error=parse_limit(metric, value))
    check_levels(budget)
    return budget


def merge_budgets(lower: Iterable[Budget], upper: Iterable[Budget]) -> tuple[Budget, ...]:
    """Budgets of two layers (defaults, tier, benchmark, command line): a metric in
    ``upper`` replaces the same metric in ``lower``."""
    merged = {budget.metric: budget for budget in lower}
    merged.update({budget.metric: budget for budget in upper})
    return tuple(merged.values())


def check_levels(budget: Budget) -> None:
    """A warning must come before the error: below it for ceilings, above for floors."""
    if budget.warn is None or budget.error is None:
        return
    floor = budget.metric in BIGGER_IS_BETTER
    if (budget.warn < budget.error) if floor else (budget.warn > budget.error):
        side = "above" if floor else "below"
        raise UsageError(
            f"budget {budget.metric}: the warn level must be {side} the error level",
            "a warning should come before the error",
        )
