"""Hostile stores: a store pbench may not write (a file without write permission in a
read-only folder; a read-only file system) is read by ``history``, ``trend`` and
``report`` as any other: reading opens it read-only and writes nothing.

Permissions bind root only inside a user namespace of its own, where it has no
capability over the files outside: as root, pbench runs there (``unshare --user``,
as uid 1000 for the permission bits; as the namespace's root, in a mount namespace of
its own, for a read-only tmpfs). These are real processes on real files."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from support.stores import store_of_two_runs

READS = {
    "history": ["history"],
    "trend": ["trend"],
    "report": ["report", "-o", "-"],
}


def script(store: Path, outputs: Path) -> str:
    """Shell lines running each read on ``store``, its status and output into
    ``outputs``."""
    lines = []
    for name, args in READS.items():
        argv = [sys.executable, "-m", "pbench", *args, "--store", str(store)]
        out, err = outputs / f"{name}.out", outputs / f"{name}.err"
        lines.append(f"{shlex.join(argv)} >{out} 2>{err}; echo $? >{outputs / name}.code")
    return "\n".join(lines)


def run_shell(prefix: list[str], text: str) -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([*prefix, "sh", "-c", text], env=env, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr


def assert_every_read_worked(outputs: Path) -> None:
    for name in READS:
        err = (outputs / f"{name}.err").read_text()
        assert (outputs / f"{name}.code").read_text().strip() == "0", (name, err)
        assert "Traceback" not in err
        assert "x" in (outputs / f"{name}.out").read_text(), name


def test_a_store_without_write_permission_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    store = store_of_two_runs(folder)
    for path in folder.iterdir():
        path.chmod(0o444)
    folder.chmod(0o555)
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    outputs.chmod(0o777)  # uid 1000 in the namespace writes here as itself
    prefix = ["unshare", "--user", "--map-user=1000", "--map-group=1000"]
    try:
        # Only as root: an ordinary user is bound by the permission bits already.
        run_shell(prefix if os.geteuid() == 0 else [], script(store, outputs))
    finally:
        folder.chmod(0o755)
    assert_every_read_worked(outputs)
    assert sorted(p.name for p in folder.iterdir()) == sorted(["h.db", "r0.json", "r1.json"])


def test_a_store_on_a_read_only_file_system_is_read(tmp_path: Path) -> None:
    saved = store_of_two_runs(tmp_path)
    mount, outputs = tmp_path / "ro", tmp_path / "outputs"
    mount.mkdir()
    outputs.mkdir()
    setup = (
        f"mount -t tmpfs -o size=4m none {mount} && cp {saved} {mount}/h.db && "
        f"mount -o remount,ro {mount}"
    )
    prefix = ["unshare", "--user", "--map-root-user", "--mount"]
    run_shell(prefix, f"{setup}\n{script(mount / 'h.db', outputs)}")
    assert_every_read_worked(outputs)
