"""Option groups that several subcommands share, and their validation.

Each group is one decorator, so that an option means the same thing, with the same
name, default and help, wherever it appears.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import click

from pbench.cli.common import DURATION, FRACTION, STYLES, TIME_UNITS, flags_from, resolve_display
from pbench.errors import UsageError
from pbench.plan.rules import DEFAULT_MIN_RUNS
from pbench.plan.suite.values import MAX_COUNT
from pbench.stats.settings import COUNT_THRESHOLD, DEFAULT_ALPHA, DEFAULT_THRESHOLD

if TYPE_CHECKING:
    from pbench.plan.options import SuiteFlags
    from pbench.session.exports import ExportSpec
    from pbench.session.invocation import Invocation
    from pbench.session.output import Output
    from pbench.session.suite import SuiteInvocation

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _group(*options: Decorator) -> Decorator:
    def apply(fn: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            fn = option(fn)
        return fn

    return apply


def run_count_options(run_means: str) -> Decorator:
    """-w, -m, -M, -r and --min-time; ``run_means`` says what one run is."""
    return _group(
        click.option("-w", "--warmup", type=click.IntRange(min=0, max=MAX_COUNT), default=0,
                     show_default=True,
                     help="Runs before measuring, to fill caches."),
        click.option("-m", "--min-runs", type=click.IntRange(min=1, max=MAX_COUNT),
                     default=None,
                     help=f"Measure at least NUM runs (default {DEFAULT_MIN_RUNS})."),
        click.option("-M", "--max-runs", type=click.IntRange(min=1, max=MAX_COUNT), default=None,
                     help="Measure at most NUM runs (default: no limit)."),
        click.option("-r", "--runs", type=click.IntRange(min=1, max=MAX_COUNT), default=None,
                     help=f"Measure exactly NUM runs ({run_means})."),
        click.option("--min-time", "--min-benchmarking-time", "min_time", type=DURATION,
                     default="3s", show_default=True,
                     help="Keep measuring until this much time was spent in runs and "
                     "the prepare and conclude hooks around them."),
    )  # fmt: skip


def parameter_options(binds: str) -> Decorator:
    """-P/-D and -L; ``binds`` says what ``{VAR}`` becomes (text or a bind value)."""
    return _group(
        click.option("-P", "--parameter-scan", "scans", multiple=True, nargs=3,
                     metavar="VAR MIN MAX",
                     help=f"One benchmark per VAR from MIN to MAX; {binds}."),
        click.option("-D", "--parameter-step-size", "step", default=None, metavar="STEP",
                     help="Step of --parameter-scan (default 1)."),
        click.option("-L", "--parameter-list", "lists", multiple=True, nargs=2,
                     metavar="VAR VALUES",
                     help="One benchmark per comma-separated value of VAR; repeatable."),
    )  # fmt: skip


def display_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--style, --sort and -u/--time-unit."""
    return _group(
        click.option("--style", type=click.Choice(STYLES), default="auto", show_default=True,
                     help="Output style."),
        click.option("--sort", type=click.Choice(["auto", "command", "mean-time"]),
                     default="auto", show_default=True,
                     help="Order of the summary and the result blocks."),
        click.option("-u", "--time-unit", type=click.Choice(TIME_UNITS), default=None,
                     help="Unit of times in the output (default: chosen per value)."),
    )(fn)  # fmt: skip


def comparison_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--alpha and --threshold of the verdicts at the end of a multi-benchmark run."""
    return _group(
        click.option("--alpha", type=FRACTION, default=f"{DEFAULT_ALPHA:.0%}", show_default=True,
                     help="Significance level of the comparisons (5% or 0.05)."),
        click.option("--threshold", type=FRACTION, default=None,
                     help="Differences smaller than this count as noise (1% or 0.01; "
                     f"{COUNT_THRESHOLD:.1%} for --measure instructions or cycles, whose "
                     f"counts barely move)  [default: {DEFAULT_THRESHOLD:.0%}]"),
    )(fn)  # fmt: skip


def order_option_with(rule: str) -> Decorator:
    """--order; ``rule`` adds when a subcommand measures sequentially anyway."""
    return click.option(
        "--order",
        type=click.Choice(["interleaved", "sequential"]),
        default="interleaved",
        show_default=True,
        help="Interleave benchmarks in random rounds, or one after another (hyperfine's order)."
        + (f" {rule}" if rule else ""),
    )


order_option = order_option_with("")


# The CI formats' flags: (format, option name), in the order --help lists them.
CI_EXPORTS = (
    ("junit", "export_junit"),
    ("github-benchmark", "export_github_benchmark"),
    ("github-benchmark-bigger", "export_github_benchmark_bigger"),
    ("bmf", "export_bmf"),
)


def ci_export_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--export-junit, --export-github-benchmark[-bigger] and --export-bmf FILE
    (``run``, ``http``, ``sql`` and ``compare`` alike)."""
    return _group(
        click.option("--export-junit", metavar="FILE",
                     help="Write JUnit XML: a test case per benchmark and budget check."),
        click.option("--export-github-benchmark", metavar="FILE",
                     help="Write github-action-benchmark JSON (customSmallerIsBetter: mean "
                     "latency, peak memory)."),
        click.option("--export-github-benchmark-bigger", metavar="FILE",
                     help="Write github-action-benchmark JSON (customBiggerIsBetter: "
                     "throughput)."),
        click.option("--export-bmf", metavar="FILE",
                     help="Write Bencher Metric Format JSON (latency, throughput, peak-memory)."),
    )(fn)  # fmt: skip


def html_export_option(*aliases: str) -> Decorator:
    """--export-html FILE (and ``aliases``): the self-contained HTML report."""
    return click.option(
        "--export-html",
        *aliases,
        "export_html",
        metavar="FILE",
        help="Write a self-contained HTML report with charts (works offline; '-' = stdout).",
    )


def _secret_params(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> None:
    from pbench.results.redact import add_secret_names

    add_secret_names(params=value)


def _secret_headers(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> None:
    from pbench.results.redact import add_secret_names

    add_secret_names(headers=value)


def redaction_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--redact-param NAME and --redact-header NAME (repeatable): more names whose values
    are masked in every output, besides the built-in credential-like ones."""
    return _group(
        click.option("--redact-param", metavar="NAME", multiple=True, expose_value=False,
                     is_eager=True, callback=_secret_params,
                     help="Also mask the value of this URL query parameter in every output "
                          "(token, key, secret, password, auth, signature... always are); "
                          "repeatable."),
        click.option("--redact-header", metavar="NAME", multiple=True, expose_value=False,
                     is_eager=True, callback=_secret_headers,
                     help="Also mask the value of this header in every output (Authorization, "
                          "Cookie, X-Api-Key, X-Auth-Token... always are); repeatable."),
    )(fn)  # fmt: skip


def export_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--export-json/--export-csv/--export-markdown/--export-html (--html) FILE, the CI
    formats' flags (:func:`ci_export_options`), --export FILE (repeatable) and the
    redaction flags (:func:`redaction_options`)."""
    fn = redaction_options(ci_export_options(fn))
    options: list[Decorator] = [
        click.option("--export-json", metavar="FILE", help="Write results as JSON ('-' = stdout)."),
        click.option("--export-csv", metavar="FILE", help="Write results as CSV ('-' = stdout)."),
        click.option(
            "--export-markdown", metavar="FILE", help="Write a Markdown table ('-' = stdout)."
        ),
        html_export_option("--html"),
        click.option(
            "--export",
            "exports",
            metavar="FILE",
            multiple=True,
            help="Export, format from the extension (.json .csv .md .html .xml); repeatable.",
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def ignore_failure_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """-i for load runs: failed requests are reported by kind, and exit 0 anyway."""
    return click.option(
        "-i",
        "--ignore-failure",
        is_flag=True,
        help="Load runs: exit 0 even when some requests or queries failed (still counted).",
    )(fn)


def slice_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--slice: how long one benchmark has the pool (or the connection) in a round."""
    return click.option(
        "--slice", "slice_s", type=DURATION, default="100ms", show_default=True,
        help="Length of one slice of runs or load on one benchmark (load: at least ten "
        "median latencies); each slice's median is one observation of the comparison.",
    )(fn)  # fmt: skip


def precision_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--precision, --precision-of and --max-time (adaptive stopping)."""
    return _group(
        click.option("--precision", type=FRACTION, default=None,
                     help="Run until the 95% CI of the median (over slices) is this narrow, "
                     "e.g. 2%."),
        click.option("--precision-of", type=click.Choice(["median", "mean"]), default=None,
                     help="Statistic --precision applies to (default: median)."),
        click.option("--max-time", type=DURATION, default=None,
                     help="The longest the measuring phase may take (of each benchmark in "
                     "sequential order; load runs: per benchmark), whatever -r, -m, "
                     "--min-time or -d ask for; the time budget of --precision (load "
                     "runs: default 60s)."),
    )(fn)  # fmt: skip


def budget_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--budget METRIC:LIMIT[:warn] (repeatable), applied to every benchmark of the run."""
    return click.option(
        "--budget", "budgets", multiple=True, metavar="METRIC:LIMIT[:warn]",
        help="A limit on every benchmark, judged on its 95% interval, e.g. p95:250ms, "
        "mean:1.5s, max:2s, error_rate:1%, throughput:1000/s (a floor), rss:200MB, cpu:1s, "
        "cpu_util:80%; broken (the whole interval past it) exits 4, ':warn' only reports; "
        "repeatable.",
    )(fn)  # fmt: skip


def _webhook_urls(
    ctx: click.Context, param: click.Parameter, urls: tuple[str, ...]
) -> tuple[str, ...]:
    """Every --notify URL checked before anything is measured (a bad one exits 2)."""
    if not urls:
        return urls
    from pbench.session.exports import check_webhooks

    try:
        return check_webhooks(urls)
    except UsageError as exc:
        message = exc.message.removeprefix("--notify: ")
        raise click.BadParameter(f"{message} ({exc.hint})", ctx, param) from None


def notify_options(
    fn: Callable[..., Any], when: str = "an error-level budget is broken"
) -> Callable[..., Any]:
    """--notify URL (repeatable) and --notify-timeout: webhooks for broken budgets (or
    for what ``when`` says)."""
    return _group(
        click.option("--notify", "notify", multiple=True, metavar="URL", callback=_webhook_urls,
                     help="POST a JSON message (Slack/Mattermost 'text' and the events) to "
                     f"this webhook when {when}; retried on errors, "
                     "never changes the exit status; repeatable."),
        click.option("--notify-timeout", type=DURATION, default="5s", show_default=True,
                     help="How long one attempt of --notify waits for an answer (3 attempts "
                     "at most)."),
    )(fn)  # fmt: skip


def store_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--save and --store URL: save the run to the history store; --save-baseline NAME,
    --baseline REF and --any-machine: baselines (``run``, ``http``, ``sql`` and
    ``suite`` alike; see ``pbench history`` and :mod:`pbench.history.refs`)."""
    return _group(
        click.option("--save", is_flag=True,
                     help="Save the run to the history store once it is reported and "
                     "exported (default store: $PBENCH_STORE, else .pbench/history.db under "
                     "the git top level); see pbench history."),
        click.option("--store", metavar="URL", default=None,
                     help="The history store to save to (implies --save) and to read "
                     "--baseline from: a file, sqlite:///path or postgresql://user@host/db."),
        click.option("--save-baseline", metavar="NAME", default=None,
                     help="Save the run (implies --save) and mark it as baseline NAME, moving "
                     "the name if another run had it (not when a benchmark failed)."),
        click.option("--baseline", metavar="REF", default=None,
                     help="Compare each benchmark with the same-named one of a stored run "
                     "(compare's table after the report; a regression exits 3): a baseline "
                     "NAME, latest (the newest saved run), branch:NAME or commit:SHA (the "
                     "newest run of it); runs of this machine only. Read from --store "
                     "(which also saves this run), else $PBENCH_STORE or the default store."),
        click.option("--any-machine", is_flag=True,
                     help="Let --baseline use a run of another machine (with a warning): "
                     "searched among every machine's runs, compared anyway."),
    )(fn)  # fmt: skip


def start_at_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--start-at TIME: when a load run's measuring begins (wall clock), so that load
    machines started by any orchestrator measure together."""
    return click.option(
        "--start-at", "start_at", default=None, metavar="TIME",
        help="Load runs: begin measuring at this wall-clock time (ISO 8601, e.g. "
        "2026-12-01T12:00:00Z, or @EPOCH), after setup and warm-up, so that clients on "
        "several machines load together; a client that is late starts at once and says "
        "by how much (see pbench merge).",
    )(fn)  # fmt: skip


STORE_HELP = (
    "The history store to read (default: $PBENCH_STORE, else .pbench/history.db under the "
    "git top level): a file, sqlite:///path or postgresql://user@host/db."
)


def history_filter_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--store, --since, --branch and --machine: which saved runs to read (pbench
    history, pbench trend)."""
    return _group(
        click.option("--store", metavar="URL", default=None, help=STORE_HELP),
        click.option("--since", default=None, metavar="WHEN",
                     help="Only runs since a date (2026-01-31), a time, or a duration ago "
                     "(7d, 12h)."),
        click.option("--branch", default=None, help="Only runs on this git branch."),
        click.option("--machine", default=None, metavar="ID",
                     help="Only runs on this machine: a fingerprint (or its start) or a host "
                     "name."),
    )(fn)  # fmt: skip


def _check_input_format(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> str | None:
    if value is None:
        return None
    from pbench.results.formats import check_format

    try:
        return check_format(value)
    except UsageError as exc:
        raise click.BadParameter(f"{exc} ({exc.hint})") from None


input_format_option: Decorator = click.option(
    "--input-format", metavar="NAME", callback=_check_input_format,
    help="Read every input file as this format (default: found from each file's content): "
         "pbench, pytest-benchmark, pyperf, google-benchmark, jmh, criterion, "
         "benchmarkdotnet, go-test-bench (bmf, locust-csv, catch2-xml are refused).",
)  # fmt: skip


def export_specs(options: Mapping[str, Any]) -> list[ExportSpec]:
    """The exports the parsed flags ask for: --export-json/-csv/-markdown/-html, the CI
    formats' flags of :data:`CI_EXPORTS`, and every --export."""
    from pbench.session.exports import export_specs as checked_specs

    named = [(fmt, f"export_{fmt}") for fmt in ("json", "csv", "markdown", "html")]
    paths = [(fmt, options.get(flag)) for fmt, flag in (*named, *CI_EXPORTS)]
    return checked_specs(paths, options["exports"])


def invocation_from(
    subcommand: str, options: Mapping[str, Any], output: Output | None = None
) -> Invocation:
    """The typed flags of the end of a ``run``, ``http`` or ``sql`` run, built once from
    click's keyword arguments: the display (--style), the exports, the report settings
    and the store flags; printed through click (or ``output``)."""
    from pbench.cli.output import ECHO, command_name
    from pbench.plan.options import ReportFlags
    from pbench.plan.store import StoreFlags
    from pbench.session.invocation import Invocation

    display = resolve_display(options["style"])
    return Invocation(
        subcommand=subcommand,
        exports=export_specs(options),
        report=flags_from(ReportFlags, options),
        history=flags_from(StoreFlags, options),
        display=display,
        output=output or ECHO,
        command=command_name(),
    )


def suite_invocation_from(options: Mapping[str, Any], flags: SuiteFlags) -> SuiteInvocation:
    """The typed flags of a ``pbench suite`` run beside its own ``flags``,
    built once from click's keyword arguments like :func:`invocation_from`: the
    display, the exports, the report settings (no comparison flags: each benchmark's
    come from the file) and the store flags."""
    from pathlib import Path

    from pbench.cli.output import ECHO, command_name
    from pbench.plan.options import ReportFlags
    from pbench.plan.store import StoreFlags
    from pbench.session.suite import SuiteInvocation

    return SuiteInvocation(
        file=Path(flags.file),
        report=flags_from(ReportFlags, options),
        history=flags_from(StoreFlags, options),
        exports=export_specs(options),
        display=resolve_display(options["style"]),
        output=ECHO,
        start_at=flags.start_at,
        command=command_name(),
    )
