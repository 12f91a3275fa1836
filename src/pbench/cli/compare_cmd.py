"""``pbench compare BASELINE.json CANDIDATE.json``: gate CI on a regression between two runs."""

from __future__ import annotations

from collections.abc import Container

import click

from pbench.cli.common import FRACTION, guarded
from pbench.errors import UsageError

EPILOG = """\b
Exit codes:
  0  nothing regressed
  2  unreadable or malformed file, unknown --match name, bad --fail-if
  3  a benchmark is slower beyond the threshold, or a --fail-if gate failed
  5  with --fail-on-inconclusive: nothing regressed, but a comparison was
     inconclusive (too noisy to decide)

\b
--fail-if STAT:LIMIT (repeatable), judged on the lower bound of the interval:
  median:5%     the median is more than 5% slower
  mean:0.002    the mean is more than 2 ms slower (seconds; ms/us/ns suffixes work)
  p95:10%       the 95th percentile is more than 10% slower
"""


@click.command("compare", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("baseline", metavar="BASELINE.json")
@click.argument("candidate", metavar="CANDIDATE.json")
@click.option(
    "--match",
    "matches",
    metavar="OLD=NEW",
    multiple=True,
    help="Pair baseline benchmark OLD with candidate benchmark NEW (repeatable).",
)
@click.option(
    "--alpha",
    type=FRACTION,
    default=0.05,
    show_default=True,
    help="Significance level; the interval is the (1 - alpha) bootstrap interval.",
)
@click.option(
    "--threshold",
    type=FRACTION,
    default=0.01,
    show_default=True,
    help="Noise threshold: changes within it count as the same (1% or 0.01).",
)
@click.option(
    "--statistic",
    type=click.Choice(["median", "mean"]),
    default="median",
    show_default=True,
    help="Statistic whose ratio decides the verdict.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Bootstrap seed.")
@click.option(
    "--fail-if",
    "fail_if",
    metavar="EXPR",
    multiple=True,
    help="Fail (exit 3) when a slowdown surely exceeds a limit, e.g. median:5% (repeatable).",
)
@click.option(
    "--fail-on-inconclusive",
    is_flag=True,
    help="Exit 5 when nothing regressed but a comparison was inconclusive.",
)
@click.option("--export-json", metavar="FILE", help="Write the comparison as JSON ('-' = stdout).")
@click.option(
    "--export-markdown", metavar="FILE", help="Write the comparison as Markdown ('-' = stdout)."
)
@guarded
def compare(
    baseline: str,
    candidate: str,
    matches: tuple[str, ...],
    alpha: float,
    threshold: float,
    statistic: str,
    seed: int,
    fail_if: tuple[str, ...],
    fail_on_inconclusive: bool,
    export_json: str | None,
    export_markdown: str | None,
) -> int:
    """Compare two result files (pbench's or hyperfine's --export-json).

    Benchmarks pair up by name (by command for hyperfine files). For each pair: the
    ratio candidate / baseline of the median with its bootstrap interval, the
    Mann-Whitney p-value (Holm-adjusted across pairs), and a verdict: slower, faster,
    same (interval within the threshold) or inconclusive.
    """
    from pbench import compare_export
    from pbench.compare_files import read_results
    from pbench.compare_gate import parse_fail_if
    from pbench.compare_results import Settings, compare_result_files

    if export_json == "-" and export_markdown == "-":
        raise UsageError("only one export can go to stdout ('-')", hint="write the other to a file")
    gates = [parse_fail_if(text) for text in fail_if]
    for path in (export_json, export_markdown):
        if path is not None and path != "-":
            _probe(path)
    base = read_results(baseline, "baseline")
    cand = read_results(candidate, "candidate")
    result = compare_result_files(
        base,
        cand,
        matches=[_match(text, base.benchmarks, cand.benchmarks) for text in matches],
        gates=gates,
        settings=Settings(alpha=alpha, threshold=threshold, statistic=statistic, seed=seed),
    )
    exports = [
        (path, render)
        for path, render in (
            (export_json, compare_export.render_json),
            (export_markdown, compare_export.render_markdown),
        )
        if path is not None
    ]
    to_stdout = any(path == "-" for path, _ in exports)
    for line in compare_export.missing(result):
        click.echo(f"pbench: warning: {line}", err=True)
    # With an export on stdout, the human-readable report moves to stderr.
    click.echo(compare_export.render_table(result), err=to_stdout)
    for line in compare_export.notes(result):
        click.echo(line, err=to_stdout)
    for path, render in exports:
        _write(path, render(result))
    return int(result.exit_code(fail_on_inconclusive))


def _match(text: str, old_names: Container[str], new_names: Container[str]) -> tuple[str, str]:
    """Split OLD=NEW; names may hold '=' themselves, so prefer the split naming real benchmarks."""
    splits = [(text[:i], text[i + 1 :]) for i, ch in enumerate(text) if ch == "="]
    for old, new in splits:
        if old in old_names and new in new_names:
            return old, new
    if not splits or not all(splits[0]):
        raise UsageError(
            f"--match {text!r} is not OLD=NEW", hint="e.g. --match 'old name=new name'"
        )
    return splits[0]


def _probe(path: str) -> None:
    """Fail before any work when an export cannot be written."""
    from pbench.export import export_error
    from pbench.export.atomic import probe_writable

    try:
        probe_writable(path)
    except OSError as exc:
        raise export_error(path, exc) from None


def _write(path: str, text: str) -> None:
    if path == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    from pbench.export import export_error
    from pbench.export.atomic import write_to

    try:
        write_to(path, text)
    except OSError as exc:
        raise export_error(path, exc) from None
