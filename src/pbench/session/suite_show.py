"""What ``pbench suite --list`` and ``--dry-run`` print: the selected benchmarks with
their settings in effect (secrets masked), and what each would measure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pbench.plan.suite.read import Suite
    from pbench.session.suite import Planned


def listing(selected: Suite) -> str:
    """``--list``: each selected benchmark with its kind, tiers, tags, budgets and the
    settings in effect (secrets masked)."""
    from pbench.plan.budgets import BIGGER_IS_BETTER, metric_quantity
    from pbench.report.budgets import format_values

    tier = selected.selection.tier
    count = len(selected.benchmarks)
    title = f"{selected.file}: {count} benchmark{'s' if count != 1 else ''}"
    lines = [title + (f" in tier {tier}" if tier else "")]
    for benchmark in selected.benchmarks:
        lines.append("")
        lines.append(f"{benchmark.name}  ({benchmark.shown_kind})")
        if benchmark.tiers:
            lines.append(f"  tiers: {', '.join(benchmark.tiers)}")
        if benchmark.tags:
            lines.append(f"  tags: {', '.join(benchmark.tags)}")
        for key, value in benchmark.settings:
            lines.append(f"  {key} = {_toml_value(value)}")
        for budget in benchmark.budgets:
            sign = "≥" if budget.metric in BIGGER_IS_BETTER else "≤"
            quantity = metric_quantity(budget.metric)
            levels = [
                f"{level} {sign} {format_values([limit], quantity)[0]}"
                for level, limit in (("warn", budget.warn), ("error", budget.error))
                if limit is not None
            ]
            lines.append(f"  budget {budget.metric}: {', '.join(levels)}")
    return "\n".join(lines)


def _toml_value(value: object) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def dry_run(selected: Suite, planned: Sequence[Planned]) -> str:
    """``--dry-run``: what each benchmark would measure, after planning every one."""
    lines = [f"{selected.file}: {len(planned)} benchmarks planned; nothing was measured"]
    for item in planned:
        names = _variant_names(item)
        lines.append(f"  {item.benchmark.name} ({item.benchmark.shown_kind}): {_how_much(item)}")
        if len(names) > 1 or names[0] != item.benchmark.name:
            lines += [f"    - {name}" for name in names]
    return "\n".join(lines)


def _variant_names(item: Planned) -> list[str]:
    from pbench.models import RunPlan
    from pbench.plan.harness import HarnessPlan
    from pbench.plan.http import HttpPlan

    plan = item.plan
    if isinstance(plan, HarnessPlan):
        return [f"{plan.entry}/NAME for each benchmark the harness reports"]
    if isinstance(plan, RunPlan):
        return [spec.name for spec in plan.benchmarks]
    if isinstance(plan, HttpPlan):
        return [name for name, _ in plan.benchmarks]
    return [spec.name for spec in plan.run.benchmarks]  # SQL and command load plans


def _how_much(item: Planned) -> str:
    text = _how_much_of(item)
    if item.sweep:
        text += f", at each concurrency of {', '.join(map(str, item.levels))}"
    return text


def _how_much_of(item: Planned) -> str:
    from pbench.models import RunPlan
    from pbench.plan.harness import HarnessPlan
    from pbench.plan.http import HttpPlan
    from pbench.plan.sql import SqlPlan

    plan = item.plan
    if isinstance(plan, HarnessPlan):
        source = "its {output} file" if plan.to_file else "its standard output"
        return f"runs the {plan.harness} command once and reads {source}"
    cap = item.benchmark.flags.max_time
    capped = f", at most {cap:g} s" if cap is not None else ""
    load = None
    if isinstance(plan, RunPlan) or (isinstance(plan, SqlPlan) and plan.load is None):
        run = plan if isinstance(plan, RunPlan) else plan.run
        if run.precision is not None:
            return f"until the 95% CI is within {run.precision.fraction:.1%}{capped}"
        if run.exact_runs is not None:
            return f"{run.exact_runs} runs{capped}"
        return f"at least {run.min_runs} runs and {run.min_time_s:g} s{capped}"
    load = plan.load if isinstance(plan, SqlPlan) else plan.slices.load
    assert load is not None
    if not isinstance(plan, SqlPlan | HttpPlan):
        noun = "runs"
    else:
        noun = "requests" if isinstance(plan, HttpPlan) else "queries"
    if load.runs is not None:
        return f"{load.runs} {noun} on {load.concurrency} client(s){capped}"
    return f"{load.duration_s:g} s on {load.concurrency} client(s)"
