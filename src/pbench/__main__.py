"""Entry point for ``pbench`` and ``python -m pbench``."""

import sys


def main() -> None:
    from pbench.cli import run_cli

    sys.exit(run_cli())


if __name__ == "__main__":
    main()
