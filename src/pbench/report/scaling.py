"""The scaling table of a concurrency sweep, for the terminal (see pbench.run.scaling)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pbench.report.units import format_time, unit_for

if TYPE_CHECKING:
    from pbench.report.terminal import Style


def render_scaling(tables: Sequence[Mapping[str, Any]], style: Style, noun: str = "runs") -> str:
    """One table per benchmark: level, throughput, p50, p99, efficiency, and the knee."""
    blocks = []
    for table in tables:
        rows = table["levels"]
        latencies = [r[k] for r in rows for k in ("p50_s", "p99_s") if r[k] is not None]
        unit = unit_for(min(latencies)) if latencies else "millisecond"
        lines = [
            style.paint(f"Scaling of {table['benchmark']}", bold=True),
            f"  {'concurrency':>11}  {noun + '/s':>12}  {'p50':>12}  {'p99':>12}"
            f"  {'efficiency':>10}",
        ]
        for row in rows:
            p50 = "—" if row["p50_s"] is None else format_time(row["p50_s"], unit)
            p99 = "—" if row["p99_s"] is None else format_time(row["p99_s"], unit)
            efficiency = "—" if row["efficiency"] is None else f"{row['efficiency']:.0%}"
            mark = "  <- knee" if row["concurrency"] == table["knee"] else ""
            mark += "  (interrupted)" if row.get("interrupted") else ""
            lines.append(
                f"  {row['concurrency']:>11}  {row['throughput']:>12,.1f}  {p50:>12}"
                f"  {p99:>12}  {efficiency:>10}{mark}"
            )
        if table["knee"] is None:
            lines.append(f"  Scales up to {rows[-1]['concurrency']} at least (no knee).")
        else:
            below = table["scales_to"]
            upto = f"scales up to {below}; " if below is not None else ""
            lines.append(f"  Knee at {table['knee']} ({table['knee_reason']}): {upto}"
                         "more clients add little.")  # fmt: skip
        blocks.append("\n".join(lines))
    rule = tables[0]["rule"] if tables else ""
    return "\n\n".join(blocks) + (f"\n  ({rule[0].upper()}{rule[1:]}.)" if rule else "")
