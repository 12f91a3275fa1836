"""Markdown text that no user-supplied string can break: table cells, code spans and
prose, for GitHub- and GitLab-flavoured Markdown (the one table writer of pbench's
Markdown: the run and compare exports and the Markdown report alike).

- :func:`code_span` shows a name verbatim: pipes are escaped, the fence is longer than
  any run of backticks inside, and line breaks become spaces. (GitHub's table syntax
  offers no way to show a backslash right before a pipe inside a code span; such a
  backslash is shown doubled rather than letting it end the cell.) Inside a code span
  ``<script>`` is text, never HTML.
- :func:`prose` is free text (a warning, a recommendation) made inert: every character
  that could open emphasis, a link, an image, raw HTML, an entity or a code span, or
  end a table cell, is backslash-escaped (CommonMark lets any ASCII punctuation be).
- :func:`cell` is text known to be plain (figures, words of pbench's own): one line,
  pipes escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pbench.errors import shorten
from pbench.results.escape import printable

# Names longer than this are cut (with "…") where a report shows them: one 100 KB
# generated query must not fill a pull-request comment.
NAME_CHARS = 200

_BACKSLASHES_THEN_PIPE = re.compile(r"(\\*)\|")
_INERT = re.compile(r"([\\`*_\[\]<>|~&!#])")


def table_head(headers: Sequence[str], first: str = ":---", rest: str = "---") -> str:
    """A GitHub-flavoured Markdown table's header and alignment lines."""
    aligns = [first] + [rest] * (len(headers) - 1)
    return table_row(headers) + "|" + "|".join(aligns) + "|\n"


def table_row(cells: Sequence[str]) -> str:
    """One table line; cells must already be safe (see :func:`cell`)."""
    return "| " + " | ".join(cells) + " |\n"


def cell(text: str) -> str:
    """Plain text made safe for a table cell: one line, pipes escaped."""
    return printable(" ".join(text.splitlines())).replace("|", "\\|")


def prose(text: str) -> str:
    """Free text on one line with every Markdown and HTML construct made inert."""
    return _INERT.sub(r"\\\1", printable(" ".join(text.splitlines())))


def name_span(name: str) -> str:
    """A benchmark's name as a code span, cut to :data:`NAME_CHARS` characters."""
    return code_span(shorten(name, NAME_CHARS))


def code_span(text: str) -> str:
    """``text`` as a Markdown code span that is safe inside a table cell."""
    flat = printable(" ".join(text.splitlines()))
    escaped = _BACKSLASHES_THEN_PIPE.sub(lambda m: m.group(1) * 2 + "\\|", flat)
    longest = max((len(run) for run in re.findall(r"`+", escaped)), default=0)
    fence = "`" * (longest + 1)
    needs_pad = (
        escaped[:1] == "`"
        or escaped[-1:] == "`"
        or (escaped[:1] == " " and escaped[-1:] == " " and escaped.strip() != "")
    )
    pad = " " if needs_pad else ""
    return f"{fence}{pad}{escaped}{pad}{fence}"
