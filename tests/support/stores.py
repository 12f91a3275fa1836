"""A small history store for tests that read one: two runs of benchmark ``x``,
imported from hyperfine-style files (no command is run)."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import run_pbench


def store_of_two_runs(folder: Path) -> Path:
    store = folder / "h.db"
    for i, times in enumerate(([0.010, 0.011, 0.012], [0.020, 0.021, 0.022])):
        path = folder / f"r{i}.json"
        result = {"command": "x", "mean": times[1], "stddev": 0.001, "median": times[1],
                  "user": 0.001, "system": 0.001, "min": times[0], "max": times[2],
                  "times": times, "exit_codes": [0, 0, 0]}  # fmt: skip
        path.write_text(json.dumps({"results": [result]}))
        when = f"2026-01-0{i + 1}T12:00Z"
        imported = run_pbench("history", "import", "--store", str(store), "--time", when,
                              str(path))  # fmt: skip
        assert imported.code == 0, imported.err
    return store
