"""Errors that know their exit code and how to show themselves.

Exit codes (README "Exit codes" and ``pbench --help`` list the same table):

====  ==================================================================
0     success; no budget broken, no regression
1     a benchmark failed (non-zero exit without -i, timeout, unreachable
      target, query error)
2     usage or configuration error (bad flag, bad file, bad DSN/URL)
3     a regression was detected against the baseline
4     a budget (SLA) was broken
5     inconclusive: too noisy to decide (only where a decision was asked)
130   interrupted (Ctrl-C); partial results were written
====  ==================================================================
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    BENCHMARK_FAILED = 1
    USAGE = 2
    REGRESSION = 3
    BUDGET = 4
    INCONCLUSIVE = 5
    INTERRUPTED = 130


# Longer user input (a 100 KB URL, a generated query) is cut in messages to this many
# characters: the message must stay readable, and the input is the user's own anyway.
SHOWN_CHARS = 200


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` cut to ``limit`` characters, ending with "…" when it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class PbenchError(Exception):
    """Base of every error pbench shows to a user.

    ``message`` says what went wrong and where; ``hint`` says what to do next.
    """

    exit_code: ExitCode = ExitCode.BENCHMARK_FAILED

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        text = f"pbench: error: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class UsageError(PbenchError):
    """A bad flag, a bad value, conflicting options, a malformed file."""

    exit_code = ExitCode.USAGE


class BenchmarkFailed(PbenchError):
    """A measured run failed: non-zero exit, timeout, unreachable target, query error."""

    exit_code = ExitCode.BENCHMARK_FAILED


class HookFailed(BenchmarkFailed):
    """A setup, prepare, conclude or cleanup hook failed."""


class ExportError(PbenchError):
    """An export could not be written."""

    exit_code = ExitCode.USAGE
