#!/usr/bin/env python3
"""Run a command beside CPU-bound burner processes, as on a shared CI machine.

  python3 scripts/busy.py [-n BURNERS] COMMAND [ARGS...]
  python3 scripts/busy.py python3 scripts/compare_trials.py --command 'sleep 0.005'

Two burners by default (one per core of a 2-core CI machine), each a busy loop that
does nothing but use its CPU. They run for as long as the command and are stopped
however it ends: its exit, Ctrl-C (which reaches the command too: it runs in the
foreground), or SIGTERM (passed on to the command). A burner also stops by itself
once this script is gone, even after a SIGKILL. The exit status is the command's.
``bash scripts/test.sh --busy`` runs the test suite this way.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from types import FrameType

# Checks every ~10,000 additions (well under a millisecond) that its parent is alive.
BURNER = (
    "import os, sys\n"
    "parent = int(sys.argv[1])\n"
    "while os.getppid() == parent:\n"
    "    sum(range(10_000))\n"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--burners", type=int, default=2, help="how many (default 2)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run")
    args = parser.parse_args()
    if not args.command:
        parser.error("a command to run is missing")
    import os

    burners = [
        subprocess.Popen([sys.executable, "-c", BURNER, str(os.getpid())], stdin=subprocess.DEVNULL)
        for _ in range(args.burners)
    ]
    child: subprocess.Popen[bytes] | None = None

    def forward(signum: int, _frame: FrameType | None) -> None:
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    try:
        print(f"busy.py: {len(burners)} CPU-bound processes beside: {' '.join(args.command)}",
              file=sys.stderr, flush=True)  # fmt: skip
        try:
            # BUSY_BURNERS tells a script that reports figures how busy it was made.
            env = {**os.environ, "BUSY_BURNERS": str(len(burners))}
            child = subprocess.Popen(args.command, env=env)
        except OSError as exc:
            print(f"busy.py: cannot run {args.command[0]}: {exc}", file=sys.stderr)
            return 127
        while True:
            try:
                status = child.wait()
            except KeyboardInterrupt:  # Ctrl-C reached the command too: wait for it
                continue
            return 128 - status if status < 0 else status  # killed by a signal: 128 + N
    finally:
        for burner in burners:
            burner.kill()
        for burner in burners:
            burner.wait()


if __name__ == "__main__":
    sys.exit(main())
