"""``pbench history``: list saved runs (the default), and ``pbench history import``.

``pbench history [NAME...]`` is ``pbench history list [NAME...]``: a first word that
is not a subcommand starts the listing's arguments. A benchmark named like a
subcommand is listed after ``--``: ``pbench history -- import``.
"""

from __future__ import annotations

from typing import Any

import click

from pbench.cli.common import guarded
from pbench.cli.options import history_filter_options, input_format_option

HELP_WORDS = ("--help", "-h")


class HistoryGroup(click.Group):
    """A group whose default subcommand is ``list``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in HELP_WORDS):
            args = ["list", *args]
        return super().parse_args(ctx, args)


@click.group(
    "history",
    cls=HistoryGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
)
def history() -> None:
    """Saved runs (pbench run/http/sql/suite --save): list them, or import result files.

    \b
    pbench history                       every benchmark's runs (same as: pbench history list)
    pbench history parse --since 7d      one benchmark, the last week
    pbench history --format json         for machines (also csv)
    pbench history import out.json       load pbench or hyperfine JSON files
    pbench history -- import             list a benchmark named "import"
    """


@history.command("list", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("names", nargs=-1)
@history_filter_options
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Only the most recent NUM runs of each benchmark.",
)
@click.option(
    "--format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table: for people (with a sparkline); csv, json.",
)
@guarded
def list_runs(**options: Any) -> int:  # fmt: skip
    """List saved runs: one line per run of each benchmark (all benchmarks without NAME),
    with the median, its 95% interval and the change from the run before on the same
    machine."""
    from pbench.cli.common import flags_from
    from pbench.cli.output import ECHO
    from pbench.plan.history import HistoryQuery
    from pbench.session.history import list_history

    return list_history(flags_from(HistoryQuery, options), ECHO)


@history.command("import", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@input_format_option
@click.option(
    "--store",
    metavar="URL",
    default=None,
    help="The history store to import into (default as for --save).",
)
@click.option(
    "--commit",
    default=None,
    metavar="SHA",
    help="The git commit of files whose metadata has none (hyperfine's).",
)
@click.option("--branch", default=None, help="The git branch of files whose metadata has none.")
@click.option(
    "--time",
    "when",
    default=None,
    metavar="ISO",
    help="When files without a start time ran (default: the file's modification "
    "time), e.g. 2026-01-31T12:00Z.",
)
@click.option(
    "--host", default=None, help="The host the files were measured on (result files leave it out)."
)
@guarded
def import_files(**options: Any) -> int:  # fmt: skip
    """Import pbench or hyperfine JSON result files, one saved run per file.

    Commit, branch and time come from a pbench file's metadata; the flags give them for
    files that do not say (a hyperfine file says none of them).
    """
    from pbench.cli.common import flags_from
    from pbench.cli.output import ECHO
    from pbench.plan.history import HistoryImport
    from pbench.session.history import import_results

    return import_results(flags_from(HistoryImport, options), ECHO)
