"""``pbench trend [NAME...]``: change points, recent slope and the newest run's verdict
of each benchmark's saved runs, per machine (:mod:`pbench.history.trend`); optionally
a webhook for news (:mod:`pbench.notify.changes`). Informational: exit 0 whatever it
finds; 2 for a bad option or an unknown benchmark."""

from __future__ import annotations

from typing import Any

import click

from pbench.cli.common import guarded
from pbench.cli.options import history_filter_options, notify_options
from pbench.stats.changepoint import ALPHA, WINDOW
from pbench.stats.recent import SLOPE_RUNS

EPILOG = """\b
Examples:
  pbench trend                          every benchmark of the default store
  pbench trend parse --machine ci-7     one benchmark on one machine
  pbench trend --since 30d --bands 3%,10% --format json
  pbench trend --notify https://hooks.slack.com/services/...

\b
A change point splits a series where its level changed (a penalised choice of step,
line or both, each change tested with ranks at --alpha, any level); a drift is a
slope, not a staircase, and a change of noise alone is shown as "noisier since". Its
severity is the size of the change: minor below the first of --bands, major up to the
second, critical beyond. --notify posts the newest change point while its new level
is at most --notify-within runs long, else a newest run that is an anomaly (so run it
after each saved run).

\b
Exit codes:
  0  the trends were shown (whatever they show)
  1  the store could not be read
  2  a bad option, or a benchmark or machine the store does not hold
"""


def _notify(fn: Any) -> Any:
    return notify_options(fn, when="a new change point or an anomalous newest run is found")


@click.command("trend", epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("names", nargs=-1)
@history_filter_options
@click.option(
    "--last",
    type=click.IntRange(min=2),
    default=WINDOW,
    show_default=True,
    metavar="N",
    help="Analyse the most recent N runs of each benchmark and machine.",
)
@click.option(
    "--format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table: for people (with a sparkline); json.",
)
@click.option(
    "--bands",
    default="5%,15%",
    show_default=True,
    metavar="MAJOR,CRITICAL",
    help="Severity of a change by its size: minor below MAJOR, critical above CRITICAL.",
)
@click.option(
    "--alpha",
    type=float,
    default=ALPHA,
    show_default=True,
    help="Significance level of a change point's test (any value in (0, 1)).",
)
@click.option(
    "--slope-runs",
    type=click.IntRange(min=3),
    default=SLOPE_RUNS,
    show_default=True,
    metavar="K",
    help="The slope is fitted to the last K runs since the last change point.",
)
@_notify
@click.option(
    "--notify-within",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    metavar="K",
    help="--notify: a change point is news while its level holds at most K runs.",
)
@guarded
def trend(**options: Any) -> int:  # fmt: skip
    """Change points and recent trends of saved runs (pbench run/http/sql/suite --save).

    For each benchmark (all without NAME) and each machine it ran on: where its median
    changed level (between which commits, by how much with a 95% interval, p-value,
    severity), the slope of its recent runs, and whether its newest run is an anomaly.
    Runs whose machine was not fit to measure (recorded by pbench suite) are marked !.
    """
    from pbench.cli.common import flags_from
    from pbench.cli.output import ECHO
    from pbench.plan.history import TrendQuery
    from pbench.session.trend import report_trends

    return report_trends(flags_from(TrendQuery, options), ECHO)
