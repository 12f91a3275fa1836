"""``pbench merge FILE… -o merged.json``: load results of the same benchmarks from
several machines combined into one result file (see :mod:`pbench.load.merge`)."""

from __future__ import annotations

import click

from pbench.cli.common import guarded

EPILOG = """\b
Several load machines, one result:
  # on each machine (an ssh loop, a Kubernetes Job, a CI matrix):
  pbench http -c 100 -d 60s --start-at 2026-12-01T12:00:00Z URL --export-json m1.json
  # then, with every machine's file:
  pbench merge m1.json m2.json m3.json -o merged.json

\b
Exit codes:
  0  merged
  2  unreadable or malformed file, files of different benchmarks or settings
     (the setting is named), fewer than two files
"""


@click.command("merge", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    metavar="FILE",
    help="Where the merged result file (pbench's JSON) goes ('-' = stdout).",
)
@guarded
def merge(files: tuple[str, ...], output: str) -> int:
    """Merge load results of the same benchmarks run on several machines at once.

    The exact latency histograms are added (the merged percentiles are those of every
    request of every machine), counts and errors are added, throughputs are summed
    over the machines' overlapping window, and each machine's own figures are kept.
    Files whose settings differ are refused, naming the setting.
    """
    from pbench.cli.output import ECHO
    from pbench.session.merge import merge_files

    return merge_files(files, output, ECHO)
