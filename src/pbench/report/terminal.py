"""Terminal text: a hyperfine-like block per benchmark and the comparison summary.

Returns strings; only the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pbench.models import (
    MEASURE_LABELS,
    MEASURE_WORDS,
    BenchmarkResult,
    RunResults,
    TimeUnit,
    is_count,
)
from pbench.report.units import format_bytes, format_times, measure_unit, unit_for
from pbench.results.escape import printable
from pbench.stats.aggregate import of_info
from pbench.stats.summary import Summary

# ANSI SGR codes of the colours the reports use (the standard 8 and the bright ones).
ANSI_COLOURS = {
    "black": 30, "red": 31, "green": 32, "yellow": 33, "blue": 34, "magenta": 35,
    "cyan": 36, "white": 37, "bright_black": 90, "bright_red": 91, "bright_green": 92,
    "bright_yellow": 93, "bright_blue": 94, "bright_magenta": 95, "bright_cyan": 96,
    "bright_white": 97,
}  # fmt: skip
ANSI_RESET = "\033[0m"


@dataclass(frozen=True)
class Style:
    """How text is decorated; ``color`` False gives plain text."""

    color: bool = False

    def paint(self, text: str, *, fg: str | None = None, bold: bool = False,
              dim: bool = False) -> str:  # fmt: skip
        """``text`` in colour ``fg`` (a name of :data:`ANSI_COLOURS`), bold or dim, the
        style reset after it: the codes click.style writes, in its order."""
        if not self.color:
            return text
        codes = [ANSI_COLOURS[fg]] if fg is not None else []
        codes += [1] if bold else []
        codes += [2] if dim else []
        return "".join(f"\033[{code}m" for code in codes) + text + ANSI_RESET


PLAIN = Style()


def render_result(
    index: int,
    result: BenchmarkResult,
    summary: Summary | None,
    warnings: Sequence[str],
    unit: TimeUnit | None,
    style: Style,
    failed: str | None = None,
) -> str:
    """The block for one benchmark (numbered from 1 like hyperfine).

    ``failed`` names the benchmark whose failure ended the whole run, if one did: a
    benchmark that had not finished by then says it was stopped or skipped because of it.
    """
    title = style.paint(printable(result.name), bold=True)
    lines = [f"Benchmark {index}: {title}"]
    if result.stop_reason == "failed":
        lines.append(
            "  " + style.paint("Failed:", fg="red", bold=True) + " " * 14 + _failed(result)
        )
        lines.extend(f"  {extra}" for extra in _section_lines(result.sections))
        lines.extend(_warning_lines(warnings, style))
        return "\n".join(lines)
    found = of_info(result.info) if summary is None and not result.measurements else None
    if found is not None:  # a harness kept only mean, sd and n
        aggregate_unit = unit or unit_for(found.mean)
        shown_mean, shown_sigma = format_times([found.mean, found.stddev or 0.0], aggregate_unit, 8)
        sigma = f" ± {style.paint(shown_sigma, fg='green')}" if found.stddev is not None else ""
        lines.append(f"  Time (mean ± σ):     {style.paint(shown_mean, fg='green', bold=True)}"
                     f"{sigma}")  # fmt: skip
        n = _count(found.n, "run") if found.n is not None else "an unknown number of runs"
        lines.append(f"  Only aggregates:     of {n}; no per-run values, median or range")
        lines.extend(_warning_lines(warnings, style))
        return "\n".join(lines)
    if summary is None:
        lines.append(f"  ({_not_run(result, failed)})")
        lines.extend(f"  {extra}" for extra in _section_lines(result.sections))
        lines.extend(_warning_lines(warnings, style))
        return "\n".join(lines)
    measure = result.measure
    u = measure_unit(summary.mean, measure, unit)
    users = [m.user_s for m in result.measurements if m.user_s is not None]
    systems = [m.system_s for m in result.measurements if m.system_s is not None]
    cpu = ""
    if users or systems:
        user = sum(users) / len(users) if users else 0.0
        system = sum(systems) / len(systems) if systems else 0.0
        time_unit = u if not is_count(measure) else (unit or unit_for(max(user, system)))
        shown_user, shown_system = format_times([user, system], time_unit)
        under = " under Valgrind" if is_count(measure) else ""
        cpu = f"    [User: {shown_user}, System: {shown_system}{under}]"
    shown_mean, shown_sigma = format_times([summary.mean, summary.stddev], u, 8)
    mean = style.paint(shown_mean, fg="green", bold=True)
    sigma = style.paint(shown_sigma, fg="green")
    label = f"{MEASURE_LABELS[measure]} (mean ± σ):"
    lines.append(f"  {label:<20} {mean} ± {sigma}{cpu}")
    ci = summary.median_ci
    median, low, high, p95 = (
        text.lstrip() if i else text
        for i, text in enumerate(format_times([summary.median, ci.low, ci.high, summary.p95], u, 8))
    )
    lines.append(f"  Median (95% CI):     {median}   [{low} … {high}]   p95: {p95}")
    runs = style.paint(_count(summary.n, "run"), dim=True)
    least, most = format_times([summary.min, summary.max], u, 8)
    lines.append(f"  Range (min … max):   {least} … {most}    {runs}")
    peaks = [m.peak_rss_bytes for m in result.measurements if m.peak_rss_bytes]
    if peaks:
        exact = result.info.get("peak_memory_exact", True)
        note = "" if exact else "  (includes pbench's own size: no launcher on this platform)"
        if is_count(measure):
            note = "  (Valgrind's, not the command's alone)"
        lines.append(f"  Peak memory:         {format_bytes(max(peaks))}{note}")
    for extra in _section_lines(result.sections):
        lines.append(f"  {extra}")
    if result.stop_reason in ("precision", "budget"):
        why = "precision target met" if result.stop_reason == "precision" else "time budget spent"
        lines.append(f"  Stopped:             {why}")
    elif result.stop_reason is None and failed is not None:
        lines.append(
            f"  Stopped:             after {_count(summary.n, 'run')}, because "
            f"'{printable(failed)}' failed (incomplete)"
        )
    lines.extend(_warning_lines(warnings, style))
    return "\n".join(lines)


def _warning_lines(warnings: Sequence[str], style: Style) -> list[str]:
    lines = []
    for warning in warnings:
        lines.append("")
        lines.append("  " + style.paint("Warning:", fg="yellow", bold=True) + " " + warning)
    return lines


def _failed(result: BenchmarkResult) -> str:
    """How many runs, and why the last one failed (a failed warmup has no run)."""
    load = result.sections.get("load")
    if load is not None:
        return f"all {_count(load['requests'], 'request')} failed (errors by kind below)"
    runs = result.measurements
    last = next((m for m in reversed(runs) if m.failed), None)
    if last is None:
        return f"in a warmup run, before any measured run ({result.warmups} warmups passed)"
    ok = sum(1 for m in runs if not m.failed)
    before = f"; {_count(ok, 'run')} before it succeeded" if ok else ""
    return f"run {last.iteration + 1} of {len(runs)}: {last.why_failed}{before}"


def _not_run(result: BenchmarkResult, failed: str | None) -> str:
    """Why a benchmark has no statistics though it did not fail itself."""
    if result.measurements:
        return "no successful runs"
    if failed is not None:
        return f"not run: skipped because '{printable(failed)}' failed"
    if result.stop_reason == "interrupted":
        return "not run: interrupted"
    return "not run"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _process_tree_lines(tree: Mapping[str, Any]) -> list[str]:
    """The process tree per run: CPU and disk totals from the kernel, RSS, threads and
    CPU peaks from the sampler (lower bounds: a spike between two samples is missed)."""
    parts = []
    if "cpu_mean_percent" in tree:
        cpu = f"CPU {tree['cpu_mean_percent']:.0f}% mean"
        if tree.get("cpu_peak_percent", 0) >= tree["cpu_mean_percent"]:
            cpu += f", {tree['cpu_peak_percent']:.0f}% peak"
        parts.append(cpu)
    if "rss_peak_bytes" in tree:
        parts.append(f"RSS {format_bytes(tree['rss_peak_bytes'])} peak")
    if "threads_peak" in tree:
        parts.append(f"{_count(round(tree['threads_peak']), 'thread')} peak")
    if "disk_read_bytes" in tree or "disk_write_bytes" in tree:
        parts.append(
            f"disk {format_bytes(tree.get('disk_read_bytes', 0))} read, "
            f"{format_bytes(tree.get('disk_write_bytes', 0))} written"
        )
    if not parts:
        return []
    return [f"Process tree:        {' · '.join(parts)} (per run; peaks sampled)"]


def _load_lines(section: Mapping[str, Any]) -> list[str]:
    from pbench.report.load import load_lines

    return load_lines(section)


def _sql_lines(section: Mapping[str, Any]) -> list[str]:
    """Rows and bytes per query, and the batch size of batched timing."""
    parts = []
    if section.get("rows_per_query") is not None:
        parts.append(f"{section['rows_per_query']:g} rows")
    if section.get("bytes_per_query") is not None:
        parts.append(format_bytes(section["bytes_per_query"]))
    loops = section.get("loops")
    if isinstance(loops, int) and loops > 1:
        parts.append(f"timed in batches of {loops} queries")
    return [f"Per query:           {', '.join(parts)}"] if parts else []


SectionRenderer = Callable[[Mapping[str, Any]], list[str]]
# Extra lines under a result block, by the name of the section they show.
SECTION_RENDERERS: dict[str, SectionRenderer] = {
    "process_tree": _process_tree_lines,
    "sql": _sql_lines,
    "load": _load_lines,
}


def _section_lines(sections: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for name, renderer in SECTION_RENDERERS.items():
        if name in sections:
            lines.extend(renderer(sections[name]))
    return lines


def render_summary(
    reference: BenchmarkResult,
    ref_summary: Summary,
    others: Sequence[tuple[BenchmarkResult, Summary, Any]],
    style: Style,
) -> str:
    """hyperfine's summary: how many times faster or slower the reference ran.

    ``others`` holds (result, summary, comparison) where comparison, when not None, is a
    :class:`pbench.stats.comparison.Comparison` of that result against the reference.
    """
    by = "" if reference.measure == "wall" else f" (by {MEASURE_WORDS[reference.measure]})"
    lines = ["Summary", f"  {style.paint(_quoted(reference.name), fg='cyan')} ran{by}"]
    for result, summary, comparison in others:
        if summary.mean <= 0 or ref_summary.mean <= 0:
            lines.append(
                f"    cannot be compared with {_quoted(result.name)}: a mean time of 0 (shorter "
                "than the shell spawn time that was subtracted; try -N)"
            )
            continue
        if comparison is not None and getattr(comparison, "unit", "runs") == "slices":
            text = _load_ratio_text(comparison)
        else:
            ratio = summary.mean / ref_summary.mean
            spread = ratio * _relative_error(summary, ref_summary)
            if ratio == 1:  # the same mean to the last digit (hyperfine's wording)
                text = f"As fast ({ratio:.2f} ± {spread:.2f}) as"
            elif ratio > 1:
                text = f"{ratio:.2f} ± {spread:.2f} times faster than"
            else:
                inv = 1 / ratio
                error = inv * _relative_error(summary, ref_summary)
                text = f"{inv:.2f} ± {error:.2f} times slower than"
        line = (
            f"    {style.paint(text, bold=True)} {style.paint(_quoted(result.name), fg='magenta')}"
        )
        if comparison is not None:
            line += "\n      " + _verdict_text(comparison, result.name, reference.name)
        lines.append(line)
    return "\n".join(lines)


def render_relative_speeds(
    rows: Sequence[tuple[BenchmarkResult, Summary, Any]],
    reference: BenchmarkResult,
    ref_summary: Summary,
    style: Style,
) -> str:
    """hyperfine's ``--sort command`` summary: every benchmark in the order given, its
    mean relative to the reference's (1.00 for the reference itself); the comparisons'
    verdicts after the table."""
    lines = ["Relative speed comparison"]
    verdicts = []
    for result, summary, comparison in rows:
        if result.name == reference.name:
            figures = f"{1.0:10.2f}" + " " * 8
        elif summary.mean <= 0 or ref_summary.mean <= 0:
            figures = f"{'n/a':>10}" + " " * 8
        else:
            ratio = summary.mean / ref_summary.mean
            spread = ratio * _relative_error(summary, ref_summary)
            figures = f"{ratio:10.2f} ± {spread:5.2f}"
        lines.append(f"  {style.paint(figures, bold=True)}  {printable(result.name)}")
        if comparison is not None:
            verdict = _verdict_text(comparison, result.name, reference.name)
            verdicts.append(f"  {_quoted(result.name)}: {verdict}")
    return "\n".join(lines + verdicts)


def _load_ratio_text(comparison: Any) -> str:
    """Under load, or with runs in slices, the spread of single requests or runs says
    nothing about a ratio: the median ratio over slices and its interval do
    (reference / other, as above)."""
    ratio = comparison.ratio_median
    low, high = comparison.ratio_median_ci
    if ratio >= 1:
        return f"{ratio:.2f} [{low:.2f} … {high:.2f}] times faster than"
    return f"{1 / ratio:.2f} [{1 / high:.2f} … {1 / low:.2f}] times slower than"


def _quoted(name: str) -> str:
    return f"'{printable(name)}'"


def _relative_error(a: Summary, b: Summary) -> float:
    # Propagation of uncertainty for a ratio of means (as hyperfine does).
    ra = a.stddev / a.mean if a.mean else 0.0
    rb = b.stddev / b.mean if b.mean else 0.0
    return float((ra * ra + rb * rb) ** 0.5)


def _verdict_text(comparison: Any, name: str, reference: str) -> str:
    low, high = comparison.ratio_median_ci
    p = comparison.p_adjusted
    p_text = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
    verdict = comparison.verdict
    if verdict == "slower":
        said = f"{_quoted(name)} is slower"
    elif verdict == "faster":
        said = f"{_quoted(name)} is faster"
    elif verdict == "same":
        said = "no difference beyond the noise threshold"
    else:
        said = "inconclusive"
    text = (
        f"median ratio {comparison.ratio_median:.3f} [95% CI {low:.3f} … {high:.3f}], "
        f"{p_text}, {comparison.n_reference} vs {comparison.n_candidate} "
        f"{getattr(comparison, 'unit', 'runs')}: {said}"
    )
    if verdict == "inconclusive" and getattr(comparison, "advice", None):
        text += f" ({printable(comparison.advice)})"
    return text


def render_report(run_results: RunResults, style: Style = PLAIN, sort: str = "auto") -> str:
    """The terminal text for a finished run: blocks, then the summary."""
    summaries = {r.name: run_results.summary(r) for r in run_results.results}

    # Blocks come in the order the benchmarks were given, as hyperfine prints them;
    # --sort orders the summary (and the Markdown export's table).
    results = list(run_results.results)
    failed = next((r.name for r in results if r.stop_reason == "failed"), None)
    blocks = [
        render_result(
            i + 1,
            r,
            summaries[r.name],
            run_results.warnings.get(r.name, ()),
            run_results.time_unit,
            style,
            failed,
        )
        for i, r in enumerate(results)
    ]
    text = "\n\n".join(blocks)
    # A failed benchmark's few runs are no measurement to compare with.
    measured = {
        r.name: (r, s)
        for r in results
        if (s := summaries[r.name]) is not None and r.stop_reason != "failed"
    }
    if run_results.reference in measured and len(measured) > 1:
        ref, ref_summary = measured[run_results.reference]
        comparisons = {c.name: c for c in run_results.comparisons}
        if sort == "command":
            table = [(r, s, comparisons.get(r.name)) for r, s in measured.values()]
            text += "\n\n" + render_relative_speeds(table, ref, ref_summary, style)
            return text
        others = [pair for name, pair in measured.items() if name != ref.name]
        others.sort(key=lambda pair: pair[1].mean)
        rows = [(r, s, comparisons.get(r.name)) for r, s in others]
        text += "\n\n" + render_summary(ref, ref_summary, rows, style)
    return text
