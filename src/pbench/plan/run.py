"""Turning ``pbench run`` options into a RunPlan, once; nothing past here sees click."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, replace
from typing import Any

from pbench.errors import UsageError
from pbench.models import BenchmarkSpec, Hook, Hooks, IgnoreFailure, Order, RunPlan
from pbench.plan.options import RunFlags
from pbench.plan.parameters import combinations, substitute
from pbench.plan.rules import check_unique, parameters, per_benchmark, run_counts
from pbench.plan.rules import precision as precision_of_flags
from pbench.plan.values import parse_assignment, parse_exit_codes
from pbench.results.redact import redact
from pbench.targets.command.hooks import CommandHook
from pbench.targets.command.shell import plan_invocation
from pbench.targets.command.target import CommandIO, CommandOptions, CommandTarget, OutputKind


def plan_from_options(options: RunFlags) -> tuple[RunPlan, str | None]:
    """Validate every option and build the plan; returns (plan, reference name)."""
    min_runs, max_runs, min_time = run_counts(options)
    seed = options.seed
    if seed is None:
        seed = random.SystemRandom().randrange(2**32)
    command_options = _command_options(options)
    # One resident launcher and one process-tree sampler for every command (the
    # launcher runs one at a time). A load run has the kernel's exact figures of every
    # run; following N trees at once would take N sampler threads.
    sampling = not options.no_sample and not is_load(options)
    io = CommandIO(command_options, options.sample_interval if sampling else None)
    factory = _SpecFactory(io=io, shell=_shell(options), rng=random.Random(seed))
    specs = _specs(options, factory)
    reference_name = None
    if options.reference is not None:
        reference = options.reference
        shown = {reference, redact(reference)}
        match = next((s for s in specs if shown & {s.name, s.command}), None)
        if match is None:
            match = factory.make(reference, reference, {}, Hooks())
            specs.insert(0, match)
        reference_name = match.name
    check_unique([s.name for s in specs])
    order, specs = _order(options.order, specs)
    plan = RunPlan(
        benchmarks=specs,
        warmup=options.warmup,
        min_runs=min_runs,
        max_runs=max_runs,
        min_time_s=min_time,
        order=order,
        seed=seed,
        ignore_failure=_ignore_failure(options),
        precision=precision_of_flags(options),
        max_time_s=options.max_time,
    )
    return plan, reference_name


def is_load(options: RunFlags) -> bool:
    """-j/--concurrency, -d/--duration or --rate: a load run (:mod:`pbench.plan.run_load`)."""
    return options.concurrency is not None or options.duration is not None or bool(options.rate)


def _specs(options: RunFlags, factory: _SpecFactory) -> list[BenchmarkSpec]:
    """One benchmark per command and parameter combination, with its hooks."""
    commands = list(options.commands)
    names = list(options.names)
    if len(names) > len(commands):
        raise UsageError(
            f"{len(names)} --command-name given for {len(commands)} commands",
            "give at most one -n per command, in the same order",
        )
    params = parameters(options)
    hooks_by_kind = {
        kind: per_benchmark(getattr(options, key), len(commands), flag)
        for kind, key, flag in (
            ("setup", "setups", "--setup"),
            ("prepare", "prepares", "--prepare"),
            ("conclude", "concludes", "--conclude"),
            ("cleanup", "cleanups", "--cleanup"),
        )
    }
    specs: list[BenchmarkSpec] = []
    for index, command in enumerate(commands):
        name_template = names[index] if index < len(names) else command
        for values in combinations(params) if params else [{}]:
            hooks = Hooks(
                **{
                    kind: factory.hook(kind, per[index], values)
                    for kind, per in hooks_by_kind.items()
                }
            )
            name = substitute(name_template, values)
            specs.append(factory.make(substitute(command, values), name, values, hooks))
    return specs


def _order(requested: Order, specs: list[BenchmarkSpec]) -> tuple[Order, list[BenchmarkSpec]]:
    """The order to measure in, recorded in every benchmark's info.

    Interleaved rounds run every setup before the first round and every cleanup after
    the last, which is right only when all benchmarks share one setup and one cleanup
    (benchmarks without one, such as an added --reference, do not count). A setup that
    differs per benchmark (``-s 'git checkout {rev} && make'``) must run right before
    that benchmark's runs, as hyperfine does: then pbench measures in sequential order
    and says so.
    """
    differ = [
        flag
        for kind, flag in (("setup", "--setup"), ("cleanup", "--cleanup"))
        if len({_hook_text(getattr(s.hooks, kind)) for s in specs} - {None}) > 1
    ]
    order: Order = requested
    notes: tuple[str, ...] = ()
    if requested == "interleaved" and differ:
        order = "sequential"
        notes = (
            f"{' and '.join(differ)} differ between benchmarks: measuring in sequential "
            "order (each benchmark's setup, runs and cleanup in turn, as hyperfine does), "
            "not in interleaved rounds",
        )
    return order, [replace(s, info={**s.info, "order": order}, notes=notes) for s in specs]


def _hook_text(hook: Hook | None) -> str | None:
    return hook.command if isinstance(hook, CommandHook) else None


@dataclass(frozen=True)
class _SpecFactory:
    """Builds command benchmarks that share one launcher and sampler, shell choice and
    seed."""

    io: CommandIO
    shell: str
    rng: random.Random

    def make(self, command: str, name: str, values: dict[str, str], hooks: Hooks) -> BenchmarkSpec:
        invocation = plan_invocation(command, self.shell)
        rng = random.Random(self.rng.random())
        target = CommandTarget(invocation, self.io.options, io=self.io, rng=rng)
        # What is shown and exported never holds a secret (a PGPASSWORD=... prefix, an
        # Authorization header given to curl); the target runs the command as given.
        info: dict[str, Any] = {
            "type": "command",
            "shell_mode": invocation.mode,
            "argv": [redact(arg) for arg in invocation.argv],
            "peak_memory_exact": target.exact_memory,
        }
        if invocation.shell is not None:
            info["shell"] = invocation.shell
        return BenchmarkSpec(
            name=redact(name),
            command=redact(command),
            target=target,
            hooks=hooks,
            parameters=values,
            info=info,
        )

    def hook(self, kind: str, command: str | None, values: dict[str, str]) -> CommandHook | None:
        if command is None:
            return None
        return CommandHook(kind, substitute(command, values), self.io.options, self.shell)


def _shell(options: RunFlags) -> str:
    shell = str(options.shell)
    if options.no_shell:
        if shell not in ("auto", "none"):
            raise UsageError("-N and --shell contradict each other", "give one of them")
        return "none"
    return shell


def _command_options(options: RunFlags) -> CommandOptions:
    env = dict(os.environ)
    for pair in options.env_pairs:
        name, value = parse_assignment(pair, "--env")
        env[name] = value
    output = str(options.output)
    output_kind: OutputKind
    output_path = None
    if options.show_output:
        if output not in ("null", "inherit"):
            raise UsageError("--show-output and --output contradict each other", "give one of them")
        output_kind = "inherit"
    elif output in ("null", "pipe", "inherit"):
        output_kind = output  # type: ignore[assignment]
    else:
        output_kind, output_path = "file", output
    input_path = options.input_path
    if input_path is not None and input_path != "null" and not os.path.isfile(input_path):
        raise UsageError(f"--input: no such file {input_path!r}", "give an existing file, or null")
    return CommandOptions(
        env=env,
        output=output_kind,
        output_path=output_path,
        input_path=None if input_path in (None, "null") else input_path,
        timeout_s=options.timeout,
    )


def _ignore_failure(options: RunFlags) -> IgnoreFailure:
    codes_text = options.ignore_failure_codes
    if codes_text is not None:
        return IgnoreFailure(True, parse_exit_codes(codes_text))
    return IgnoreFailure(bool(options.ignore_failure), None)
