"""The rules every plan checks, whichever subcommand it comes from: run counts
(-r/-m/-M/--min-time), -r against -d, --precision of a load run, parameters (-P/-L),
hooks given once or once per benchmark, and unique benchmark names (or names told
apart)."""

from __future__ import annotations

from pbench.errors import UsageError
from pbench.models import Precision
from pbench.plan.options import CountFlags, HttpFlags, ParameterFlags, PrecisionFlags, SqlFlags
from pbench.plan.parameters import Parameter, listed, scan

DEFAULT_MIN_RUNS = 10
# A load run (http, sql -c/--rate) without -r, -d or --precision lasts this long.
DEFAULT_LOAD_DURATION_S = 10.0


def run_counts(options: CountFlags) -> tuple[int, int | None, float]:
    """(min runs, max runs, min time) from -m/-M/-r/--min-time, checked for conflicts."""
    runs, min_runs, max_runs = options.runs, options.min_runs, options.max_runs
    if runs is not None:
        if min_runs is not None or max_runs is not None:
            raise UsageError(
                "--runs cannot be combined with --min-runs or --max-runs",
                "use --runs N for an exact count, or --min-runs/--max-runs for bounds",
            )
        if options.precision is not None:
            raise UsageError("--runs fixes the count, --precision adapts it", "give one of them")
        return runs, runs, 0.0
    low = min_runs if min_runs is not None else DEFAULT_MIN_RUNS
    if max_runs is not None and min_runs is None:
        low = min(low, max_runs)
    if max_runs is not None and low > max_runs:
        raise UsageError(
            f"--min-runs {low} is larger than --max-runs {max_runs}",
            "make --min-runs <= --max-runs",
        )
    return low, max_runs, float(options.min_time)


def runs_or_duration(runs: int | None, duration: float | None, noun: str) -> None:
    """A load run stops after -r N ``noun`` or after -d; both at once would be ambiguous."""
    if runs is not None and duration is not None:
        raise UsageError(
            f"-r/--runs and -d/--duration cannot be combined: a load run stops after a "
            f"number of {noun} or after a time",
            f"give -r N for exactly N {noun}, or -d for a time",
        )


def parameters(options: ParameterFlags) -> list[Parameter]:
    """The -P/-D and -L parameters, in the order given."""
    found = [scan(name, low, high, options.step) for name, low, high in options.scans]
    if options.step is not None and not options.scans:
        raise UsageError("--parameter-step-size needs --parameter-scan", "e.g. -P n 1 10 -D 2")
    return found + [listed(name, values) for name, values in options.lists]


def per_benchmark(values: tuple[str, ...], count: int, flag: str) -> list[str | None]:
    """A hook given once (for all) or once per command/query."""
    if not values:
        return [None] * count
    if len(values) == 1:
        return [values[0]] * count
    if len(values) == count:
        return list(values)
    raise UsageError(
        f"{flag} was given {len(values)} times for {count} benchmarks",
        f"give {flag} once (for all) or once per benchmark, in the same order",
    )


def check_unique(names: list[str]) -> None:
    """Benchmarks are paired and exported by name: two may not share one."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise UsageError(
                f"two benchmarks are both named {name!r}",
                "give them different names with -n, or use {param} placeholders",
            )
        seen.add(name)


def told_apart(names: list[str]) -> list[str]:
    """The names with every repeat told apart: the second ``x`` becomes ``x (2)``, the
    third ``x (3)`` (skipping any taken). Benchmarks are paired, compared and exported
    by name, and hyperfine runs the same command twice (the A/A check) without a word."""
    taken = set(names)
    seen: dict[str, int] = {}
    distinct: list[str] = []
    for name in names:
        count = seen.get(name, 0) + 1
        seen[name] = count
        if count == 1:
            distinct.append(name)
            continue
        candidate = f"{name} ({count})"
        while candidate in taken:
            count += 1
            candidate = f"{name} ({count})"
        seen[name] = count
        taken.add(candidate)
        distinct.append(candidate)
    return distinct


def precision(options: PrecisionFlags) -> Precision | None:
    """--precision with --precision-of and its --max-time budget; --precision-of without
    --precision is a usage error. (--max-time alone is a cap: see :func:`load_duration`
    and ``RunPlan.max_time_s``.)"""
    if options.precision is not None:
        return Precision(options.precision, options.precision_of or "median", options.max_time)
    if options.precision_of is not None:
        raise UsageError(
            "--precision-of says which statistic --precision applies to, but --precision "
            "was not given",
            "add --precision, e.g. --precision 2% --precision-of mean",
        )
    return None


def load_duration(
    runs: int | None, duration: float | None, precision: Precision | None, max_time: float | None
) -> float | None:
    """How long each benchmark of a load run may take: -d, the --precision budget, or
    the default without -r; --max-time caps it (also with -r: whichever comes first)."""
    if precision is not None:
        from pbench.run.load import DEFAULT_PRECISION_BUDGET_S  # the HTTP engine: lazily

        return precision.max_time_s or DEFAULT_PRECISION_BUDGET_S
    if runs is None and duration is None:
        duration = DEFAULT_LOAD_DURATION_S
    if max_time is not None:
        duration = max_time if duration is None else min(duration, max_time)
    return duration


def load_precision(options: HttpFlags | SqlFlags) -> Precision | None:
    """--precision of a load run, which replaces -r/-d."""
    adaptive = precision(options)
    if adaptive is None:
        return None
    for value, flag in ((options.runs, "-r/--requests"), (options.duration, "-d/--duration")):
        if value is not None:
            raise UsageError(
                f"{flag} fixes how much to measure, --precision adapts it",
                "give one of them",
            )
    return adaptive
