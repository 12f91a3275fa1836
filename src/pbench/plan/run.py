"""Turning ``pbench run`` options into a RunPlan, once; nothing past here sees click."""

from __future__ import annotations

import os
import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from pbench.errors import UsageError
from pbench.models import (
    BenchmarkSpec,
    Hook,
    Hooks,
    IgnoreFailure,
    Measure,
    Order,
    RunPlan,
    how_taken,
    is_count,
)
from pbench.plan.options import RunFlags
from pbench.plan.parameters import combinations, substitute
from pbench.plan.rules import parameters, run_counts, told_apart
from pbench.plan.rules import precision as precision_of_flags
from pbench.plan.values import parse_assignment, parse_exit_codes
from pbench.results.redact import redact
from pbench.targets.command.hooks import CommandHook
from pbench.targets.command.shell import plan_invocation
from pbench.targets.command.target import CommandIO, CommandOptions, CommandTarget, OutputKind


def plan_from_options(
    options: RunFlags, environ: Mapping[str, str] | None = None
) -> tuple[RunPlan, str | None]:
    """Validate every option and build the plan; returns (plan, reference name).
    ``environ``: the environment the commands start from (default: ours, read now; a
    suite reads it once for all its benchmarks: copying ``os.environ`` decodes every
    variable, a quarter of planning a benchmark)."""
    min_runs, max_runs, min_time = run_counts(options)
    seed = options.seed
    if seed is None:
        seed = random.SystemRandom().randrange(2**32)
    # One resident launcher, with its process-tree sampler, for the commands of each
    # --output (one, or one per benchmark; the launcher runs one command at a time). A
    # load run has the kernel's exact figures of every run; following N trees at once
    # would take N sampler threads.
    if options.measure != "wall" and is_load(options):
        raise UsageError(
            f"--measure {options.measure} is for runs one at a time, not load runs",
            "drop -j/--concurrency, -d/--duration and --rate, or measure wall time",
        )
    sampling = not options.no_sample and not is_load(options)
    interval = options.sample_interval if sampling else None
    base = dict(os.environ) if environ is None else environ
    ios = {
        out: CommandIO(_command_options(options, out, base), interval) for out in _outputs(options)
    }
    factory = _SpecFactory(
        ios=ios, shell=_shell(options), rng=random.Random(seed), measure=options.measure
    )
    specs, reference_name = _specs(options, factory)
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


def _specs(options: RunFlags, factory: _SpecFactory) -> tuple[list[BenchmarkSpec], str | None]:
    """One benchmark per parameter combination and command, in hyperfine's order (the
    commands vary fastest, then the first parameter: ``1a 2a 3a 1b 2b 3b``), after the
    --reference command when one is given; the benchmarks' names told apart, and the
    name of the reference.

    ``--reference`` is a command measured first like any other, with its hooks (the
    first of each hook given once per benchmark), even when it is also listed; it names
    a listed benchmark instead only when it equals a name given with ``-n`` (and no
    ``--reference-name`` is given).
    """
    commands = list(options.commands)
    params = parameters(options)
    variants = [
        (index, values)
        for values in (combinations(params) if params else [{}])
        for index in range(len(commands))
    ]
    templates = _name_templates(options.names, len(commands), variants, bool(params))
    names = [
        _variant_name(commands[index], template, values)
        for (index, values), template in zip(variants, templates, strict=True)
    ]
    reference = options.reference
    if options.reference_name is not None and reference is None:
        raise UsageError("--reference-name names the --reference command", "add --reference CMD")
    # pbench's own: --reference NAME picks the benchmark named NAME with -n.
    chosen = next(
        (
            i
            for i, name in enumerate(names)
            if templates[i] is not None and name == reference and options.reference_name is None
        ),
        None,
    )
    added = reference is not None and chosen is None
    # Which command each benchmark comes from; None for the added reference.
    slots: list[int | None] = [None] if added else []
    slots += [index for index, _ in variants]
    outputs = _for_each_benchmark(_outputs(options), "--output", slots, len(commands))
    hooks_by_kind = {
        kind: _for_each_benchmark(getattr(options, key), flag, slots, len(commands))
        for kind, key, flag in (
            ("setup", "setups", "--setup"),
            ("prepare", "prepares", "--prepare"),
            ("conclude", "concludes", "--conclude"),
            ("cleanup", "cleanups", "--cleanup"),
        )
    }

    def hooks_of(position: int, values: dict[str, str]) -> Hooks:
        out = str(outputs[position])
        return Hooks(
            **{
                kind: factory.hook(kind, texts[position], values, out)
                for kind, texts in hooks_by_kind.items()
            }
        )

    specs: list[BenchmarkSpec] = []
    if added:
        assert reference is not None
        shown = reference if options.reference_name is None else options.reference_name
        specs.append(factory.make(reference, shown, {}, hooks_of(0, {}), str(outputs[0])))
    offset = len(specs)
    for position, ((index, values), name) in enumerate(zip(variants, names, strict=True)):
        command = substitute(commands[index], values)
        hooks = hooks_of(offset + position, values)
        specs.append(factory.make(command, name, values, hooks, str(outputs[offset + position])))
    distinct = told_apart([s.name for s in specs])
    specs = [
        s if s.name == name else replace(s, name=name)
        for s, name in zip(specs, distinct, strict=True)
    ]
    if added:
        return specs, specs[0].name
    return specs, None if chosen is None else specs[chosen].name


def _variant_name(command: str, template: str | None, values: dict[str, str]) -> str:
    """The name of one benchmark: its -n template or command line with the values in,
    and (as in hyperfine) the parameters that neither uses after it, so that
    ``-L branch a,b --setup 'git checkout {branch}' make`` gives ``make (branch = a)``
    and ``make (branch = b)``."""
    name = substitute(template if template is not None else command, values)
    unused = [p for p in values if _absent(p, command) and _absent(p, template or "")]
    if unused:
        name += " (" + ", ".join(f"{p} = {values[p]}" for p in unused) + ")"
    return name


def _absent(parameter: str, template: str) -> bool:
    return "{" + parameter + "}" not in template


def _name_templates(
    names: tuple[str, ...], commands: int, variants: list[tuple[int, dict[str, str]]], scan: bool
) -> list[str | None]:
    """Each benchmark's -n template (None: named by its command line).

    Without parameters, -n names the commands in order (at most one each). With
    parameters, one -n names every benchmark, or there is one per benchmark (as in
    hyperfine) or one per command (each command's variants share it).
    """
    count = len(names)
    if not scan:
        if count > commands:
            raise UsageError(
                f"{count} --command-name given for {commands} commands",
                "give at most one -n per command, in the same order",
            )
        return [names[i] if i < count else None for i, _ in variants]
    if count == 0:
        return [None] * len(variants)
    if count == 1:
        return [names[0]] * len(variants)
    if count == len(variants):
        return list(names)
    if count == commands:
        return [names[i] for i, _ in variants]
    raise UsageError(
        f"{count} --command-name given for {len(variants)} benchmarks ({commands} "
        f"command{'s' if commands != 1 else ''} with parameters)",
        "give -n once (with {param} placeholders), once per command, or once per benchmark",
    )


def _for_each_benchmark(
    values: tuple[str, ...], flag: str, slots: list[int | None], commands: int
) -> list[str | None]:
    """A hook (or --output) given once (for all), once per benchmark in order (the
    --reference first), or once per command (the reference first, each command's
    variants sharing its own); ``slots`` holds each benchmark's command index, None for
    the reference."""
    count = len(values)
    if count == 0:
        return [None] * len(slots)
    if count == 1:
        return [values[0]] * len(slots)
    if count == len(slots):
        return list(values)
    with_reference = 1 if slots and slots[0] is None else 0
    if count == commands + with_reference:
        return [values[0] if s is None else values[s + with_reference] for s in slots]
    including = " (including the --reference, which comes first)" if with_reference else ""
    raise UsageError(
        f"{flag} was given {count} times for {len(slots)} benchmarks{including}",
        f"give {flag} once (for all) or once per benchmark, in the same order",
    )


def _order(requested: Order, specs: list[BenchmarkSpec]) -> tuple[Order, list[BenchmarkSpec]]:
    """The order to measure in, recorded in every benchmark's info.

    Interleaved rounds run every setup before the first round and every cleanup after
    the last, which is right only when all benchmarks share one setup and one cleanup
    (benchmarks without one do not count). A setup that differs per benchmark
    (``-s 'git checkout {rev} && make'``) must run right before that benchmark's runs,
    as hyperfine does: then pbench measures in sequential order and says so.
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
            f"{' and '.join(differ)} {'differ' if len(differ) > 1 else 'differs'} between "
            "benchmarks: measuring in sequential "
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

    ios: Mapping[str, CommandIO]  # by --output value
    shell: str
    rng: random.Random
    measure: Measure = "wall"

    def make(
        self, command: str, name: str, values: dict[str, str], hooks: Hooks, output: str
    ) -> BenchmarkSpec:
        io = self.ios[output]
        invocation = plan_invocation(command, self.shell)
        rng = random.Random(self.rng.random())
        target = CommandTarget(invocation, io.options, io=io, rng=rng)
        # What is shown and exported never holds a secret (a PGPASSWORD=... prefix, an
        # Authorization header given to curl); the target runs the command as given.
        info: dict[str, Any] = {
            "type": "command",
            "shell_mode": invocation.mode,
            "argv": [redact(arg) for arg in invocation.argv],
            "peak_memory_exact": target.exact_memory,
        }
        if self.measure != "wall":
            info["measure"] = self.measure
            info["measured_with"] = how_taken(self.measure)
        if invocation.shell is not None:
            info["shell"] = invocation.shell
        return BenchmarkSpec(
            name=redact(name),
            command=redact(command),
            target=target,
            hooks=hooks,
            parameters=values,
            info=info,
            measure=self.measure,
        )

    def hook(
        self, kind: str, command: str | None, values: dict[str, str], output: str
    ) -> CommandHook | None:
        if command is None:
            return None
        options = self.ios[output].options
        return CommandHook(kind, substitute(command, values), options, self.shell)


def _shell(options: RunFlags) -> str:
    shell = str(options.shell)
    if shell == "default":  # hyperfine's name for its default, sh: always through it
        return "sh"
    if options.no_shell:
        if shell not in ("auto", "none"):
            raise UsageError("-N and --shell contradict each other", "give one of them")
        return "none"
    return shell


def _outputs(options: RunFlags) -> tuple[str, ...]:
    """--output: once for all (null by default), or once per benchmark as in hyperfine."""
    return options.output or ("null",)


def _command_options(options: RunFlags, output: str, environ: Mapping[str, str]) -> CommandOptions:
    env: Mapping[str, str] = environ  # shared by the benchmarks that add nothing to it
    if options.env_pairs:
        env = dict(environ)
        for pair in options.env_pairs:
            name, value = parse_assignment(pair, "--env")
            env[name] = value
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
    counted = options.measure if is_count(options.measure) else None
    if counted is not None:
        from pbench.targets.command.valgrind import valgrind_program

        valgrind_program(env)  # missing: a usage error naming the install command
    return CommandOptions(
        env=env,
        output=output_kind,
        output_path=output_path,
        input_path=None if input_path in (None, "null") else input_path,
        timeout_s=options.timeout,
        # Under Valgrind: a plain spawn (the launcher would be counted), and no random
        # padding of the environment (a program that reads its environment would count
        # a different number of instructions each run).
        use_launcher=counted is None,
        pad_environment=counted is None,
        count=counted,  # type: ignore[arg-type]
    )


def _ignore_failure(options: RunFlags) -> IgnoreFailure:
    codes_text = options.ignore_failure_codes
    if codes_text is not None:
        return IgnoreFailure(True, parse_exit_codes(codes_text))
    return IgnoreFailure(bool(options.ignore_failure), None)
