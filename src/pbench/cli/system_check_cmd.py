"""``pbench system-check``: is this machine fit to measure? (pyperf's ``system show``)."""

from __future__ import annotations

import json
import textwrap

import click

from pbench.cli.common import guarded
from pbench.system.fitness import Fitness

WIDTH = 88


@click.command(
    "system-check",
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="\b\nExit codes:\n  0  the checks ran, whatever they found (a report, not a gate:\n"
    '     read "fit" in --format json to gate a script on it)\n'
    "  2  usage error (bad flag)",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A report for people, or JSON for machines.",
)
@guarded
def system_check(output_format: str) -> int:
    """Check this machine for what makes timings noisy: CPU frequency governor, turbo,
    SMT, competing load, CPU steal (a VM's neighbours), ASLR, memory pressure, battery
    power and isolated CPUs (Linux: /proc and /sys; "unknown" where they say nothing).

    Each check says what it saw, what it means for the results and how to fix it. The
    machine is fit when no check is bad; warnings add noise worth removing.
    """  # fmt: skip
    from pbench.system.fitness import fitness

    found = fitness()
    if output_format == "json":
        click.echo(json.dumps(found.as_dict(), indent=2))
    else:
        click.echo(render(found))
    return 0


def render(found: Fitness) -> str:
    """One line per check; what it means and the fix under each that is not ok."""
    width = max(len(c.name) for c in found.checks)
    lines = [f"System check: {found.summary}", ""]
    for check in found.checks:
        value = check.value if check.value is not None else "-"
        lines.append(f"  {check.status:<8} {check.name:<{width}}  {value}".rstrip())
        if check.status == "ok":
            continue
        indent = " " * (width + 13)
        lines += textwrap.wrap(
            check.meaning, WIDTH, initial_indent=indent, subsequent_indent=indent
        )
        if check.fix:  # never wrapped: it is copied and pasted
            lines.append(f"{indent}fix: {check.fix}")
    return "\n".join(lines)
