"""Exports: a finished (or partial) run as JSON, CSV or Markdown text, written atomically.

The CLI turns ``--export-json FILE``, ``--export-csv FILE``, ``--export-markdown FILE``
and ``--export FILE`` into :class:`ExportSpec` values once, checks them with
:func:`check_writable` before measuring, and calls :func:`write_exports` after every
finished benchmark (and on Ctrl-C). Renderers are pure and imported only when used.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from pbench.errors import ExportError, UsageError
from pbench.export.atomic import probe_writable, write_atomic
from pbench.models import RunReport

ExportFormat = Literal["json", "csv", "markdown"]
FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)
STDOUT = "-"

_BY_NAME: dict[str, ExportFormat] = {
    "json": "json",
    "csv": "csv",
    "markdown": "markdown",
    "md": "markdown",
}
_BY_EXTENSION: dict[str, ExportFormat] = {
    ".json": "json",
    ".csv": "csv",
    ".md": "markdown",
    ".markdown": "markdown",
}


@dataclass(frozen=True, slots=True)
class ExportSpec:
    """One export: a format and a file path (``-`` for standard output)."""

    format: ExportFormat
    path: str

    @property
    def to_stdout(self) -> bool:
        return self.path == STDOUT


def parse_export_spec(format: str | None, path: str) -> ExportSpec:
    """Build a spec from a format name, or from the file extension when ``format`` is None."""
    if not path:
        raise UsageError("the export path is empty", hint="give a file name, or - for stdout")
    if format is not None:
        known = _BY_NAME.get(format.lower())
        if known is None:
            raise UsageError(
                f"unknown export format '{format}'", hint=f"use one of: {', '.join(FORMATS)}"
            )
        return ExportSpec(known, path)
    hint = "name the file .json, .csv or .md, or use --export-json/--export-csv/--export-markdown"
    if path == STDOUT:
        raise UsageError("--export - cannot tell which format to print", hint=hint)
    by_extension = _BY_EXTENSION.get(Path(path).suffix.lower())
    if by_extension is None:
        raise UsageError(f"cannot tell the export format of '{path}' from its extension", hint=hint)
    return ExportSpec(by_extension, path)


def render(format: ExportFormat, report: RunReport) -> str:
    """The export's text. Pure; accepts partial results."""
    return _renderer(format)(report)


def _renderer(format: ExportFormat) -> Callable[[RunReport], str]:
    if format == "json":
        from pbench.export.json import render as render_json

        return render_json
    if format == "csv":
        from pbench.export.csv import render as render_csv

        return render_csv
    from pbench.export.markdown import render as render_markdown

    return render_markdown


def check_writable(specs: Sequence[ExportSpec]) -> None:
    """Fail fast, before measuring, on an export that could not be written."""
    formats_by_path: dict[Path, ExportFormat] = {}
    for spec in specs:
        if spec.to_stdout:
            continue
        path = Path(spec.path)
        try:
            probe_writable(path)
        except OSError as exc:
            raise export_error(spec.path, exc, f"the {spec.format} export") from exc
        resolved = path.resolve()
        earlier = formats_by_path.setdefault(resolved, spec.format)
        if earlier != spec.format:
            raise ExportError(
                f"two exports ({earlier} and {spec.format}) would both write '{spec.path}'",
                hint="give each export its own file",
            )


def write_exports(specs: Sequence[ExportSpec], report: RunReport) -> list[str]:
    """Write every file export atomically; return the texts of ``-`` exports, in order.

    Every file that can be written is written even when another fails; then the first
    failure is raised as :class:`ExportError`.
    """
    texts: dict[ExportFormat, str] = {}
    to_print: list[str] = []
    failure: ExportError | None = None
    for spec in specs:
        text = texts.get(spec.format)
        if text is None:
            text = texts[spec.format] = render(spec.format, report)
        if spec.to_stdout:
            to_print.append(text)
            continue
        try:
            write_atomic(Path(spec.path), text)
        except OSError as exc:
            failure = failure or export_error(spec.path, exc, f"the {spec.format} export")
    if failure is not None:
        raise failure
    return to_print


def export_error(path: str, exc: OSError, what: str | None = None) -> ExportError:
    """The error for a file that could not be written, with a hint for its errno.

    ``what`` names the content ("the json export"); the message then reads "cannot
    write the json export to 'PATH'", else "cannot write PATH".
    """
    reason = exc.strerror or str(exc)
    folder = Path(path).parent
    missing = (
        f"create the folder '{folder}' first, or choose another path"
        if not folder.is_dir()
        else "files cannot be created there; choose another path"
    )
    hints = {
        errno.ENOENT: missing,
        errno.ENOTDIR: "a part of the path is a file, not a folder; choose another path",
        errno.EISDIR: "that is a folder; give a file name inside it",
        errno.EACCES: f"choose a folder you can write to ('{folder}' is not writable)",
        errno.EPERM: f"choose a folder you can write to ('{folder}' is not writable)",
        errno.EROFS: "that file system is read-only; choose another path",
        errno.ENOSPC: "the disk is full; free some space or choose another path",
    }
    target = f"{what} to '{path}'" if what else path
    return ExportError(
        f"cannot write {target}: {reason}", hint=hints.get(exc.errno or 0, "choose another path")
    )
