"""The API the CLI calls: spec parsing, fail-fast checks and writing every export."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pbench.errors import ExitCode, ExportError, UsageError
from pbench.export import ExportSpec, check_writable, parse_export_spec, render, write_exports
from pbench.models import RunResults
from pbench.results.schema import RESULT_FILE_SCHEMA_VERSION


@pytest.mark.parametrize(
    ("format", "path", "expected"),
    [
        ("json", "out.json", "json"),
        ("json", "-", "json"),
        ("csv", "results.txt", "csv"),
        ("markdown", "-", "markdown"),
        ("MD", "x", "markdown"),
        (None, "out.json", "json"),
        (None, "dir/out.CSV", "csv"),
        (None, "out.md", "markdown"),
        (None, "out.markdown", "markdown"),
    ],
)
def test_parse_export_spec(format: str | None, path: str, expected: str) -> None:
    spec = parse_export_spec(format, path)
    assert spec == ExportSpec(expected, path)  # type: ignore[arg-type]
    assert spec.to_stdout == (path == "-")


@pytest.mark.parametrize(
    ("format", "path", "message"),
    [
        (None, "out.txt", "cannot tell the export format of 'out.txt'"),
        (None, "noext", "cannot tell the export format of 'noext'"),
        (None, "-", "--export - cannot tell which format"),
        ("xml", "out.xml", "unknown export format 'xml'"),
        ("json", "", "the export path is empty"),
    ],
)
def test_parse_export_spec_errors(format: str | None, path: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_export_spec(format, path)
    assert caught.value.exit_code == ExitCode.USAGE
    assert message in caught.value.message
    assert caught.value.hint


def test_check_writable_accepts_good_paths_and_stdout(tmp_path: Path) -> None:
    specs = [ExportSpec("json", str(tmp_path / "a.json")), ExportSpec("csv", "-")]
    check_writable(specs)
    assert list(tmp_path.iterdir()) == []  # the probe leaves nothing behind


@pytest.mark.parametrize(
    ("relative", "reason", "hint"),
    [
        ("missing/out.json", "No such file or directory", "create the folder"),
        ("afile/out.json", "Not a directory", "a part of the path is a file"),
        ("adir", "Is a directory", "give a file name"),
    ],
)
def test_check_writable_fails_fast(tmp_path: Path, relative: str, reason: str, hint: str) -> None:
    (tmp_path / "afile").write_text("")
    (tmp_path / "adir").mkdir()
    path = str(tmp_path / relative)
    with pytest.raises(ExportError) as caught:
        check_writable([ExportSpec("json", path)])
    error = caught.value
    assert error.exit_code == ExitCode.USAGE
    assert int(error.exit_code) == 2
    assert error.message == f"cannot write the json export to '{path}': {reason}"
    assert error.hint is not None and hint in error.hint
    assert "\n" not in error.message


def test_check_writable_unwritable_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # root ignores permission bits; sysfs refuses to create files even for root.
        folder = Path("/sys/kernel")
        if not folder.is_dir():
            pytest.skip("no unwritable folder for root here")
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="Permission denied") as caught:
            check_writable([ExportSpec("csv", str(folder / "out.csv"))])
        assert caught.value.hint == f"choose a folder you can write to ('{folder}' is not writable)"
    finally:
        if folder.is_relative_to(tmp_path):
            folder.chmod(0o700)


def test_folder_that_exists_but_refuses_files_gets_no_create_hint() -> None:
    if not Path("/proc/self").is_dir():
        pytest.skip("no /proc")
    with pytest.raises(ExportError) as caught:
        check_writable([ExportSpec("json", "/proc/self/out.json")])
    assert caught.value.hint == "files cannot be created there; choose another path"


def test_two_formats_into_one_file_is_refused(tmp_path: Path) -> None:
    path = str(tmp_path / "out.json")
    check_writable([ExportSpec("json", path), ExportSpec("json", path)])
    with pytest.raises(ExportError, match="would both write"):
        check_writable([ExportSpec("json", path), ExportSpec("markdown", path)])


def test_write_exports_writes_files_and_returns_stdout_texts(
    tmp_path: Path, report: RunResults
) -> None:
    specs = [
        ExportSpec("json", str(tmp_path / "out.json")),
        ExportSpec("markdown", "-"),
        ExportSpec("csv", str(tmp_path / "out.csv")),
        ExportSpec("json", "-"),
    ]
    printed = write_exports(specs, report)
    assert printed == [render("markdown", report), render("json", report)]
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == render("json", report)
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == render("csv", report)
    assert (
        json.loads((tmp_path / "out.json").read_text())["schema_version"]
        == RESULT_FILE_SCHEMA_VERSION
    )


def test_rewriting_after_each_benchmark_replaces_the_file(
    tmp_path: Path, report: RunResults
) -> None:
    spec = ExportSpec("json", str(tmp_path / "out.json"))
    for done in range(len(report.results) + 1):
        partial = RunResults(results=report.results[:done], metadata=report.metadata)
        write_exports([spec], partial)
        assert len(json.loads(Path(spec.path).read_text())["results"]) == done
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_write_exports_writes_what_it_can_then_raises(tmp_path: Path, report: RunResults) -> None:
    bad = ExportSpec("csv", str(tmp_path / "missing" / "out.csv"))
    good = ExportSpec("markdown", str(tmp_path / "out.md"))
    with pytest.raises(ExportError) as caught:
        write_exports([bad, good], report)
    assert "missing/out.csv" in caught.value.message
    assert caught.value.hint is not None and "create the folder" in caught.value.hint
    assert (tmp_path / "out.md").read_text(encoding="utf-8") == render("markdown", report)
