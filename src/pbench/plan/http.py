"""``pbench http`` options turned into a plan: one request spec per URL, their names,
the load (connections, rate, duration, workers) and how the benchmarks share it."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pbench.errors import UsageError
from pbench.load.schedule import LoadPlan
from pbench.models import Hooks, Precision
from pbench.plan.options import HttpFlags
from pbench.plan.rules import (
    DEFAULT_LOAD_DURATION_S,
    load_duration,
    load_precision,
    per_benchmark,
    runs_or_duration,
)
from pbench.plan.values import parse_start_at
from pbench.run.load import SlicePlan
from pbench.targets.command.hooks import CommandHook
from pbench.targets.command.target import CommandOptions
from pbench.targets.http.spec import HttpRequestSpec, parse_expect_status, parse_header


@dataclass(frozen=True)
class HttpPlan:
    """What ``pbench http`` measures: (name, request) pairs sharing one load."""

    benchmarks: tuple[tuple[str, HttpRequestSpec], ...]
    slices: SlicePlan
    reference: str | None
    hooks: tuple[Hooks, ...] = ()  # per benchmark: --setup and --cleanup commands

    @property
    def measured_as(self) -> str:
        """How pbench.session.measure measures it."""
        return "http"

    @property
    def noun(self) -> str:
        """What a sweep's throughput counts."""
        return "requests"


def plan_from_options(options: HttpFlags) -> HttpPlan:
    """Validate every option and build the plan; UsageError (exit 2) for a bad one."""
    specs = request_specs(options)
    precision = load_precision(options)
    plan = load_plan(options, DEFAULT_LOAD_DURATION_S, precision)
    names = _names(options.names, [spec.display() for spec in specs])
    reference = options.reference
    if reference is not None and reference not in names:
        raise UsageError(
            f"--reference {reference!r} names no benchmark", f"use one of: {', '.join(names)}"
        )
    return HttpPlan(
        benchmarks=tuple(zip(names, specs, strict=True)),
        slices=slice_plan(options, plan, precision),
        reference=reference,
        hooks=_hooks(options),
    )


def _hooks(options: HttpFlags) -> tuple[Hooks, ...]:
    """--setup and --cleanup: shell commands run once before and after the load (once,
    or once per URL), e.g. to start and stop the server under test."""
    count = len(options.urls)
    setups = per_benchmark(options.setups, count, "--setup")
    cleanups = per_benchmark(options.cleanups, count, "--cleanup")
    shell_options = CommandOptions(env={}, pad_environment=False, use_launcher=False)

    def hook(kind: str, command: str | None) -> CommandHook | None:
        return None if command is None else CommandHook(kind, command, shell_options, "auto")

    return tuple(
        Hooks(setup=hook("setup", setup), cleanup=hook("cleanup", cleanup))
        for setup, cleanup in zip(setups, cleanups, strict=True)
    )


def _names(given: Sequence[str], displays: Sequence[str]) -> list[str]:
    if len(given) > len(displays):
        raise UsageError(
            f"{len(given)} names (-n) for {len(displays)} URLs", "give at most one -n per URL"
        )
    names = list(given) + list(displays[len(given) :])
    if len(set(names)) != len(names):
        raise UsageError("two benchmarks have the same name", "name them apart with -n")
    return names


def read_body(text: str | None) -> bytes:
    """``--body TEXT`` or ``--body @FILE``."""
    if text is None:
        return b""
    if not text.startswith("@"):
        return text.encode()
    path = Path(text[1:])
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(
            f"--body: cannot read {str(path)!r}: {exc.strerror}", "give a readable file after @"
        ) from None


def request_specs(options: HttpFlags) -> list[HttpRequestSpec]:
    """One spec per URL; UsageError (exit 2) for a bad URL, header, status or body."""
    headers = tuple(parse_header(h) for h in options.headers)
    expect = parse_expect_status(options.expect_status)
    body = read_body(options.body)
    method = options.method.upper()
    return [
        HttpRequestSpec(
            url=url,
            method=method,
            headers=headers,
            body=body,
            timeout_s=options.timeout,
            keepalive=not options.no_keepalive,
            insecure=options.insecure,
            expect_status=expect,
        )
        for url in options.urls
    ]


def load_plan(
    options: HttpFlags, default_duration_s: float, precision: Precision | None = None
) -> LoadPlan:
    runs, duration = options.runs, options.duration
    runs_or_duration(runs, duration, "requests")
    if runs is None and duration is None and precision is None:
        duration = default_duration_s
    duration = load_duration(runs, duration, precision, options.max_time)
    workers, concurrency = options.workers, options.concurrency
    if workers > concurrency:
        raise UsageError(
            f"--workers {workers} needs at least as many connections (-c {concurrency})",
            f"use -c {workers} or more",
        )
    return LoadPlan(
        concurrency=concurrency,
        runs=runs,
        duration_s=duration,
        rate=options.rate,
        warmup=options.warmup,
        workers=workers,
        timeout_s=options.timeout,
        sample_cap=options.keep_samples,
        seed=options.seed or 0,
    )


def slice_plan(options: HttpFlags, load: LoadPlan, precision: Precision | None) -> SlicePlan:
    """How the benchmarks of a load run share its pool (--order, --slice, --precision)."""
    seed = options.seed
    if seed is None:
        seed = random.SystemRandom().randrange(2**32)
    return SlicePlan(
        load=load,
        slice_s=options.slice_s,
        order=options.order,
        precision=precision,
        seed=seed,
        start_at=parse_start_at(options.start_at),
    )
