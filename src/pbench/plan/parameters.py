"""Parameter scans and lists (hyperfine's -P/-D and -L) and ``{name}`` substitution."""

from __future__ import annotations

import itertools
import math
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pbench.errors import UsageError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# More benchmarks than this from parameters is refused before any is built (a typo such
# as max = 1e11 would otherwise fill the memory); PBENCH_MAX_BENCHMARKS raises it.
MAX_BENCHMARKS = 100_000
LIMIT_VARIABLE = "PBENCH_MAX_BENCHMARKS"


def max_benchmarks() -> int:
    """The limit in effect: :data:`MAX_BENCHMARKS` or ``PBENCH_MAX_BENCHMARKS``."""
    given = os.environ.get(LIMIT_VARIABLE, "").strip()
    if not given:
        return MAX_BENCHMARKS
    if not given.isdigit() or int(given) < 1:
        raise UsageError(f"{LIMIT_VARIABLE}={given!r} is not a positive integer", "e.g. 200000")
    return int(given)


def _refuse_past_limit(count: int, what: str) -> None:
    limit = max_benchmarks()
    if count > limit:
        raise UsageError(
            f"{what} {count:,} benchmarks, more than the limit of {limit:,}",
            f"narrow the parameters, or raise the limit with {LIMIT_VARIABLE}=N",
        )


@dataclass(frozen=True)
class Parameter:
    name: str
    values: tuple[str, ...]


def scan(name: str, low: str, high: str, step: str | None) -> Parameter:
    """``-P NAME MIN MAX [-D STEP]``: integers by default, decimals with a decimal step."""
    _check_name(name, "--parameter-scan")
    try:
        start, stop = Decimal(low), Decimal(high)
        increment = Decimal(step) if step is not None else Decimal(1)
    except InvalidOperation:
        raise UsageError(
            f"--parameter-scan {name}: {low!r}, {high!r} and the step must be numbers",
            "e.g. -P threads 1 8, or -P delay 0.1 0.5 -D 0.1",
        ) from None
    if increment <= 0:
        raise UsageError("--parameter-step-size must be greater than 0", "e.g. -D 2")
    if step is None and (start != start.to_integral() or stop != stop.to_integral()):
        raise UsageError(
            f"--parameter-scan {name}: decimal bounds need a step",
            "add --parameter-step-size (-D), e.g. -D 0.1",
        )
    if start > stop:
        raise UsageError(
            f"--parameter-scan {name}: the range {low}..{high} is empty",
            "give MIN <= MAX",
        )
    _refuse_past_limit(int((stop - start) // increment) + 1, f"--parameter-scan {name} makes")
    values = []
    current = start
    while current <= stop:
        values.append(str(current.normalize()) if step is not None else str(int(current)))
        current += increment
    return Parameter(name, tuple(_plain(v) for v in values))


def listed(name: str, values: str) -> Parameter:
    """``-L NAME a,b,c``, split as hyperfine does: ``\\,`` is a comma inside a value,
    ``\\\\`` a backslash, and a value may be empty (``-L flags ,--fast`` compares a
    command without and with a flag)."""
    _check_name(name, "--parameter-list")
    items: list[str] = []
    current: list[str] = []
    chars = iter(values)
    for char in chars:
        if char == "\\":
            following = next(chars, None)
            if following is not None and following in ",\\":
                current.append(following)
            else:
                current.append(char + (following or ""))
        elif char == ",":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return Parameter(name, tuple(items))


def combinations(parameters: Sequence[Parameter]) -> Iterator[dict[str, str]]:
    """Cartesian product of every parameter's values in hyperfine's order: the first
    parameter varies fastest (``-L n 1,2,3 -L x a,b``: 1a 2a 3a 1b 2b 3b)."""
    names = [p.name for p in parameters]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise UsageError(
            f"parameter name{'s' if len(twice) > 1 else ''} used twice: {', '.join(twice)}",
            "give each -P/-L its own name",
        )
    count = math.prod(len(p.values) for p in parameters)
    _refuse_past_limit(count, f"the parameters ({', '.join(names)}) make")
    for values in itertools.product(*(p.values for p in reversed(parameters))):
        yield dict(zip(names, reversed(values), strict=True))


def substitute(template: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` by its value; other braces are left alone."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def _check_name(name: str, option: str) -> None:
    if not _NAME.match(name):
        raise UsageError(
            f"{option}: {name!r} is not a valid parameter name", "use letters, digits, _"
        )


def _plain(value: str) -> str:
    # Decimal.normalize() writes 10 as 1E+1; give plain notation.
    if "E" in value:
        return format(Decimal(value), "f")
    return value
