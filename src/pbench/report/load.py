"""Terminal lines for a load run's ``sections["load"]`` (HTTP and SQL alike).

Returns text; the CLI decides where it goes. Register with
``pbench.report.terminal`` shows them under every load result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pbench.report.units import format_bytes, format_duration


def _ms(figures: Mapping[str, float]) -> str:
    keys = (("p50", "p50"), ("p90", "p90"), ("p99", "p99"), ("p99.9", "p99_9"), ("max", "max"))
    return "  ".join(f"{label} {figures[key] * 1e3:.3f}" for label, key in keys)


def _rate(rate: float) -> str:
    return f"{rate:.15g}"  # 1000000, not 1e+06


def _statuses(codes: Mapping[str, int]) -> str:
    return ", ".join(f"{code}: {n:,}" for code, n in codes.items())


def load_lines(section: Mapping[str, Any]) -> list[str]:
    """Model, throughput, latency percentiles, wait/service, statuses, errors, CPU."""
    rate = section.get("target_rate")
    model = f"open loop at {_rate(rate)}/s" if rate else "closed loop"
    workers = section.get("workers", 1)
    across = f" across {workers} worker processes" if workers > 1 else ""
    resources = section.get("resources")
    # Command load runs (the only ones with resources) run copies of a command.
    client, noun = ("cop", "run") if "resources" in section else ("connection", "request")
    if client == "cop":
        plural = "y" if section["concurrency"] == 1 else "ies"
    else:
        plural = "" if section["concurrency"] == 1 else "s"
    requests = section["requests"]
    lines = [
        f"Load:                {model}, {section['concurrency']} {client}{plural}{across}, "
        f"{requests:,} {noun}{'' if requests == 1 else 's'} in "
        f"{format_duration(section['elapsed_s'])}"
        + ("  (interrupted)" if section.get("interrupted") else "")
    ]
    slices = section.get("slices")
    if slices and slices.get("count"):
        order = "interleaved with the others" if slices["order"] == "interleaved" else "in a row"
        lines.append(
            f"Slices:              {slices['count']:,} of {slices['length_s'] * 1e3:g} ms or more,"
            f" {order}; each slice's median is one observation"
        )
    unfinished = section.get("unfinished") or 0
    if not section.get("succeeded"):
        errors = ", ".join(f"{kind}: {n:,}" for kind, n in section.get("errors", {}).items())
        if errors:
            lines.append(f"Errors:              {errors}")
        if section.get("status_codes"):
            lines.append(f"Status codes:        {_statuses(section['status_codes'])}")
        if unfinished:
            lines.append(f"Unfinished:          {unfinished:,} (in flight when time was up)")
        return lines
    throughput = section["throughput"]
    per_s = f"{throughput['requests_per_s']:,.1f} {noun}s/s"
    if throughput.get("bytes_per_s"):
        per_s += f", {format_bytes(throughput['bytes_per_s'])}/s"
    lines.append(f"Throughput:          {per_s}")
    if section.get("rate"):
        asked = section["rate"]
        verdict = "reached" if asked["reached"] else "NOT reached"
        lines.append(
            f"Rate:                {asked['achieved']:,.1f} of {_rate(asked['target'])} requests/s"
            f" scheduled ({asked['achieved_share']:.2%}): {verdict}"
        )
    if section.get("latency"):
        label = "from schedule" if rate else ""
        lines.append(f"Latency (ms):        {_ms(section['latency'])}  {label}".rstrip())
    if section.get("service"):
        lines.append(f"Service time (ms):   {_ms(section['service'])}")
    if section.get("wait"):
        lines.append(f"Wait to send (ms):   {_ms(section['wait'])}")
    if section.get("status_codes"):
        lines.append(f"Status codes:        {_statuses(section['status_codes'])}")
    if section.get("errors"):
        errors = ", ".join(f"{kind}: {n:,}" for kind, n in section["errors"].items())
        lines.append(f"Errors:              {errors}")
    if unfinished:
        lines.append(f"Unfinished:          {unfinished:,} (in flight when time was up)")
    if resources:
        lines += resource_lines(resources)
    cpu = section.get("client_cpu")
    if cpu:
        lines.append(
            f"pbench CPU:          {cpu['cores']:.0%} of a core"
            + (f" ({cpu['per_worker']:.0%} per worker)" if workers > 1 else "")
        )
    return lines


def resource_lines(resources: Mapping[str, Any]) -> list[str]:
    """Exact CPU time and peak memory per run (every run, from wait4), and utilisation."""
    lines = []
    cpu = resources.get("cpu")
    if cpu:
        figures = "  ".join(f"{k} {cpu[k] * 1e3:.3f}" for k in ("mean", "p50", "p99", "max"))
        lines.append(
            f"CPU per run (ms):    {figures}  (total {format_duration(cpu['total'])},"
            f" {resources['cpu_utilisation']:.0%} of {resources['cores']} cores)"
        )
    memory = resources.get("peak_memory")
    if memory:
        figures = "  ".join(f"{k} {format_bytes(memory[k])}" for k in ("p50", "p99", "max"))
        lines.append(f"Peak memory per run: {figures}")
    return lines
