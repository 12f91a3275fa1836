#!/usr/bin/env python3
"""Run the benchmarks against peers listed in scripts/peers.toml; report which met targets.

Usage: python3 scripts/run_benchmarks.py [NAME ...] [--include-slow]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "scripts" / "peers.toml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="entries to run (default: all)")
    parser.add_argument("--include-slow", action="store_true", help="also run slow entries")
    args = parser.parse_args()
    entries = tomllib.loads(PEERS.read_text())
    unknown = [name for name in args.names if name not in entries]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(entries)}")
        return 2
    chosen = args.names or [n for n, e in entries.items() if args.include_slow or not e.get("slow")]
    outcome: dict[str, int] = {}
    for name in chosen:
        entry = entries[name]
        print(f"== {name}: {entry['script']} (vs {entry['peer']})", flush=True)
        for target in entry["targets"]:
            print(f"   target: {target}")
        outcome[name] = subprocess.run([sys.executable, str(ROOT / entry["script"])]).returncode
    print("== summary")
    for name, code in outcome.items():
        print(f"   {name:12} {'PASS' if code == 0 else f'FAIL (exit {code})'}")
    return 0 if all(code == 0 for code in outcome.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
