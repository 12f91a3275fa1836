"""The command line's rules on one benchmark's flags, checked when the file is read:
run counts, precision, -r against -d, parameters, headers and expected statuses. (What
needs the outside world, such as a DSN's server or an --input file, is checked when the
benchmark's plan is made.)"""

from __future__ import annotations

from pbench.plan import rules
from pbench.plan.options import HttpFlags, RunFlags, SqlFlags
from pbench.plan.suite.schema import Flags
from pbench.targets.http.spec import parse_expect_status, parse_header


def check_flags(flags: Flags) -> None:
    """Raises the UsageError the subcommand would raise for the same flags."""
    if isinstance(flags, HttpFlags):
        rules.runs_or_duration(flags.runs, flags.duration, "requests")
        rules.load_precision(flags)
        for header in flags.headers:
            parse_header(header)
        parse_expect_status(flags.expect_status)
        return
    if isinstance(flags, SqlFlags) and (flags.clients > 1 or flags.duration or flags.rate):
        rules.runs_or_duration(flags.runs, flags.duration, "queries")
        rules.load_precision(flags)
    else:
        assert isinstance(flags, RunFlags | SqlFlags)
        rules.run_counts(flags)
        rules.precision(flags)
    rules.parameters(flags)
