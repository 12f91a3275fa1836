"""GitHub Actions' job summary: when ``$GITHUB_STEP_SUMMARY`` names a file, the end of
``run``, ``http``, ``sql`` and ``compare`` appends its Markdown summary to it
(:mod:`pbench.export.step_summary`).

Appended, never replaced: earlier steps (and earlier pbench calls of the same step)
wrote there too. The text goes in with one ``write`` on a descriptor opened with
``O_APPEND``, so it lands at the end of the file as a whole. A summary that cannot be
written is a warning on stderr, never a change of the exit status: the benchmark
itself went as it went.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from pbench.session.output import Output

ENV = "GITHUB_STEP_SUMMARY"


def append_step_summary(render: Callable[[], str], output: Output) -> None:
    """Append ``render()`` to ``$GITHUB_STEP_SUMMARY`` when it is set and not empty; a
    warning through ``output`` when it cannot."""
    path = os.environ.get(ENV)
    if not path:
        return
    try:
        _append(path, render().encode("utf-8", errors="replace"))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        output.echo(
            f"pbench: warning: cannot append the job summary to {path!r} ({ENV}): {reason}; "
            "the results and exit status are unaffected",
            err=True,
        )


def _append(path: str, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NOCTTY
    fd = os.open(path, flags, 0o666)
    try:
        view = memoryview(data)
        while view:  # one write unless the kernel takes less (a full disk, a signal)
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
