"""Exports into what the path leads to, published by a real session into a recording
output (runs on the fake clock of :mod:`support.debug_mode`): a symlink stays a link
and its target gets the export, a dangling one creates its target, /dev/null stays a
device, and /dev/full is one clear error (exit 2) after the report. Two benchmarks
each, so that the checkpoint after the first one would show. FIFOs, process
substitution and /dev/stdout need a real process: tests/cli/test_export_destinations.py.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from support.debug_mode import published
from support.devices import device_node

TWO = ("-N", "--no-sample", "--runs", "2", "--style", "basic", "-L", "n", "1,2", "true {n}")


def _complete(data: dict[str, Any]) -> None:
    assert [r["command"] for r in data["results"]] == ["true 1", "true 2"]
    assert all(len(r["times"]) == 2 and r["stop_reason"] == "runs" for r in data["results"])


def _device(request: pytest.FixtureRequest, tmp_path: Path, name: str, minor: int) -> Path:
    if request.param == "real":
        return Path("/dev") / name
    return device_node(tmp_path, name, minor)


@pytest.fixture(params=["real", "copy"])
def null_device(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return _device(request, tmp_path, "null", 3)


@pytest.fixture(params=["real", "copy"])
def full_device(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return _device(request, tmp_path, "full", 7)


def test_symlink_stays_a_link_and_its_target_gets_the_export(tmp_path: Path) -> None:
    (tmp_path / "results").mkdir()
    target = tmp_path / "results" / "target.json"
    target.write_text("{}\n")
    link = tmp_path / "link.json"
    link.symlink_to("results/target.json")
    result = published(*TWO, "--export-json", str(link))
    assert result.code == 0, result.err
    assert link.is_symlink() and os.readlink(link) == "results/target.json"
    _complete(json.loads(target.read_text()))
    assert sorted(os.listdir(tmp_path)) == ["link.json", "results"]
    assert os.listdir(tmp_path / "results") == ["target.json"]


def test_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    (tmp_path / "results").mkdir()
    link = tmp_path / "latest.csv"
    link.symlink_to(tmp_path / "results" / "run-1.csv")
    result = published(*TWO, "--export-csv", str(link))
    assert result.code == 0, result.err
    assert link.is_symlink()
    lines = (tmp_path / "results" / "run-1.csv").read_text().splitlines()
    assert lines[0].startswith("command,mean,") and len(lines) == 3


def test_dev_null_stays_a_device(null_device: Path) -> None:
    result = published(*TWO, "--export-json", str(null_device))
    assert result.code == 0, result.err
    assert stat.S_ISCHR(os.stat(null_device).st_mode)
    assert null_device.read_bytes() == b""


def test_dev_full_is_one_clear_error_exit_2(full_device: Path) -> None:
    result = published(*TWO, "--export-json", str(full_device))
    assert result.code == 2
    assert result.err.splitlines() == [
        f"pbench: error: cannot write the json export to '{full_device}': No space left on device",
        "  hint: no space is left there; free some space or choose another path",
    ]
    assert "Benchmark 1: true 1" in result.out  # the report was shown before
    assert stat.S_ISCHR(os.stat(full_device).st_mode)
