"""--budget at the application layer: the budgets table, the JSON and exit 4 only for a
broken error level, published by a real session into a recording output; the runs
are measured on the fake clock of :mod:`support.debug_mode` (``sleep 0.05`` takes
exactly 50 ms), so the judgements cannot flip under load."""

from __future__ import annotations

import json
from pathlib import Path

from support.debug_mode import published


def test_a_broken_budget_exits_4_after_the_report_and_exports(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = published(
        "-r", "3", "--style", "basic", "--budget", "median:1ms", "--export-json", str(out),
        "sleep 0.05",
    )  # fmt: skip
    assert result.code == 4, result.err
    table = result.out[result.out.index("Budgets") :]
    assert "sleep 0.05  median  error  ≤ 1.000 ms" in table
    assert table.splitlines()[2].endswith("broken")
    assert "budget broken: median of 'sleep 0.05'" in result.err
    [check] = json.loads(out.read_text())["budgets"]
    assert (check["metric"], check["level"], check["status"]) == ("median", "error", "broken")
    assert check["limit"] == 0.001 and check["low"] > 0.04


def test_a_met_budget_exits_0() -> None:
    result = published("-r", "3", "--style", "basic", "--budget", "mean:10s", "sleep 0.05")
    assert result.code == 0, result.err
    assert result.out.split("Budgets")[1].splitlines()[2].endswith("met")
    assert "budget broken" not in result.err


def test_a_broken_warn_level_is_shown_and_exits_0() -> None:
    result = published("-r", "3", "--style", "basic", "--budget", "median:1ms:warn", "sleep 0.05")
    assert result.code == 0, result.err
    row = result.out.split("Budgets")[1].splitlines()[2]
    assert "warn" in row and row.endswith("broken")


def test_quiet_still_exits_4_and_says_why(tmp_path: Path) -> None:
    result = published("-r", "2", "--style", "none", "--budget", "max:1ms", "sleep 0.05")
    assert result.code == 4
    assert result.out == ""
    assert "pbench: budget broken: max of 'sleep 0.05'" in result.err
