"""Exports end to end into what the path leads to: a FIFO with its reader, a process
substitution, symlinks, /dev/null and /dev/full. Two benchmarks each, so that the
checkpoint after the first one would show if it wrote a stream (a FIFO or pipe can be
written once: a second writer would wait forever or corrupt the JSON).
"""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from support.cli import Invoke

SRC = str(Path(__file__).resolve().parents[2] / "src")
TWO = ("-N", "--no-sample", "--runs", "2", "--style", "basic", "-L", "n", "1,2", "true {n}")
ROOT = os.geteuid() == 0


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))


def _complete(data: dict[str, Any]) -> None:
    assert [r["command"] for r in data["results"]] == ["true 1", "true 2"]
    assert all(len(r["times"]) == 2 and r["stop_reason"] == "runs" for r in data["results"])


def _device(request: pytest.FixtureRequest, tmp_path: Path, name: str, minor: int) -> Path:
    if request.param == "real":
        return Path("/dev") / name
    if not ROOT:
        pytest.skip("making a device node needs root")
    path = tmp_path / name
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    return path


@pytest.fixture(params=["real", "copy"])
def null_device(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return _device(request, tmp_path, "null", 3)


@pytest.fixture(params=["real", "copy"])
def full_device(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return _device(request, tmp_path, "full", 7)


def test_fifo_gets_the_final_export_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "export.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "pbench", *TWO, "--export-json", str(fifo)],
            capture_output=True, text=True, env=_env(), timeout=60, check=False,
        )  # fmt: skip
        received, _ = reader.communicate(timeout=10)
    finally:
        reader.kill()
        reader.wait()
    assert run.returncode == 0, run.stderr
    _complete(json.loads(received))
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["export.fifo"]


def test_process_substitution(tmp_path: Path) -> None:
    out, count = tmp_path / "out.json", tmp_path / "count"
    pbench = shlex.join([sys.executable, "-m", "pbench", *TWO])
    substitution = ">(tee out.json | wc -c > count)"
    script = f"{pbench} --export-json {substitution}; status=$?; wait $!; exit $status"
    run = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, env=_env(),
        timeout=60, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    deadline = time.monotonic() + 10
    while not count.read_text().strip() and time.monotonic() < deadline:
        time.sleep(0.05)  # in case this bash does not wait for the substitution
    text = out.read_text()
    _complete(json.loads(text))  # one document: the checkpoints did not go in
    assert int(count.read_text()) == len(text.encode())


def test_symlink_stays_a_link_and_its_target_gets_the_export(
    invoke: Invoke, tmp_path: Path
) -> None:
    (tmp_path / "results").mkdir()
    target = tmp_path / "results" / "target.json"
    target.write_text("{}\n")
    link = tmp_path / "link.json"
    link.symlink_to("results/target.json")
    result = invoke(*TWO, "--export-json", str(link))
    assert result.code == 0, result.err
    assert link.is_symlink() and os.readlink(link) == "results/target.json"
    _complete(json.loads(target.read_text()))
    assert sorted(os.listdir(tmp_path)) == ["link.json", "results"]
    assert os.listdir(tmp_path / "results") == ["target.json"]


def test_dangling_symlink_creates_its_target(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "results").mkdir()
    link = tmp_path / "latest.csv"
    link.symlink_to(tmp_path / "results" / "run-1.csv")
    result = invoke(*TWO, "--export-csv", str(link))
    assert result.code == 0, result.err
    assert link.is_symlink()
    lines = (tmp_path / "results" / "run-1.csv").read_text().splitlines()
    assert lines[0].startswith("command,mean,") and len(lines) == 3


def test_dev_null_stays_a_device(invoke: Invoke, null_device: Path) -> None:
    result = invoke(*TWO, "--export-json", str(null_device))
    assert result.code == 0, result.err
    assert stat.S_ISCHR(os.stat(null_device).st_mode)
    assert null_device.read_bytes() == b""


def test_dev_full_is_one_clear_error_exit_2(invoke: Invoke, full_device: Path) -> None:
    result = invoke(*TWO, "--export-json", str(full_device))
    assert result.code == 2
    assert result.err.splitlines() == [
        f"pbench: error: cannot write the json export to '{full_device}': No space left on device",
        "  hint: no space is left there; free some space or choose another path",
    ]
    assert "Benchmark 1: true 1" in result.out  # the report was shown before
    assert stat.S_ISCHR(os.stat(full_device).st_mode)


def test_dev_stdout_appends_to_where_stdout_goes(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n")
    stdout_link = tmp_path / "stdout"
    stdout_link.symlink_to("/proc/self/fd/1")  # what /dev/stdout is
    for path in (str(stdout_link), "/dev/stdout", "/dev/fd/1"):
        with log.open("a") as out:
            run = subprocess.run(
                [sys.executable, "-m", "pbench", *TWO, "--style", "none", "--export-csv", path],
                stdout=out, stderr=subprocess.PIPE, text=True, env=_env(), timeout=60,
                check=False,
            )  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert stdout_link.is_symlink()
    lines = log.read_text().splitlines()
    assert lines[0] == "earlier line" and len(lines) == 1 + 3 * 3
    assert [line.split(",")[0] for line in lines[1:4]] == ["command", "true 1", "true 2"]
