"""Entry point for ``pbench`` and ``python -m pbench``."""

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        # The answer click's version option gives, without importing click (a third
        # of a 50 ms start-up).
        from pbench import __version__

        sys.stdout.write(f"pbench, version {__version__}\n")
        sys.exit(0)
    from pbench.cli import run_cli

    sys.exit(run_cli())


if __name__ == "__main__":
    main()
