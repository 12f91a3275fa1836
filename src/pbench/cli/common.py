"""Pieces every subcommand shares: click's value types (durations, percentages,
concurrency levels), the display style, the error handling of a command (:func:`guarded`)
and :func:`flags_from`, the one place where click's keyword arguments become typed
flags."""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
from collections.abc import Callable, Mapping
from functools import wraps
from types import FrameType
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import click

from pbench.cli.output import ECHO
from pbench.errors import ExitCode, PbenchError, UsageError
from pbench.plan.values import FROM_TEXT, parse_duration, parse_fraction
from pbench.session.output import Display, say_error

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

P = ParamSpec("P")
R = TypeVar("R")
F = TypeVar("F", bound="DataclassInstance")

STYLES = ("auto", "basic", "full", "nocolor", "color", "none")
TIME_UNITS = ("second", "millisecond", "microsecond", "nanosecond")


class DurationType(click.ParamType):  # type: ignore[type-arg]
    name = "DURATION"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            return value
        option = _option_name(param, "duration")
        try:
            return parse_duration(str(value), option)
        except UsageError as exc:
            self.fail(_without_prefix(exc, option), param, ctx)


class FractionType(click.ParamType):  # type: ignore[type-arg]
    name = "PERCENT"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            return value
        option = _option_name(param, "percentage")
        try:
            return parse_fraction(str(value), option)
        except UsageError as exc:
            self.fail(_without_prefix(exc, option), param, ctx)


def _option_name(param: click.Parameter | None, fallback: str) -> str:
    return param.opts[-1] if param is not None and param.opts else fallback


def _without_prefix(exc: UsageError, option: str) -> str:
    """The parser's message for click, which names the option itself ("Invalid value
    for '--timeout': ...")."""
    message = exc.message.removeprefix(f"{option}: ")
    return f"{message} ({exc.hint})" if exc.hint else message


DURATION = DurationType()
FRACTION = FractionType()


class LevelsType(click.IntRange):
    """A concurrency, or several for a sweep: ``8`` or ``1,2,4,8`` (increasing, each at
    least 1). One level converts to an int, so that the option keeps its meaning (and
    its TOML shape, an int, in suite files); several to a tuple (see
    :func:`pbench.plan.values.concurrency_levels`)."""

    name = "N[,N...]"

    def __init__(self) -> None:
        super().__init__(min=1)

    def convert(  # type: ignore[override]  # several levels convert to a tuple
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> int | tuple[int, ...]:
        if isinstance(value, int | tuple):
            return value
        levels: list[int] = []
        for part in str(value).split(","):
            try:
                level = int(part.strip())
            except ValueError:
                self.fail(f"{part.strip()!r} is not a whole number (e.g. 8 or 1,2,4,8)", param, ctx)
            if level < 1:
                self.fail(f"{level} is below 1: each level is a number of copies", param, ctx)
            if levels and level <= levels[-1]:
                self.fail("give the levels once each, in increasing order (e.g. 1,2,4,8)",
                          param, ctx)  # fmt: skip
            levels.append(level)
        return levels[0] if len(levels) == 1 else tuple(levels)


LEVELS = LevelsType()


def resolve_display(style: str) -> Display:
    """hyperfine's --style values; ``auto`` looks at the terminal, NO_COLOR and TERM."""
    terminal = sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
    interactive = terminal and sys.stdout.isatty()
    no_color = "NO_COLOR" in os.environ and os.environ["NO_COLOR"] != ""
    if style == "none":
        return Display(False, False, True)
    if style == "basic":
        return Display(False, False, False)
    if style == "full":
        return Display(not no_color, True, False, live=terminal)
    if style == "nocolor":
        return Display(False, True, False, live=terminal)
    if style == "color":
        return Display(True, False, False)
    return Display(interactive and not no_color, interactive, False, live=interactive)


def guarded(fn: Callable[P, int]) -> Callable[P, int]:
    """Turn pbench errors into one message on stderr and their exit code; no traceback
    unless PBENCH_TRACEBACK is set. SIGTERM is handled like Ctrl-C."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> int:
        previous_int = signal.getsignal(signal.SIGINT)
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            return fn(*args, **kwargs)
        except PbenchError as exc:
            if os.environ.get("PBENCH_TRACEBACK"):
                raise
            return say_error(exc, ECHO)
        except KeyboardInterrupt:
            click.echo("pbench: interrupted", err=True)
            return int(ExitCode.INTERRUPTED)
        finally:
            signal.signal(signal.SIGTERM, previous)
            if previous_int is not None:  # interrupts deferred and left so by an error
                signal.signal(signal.SIGINT, previous_int)

    return wrapper


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def flags_from(cls: type[F], options: Mapping[str, Any], **given: Any) -> F:
    """The typed flags ``cls`` (a dataclass of :mod:`pbench.plan.options` or
    :mod:`pbench.plan.history`) from click's keyword arguments, each field from the
    parameter of its name unless ``given`` (a value converted first, or a different
    parameter's), and parsed by the function its metadata names under
    :data:`~pbench.plan.values.FROM_TEXT` when the option was given (in field order, so
    the first bad option is the one named); a field with a default that the command has
    no option for keeps its default (``pbench suite`` has no ``--alpha``): the one place
    where click's values enter the domain."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in given:
            values[f.name] = given[f.name]
            continue
        if f.name not in options and _has_default(f):
            continue
        value = options[f.name]
        parse = f.metadata.get(FROM_TEXT)
        values[f.name] = value if parse is None or value is None else parse(value)
    return cls(**values)


def _has_default(field: dataclasses.Field[Any]) -> bool:
    return field.default is not dataclasses.MISSING or (
        field.default_factory is not dataclasses.MISSING
    )
