"""Running a load runner (``pbench http``, ``sql -c/-d/--rate``, ``run -j``) inside a
session: what it says before it starts, and its results, status and failure."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pbench.errors import BenchmarkFailed, ExitCode
from pbench.models import BenchmarkResult
from pbench.run.results import load_failure, load_outcome
from pbench.session.output import Output
from pbench.session.publish import Measured, Session

if TYPE_CHECKING:
    from pbench.run.load import LoadRunner, SlicePlan
    from pbench.session.live import LiveView


def loading_line(count: int, plan: SlicePlan) -> str:
    from pbench.report.units import format_time, unit_for

    length = format_time(plan.slice_s, unit_for(plan.slice_s)).replace(".000 ", " ")
    what = f"{count} benchmarks" if count > 1 else "1 benchmark"
    if count > 1 and plan.order == "interleaved":
        how = f"interleaved in random slices of {length}"
    elif count > 1:
        how = "one after another"
    else:
        how = f"in slices of {length}"
    return f"Loading {what}, {how} ..."


def measure_load(
    runner: LoadRunner,
    session: Session,
    noun: str,
    all_failed: Callable[[str, BenchmarkResult], BenchmarkFailed] | None = None,
    ignore_failure: bool = False,
    sections: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    key: str = "sql",
    gauge: str = "workers",
    shows_output: bool = False,
) -> Measured:
    """Run a load runner: its results, status and failure (failed requests or queries
    are one unless ``ignore_failure``; a benchmark of which nothing succeeded is
    ``all_failed``, by default the load section's own account of its errors);
    ``sections`` makes each result's section ``key`` from its load section. With a
    progress display, says how it loads first; on a terminal, the live view shows it
    as it runs (``gauge``: "connections" or busy "workers") and is cleared at the end,
    whatever the end, unless the benchmarks write on the terminal (``shows_output``)."""
    live = None if shows_output else live_view(session)
    if live is not None:
        live.attach(
            runner, noun, gauge, loading_line(runner.count, runner.plan).removesuffix(" ...")
        )
    elif session.display.progress:
        session.output.echo(loading_line(runner.count, runner.plan), err=True)
    _say_start(runner, session.output)
    status = ExitCode.OK
    failure: BenchmarkFailed | None = None
    try:
        runner.run()
    except KeyboardInterrupt:
        status = ExitCode.INTERRUPTED
    except BenchmarkFailed as exc:
        status, failure = ExitCode.BENCHMARK_FAILED, exc
    finally:
        if live is not None:
            try:
                live.end()
            except KeyboardInterrupt:  # Ctrl-C while the last frame was drawn
                live.clear()
                status = ExitCode.INTERRUPTED
    results: list[BenchmarkResult] = list(runner.results)
    if sections is not None:
        for result in results:
            if "load" in result.sections:
                result.sections[key] = sections(result.sections["load"])
    if status == ExitCode.OK:
        failed = all_failed or (lambda name, result: all_failed_load(name, result, noun))
        failure = load_outcome(results, noun, failed, ignore_failure)
        status = ExitCode.OK if failure is None else ExitCode.BENCHMARK_FAILED
    return results, status, failure


def live_view(session: Session) -> LiveView | None:
    """The session's live view of load runs, made on first use; None where the display
    has none (not a terminal, --style basic/none, TERM=dumb)."""
    if not session.display.live:
        return None
    if session.live is None:
        from pbench.session.live import LiveView

        session.live = LiveView(session.output, session.display.color)
    return session.live


def all_failed_load(name: str, result: BenchmarkResult, noun: str) -> BenchmarkFailed:
    """A load benchmark of which nothing succeeded: its load section's failure."""
    failure = load_failure(name, result.sections["load"], noun)
    assert failure is not None  # nothing succeeded: something failed
    return failure


# --start-at: a load run's runner waits itself after its setup and warm-up (this says
# when measuring begins); a suite waits before its first benchmark (wait_for_start).


def wait_for_start(start_at: float | None, quiet: bool, output: Output) -> None:
    """A suite's --start-at: begin at that wall-clock time (on every load machine
    alike), or at once, saying how late, when it has passed."""
    if start_at is None:
        return
    import time

    wait = start_at - time.time()
    if wait > 0:
        if not quiet:
            output.echo(f"pbench: the suite starts in {wait:.1f} s (--start-at)", err=True)
        time.sleep(wait)
    else:
        output.echo(f"pbench: warning: starting {-wait:.3f} s after --start-at", err=True)


def _say_start(runner: LoadRunner, output: Output) -> None:
    """--start-at in the future: say when measuring begins (setup and warm-up first)."""
    start_at = runner.plan.start_at
    if start_at is None:
        return
    import time
    from datetime import datetime

    wait = start_at - time.time()
    if wait > 0:
        when = datetime.fromtimestamp(start_at).astimezone().isoformat(timespec="seconds")
        output.echo(f"pbench: measuring starts at {when} (in {wait:.1f} s)", err=True)
