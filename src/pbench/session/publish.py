"""From finished results to what the user gets: warnings and comparisons, the terminal
report, export files, and the exit status of one invocation."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pbench.errors import BenchmarkFailed, ExitCode, worst
from pbench.models import BenchmarkResult, RunResults
from pbench.plan.options import ReportFlags
from pbench.run.results import build_results
from pbench.session.baseline import Outcome, attach, compare_run, prepare, problems, save_name, show
from pbench.session.interrupts import DeferredInterrupts, interrupts_noted
from pbench.session.output import Display, Output, ProgressBar

if TYPE_CHECKING:
    from pbench.export import ExportSpec
    from pbench.export.memo import ResultMemo
    from pbench.history.baseline import BaselineComparison
    from pbench.history.store import StoreAddress
    from pbench.models import RunPlan
    from pbench.plan.store import StoreFlags
    from pbench.report.terminal import Style
    from pbench.run.runner import Progress
    from pbench.session.live import LiveView
    from pbench.stats.budget import Budget, BudgetCheck

# What measuring a plan gives: its results, the status so far, and what failed.
Measured = tuple[list[BenchmarkResult], ExitCode, BenchmarkFailed | None]

# Checkpoints (exports rewritten after a finished benchmark) take at most about this
# share of the wall time; see Session.checkpoint.
CHECKPOINT_SHARE = 0.1


def write_all(
    specs: Sequence[ExportSpec],
    run_results: RunResults,
    output: Output,
    memo: ResultMemo | None = None,
) -> None:
    """Write every export; '-' exports go to stdout, through ``output``."""
    if not specs:
        return
    from pbench.export import write_exports

    for text in write_exports(specs, run_results, memo):
        output.echo(text, nl=not text.endswith("\n"))


class Session:
    """The output side of one invocation: metadata, exports rewritten after each finished
    benchmark, and the final report, exports and exit status. Everything it says goes
    through ``output``; ``command`` names the subcommand in the job summary.

    With an export on stdout ('-'), stdout holds that export alone: the report and
    everything else go to stderr.
    """

    def __init__(
        self,
        specs: Sequence[ExportSpec],
        display: Display,
        options: ReportFlags,
        reference: str | None,
        budgets: Sequence[Budget] = (),
        store: StoreAddress | None = None,
        history: StoreFlags | None = None,
        history_store: StoreAddress | None = None,
        *,
        output: Output,
        command: str = "run",
    ) -> None:
        from pbench.export import rewritable
        from pbench.results.metadata import collect_metadata

        self.specs = specs
        self.output = output
        self.command = command
        self.display = display
        self.options = options
        self.reference = reference
        self.budgets = tuple(budgets)
        # Where to save the run once it is reported and exported (None: not saved).
        self.store = store
        self.metadata = collect_metadata()
        # --save-baseline NAME and --baseline REF (read from ``history_store``, default
        # the --store one), checked before anything is measured: see session.baseline.
        self.mark = save_name(history) if history is not None else None
        self.against = prepare(history, self.metadata, history_store) if history else None
        self.to_stdout = any(_is_stdout(spec.path) for spec in specs)
        self._files = rewritable(specs)
        from pbench.export.memo import ResultMemo

        self._memo = ResultMemo()
        self._pending: Sequence[BenchmarkResult] | None = None
        self._next_checkpoint = 0.0
        self._checkpoints = 0
        # Results of the parts measured before the current one (a suite's earlier
        # benchmarks): every checkpoint writes them too.
        self.earlier: list[BenchmarkResult] = []
        # A concurrency sweep (see session.measure): what its throughput counts ("runs",
        # "requests", "queries"). Its levels get a scaling table instead of comparisons.
        self.sweep: str | None = None
        # From the end of a run to the report (or the next run): see run().
        self._between = DeferredInterrupts()
        # The live view of load runs, on a terminal (see session.load.live_view).
        self.live: LiveView | None = None

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
            self._pending = [*self.earlier, *results]
            self.flush()

    def prepare(self, result: BenchmarkResult) -> None:
        """Summarise a result that just finished, and render its texts for the exports,
        once: the checkpoints and the final export reuse them (see
        :mod:`pbench.export.memo`), so that what an interrupt leaves to do is the
        benchmarks not finished yet, and writing."""
        from pbench.export import prerender

        self._memo.add(result)
        one = build_results(
            [result],
            {},
            reference=None,
            time_unit=self.options.time_unit,
            compare=False,
            memo=self._memo,
            sort=self.options.sort,
        )
        prerender(self.specs, one, self._memo)

    def flush(self) -> None:
        """Write a waiting checkpoint if its time has come."""
        if self._pending is None or time.monotonic() < self._next_checkpoint:
            return
        results, self._pending = self._pending, None
        started = time.monotonic()
        self._memo.refresh(results)
        run_results = build_results(
            results,
            self.metadata,
            reference=self.reference,
            time_unit=self.options.time_unit,
            compare=False,
            memo=self._memo,
            sort=self.options.sort,
        )
        write_all(self._files, run_results, self.output, self._memo)
        finished = time.monotonic()
        if self._checkpoints:  # the first one pays once: imports, every result new
            self._next_checkpoint = finished + (finished - started) * (1 / CHECKPOINT_SHARE - 1)
        self._checkpoints += 1

    def run(
        self,
        plan: RunPlan,
        finished: Callable[[BenchmarkResult], None] | None = None,
        clock: Callable[[], int] = time.perf_counter_ns,
    ) -> Measured:
        """Measure ``plan`` with the runner and a progress bar; failures become a status.
        ``clock`` is the runner's (tests give a fake one, with fake targets)."""
        from pbench.run.runner import Runner

        bar = ProgressBar(self.output, self.display.progress, self.options.time_unit)
        loaded = False

        def on_progress(progress: Progress) -> None:
            nonlocal loaded
            bar.update(progress)
            if not loaded and progress.phase == "run":
                loaded = True
                self._load_reporting()
            self.flush()

        def on_finished(result: BenchmarkResult) -> None:
            if finished is not None:
                finished(result)
            self.prepare(result)
            self.checkpoint(runner.results)

        runner = Runner(plan, clock=clock, on_progress=on_progress, on_finished=on_finished)
        try:
            if self._between.stop():  # since the previous part was measured
                raise KeyboardInterrupt
            runner.run()
        except BenchmarkFailed as exc:
            return runner.results, ExitCode.BENCHMARK_FAILED, exc
        except KeyboardInterrupt:
            return runner.results, ExitCode.INTERRUPTED, None
        finally:
            # Until finish() or publish() (or the next run), an interrupt is noted, not
            # raised: what was measured reaches the report and exports whatever the
            # moment (the callers still add sections, a suite compares its part).
            self._between.start()
            bar.clear()
        return runner.results, ExitCode.OK, None

    def run_work(self, work: Callable[[], list[BenchmarkResult]]) -> Measured:
        """``work`` that makes its results whole (another harness's run, read back)
        measured as :meth:`run` measures a plan: a failure becomes a status, Ctrl-C
        ends it (exit 130), and the exports are rewritten with what it made."""
        try:
            if self._between.stop():
                raise KeyboardInterrupt
            results = work()
        except BenchmarkFailed as exc:
            return [], ExitCode.BENCHMARK_FAILED, exc
        except KeyboardInterrupt:
            return [], ExitCode.INTERRUPTED, None
        finally:
            self._between.start()
        self.checkpoint(results)
        return results, ExitCode.OK, None

    def _load_reporting(self) -> None:
        """Import what the report and the exports need, once the first run has been
        measured (not before it: start-up stays short): an interrupt, whenever it
        comes, then leaves them to run, not to load (tens of milliseconds of the end
        of an interrupted scan)."""
        import importlib

        from pbench.export import load_renderers

        for module in ("pbench.run.warnings", "pbench.report.terminal"):
            importlib.import_module(module)
        load_renderers(self.specs)

    def finish(
        self,
        results: Sequence[BenchmarkResult],
        status: ExitCode,
        failure: BenchmarkFailed | None,
    ) -> int:
        """Print the report (and the budgets' table), write the exports, say what went
        wrong; the exit status: the worst of ``status`` and a broken error-level budget
        (see :func:`pbench.errors.worst`). Interrupted while comparing (the slow part
        after a long scan), it reports and exports without comparisons, and exits 130.

        An interrupted run is summarised as a checkpoint is: the benchmarks that
        finished were summarised and rendered as they finished (:meth:`prepare`), the
        others are now, and there are no comparisons and no recommendations (drawn from
        benchmarks cut short, they would mislead, and their bootstraps would make the
        end of an interrupted scan of thousands of benchmarks wait)."""
        options = self.options
        if self._between.stop():
            status = ExitCode.INTERRUPTED

        def summarised(compare: bool, interrupted: bool) -> RunResults:
            self._memo.refresh(results)
            return build_results(
                results,
                self.metadata,
                reference=self.reference,
                time_unit=options.time_unit,
                compare=compare,
                scaling=self.sweep is not None,
                alpha=options.alpha,
                threshold=options.threshold,
                seed=options.seed,
                memo=self._memo,
                budgets={r.name: self.budgets for r in results} if self.budgets else None,
                recommend=not interrupted,
                sort=options.sort,
            )

        compare = status == ExitCode.OK and self.sweep is None
        try:
            run_results = summarised(compare, status == ExitCode.INTERRUPTED)
        except KeyboardInterrupt:
            if status == ExitCode.INTERRUPTED:
                raise
            status = ExitCode.INTERRUPTED
            run_results = summarised(False, True)
        return self.publish(run_results, status, [failure] if failure is not None else [])

    def publish(
        self,
        run_results: RunResults,
        status: ExitCode,
        failures: Sequence[BenchmarkFailed],
        parts: Sequence[tuple[str, RunResults]] = (),
    ) -> int:
        """The end of an invocation: the report (with the budgets' table, the scores and
        the recommendations), every export, the job summary, what went wrong; the exit
        status: the worst of ``status`` and a broken error-level budget.

        With ``parts`` (a suite: a heading and the results of each part, compared
        apart), the report shows each part under its heading, with its own summary.
        With a ``store``, the run is saved last (see :mod:`pbench.session.saving`). A
        SIGINT or SIGTERM while the report and exports are written lets them finish,
        then exits 130 (:func:`pbench.session.interrupts.interrupts_noted`).
        """
        self._pending = None  # the final export replaces any waiting checkpoint
        if self._between.stop():
            status = ExitCode.INTERRUPTED
        against = Outcome(None)
        if self.against is not None and status != ExitCode.INTERRUPTED:
            try:
                against = compare_run(self.against, run_results, self.options)
            except KeyboardInterrupt:
                status = ExitCode.INTERRUPTED
            else:
                run_results = attach(run_results, against)
        with interrupts_noted() as noted:
            self._report_and_export(run_results, status, failures, parts, against)
        if noted:  # the report and the exports were finished first
            status = ExitCode.INTERRUPTED
            self.output.echo("pbench: interrupted; the report and exports were finished", err=True)
        return self._conclude(run_results, status, against)

    def _report_and_export(
        self,
        run_results: RunResults,
        status: ExitCode,
        failures: Sequence[BenchmarkFailed],
        parts: Sequence[tuple[str, RunResults]],
        against: Outcome,
    ) -> None:
        from pbench.report.terminal import Style, render_report

        style = Style(color=self.display.color)
        if not self.display.quiet and run_results.results:
            if parts:
                text = "\n\n".join(
                    style.paint(heading, bold=True)
                    + "\n"
                    + render_report(part, style, self.options.sort)
                    for heading, part in parts
                    if part.results
                )
            else:
                text = render_report(run_results, style, self.options.sort)
            text += _closing_sections(run_results, style, self.sweep or "runs")
            self.output.echo(text, color=self.display.color, err=self.to_stdout)
        show(against, self.to_stdout, self.output)
        self._memo.refresh(run_results.results)
        write_all(self.specs, run_results, self.output, self._memo)
        _step_summary(
            run_results, status, failures[0] if failures else None, self.command, self.output
        )
        for failure in failures:
            self.output.echo(failure.render(), err=True)
        if status == ExitCode.INTERRUPTED:
            where = " and exported" if self.specs else ""
            self.output.echo(f"pbench: interrupted; what finished was kept{where}", err=True)

    def _conclude(self, run_results: RunResults, status: ExitCode, against: Outcome) -> int:
        """After the report and exports: broken budgets, baseline problems, webhooks and
        the save to the store; the exit status."""
        broken = [c for c in run_results.budgets if c.level == "error" and c.status == "broken"]
        if broken:
            from pbench.report.budgets import broken_line

            for check in broken:
                self.output.echo(f"pbench: {broken_line(check)}", err=True)
        problems(against, self.output)
        regressed = against.comparison is not None and against.comparison.comparison.regressions
        if (broken or regressed) and self.options.notify:
            self._notify(broken, against.comparison)
        final = worst(status, ExitCode.BUDGET if broken else ExitCode.OK, against.status)
        if self.store is not None:
            from pbench.session.saving import save_run

            saved = save_run(self.store, run_results, final, self.display, self.output, self.mark)
            final = worst(final, saved)
        return int(final)

    def _notify(self, broken: Sequence[BudgetCheck], baseline: BaselineComparison | None) -> None:
        """POST the broken budgets and the regressions against --baseline to the --notify
        webhooks, after the exports: a hook that fails (or Ctrl-C while waiting for it)
        is a warning, never the exit status."""
        from pbench.notify.events import baseline_events, budget_events
        from pbench.notify.send import notify

        events = budget_events(broken, self.metadata)
        if baseline is not None:
            events += baseline_events(baseline, self.metadata)
        try:
            deliveries = notify(
                self.options.notify, events, self.metadata, self.options.notify_timeout
            )
        except KeyboardInterrupt:
            self.output.echo("pbench: warning: notification interrupted", err=True)
            return
        for delivery in deliveries:
            if not delivery.delivered:
                self.output.echo(f"pbench: warning: {delivery.warning()}", err=True)


def _closing_sections(run_results: RunResults, style: Style, noun: str) -> str:
    """A sweep's scaling tables, the budgets' table and the scores (when budgets were
    set), and the recommendations, after the report."""
    text = ""
    if run_results.scaling:
        from pbench.report.scaling import render_scaling

        text += "\n\n" + render_scaling(run_results.scaling, style, noun)
    if run_results.budgets:
        from pbench.report.budgets import render_budgets
        from pbench.report.score import render_scores

        text += "\n\n" + render_budgets(run_results.budgets, style)
        text += "\n\n" + render_scores(list(run_results.scores.values()))
    if any(run_results.recommendations.values()):
        from pbench.report.recommendations import render_recommendations

        text += "\n\n" + render_recommendations(run_results.recommendations).rstrip("\n")
    return text


def _step_summary(
    run_results: RunResults,
    status: ExitCode,
    failure: BenchmarkFailed | None,
    name: str,
    output: Output,
) -> None:
    """Append the job summary when $GITHUB_STEP_SUMMARY is set (see session.step_summary)."""
    from pbench.session.step_summary import append_step_summary

    outcome = failure.message if failure is not None else None
    if status == ExitCode.INTERRUPTED:
        outcome = "interrupted (Ctrl-C): only what finished is shown"

    def render() -> str:
        from pbench.export.step_summary import render_run

        return render_run(run_results, name, outcome)

    append_step_summary(render, output)


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
