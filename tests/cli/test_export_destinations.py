"""Exports end to end into what the path leads to, from a real pbench process: a FIFO
with its reader, a process substitution, /dev/stdout. Two benchmarks each, so that the
checkpoint after the first one would show if it wrote a stream (a FIFO or pipe can be
written once: a second writer would wait forever or corrupt the JSON). Symlinks and
device files as export paths are published at the application layer:
tests/session/test_export_destinations.py.
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

SRC = str(Path(__file__).resolve().parents[2] / "src")
TWO = ("-N", "--no-sample", "--runs", "2", "--style", "basic", "-L", "n", "1,2", "true {n}")


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))


def _complete(data: dict[str, Any]) -> None:
    assert [r["command"] for r in data["results"]] == ["true 1", "true 2"]
    assert all(len(r["times"]) == 2 and r["stop_reason"] == "runs" for r in data["results"])


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
