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

When several apply, one invocation exits with the most severe (:func:`worst`):
130 interrupted > 2 usage > 1 benchmark failed > 4 budget broken > 3 regression >
5 inconclusive > 0. An interruption or a failure means the figures are incomplete, so
nothing judged on them can be trusted, and saying why comes first. A broken budget is an
absolute limit the team set for itself (an SLA): no baseline can excuse it. A
regression is relative to a baseline and may be accepted by moving the baseline, so it
comes after; an inconclusive comparison decided nothing, so it comes last. Warning
levels of budgets, and budgets at risk (the limit inside the interval), never change
the exit status.
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


# Most severe first: see the module's docstring.
SEVERITY = (
    ExitCode.INTERRUPTED,
    ExitCode.USAGE,
    ExitCode.BENCHMARK_FAILED,
    ExitCode.BUDGET,
    ExitCode.REGRESSION,
    ExitCode.INCONCLUSIVE,
    ExitCode.OK,
)


def worst(*codes: ExitCode) -> ExitCode:
    """The exit status of an invocation in which each of ``codes`` applies: the most
    severe (``OK`` when none is given)."""
    return min(codes, key=SEVERITY.index, default=ExitCode.OK)


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
