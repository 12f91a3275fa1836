"""From finished results to what the user gets: findings and comparisons, the terminal
report, export files, and the exit status of one invocation."""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

import click

from pbench.cli.common import Display, ProgressBar
from pbench.errors import BenchmarkFailed, ExitCode, UsageError, shorten
from pbench.export.memo import ResultMemo
from pbench.models import BenchmarkResult, RunReport, TimeUnit
from pbench.stats import summary_of

# Checkpoints (exports rewritten after a finished benchmark) take at most about this
# share of the wall time; see Session.checkpoint.
CHECKPOINT_SHARE = 0.1


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
    memo: ResultMemo | None = None,
) -> RunReport:
    """Findings and (optionally, since bootstraps cost time) comparisons for ``results``.

    With ``memo`` (checkpoints), summaries and findings of unchanged results are reused.
    """
    from pbench.checks import findings

    if memo is None:
        summaries = {r.name: summary_of(r) for r in results}
        warnings = {r.name: findings(r, summaries[r.name]) for r in results}
    else:
        summaries = {r.name: memo.get(r, "summary", partial(summary_of, r)) for r in results}
        warnings = {
            r.name: memo.get(r, "findings", partial(findings, r, summaries[r.name]))
            for r in results
        }
    means = {name: s.mean for name, s in summaries.items() if s is not None}
    measured = [r for r in results if r.name in means and r.stop_reason != "failed"]
    ref_name = reference
    if ref_name is None and len(measured) > 1:
        ref_name = min(measured, key=lambda r: means[r.name]).name
    comparisons: list[Any] = []
    if compare and ref_name is not None and len(measured) > 1:
        from pbench.compare import compare_many

        samples = {r.name: observations(r) for r in measured}
        samples = {name: values for name, values in samples.items() if len(values) >= 2}
        if ref_name in samples and len(samples) > 1:
            by_name = {r.name: r for r in measured}
            comparisons = [
                dataclasses.replace(c, unit=_unit(by_name[c.reference], by_name[c.name]))
                for c in compare_many(
                    ref_name,
                    samples,
                    alpha=alpha,
                    threshold=threshold,
                    seed=seed or 0,
                    rounds={name: by_round(by_name[name]) for name in samples},
                )
            ]
            comparisons = _fitting_advice(comparisons, by_name)
    return RunReport(
        summaries=summaries,
        results=list(results),
        metadata=metadata,
        reference=ref_name,
        warnings=warnings,
        comparisons=comparisons,
        time_unit=time_unit,
    )


def observations(result: BenchmarkResult) -> list[float]:
    """The independent observations of a result: one value per slice (runs that share
    a round), which is one per run for commands."""
    from pbench.stats import slice_values

    return slice_values(result.times, [m.round for m in result.measurements])


def by_round(result: BenchmarkResult) -> dict[int, float]:
    """Each round's observation of a result (its slice's median), keyed by round."""
    groups: dict[int, list[float]] = {}
    for m in result.measurements:
        groups.setdefault(m.round, []).append(m.wall_s)
    from pbench.stats import slice_values

    return {key: slice_values(values, [0] * len(values))[0] for key, values in groups.items()}


def _unit(*pair: BenchmarkResult) -> str:
    """What a comparison's counts count: "slices" when either side's runs came in them."""
    return "slices" if any(_sliced(r) for r in pair) else "runs"


def _sliced(result: BenchmarkResult) -> bool:
    rounds = [m.round for m in result.measurements]
    return "load" in result.sections or len(set(rounds)) < len(rounds)


def _fitting_advice(comparisons: Sequence[Any], by_name: dict[str, BenchmarkResult]) -> list[Any]:
    """Advice that names only flags of the subcommand that measured the pair, and asks
    for more --max-time when --precision ran out of it."""
    import dataclasses

    from pbench.advice import remedies_for
    from pbench.compare_verdict import verdict_for

    fitted = []
    for c in comparisons:
        pair = (by_name[c.reference], by_name[c.name])
        budget_spent = any(r.stop_reason == "budget" for r in pair)
        _, advice = verdict_for(c, remedies_for(pair[1]), budget_spent)
        fitted.append(dataclasses.replace(c, advice=advice))
    return fitted


def render_report(report: RunReport, display: Display, sort: str = "auto") -> str:
    """The terminal text for a finished run: blocks, then the summary."""
    from pbench.report.terminal import Style, render_result, render_summary

    style = Style(color=display.color)
    summaries = {r.name: report.summary(r) for r in report.results}

    def mean(result: BenchmarkResult) -> float:
        summary = summaries[result.name]
        return math.inf if summary is None else summary.mean

    results = list(report.results)
    if sort == "mean-time":
        results.sort(key=mean)
    failed = next((r.name for r in results if r.stop_reason == "failed"), None)
    blocks = [
        render_result(
            i + 1,
            r,
            summaries[r.name],
            report.warnings.get(r.name, ()),
            report.time_unit,
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
    if report.reference in measured and len(measured) > 1:
        ref, ref_summary = measured[report.reference]
        comparisons = {c.name: c for c in report.comparisons}
        others = [pair for name, pair in measured.items() if name != ref.name]
        if sort != "command":
            others.sort(key=lambda pair: pair[1].mean)
        rows = [(r, s, comparisons.get(r.name)) for r, s in others]
        text += "\n\n" + render_summary(ref, ref_summary, rows, style)
    return text


def write_all(specs: Sequence[Any], report: RunReport, memo: ResultMemo | None = None) -> None:
    """Write every export; '-' exports go to stdout (the CLI owns stdout)."""
    if not specs:
        return
    from pbench.export import write_exports

    for text in write_exports(specs, report, memo):
        click.echo(text, nl=not text.endswith("\n"))


def load_failure(
    name: str, load: dict[str, Any], noun: str, info: Mapping[str, Any] | None = None
) -> BenchmarkFailed | None:
    """The error for a load run in which some ``noun`` (requests, queries) failed."""
    failed = int(load.get("failed") or 0)
    if not failed:
        return None
    return BenchmarkFailed(
        f"{failed:,} of {load['requests']:,} {noun} to {shorten(name)!r} failed "
        f"({error_kinds(load, info)})",
        "see the errors by kind above; use -i/--ignore-failure to exit 0 anyway",
    )


def error_kinds(load: Mapping[str, Any], info: Mapping[str, Any] | None = None) -> str:
    """ "refused: 5, status: 503 ×1,234": failed statuses are named, not only counted.

    ``info["expect_status"]`` ("2xx" or a list of codes) tells the failed statuses from
    the accepted ones; without it, and when some succeeded, every status seen is listed.
    """
    codes = {int(code): n for code, n in (load.get("status_codes") or {}).items()}
    parts = []
    for kind, count in load["errors"].items():
        if kind != "status" or not codes:
            parts.append(f"{kind}: {count:,}")
            continue
        expect = (info or {}).get("expect_status")
        if not load.get("succeeded"):
            bad = codes  # nothing succeeded: every status seen failed
        elif expect is not None:
            accepted = range(200, 300) if expect == "2xx" else set(expect)
            bad = {code: n for code, n in codes.items() if code not in accepted}
        else:
            seen = ", ".join(f"{code} ×{n:,}" for code, n in sorted(codes.items()))
            parts.append(f"status: {count:,} (statuses seen: {seen})")
            continue
        listed = ", ".join(f"{code} ×{n:,}" for code, n in sorted(bad.items()))
        parts.append(f"status: {listed}" if bad else f"status: {count:,}")
    return ", ".join(parts)


class Session:
    """The output side of one invocation: metadata, exports rewritten after each finished
    benchmark, and the final report, exports and exit status.

    With an export on stdout ('-'), stdout holds that export alone: the report and
    everything else go to stderr.
    """

    def __init__(
        self, specs: Sequence[Any], display: Display, options: dict[str, Any], reference: str | None
    ) -> None:
        from pbench.export import rewritable
        from pbench.metadata import collect_metadata

        self.specs = specs
        self.display = display
        self.options = options
        self.reference = reference
        self.metadata = collect_metadata()
        self.to_stdout = any(_is_stdout(spec.path) for spec in specs)
        self._files = rewritable(specs)
        self._memo = ResultMemo()
        self._pending: Sequence[BenchmarkResult] | None = None
        self._next_checkpoint = 0.0
        self._checkpoints = 0

    def checkpoint(self, results: Sequence[BenchmarkResult]) -> None:
        """Rewrite the file exports with ``results`` (what finished so far, and the
        partial results of benchmarks still measured).

        Only results that changed since the last checkpoint are summarised and rendered
        again, and no comparisons are made, yet the whole file is written: when
        benchmarks finish faster than that (thousands of short ones), a checkpoint waits
        until the time since the previous one is at least (1 - CHECKPOINT_SHARE) /
        CHECKPOINT_SHARE times what the previous one took (the first one, which pays
        for imports and for every result being new, does not count), and is then
        written by :meth:`flush` after a later run or with the final export. Standard
        output, devices, FIFOs and pipes get the final export only: they can be written
        once.
        """
        if self._files:
            self._pending = results
            self.flush()

    def flush(self) -> None:
        """Write a waiting checkpoint if its time has come."""
        if self._pending is None or time.monotonic() < self._next_checkpoint:
            return
        results, self._pending = self._pending, None
        started = time.monotonic()
        self._memo.refresh(results)
        report = build_report(
            results,
            self.metadata,
            reference=self.reference,
            time_unit=self.options["time_unit"],
            compare=False,
            memo=self._memo,
        )
        write_all(self._files, report, self._memo)
        finished = time.monotonic()
        if self._checkpoints:  # the first one pays once: imports, every result new
            self._next_checkpoint = finished + (finished - started) * (1 / CHECKPOINT_SHARE - 1)
        self._checkpoints += 1

    def run(
        self, plan: Any, finished: Callable[[BenchmarkResult], None] | None = None
    ) -> tuple[list[BenchmarkResult], ExitCode, BenchmarkFailed | None]:
        """Measure ``plan`` with the runner and a progress bar; failures become a status."""
        from pbench.runner import Runner

        bar = ProgressBar(self.display.progress, self.options["time_unit"])

        def on_progress(progress: Any) -> None:
            bar.update(progress)
            self.flush()

        def on_finished(result: BenchmarkResult) -> None:
            if finished is not None:
                finished(result)
            self.checkpoint(runner.results)

        runner = Runner(plan, on_progress=on_progress, on_finished=on_finished)
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
        self._pending = None  # the final export replaces any waiting checkpoint
        if not self.display.quiet and results:
            click.echo(
                render_report(report, self.display, options["sort"]),
                color=self.display.color,
                err=self.to_stdout,
            )
        write_all(self.specs, report)
        if failure is not None:
            click.echo(failure.render(), err=True)
        if status == ExitCode.INTERRUPTED:
            where = " and exported" if self.specs else ""
            click.echo(f"pbench: interrupted; what finished was kept{where}", err=True)
        return int(status)


def _is_stdout(path: str) -> bool:
    """'-', or a path that leads to this process's standard output (/dev/stdout,
    /dev/fd/1, a link to it): the export owns stdout then, the report goes to stderr."""
    if path == "-":
        return True
    import os

    try:
        out, there = os.fstat(1), os.stat(path)
    except OSError:
        return False
    return (out.st_dev, out.st_ino) == (there.st_dev, there.st_ino)


def slice_plan(options: dict[str, Any], load: Any, precision: Any) -> Any:
    """How the benchmarks of a load run share its pool (--order, --slice, --precision)."""
    import random

    from pbench.load.runner import SlicePlan

    seed = options["seed"]
    if seed is None:
        seed = random.SystemRandom().randrange(2**32)
    return SlicePlan(
        load=load,
        slice_s=options["slice_s"],
        order=options["order"],
        precision=precision,
        seed=seed,
    )


def loading_line(count: int, plan: Any) -> str:
    from pbench.units import format_time, unit_for

    length = format_time(plan.slice_s, unit_for(plan.slice_s)).replace(".000 ", " ")
    what = f"{count} benchmarks" if count > 1 else "1 benchmark"
    if count > 1 and plan.order == "interleaved":
        how = f"interleaved in random slices of {length}"
    elif count > 1:
        how = "one after another"
    else:
        how = f"in slices of {length}"
    return f"Loading {what}, {how} ..."


def finish_load(
    runner: Any,
    session: Session,
    noun: str,
    all_failed: Callable[[str, BenchmarkResult], BenchmarkFailed],
    sections: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> int:
    """Run a :class:`pbench.load.runner.LoadRunner`; its report, exports and exit status.
    ``sections`` derives the target's own section (``sql``) from each load section."""
    status = ExitCode.OK
    failure: BenchmarkFailed | None = None
    try:
        runner.run()
    except KeyboardInterrupt:
        status = ExitCode.INTERRUPTED
    except BenchmarkFailed as exc:
        status, failure = ExitCode.BENCHMARK_FAILED, exc
    results: list[BenchmarkResult] = list(runner.results)
    if sections is not None:
        for result in results:
            if "load" in result.sections:
                result.sections["sql"] = sections(result.sections["load"])
    if status == ExitCode.OK:
        for result in results:
            if result.stop_reason == "failed":
                failure, status = all_failed(result.name, result), ExitCode.BENCHMARK_FAILED
                break
            load = result.sections.get("load")
            some_failed = (
                None if load is None else load_failure(result.name, load, noun, result.info)
            )
            if some_failed is not None and not session.options["ignore_failure"]:
                failure, status = some_failed, ExitCode.BENCHMARK_FAILED
                break
    return session.finish(results, status, failure)
