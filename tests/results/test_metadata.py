"""Run metadata: machine, Python, time, and git state inside and outside a repository."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from pbench import __version__
from pbench.results.metadata import collect_metadata, git_info

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # git must not walk up from tmp_path into a repository around it, nor read the
    # user's configuration.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


def _git(repo: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", "-c", "user.name=pbench", "-c", "user.email=pbench@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return completed.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "repo"
    path.mkdir()
    _git(path, "init", "-q", "-b", "trunk")
    (path / "file.txt").write_text("one\n")
    _git(path, "add", "file.txt")
    _git(path, "commit", "-q", "-m", "first")
    return path


def test_machine_and_python(tmp_path: Path) -> None:
    meta = collect_metadata(cwd=tmp_path)
    assert meta["pbench_version"] == __version__
    assert meta["os"]["system"] == platform.system()
    assert meta["os"]["release"] == platform.release()
    assert meta["python"] == {
        "version": platform.python_version(),
        "implementation": platform.python_implementation(),
    }
    assert meta["cpu"]["logical_count"] == os.cpu_count()
    assert meta["cpu"]["physical_count"] is None or 1 <= meta["cpu"]["physical_count"] <= (
        os.cpu_count() or 1
    )
    if Path("/proc/cpuinfo").exists():
        assert isinstance(meta["cpu"]["model"], str) and meta["cpu"]["model"]
    assert meta["memory"]["total_bytes"] > 64 * 2**20
    json.dumps(meta, allow_nan=False)  # JSON-ready as it is


def test_host_name_is_left_out(tmp_path: Path) -> None:
    def values(node: object) -> list[object]:
        if isinstance(node, dict):
            return [v for item in node.values() for v in values(item)]
        return [node]

    meta = collect_metadata(cwd=tmp_path)
    assert platform.node() not in values(meta)
    assert "host" not in json.dumps(list(meta)).lower()


def test_start_time_is_iso_8601_utc(tmp_path: Path) -> None:
    meta = collect_metadata(cwd=tmp_path)
    parsed = datetime.fromisoformat(meta["start_time"].replace("Z", "+00:00"))
    assert parsed.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - parsed) < timedelta(minutes=5)
    paris = datetime(2026, 3, 1, 13, 30, 0, 250000, tzinfo=timezone(timedelta(hours=1)))
    assert collect_metadata(start=paris, cwd=tmp_path)["start_time"] == "2026-03-01T12:30:00.250Z"


def test_outside_a_repository_there_is_no_git_key(tmp_path: Path) -> None:
    assert "git" not in collect_metadata(cwd=tmp_path)
    assert git_info(tmp_path) is None


def test_without_git_installed_there_is_no_git_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    assert "git" not in collect_metadata(cwd=tmp_path)


@needs_git
def test_clean_repository(repo: Path) -> None:
    git = collect_metadata(cwd=repo)["git"]
    assert git == {"commit": _git(repo, "rev-parse", "HEAD"), "branch": "trunk", "dirty": False}
    assert len(git["commit"]) == 40


@needs_git
def test_dirty_repository_and_subfolder(repo: Path) -> None:
    (repo / "file.txt").write_text("two\n")
    sub = repo / "sub"
    sub.mkdir()
    assert collect_metadata(cwd=sub)["git"]["dirty"] is True


@needs_git
def test_untracked_files_do_not_make_it_dirty(repo: Path) -> None:
    (repo / "new.txt").write_text("untracked\n")
    assert collect_metadata(cwd=repo)["git"]["dirty"] is False


@needs_git
def test_detached_head_and_empty_repository(repo: Path, tmp_path: Path) -> None:
    _git(repo, "checkout", "-q", "--detach")
    assert collect_metadata(cwd=repo)["git"]["branch"] is None
    empty = tmp_path / "empty"
    empty.mkdir()
    _git(empty, "init", "-q", "-b", "main")
    assert collect_metadata(cwd=empty)["git"] == {"commit": None, "branch": "main", "dirty": False}


@needs_git
def test_metadata_does_not_touch_the_index(repo: Path) -> None:
    (repo / "file.txt").write_text("two\n")
    index = repo / ".git" / "index"
    before = index.stat().st_mtime_ns
    collect_metadata(cwd=repo)
    assert index.stat().st_mtime_ns == before  # no index refresh, no lock taken
