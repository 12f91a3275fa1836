"""Hostile stores: saving to a store on a full disk says so ("free some space, or use
another --store"), whether SQLite reports the disk full or only an I/O error (its
write-ahead log could not grow). A real full file system: a 512 KiB tmpfs, filled, in a
user and mount namespace of the test's own (``unshare``), with a real store on it."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from support.stores import store_of_two_runs


def test_saving_to_a_full_disk_says_free_some_space(tmp_path: Path) -> None:
    saved = store_of_two_runs(tmp_path)
    disk, outputs = tmp_path / "disk", tmp_path / "outputs"
    disk.mkdir()
    outputs.mkdir()
    lines = [f"mount -t tmpfs -o size=512k none {disk}", f"cp {saved} {disk}/old.db",
             f"dd if=/dev/zero of={disk}/fill bs=4k 2>/dev/null || true"]  # fmt: skip
    for name in ("old", "new"):  # a store that exists, and one to be created there
        argv = [sys.executable, "-m", "pbench", "run", "-r", "2", "--style", "none",
                "-n", "x", "--store", str(disk / f"{name}.db"), "--save", "true"]  # fmt: skip
        lines.append(f"{shlex.join(argv)} 2>{outputs / name}.err; echo $? >{outputs / name}.code")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", "\n".join(lines)],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for name in ("old", "new"):
        err = (outputs / f"{name}.err").read_text()
        assert (outputs / f"{name}.code").read_text().strip() == "1", (name, err)
        assert "the disk is full" in err and "free some space, or use another --store" in err
        assert "Traceback" not in err
