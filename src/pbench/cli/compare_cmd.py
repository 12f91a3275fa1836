"""``pbench compare BASELINE.json CANDIDATE.json``: gate CI on a regression between two runs.

Several separate runs per side: ``--baseline FILE`` and ``--candidate FILE``, each
repeated (pyperf and criterion users know a baseline by a flag; the positional pair
stays for the common case). A quoted glob (``--baseline 'base-*.json'``) is expanded
by pbench; an unquoted one expands in the shell into extra positional files, which are
refused rather than silently put on the wrong side.
"""

from __future__ import annotations

from collections.abc import Container
from pathlib import Path

import click

from pbench.cli.common import FRACTION, guarded
from pbench.cli.compare_stored import stored_ref
from pbench.cli.options import ci_export_options, html_export_option, input_format_option
from pbench.cli.output import ECHO
from pbench.errors import UsageError
from pbench.stats.settings import DEFAULT_ALPHA, DEFAULT_THRESHOLD

STORED_HINT = "e.g. pbench compare --baseline main new.json (--store URL for another store)"

EPILOG = """\b
Several separate runs per side (run-to-run variation in the interval):
  pbench compare --baseline b1.json --baseline b2.json --baseline b3.json \\
                 --candidate n1.json --candidate n2.json --candidate n3.json
  pbench compare --baseline 'base-*.json' --candidate 'new-*.json'

\b
A stored run of the history store as the baseline (pbench run --save-baseline):
  pbench compare --baseline main new.json          baseline 'main'
  pbench compare --baseline-ref latest new.json    the newest run of this machine
  pbench compare --baseline branch:main new.json   also commit:SHA
A --baseline value is a file when it exists, has a '/', ends in .json or is a glob;
otherwise a stored run. --baseline-ref REF is always a stored run.

\b
Exit codes:
  0  nothing regressed
  1  the history store could not be read (--baseline REF)
  2  unreadable or malformed file, misused file arguments, unknown --match
     name, bad --fail-if, unknown REF, a stored run of another machine
     (without --any-machine)
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
@click.argument("files", metavar="[BASELINE.json CANDIDATE.json]", nargs=-1)
@input_format_option
@click.option(
    "--baseline",
    "baselines",
    metavar="FILE|REF",
    multiple=True,
    help="A baseline result file; repeat for several separate runs (a quoted glob works). "
    "A value that is no file, has no '/', no .json ending and no glob characters is a stored "
    "run instead (see --baseline-ref).",
)
@click.option(
    "--baseline-ref",
    metavar="REF",
    default=None,
    help="Compare with a stored run of the history store: a baseline NAME (--save-baseline), "
    "latest, branch:NAME or commit:SHA (the newest run of this machine, or of any with "
    "--any-machine), never a file.",
)
@click.option(
    "--store",
    metavar="URL",
    default=None,
    help="The history store of --baseline-ref (default: $PBENCH_STORE, else "
    ".pbench/history.db under the git top level).",
)
@click.option(
    "--any-machine",
    is_flag=True,
    help="Let a stored baseline come from another machine than the candidate's (with a warning).",
)
@click.option(
    "--candidate",
    "candidates",
    metavar="FILE",
    multiple=True,
    help="A candidate result file; repeat for several separate runs (a quoted glob works).",
)
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
    default=f"{DEFAULT_ALPHA:.0%}",
    show_default=True,
    help="Significance level; the interval is the (1 - alpha) bootstrap interval.",
)
@click.option(
    "--threshold",
    type=FRACTION,
    default=f"{DEFAULT_THRESHOLD:.0%}",
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
@html_export_option("--html")
@ci_export_options
@guarded
def compare(
    files: tuple[str, ...],
    input_format: str | None,
    baselines: tuple[str, ...],
    baseline_ref: str | None,
    store: str | None,
    any_machine: bool,
    candidates: tuple[str, ...],
    matches: tuple[str, ...],
    alpha: float,
    threshold: float,
    statistic: str,
    seed: int,
    fail_if: tuple[str, ...],
    fail_on_inconclusive: bool,
    export_json: str | None,
    export_markdown: str | None,
    export_html: str | None,
    export_junit: str | None,
    export_github_benchmark: str | None,
    export_github_benchmark_bigger: str | None,
    export_bmf: str | None,
) -> int:
    """Compare result files (pbench's or hyperfine's --export-json).

    Benchmarks pair up by name (by command for hyperfine files). For each pair: the
    ratio candidate / baseline of the median with its bootstrap interval, the
    Mann-Whitney p-value (Holm-adjusted across pairs), and a verdict: slower, faster,
    same (interval within the threshold) or inconclusive.

    With several files per side (--baseline, --candidate) the interval is a
    hierarchical bootstrap (runs, then slices) and the test a t-test on per-run
    medians, so the variation between separate runs counts; a verdict needs 3 or more
    files per side. Load runs (pbench http, pbench sql -c) compared one file per side
    get no verdict: the machine changes between two runs.
    """
    from pbench.results.pairing import compare_result_files
    from pbench.results.read import read_side
    from pbench.session import compare as session
    from pbench.stats.gate import parse_fail_if
    from pbench.stats.settings import Settings

    chosen = session.exports(
        session.CompareExports(
            export_json, export_markdown, export_html, export_junit,
            export_github_benchmark, export_github_benchmark_bigger, export_bmf,
        )
    )  # fmt: skip
    gates = [parse_fail_if(text) for text in fail_if]
    chosen.probe()
    ref = stored_ref(baselines, baseline_ref)
    if ref is not None:
        cand = read_side(_candidates(files, candidates), "candidate", input_format)
        base = session.stored_side(ref, store, any_machine, cand, ECHO)
    else:
        if any_machine or store is not None:
            raise UsageError(
                "--store and --any-machine apply to a stored baseline", hint=STORED_HINT
            )
        base_paths, cand_paths = _sides(files, baselines, candidates)
        base = read_side(base_paths, "baseline", input_format)
        cand = read_side(cand_paths, "candidate", input_format)
    result = compare_result_files(
        base,
        cand,
        matches=[_match(text, base.benchmarks, cand.benchmarks) for text in matches],
        gates=gates,
        settings=Settings(alpha=alpha, threshold=threshold, statistic=statistic, seed=seed),
    )
    session.publish(result, chosen, ECHO)
    return int(result.exit_code(fail_on_inconclusive))


def _sides(
    files: tuple[str, ...], baselines: tuple[str, ...], candidates: tuple[str, ...]
) -> tuple[list[str], list[str]]:
    """The baseline and candidate paths: two positional files, or the repeated options."""
    hint = (
        "give BASELINE.json CANDIDATE.json, or repeat --baseline FILE and --candidate FILE "
        "(quote a glob, e.g. --baseline 'base-*.json', to let pbench expand it)"
    )
    if not baselines and not candidates:
        if len(files) != 2:
            raise UsageError(
                f"compare takes two result files, not {len(files)}"
                if files
                else "compare needs a baseline and a candidate result file",
                hint=hint,
            )
        return [files[0]], [files[1]]
    if files:
        raise UsageError(
            f"result files given both as arguments ({', '.join(files)}) and with "
            "--baseline/--candidate",
            hint=hint,
        )
    if not baselines or not candidates:
        missing = "--candidate" if baselines else "--baseline"
        raise UsageError(f"{missing} is missing: each side needs a result file", hint=hint)
    return _expand(baselines, "--baseline"), _expand(candidates, "--candidate")


def _candidates(files: tuple[str, ...], candidates: tuple[str, ...]) -> list[str]:
    """The candidate files against a stored run: positional FILEs and --candidate."""
    if not files and not candidates:
        raise UsageError("compare with a stored run needs a candidate result file",
                         hint=STORED_HINT)  # fmt: skip
    return [*files, *_expand(candidates, "--candidate")]


def _expand(values: tuple[str, ...], flag: str) -> list[str]:
    """Each value as given, or its glob's matches (sorted) when it is a pattern."""
    import glob

    paths: list[str] = []
    for value in values:
        if Path(value).exists() or not glob.has_magic(value):
            paths.append(value)
            continue
        found = sorted(glob.glob(value))
        if not found:
            raise UsageError(f"{flag} {value!r} matches no file", hint="check the pattern")
        paths.extend(found)
    return paths


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
