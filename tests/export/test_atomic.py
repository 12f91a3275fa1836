"""Atomic writes: old file or new file, never a half-written one."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from pbench.export.atomic import probe_writable, write_atomic


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_creates_a_new_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_atomic(target, '{"a": "µ"}\n')
    assert target.read_text(encoding="utf-8") == '{"a": "µ"}\n'
    assert _leftovers(tmp_path) == []


def test_replaces_an_existing_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old contents that are longer than the new ones\n")
    os.chmod(target, 0o640)
    old_inode = target.stat().st_ino
    write_atomic(target, iter(["new", "\n"]))
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.stat().st_ino != old_inode  # renamed over, not rewritten in place
    assert _leftovers(tmp_path) == []


def test_new_file_gets_umask_permissions_not_mkstemp_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "out.md", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.md").stat().st_mode) == 0o644


def _failing_chunks() -> Iterator[str]:
    yield "{\n"
    yield '  "results": [' + "1, " * 10_000
    raise RuntimeError("renderer broke midway")


def test_failure_midway_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous complete export\n")
    with pytest.raises(RuntimeError, match="midway"):
        write_atomic(target, _failing_chunks())
    assert target.read_text() == "previous complete export\n"
    assert _leftovers(tmp_path) == []


def test_failure_midway_leaves_no_file_at_all(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        write_atomic(tmp_path / "out.json", _failing_chunks())
    assert list(tmp_path.iterdir()) == []


def test_interrupt_midway_cleans_up(tmp_path: Path) -> None:
    def interrupted() -> Iterator[str]:
        yield "partial"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "out.json", interrupted())
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "out.json", "x")


def test_probe(tmp_path: Path) -> None:
    probe_writable(tmp_path / "out.json")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(IsADirectoryError):
        probe_writable(tmp_path)
    with pytest.raises(FileNotFoundError):
        probe_writable(tmp_path / "missing" / "out.json")
    (tmp_path / "file").write_text("")
    with pytest.raises(NotADirectoryError):
        probe_writable(tmp_path / "file" / "out.json")
