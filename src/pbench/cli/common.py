"""Pieces every subcommand shares: value types, display style, progress, error handling,
exports, and turning finished results into terminal text and export files."""

from __future__ import annotations

import math
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from types import FrameType
from typing import Any, ParamSpec, TypeVar

import click

from pbench.errors import BenchmarkFailed, ExitCode, PbenchError, UsageError
from pbench.models import BenchmarkResult, RunReport, TimeUnit
from pbench.params import parse_duration, parse_fraction
from pbench.stats import summary_of

P = ParamSpec("P")
R = TypeVar("R")

STYLES = ("auto", "basic", "full", "nocolor", "color", "none")
TIME_UNITS = ("second", "millisecond", "microsecond", "nanosecond")


class DurationType(click.ParamType):  # type: ignore[type-arg]
    name = "DURATION"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            return value
        option = param.opts[-1] if param is not None and param.opts else "duration"
        try:
            return parse_duration(str(value), option)
        except UsageError as exc:
            self.fail(f"{exc.message} ({exc.hint})", param, ctx)


class FractionType(click.ParamType):  # type: ignore[type-arg]
    name = "PERCENT"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            return value
        option = param.opts[-1] if param is not None and param.opts else "percentage"
        try:
            return parse_fraction(str(value), option)
        except UsageError as exc:
            self.fail(f"{exc.message} ({exc.hint})", param, ctx)


DURATION = DurationType()
FRACTION = FractionType()


@dataclass(frozen=True)
class Display:
    """What the terminal gets: colours, a live progress bar, or nothing at all."""

    color: bool
    progress: bool
    quiet: bool


def resolve_display(style: str) -> Display:
    """hyperfine's --style values; ``auto`` looks at the terminal, NO_COLOR and TERM."""
    interactive = sys.stderr.isatty() and sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
    no_color = "NO_COLOR" in os.environ and os.environ["NO_COLOR"] != ""
    if style == "none":
        return Display(False, False, True)
    if style == "basic":
        return Display(False, False, False)
    if style == "full":
        return Display(not no_color, True, False)
    if style == "nocolor":
        return Display(False, True, False)
    if style == "color":
        return Display(True, False, False)
    return Display(interactive and not no_color, interactive, False)


class ProgressBar:
    """A one-line progress bar on stderr with the current estimate and an ETA."""

    WIDTH = 24

    def __init__(self, enabled: bool, unit: TimeUnit | None) -> None:
        self.enabled = enabled
        self.unit = unit
        self._last = 0.0
        self._shown = False

    def update(self, progress: Any) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.05 and progress.phase == "run":
            return
        self._last = now
        from pbench.report.terminal import auto_unit, format_time

        label = {"calibrate": "Measuring shell spawn time", "warmup": "Warming up"}.get(
            progress.phase, "Measuring"
        )
        bar = ""
        if progress.expected:
            filled = min(self.WIDTH, int(self.WIDTH * progress.done / progress.expected))
            bar = (
                "["
                + "#" * filled
                + " " * (self.WIDTH - filled)
                + f"] {progress.done}/{progress.expected}"
            )
        else:
            bar = f"{progress.done} runs"
        estimate = ""
        if progress.mean_s is not None:
            unit = self.unit or auto_unit(progress.mean_s)
            estimate = f"  current estimate: {format_time(progress.mean_s, unit)}"
        eta = f"  ETA {_clock(progress.eta_s)}" if progress.eta_s is not None else ""
        text = f"{label} {progress.name[:40]!r} {bar}{estimate}{eta}"
        click.echo("\r\x1b[2K" + text, nl=False, err=True)
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            click.echo("\r\x1b[2K", nl=False, err=True)
            self._shown = False


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def guarded(fn: Callable[P, int]) -> Callable[P, int]:
    """Turn pbench errors into one message on stderr and their exit code; no traceback
    unless PBENCH_TRACEBACK is set. SIGTERM is handled like Ctrl-C."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> int:
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            return fn(*args, **kwargs)
        except PbenchError as exc:
            if os.environ.get("PBENCH_TRACEBACK"):
                raise
            click.echo(exc.render(), err=True)
            return int(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("pbench: interrupted", err=True)
            return int(ExitCode.INTERRUPTED)
        finally:
            signal.signal(signal.SIGTERM, previous)

    return wrapper


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def export_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--export-json/--export-csv/--export-markdown FILE and --export FILE (repeatable)."""
    for option in reversed(
        [
            click.option(
                "--export-json", metavar="FILE", help="Write results as JSON ('-' = stdout)."
            ),
            click.option(
                "--export-csv", metavar="FILE", help="Write results as CSV ('-' = stdout)."
            ),
            click.option(
                "--export-markdown", metavar="FILE", help="Write a Markdown table ('-' = stdout)."
            ),
            click.option(
                "--export",
                "exports",
                metavar="FILE",
                multiple=True,
                help="Export, format from the extension (.json .csv .md); repeatable.",
            ),
        ]
    ):
        fn = option(fn)
    return fn


def export_specs(
    export_json: str | None,
    export_csv: str | None,
    export_markdown: str | None,
    exports: Sequence[str],
) -> list[Any]:
    from pbench.export import check_writable, parse_export_spec

    specs = [
        parse_export_spec(fmt, path)
        for fmt, path in (("json", export_json), ("csv", export_csv), ("markdown", export_markdown))
        if path is not None
    ]
    specs += [parse_export_spec(None, path) for path in exports]
    if sum(1 for s in specs if s.path == "-") > 1:
        raise UsageError("only one export can go to stdout ('-')", "write the others to files")
    check_writable(specs)
    return specs


def build_report(
    results: Sequence[BenchmarkResult],
    metadata: dict[str, Any],
    *,
    reference: str | None,
    time_unit: TimeUnit | None,
    compare: bool,
    alpha: float = 0.05,
    threshold: float = 0.01,
    seed: int | None = None,
) -> RunReport:
    """Findings and (optionally, since bootstraps cost time) comparisons for ``results``."""
    from pbench.checks import findings

    summaries = {r.name: summary_of(r) for r in results}
    warnings = {r.name: findings(r, summaries[r.name]) for r in results}
    means = {name: s.mean for name, s in summaries.items() if s is not None}
    measured = [r for r in results if r.name in means]
    ref_name = reference
    if ref_name is None and len(measured) > 1:
        ref_name = min(measured, key=lambda r: means[r.name]).name
    comparisons: list[Any] = []
    if compare and ref_name is not None and len(measured) > 1:
        from pbench.compare import compare_many

        samples = {r.name: r.times for r in measured if len(r.times) >= 2}
        if ref_name in samples and len(samples) > 1:
            comparisons = compare_many(
                ref_name, samples, alpha=alpha, threshold=threshold, seed=seed or 0
            )
    return RunReport(
        results=list(results),
        metadata=metadata,
        reference=ref_name,
        warnings=warnings,
        comparisons=comparisons,
        time_unit=time_unit,
    )


def render_report(report: RunReport, display: Display, sort: str = "auto") -> str:
    """The terminal text for a finished run: blocks, then the summary."""
    from pbench.report.terminal import Style, render_result, render_summary

    style = Style(color=display.color)
    summaries = {r.name: summary_of(r) for r in report.results}

    def mean(result: BenchmarkResult) -> float:
        summary = summaries[result.name]
        return math.inf if summary is None else summary.mean

    results = list(report.results)
    if sort == "mean-time":
        results.sort(key=mean)
    blocks = [
        render_result(
            i + 1, r, summaries[r.name], report.warnings.get(r.name, ()), report.time_unit, style
        )
        for i, r in enumerate(results)
    ]
    text = "\n\n".join(blocks)
    measured = {r.name: (r, s) for r in results if (s := summaries[r.name]) is not None}
    if report.reference in measured and len(measured) > 1:
        ref, ref_summary = measured[report.reference]
        comparisons = {c.name: c for c in report.comparisons}
        others = [pair for name, pair in measured.items() if name != ref.name]
        if sort != "command":
            others.sort(key=lambda pair: pair[1].mean)
        rows = [(r, s, comparisons.get(r.name)) for r, s in others]
        text += "\n\n" + render_summary(ref, ref_summary, rows, style)
    return text


def write_all(specs: Sequence[Any], report: RunReport) -> None:
    """Write every export; '-' exports go to stdout (the CLI owns stdout)."""
    if not specs:
        return
    from pbench.export import write_exports

    for text in write_exports(specs, report):
        click.echo(text, nl=not text.endswith("\n"))


def ignore_failure_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """-i for load runs: failed requests are reported by kind, and exit 0 anyway."""
    return click.option(
        "-i",
        "--ignore-failure",
        is_flag=True,
        help="Load runs: exit 0 even when some requests or queries failed (still counted).",
    )(fn)


def load_failure(name: str, load: dict[str, Any], noun: str) -> BenchmarkFailed | None:
    """The error for a load run in which some ``noun`` (requests, queries) failed."""
    failed = int(load.get("failed") or 0)
    if not failed:
        return None
    kinds = ", ".join(f"{kind}: {n}" for kind, n in load["errors"].items())
    return BenchmarkFailed(
        f"{failed} of {load['requests']} {noun} to {name!r} failed ({kinds})",
        "see the errors by kind above; use -i/--ignore-failure to exit 0 anyway",
    )


class Session:
    """The output side of one invocation: metadata, exports rewritten after each finished
    benchmark, and the final report, exports and exit status."""

    def __init__(
        self, specs: Sequence[Any], display: Display, options: dict[str, Any], reference: str | None
    ) -> None:
        from pbench.metadata import collect_metadata

        self.specs = specs
        self.display = display
        self.options = options
        self.reference = reference
        self.metadata = collect_metadata()

    def checkpoint(self, results: Sequence[BenchmarkResult]) -> None:
        """Rewrite the file exports with what finished so far (no comparisons: cheap)."""
        files = [s for s in self.specs if s.path != "-"]
        if files:
            report = build_report(
                results,
                self.metadata,
                reference=self.reference,
                time_unit=self.options["time_unit"],
                compare=False,
            )
            write_all(files, report)

    def run(
        self, plan: Any, finished: Callable[[BenchmarkResult], None] | None = None
    ) -> tuple[list[BenchmarkResult], ExitCode, BenchmarkFailed | None]:
        """Measure ``plan`` with the runner and a progress bar; failures become a status."""
        from pbench.runner import Runner

        bar = ProgressBar(self.display.progress, self.options["time_unit"])

        def on_finished(result: BenchmarkResult) -> None:
            if finished is not None:
                finished(result)
            self.checkpoint(runner.results)

        runner = Runner(plan, on_progress=bar.update, on_finished=on_finished)
        try:
            runner.run()
        except BenchmarkFailed as exc:
            return runner.results, ExitCode.BENCHMARK_FAILED, exc
        except KeyboardInterrupt:
            return runner.results, ExitCode.INTERRUPTED, None
        finally:
            bar.clear()
        return runner.results, ExitCode.OK, None

    def finish(
        self,
        results: Sequence[BenchmarkResult],
        status: ExitCode,
        failure: BenchmarkFailed | None,
    ) -> int:
        """Print the report, write the exports, say what went wrong; the exit status."""
        options = self.options
        report = build_report(
            results,
            self.metadata,
            reference=self.reference,
            time_unit=options["time_unit"],
            compare=status == ExitCode.OK,
            alpha=options["alpha"],
            threshold=options["threshold"],
            seed=options["seed"],
        )
        if not self.display.quiet and results:
            click.echo(
                render_report(report, self.display, options["sort"]), color=self.display.color
            )
        write_all(self.specs, report)
        if failure is not None:
            click.echo(failure.render(), err=True)
        if status == ExitCode.INTERRUPTED:
            where = " and exported" if self.specs else ""
            click.echo(f"pbench: interrupted; what finished was kept{where}", err=True)
        return int(status)
