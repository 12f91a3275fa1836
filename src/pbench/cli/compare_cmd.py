"""``pbench compare BASELINE.json CANDIDATE.json``: gate CI on a regression between two runs.

Several separate runs per side: ``--baseline FILE`` and ``--candidate FILE``, each
repeated (pyperf and criterion users know a baseline by a flag; the positional pair
stays for the common case). A quoted glob (``--baseline 'base-*.json'``) is expanded
by pbench; an unquoted one expands in the shell into extra positional files, which are
refused rather than silently put on the wrong side.
"""

from __future__ import annotations

from typing import Any

import click

from pbench.cli.common import FRACTION, guarded
from pbench.cli.options import ci_export_options, html_export_option, input_format_option
from pbench.cli.output import ECHO
from pbench.stats.settings import COUNT_THRESHOLD, DEFAULT_ALPHA, DEFAULT_THRESHOLD

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
    default=None,
    help="Noise threshold: changes within it count as the same (1% or 0.01; "
    f"{COUNT_THRESHOLD:.1%} for instruction or cycle counts)  [default: {DEFAULT_THRESHOLD:.0%}]",
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
def compare(**options: Any) -> int:
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
    from pbench.cli.common import flags_from
    from pbench.plan.compare import CompareFlags
    from pbench.session.compare import compare_files

    return compare_files(flags_from(CompareFlags, options), ECHO)
