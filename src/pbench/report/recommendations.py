"""The "Recommendations:" block of the terminal report: plain text, returned, not printed."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from pbench.results.escape import printable


def render_recommendations(by_name: Mapping[str, Sequence[str]], width: int | None = None) -> str:
    """Recommendations by benchmark name, in the mapping's order; benchmarks without any
    are left out, and "" is returned when no benchmark has one. Names are shown as
    escaped (:func:`~pbench.results.escape.printable`). With ``width`` each
    recommendation is wrapped, its continuation lines indented under its text::

        Recommendations:
          sleep 0.05:
            - mostly waiting: CPU time is 2% of wall time (...)
    """
    lines: list[str] = []
    for name, texts in by_name.items():
        if not texts:
            continue
        lines.append(f"  {printable(name)}:")
        for text in map(printable, texts):
            if width is None:
                lines.append(f"    - {text}")
            else:
                lines.extend(
                    textwrap.wrap(
                        text,
                        width=max(width, 40),
                        initial_indent="    - ",
                        subsequent_indent="      ",
                        break_on_hyphens=False,
                        break_long_words=False,
                    )
                )
    return "\n".join(["Recommendations:", *lines]) if lines else ""
