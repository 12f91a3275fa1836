"""Entry point for ``pbench`` and ``python -m pbench``."""

import signal
import sys
from types import FrameType


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        # The answer click's version option gives, without importing click (a third
        # of a 50 ms start-up).
        from pbench import __version__

        sys.stdout.write(f"pbench, version {__version__}\n")
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


if __name__ == "__main__":
    main()
