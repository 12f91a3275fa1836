"""The keys of a suite file, derived from the click commands, and one benchmark's keys
turned into its subcommand's flags by click itself.

Every option of ``pbench run``, ``http`` and ``sql`` is a key of that kind of benchmark
under its long name (``--min-runs`` -> ``min_runs``; the first long name is the key,
others are aliases: http's ``requests`` for ``runs``), unless :data:`REFUSED` says why a
file cannot set it. The TOML type of a key follows the option (a flag takes true/false,
a repeatable option a string or a list, ...), and its value is checked and converted by
parsing the command line the key stands for, so values, defaults and messages are the
command line's. The pure part of reading a suite lives in :mod:`pbench.plan.suite`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import click

from pbench.cli.common import DurationType, FractionType, LevelsType, flags_from
from pbench.cli.http_cmd import http
from pbench.cli.options import CI_EXPORTS
from pbench.cli.run_cmd import run
from pbench.cli.sql_cmd import sql
from pbench.errors import UsageError
from pbench.plan.options import HttpFlags, ReportFlags, RunFlags, SqlFlags
from pbench.plan.suite.read import Suite, read_suite_path
from pbench.plan.suite.schema import (
    KINDS,
    BuildRequest,
    Flags,
    Kind,
    KindKeys,
    Shape,
    SuiteSchema,
)
from pbench.plan.suite.select import Selection
from pbench.plan.suite.values import Normal, number_text

COMMANDS: dict[Kind, click.Command] = {"command": run, "http": http, "sql": sql}
FLAGS: dict[Kind, type[Flags]] = {"command": RunFlags, "http": HttpFlags, "sql": SqlFlags}

_SUITE_RUN = "the suite run's own, not one benchmark's: give it to pbench suite"
_PARAMETERS = "use parameters = { n = [1, 2, 4] } or { n = { min = 1, max = 8, step = 2 } }"
# Options a suite file cannot set (by key, every spelling), and what to do instead.
REFUSED: dict[str, str] = {
    "style": f"the output style is {_SUITE_RUN}",
    "sort": f"the order of the report is {_SUITE_RUN}",
    "time_unit": f"the unit of the report is {_SUITE_RUN}",
    "export_json": f"exports are {_SUITE_RUN}",
    "export_csv": f"exports are {_SUITE_RUN}",
    "export_markdown": f"exports are {_SUITE_RUN}",
    "export_html": f"exports are {_SUITE_RUN}",
    "html": f"exports are {_SUITE_RUN}",
    "export": f"exports are {_SUITE_RUN}",
    **{key: f"exports are {_SUITE_RUN}" for _, key in CI_EXPORTS},
    "notify": f"webhooks are {_SUITE_RUN}",
    "notify_timeout": f"webhooks are {_SUITE_RUN}",
    "save": "saving is the suite run's own: write [history] save = true, or pass --save",
    "store": 'the store is the suite run\'s own: write [history] store = "...", or pass --store',
    "baseline": 'the baseline is the suite run\'s own: write [history] baseline = "main", '
    "or pass --baseline",
    "save_baseline": f"marking a baseline is {_SUITE_RUN} (--save-baseline NAME)",
    "any_machine": f"--any-machine is {_SUITE_RUN}",
    "start_at": "the start time is the suite run's own: give --start-at to pbench suite",
    "budget": 'write budgets = { p95 = "250ms", rss = { warn = "150MB" } }',
    "command_name": "a benchmark's `name` names it ({VAR} placeholders allowed)",
    "name": "a benchmark's `name` names it ({VAR} placeholders allowed)",
    "show_output": 'write output = "inherit"',
    "no_shell": 'write shell = "none"',
    "ignore_failure_codes": "write ignore_failure = true",
    "parameter_scan": _PARAMETERS,
    "parameter_step_size": _PARAMETERS,
    "parameter_list": _PARAMETERS,
}
# Options of one kind that only a benchmark's own table may set: pbench run's load-run
# options (--concurrency, --duration, --rate, --slice). A tier's `duration` or
# `concurrency`, meant for URLs and queries, must not turn the commands into load runs.
OWN_TABLE_ONLY: dict[Kind, frozenset[str]] = {
    "command": frozenset({"concurrency", "duration", "rate", "slice"}),
}
# Repeatable options whose TOML form is not a list of strings.
SPECIAL_SHAPES: dict[str, Shape] = {"env": "assignments", "expect_status": "codes"}


@dataclass(frozen=True)
class _Key:
    option: click.Option
    flag: str  # the long option written on the command line, e.g. --min-runs


def option_keys(option: click.Option) -> list[str]:
    """An option's keys: its long names with ``-`` as ``_``, else its parameter name."""
    longs = [opt[2:].replace("-", "_") for opt in option.opts if opt.startswith("--")]
    return longs or [str(option.name)]


def _shape(option: click.Option, key: str) -> Shape:
    if key == "ignore_failure":  # true, or the exit codes of pbench run's -i=CODES
        return "flag_or_codes"
    if option.is_flag:
        return "flag"
    if option.nargs != 1:
        raise TypeError(f"--{key} takes {option.nargs} values: refuse it or give it a shape")
    if option.multiple:
        return SPECIAL_SHAPES.get(key, "texts")
    kind = option.type
    if isinstance(kind, LevelsType):
        return "levels"
    if isinstance(kind, click.IntRange) or kind is click.INT:
        return "int"
    if isinstance(kind, click.FloatRange) or kind is click.FLOAT:
        return "number"
    if isinstance(kind, DurationType):
        return "duration"
    if isinstance(kind, FractionType):
        return "fraction"
    if isinstance(kind, click.Choice) or kind is click.STRING:
        return "text"
    raise TypeError(f"--{key}: no TOML shape for click type {kind!r}")


@cache
def _keys() -> dict[Kind, dict[str, _Key]]:
    found: dict[Kind, dict[str, _Key]] = {}
    for kind, command in COMMANDS.items():
        keys: dict[str, _Key] = {}
        for param in command.params:
            if not isinstance(param, click.Option):
                continue  # the commands, URLs or queries: the benchmark's target key
            names = option_keys(param)
            if any(name in REFUSED for name in names):
                continue
            long = next((opt for opt in param.opts if opt.startswith("--")), param.opts[0])
            keys[names[0]] = _Key(param, long)
        found[kind] = keys
    return found


@cache
def suite_schema() -> SuiteSchema:
    """The suite keys of every kind, from the click commands."""
    kinds: dict[Kind, KindKeys] = {}
    for kind, keys in _keys().items():
        aliases = {
            alias: key for key, found in keys.items() for alias in option_keys(found.option)[1:]
        }
        shapes = {key: _shape(found.option, key) for key, found in keys.items()}
        has_parameters = any(p.name == "lists" for p in COMMANDS[kind].params)
        own_only = OWN_TABLE_ONLY.get(kind, frozenset())
        kinds[kind] = KindKeys(shapes, aliases, has_parameters, own_only)
    return SuiteSchema(kinds=kinds, refused=REFUSED, convert=convert, build=build)


def _tokens(key: _Key, value: Normal) -> list[str]:
    """The command-line words of one key (``--flag=value`` keeps a leading ``-``)."""
    if isinstance(value, bool):
        return [key.flag] if value else []
    if isinstance(value, tuple):
        return [f"{key.flag}={item}" for item in value]
    text = value if isinstance(value, str) else number_text(value)
    return [f"{key.flag}={text}"]


def _parse(kind: Kind, args: list[str], target: str) -> dict[str, Any]:
    """click's parameters for ``pbench <kind> ARGS -- TARGET``; UsageError on a bad one."""
    command = COMMANDS[kind]
    try:
        with command.make_context(command.name, [*args, "--", target]) as ctx:
            return dict(ctx.params)
    except click.BadParameter as exc:
        raise UsageError(exc.message) from None
    except click.ClickException as exc:
        raise UsageError(exc.format_message()) from None


# One parse of a subcommand's whole command line costs milliseconds (click processes
# each of its ~100 options), and a suite of 60,000 benchmarks made 4 of them a
# benchmark (over 120 s). The same words parse to the same parameters, so a parse is
# made once per distinct command line (without the benchmark's name and target, which
# go to their own parameters unconverted) and once per distinct key and value.
PARSES_KEPT = 4096


@lru_cache(maxsize=PARSES_KEPT)
def _parse_once(kind: Kind, args: tuple[str, ...]) -> Mapping[str, Any]:
    return MappingProxyType(_parse(kind, list(args), "-"))


# The parameter of a kind's benchmark target, and of its names (-n/--command-name).
TARGET_PARAMETER: dict[Kind, str] = {"command": "commands", "http": "urls", "sql": "queries"}
NAMES_PARAMETER = "names"


def convert(kind: Kind, key: str, value: object) -> object:
    """``value`` (in its command-line form) as the option of ``kind`` converts it."""
    found = _keys()[kind][key]
    args = tuple(_tokens(found, value))  # type: ignore[arg-type]
    return _parse_once(kind, args)[str(found.option.name)]


def build(request: BuildRequest) -> tuple[Flags, ReportFlags]:
    """The subcommand's flags for one benchmark, as if typed on the command line."""
    keys = _keys()[request.kind]
    args: list[str] = []
    for key, value in request.settings.items():
        args += _tokens(keys[key], value)  # type: ignore[arg-type]
    for name, low, high in request.scans:
        args += ["--parameter-scan", name, low, high]
    if request.step is not None:
        args.append(f"--parameter-step-size={request.step}")
    for name, values in request.lists:
        args += ["--parameter-list", name, values]
    params = dict(_parse_once(request.kind, tuple(args)))
    params[NAMES_PARAMETER] = (request.name_template,)
    params[TARGET_PARAMETER[request.kind]] = (request.target,)
    return flags_from(FLAGS[request.kind], params), flags_from(ReportFlags, params)


def read_suite_file(
    path: Path,
    tier: str | None = None,
    tags: tuple[str, ...] = (),
    pattern: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Suite:
    """The suite at ``path`` checked whole, with the benchmarks ``tier``, ``tags`` and
    ``pattern`` select; UsageError (exit 2) listing every problem."""
    return read_suite_path(path, suite_schema(), Selection(tier, tags, pattern), environ)


__all__ = ["KINDS", "OWN_TABLE_ONLY", "REFUSED", "read_suite_file", "suite_schema"]
