"""Entry point for ``pbench`` and ``python -m pbench``."""

import os
import signal
import sys
from types import FrameType
from typing import NoReturn


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _wide_terminal() -> bool:
    """True when click would wrap help at its widest (80 columns): the terminal, or
    $COLUMNS, is at least that wide, or there is no terminal."""
    import shutil

    return shutil.get_terminal_size().columns >= 80


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        # The answer click's version option gives, without importing click (a third
        # of a 50 ms start-up).
        from pbench import __version__

        sys.stdout.write(f"pbench, version {__version__}\n")
        sys.exit(0)
    if sys.argv[1:] in (["--help"], ["-h"]) and _wide_terminal():
        # click's text at this width, stored (click and its imports are two thirds of
        # the time `pbench --help` would take).
        from pbench._top_help import TOP_HELP

        sys.stdout.write(TOP_HELP)
        sys.exit(0)
    try:
        # SIGTERM means Ctrl-C from the first moment, imports included: exit 130, no
        # traceback, whenever it comes (each subcommand then handles it as Ctrl-C).
        signal.signal(signal.SIGTERM, _interrupt)
        from pbench.cli import run_cli

        status = run_cli()
    except KeyboardInterrupt:
        sys.stderr.write("pbench: interrupted\n")
        status = 130
    # Done: a signal from here on (the interpreter's shutdown) has nothing left to
    # interrupt, and would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sys.exit(status)


def entry() -> NoReturn:
    """The ``pbench`` command (and ``python -m pbench``): :func:`main`, then the process
    ends at once with its status, its output flushed (``os._exit``). Everything was
    written and closed by then; tearing the interpreter down (freeing every result,
    rendered text and module) took ~50 ms of CPU after a scan of 1,000 benchmarks, a
    third of what an interrupted scan did after its signal. :func:`main` itself exits
    with SystemExit, as tests that call it expect."""
    try:
        main()
        status = 0
    except SystemExit as exc:
        status = _exit_status(exc.code)
    for stream in (sys.stdout, sys.stderr):
        try:  # noqa: SIM105 (contextlib is not imported by --version)
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more to say
            pass
    os._exit(status)


def _exit_status(code: object) -> int:
    """What the interpreter would exit with for ``sys.exit(code)``."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


if __name__ == "__main__":
    entry()
