"""What an export path leads to decides how it is written: files are replaced atomically
(through symlinks, at their target), devices, FIFOs and descriptors are written into.

Device nodes made with mknod in a temporary folder (when we are root, as in CI) behave
like /dev/null and /dev/full; a regression that replaced them would replace only those
copies, not the machine's own devices.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pbench.errors import ExportError
from pbench.export import ExportSpec, check_writable, rewritable, write_exports
from pbench.export.atomic import destination, probe_writable, write_to
from pbench.models import RunResults
from support.devices import device_node


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture(params=["/dev/null", "copy"])
def null_device(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    path = Path("/dev/null") if request.param == "/dev/null" else device_node(tmp_path, "null", 3)
    yield path
    assert stat.S_ISCHR(os.stat(path).st_mode), f"{path} is no longer a device"


@pytest.fixture(params=["/dev/full", "copy"])
def full_device(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    path = Path("/dev/full") if request.param == "/dev/full" else device_node(tmp_path, "full", 7)
    yield path
    assert stat.S_ISCHR(os.stat(path).st_mode), f"{path} is no longer a device"


def test_symlink_is_followed_and_its_target_replaced_atomically(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "target.json"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    old_inode = target.stat().st_ino
    link = tmp_path / "link.json"
    link.symlink_to("data/target.json")  # relative, as `ln -s` makes them
    probe_writable(link)
    write_to(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == "data/target.json"
    assert target.read_text() == "new\n"
    assert target.stat().st_ino != old_inode  # renamed over the target, not rewritten
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == [] and _leftovers(tmp_path / "data") == []


def test_chain_of_symlinks_is_followed_to_the_end(tmp_path: Path) -> None:
    target = tmp_path / "target.json"
    (tmp_path / "middle.json").symlink_to(target)
    (tmp_path / "first.json").symlink_to("middle.json")
    write_to(tmp_path / "first.json", "x\n")
    assert (tmp_path / "first.json").is_symlink() and (tmp_path / "middle.json").is_symlink()
    assert target.read_text() == "x\n"


def test_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "out" / "new.json")
    probe_writable(link)
    write_to(link, "created\n")
    assert link.is_symlink()
    assert (tmp_path / "out" / "new.json").read_text() == "created\n"
    assert destination(link) == destination(tmp_path / "out" / "new.json")


def test_symlink_loop_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OSError) as caught:
        write_to(tmp_path / "a", "x")
    assert caught.value.errno == errno.ELOOP


def test_fifo_is_written_into_for_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "export.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        probe_writable(fifo)  # must not open it: that would wait for a reader
        write_to(fifo, "through the pipe\n")
        out, _ = reader.communicate(timeout=10)
    finally:
        reader.kill()
        reader.wait()
    assert out == b"through the pipe\n"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_devices_are_written_into_not_replaced(null_device: Path) -> None:
    assert destination(null_device).stream
    probe_writable(null_device)
    write_to(null_device, "discarded\n")


def test_full_device_raises_enospc(full_device: Path) -> None:
    with pytest.raises(OSError) as caught:
        write_to(full_device, "does not fit\n")
    assert caught.value.errno == errno.ENOSPC


def test_full_device_is_one_export_error(full_device: Path, report: RunResults) -> None:
    spec = ExportSpec("json", str(full_device))
    check_writable([spec])  # /dev/full accepts opening; only writing fails
    with pytest.raises(ExportError) as caught:
        write_exports([spec], report)
    assert caught.value.message == (
        f"cannot write the json export to '{full_device}': No space left on device"
    )
    assert caught.value.hint is not None and "no space" in caught.value.hint


def test_own_descriptor_is_written_through_keeping_its_offset(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_text("earlier lines\n")
    fd = os.open(log, os.O_WRONLY | os.O_APPEND)
    try:
        target = destination(f"/dev/fd/{fd}")
        assert target.stream and target.fd == fd
        probe_writable(f"/dev/fd/{fd}")
        write_to(f"/dev/fd/{fd}", "export\n")
        os.write(fd, b"after\n")  # the descriptor is still open and appending
    finally:
        os.close(fd)
    assert log.read_text() == "earlier lines\nexport\nafter\n"


def test_descriptor_that_is_not_open_fails_the_probe() -> None:
    read_end, write_end = os.pipe()
    os.close(write_end)
    try:
        with pytest.raises(OSError) as caught:
            probe_writable(f"/dev/fd/{read_end}")
    finally:
        os.close(read_end)
    assert caught.value.errno == errno.EBADF
    closed = os.open(os.devnull, os.O_RDONLY)
    os.close(closed)
    with pytest.raises(OSError):
        probe_writable(f"/dev/fd/{closed}")


def test_pipe_descriptor_is_written_once_and_read_whole() -> None:
    read_end, write_end = os.pipe()
    chunks: list[bytes] = []

    def drain() -> None:
        while chunk := os.read(read_end, 65536):
            chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    text = "x" * 200_000 + "\n"  # more than a pipe holds: written in pieces
    try:
        write_to(f"/dev/fd/{write_end}", text)
    finally:
        os.close(write_end)
        reader.join(10)
        os.close(read_end)
    assert b"".join(chunks) == text.encode()


def test_checkpoints_rewrite_only_files(tmp_path: Path, null_device: Path) -> None:
    fifo = tmp_path / "f.fifo"
    os.mkfifo(fifo)
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "missing.md")
    specs = [
        ExportSpec("json", str(tmp_path / "new.json")),
        ExportSpec("csv", str(null_device)),
        ExportSpec("markdown", str(fifo)),
        ExportSpec("json", "-"),
        ExportSpec("markdown", str(link)),
        ExportSpec("csv", "/dev/stdout"),
    ]
    assert rewritable(specs) == [specs[0], specs[4]]


def test_the_same_device_twice_is_allowed_the_same_file_twice_is_not(
    tmp_path: Path, null_device: Path
) -> None:
    check_writable([ExportSpec("json", str(null_device)), ExportSpec("csv", str(null_device))])
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "target.json")
    with pytest.raises(ExportError, match="would both write"):
        check_writable(
            [ExportSpec("json", str(link)), ExportSpec("csv", str(tmp_path / "target.json"))]
        )
