"""Exports: a finished (or partial) run as JSON, CSV or Markdown text, a self-contained
HTML report, or for CI as JUnit XML, github-action-benchmark JSON or Bencher Metric
Format, written atomically.

The CLI turns ``--export-json FILE``, ``--export-csv FILE``, ``--export-markdown FILE``,
the CI formats' flags (``--export-junit`` ...) and ``--export FILE`` into
:class:`ExportSpec` values once, checks them with :func:`check_writable` before
measuring, and calls :func:`write_exports` after every finished benchmark (a checkpoint:
files only, each result's text reused while it is unchanged) and once at the end, also
on Ctrl-C (every export, stdout and streams such as FIFOs and devices included: they can
be written only once). Renderers are pure and imported only when used.
"""

from __future__ import annotations

import errno
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, get_args

from pbench.errors import ExportError, UsageError
from pbench.export.atomic import destination, probe_writable, write_atomic, write_stream
from pbench.models import RunResults

if TYPE_CHECKING:
    from pbench.export.memo import ResultMemo

ExportFormat = Literal[
    "json",
    "csv",
    "markdown",
    "html",
    "junit",
    "github-benchmark",
    "github-benchmark-bigger",
    "bmf",
]
FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)
STDOUT = "-"

_BY_NAME: dict[str, ExportFormat] = {
    "json": "json",
    "csv": "csv",
    "markdown": "markdown",
    "md": "markdown",
    "html": "html",
    "junit": "junit",
    "github-benchmark": "github-benchmark",
    "github-benchmark-bigger": "github-benchmark-bigger",
    "bmf": "bmf",
}
_BY_EXTENSION: dict[str, ExportFormat] = {
    ".json": "json",
    ".csv": "csv",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xml": "junit",  # the other CI formats are .json files too: their flags name them
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
    hint = (
        "name the file .json, .csv, .md, .html or .xml (JUnit), or use --export-json/"
        "--export-csv/--export-markdown/--export-html/--export-junit"
    )
    if path == STDOUT:
        raise UsageError("--export - cannot tell which format to print", hint=hint)
    by_extension = _BY_EXTENSION.get(Path(path).suffix.lower())
    if by_extension is None:
        raise UsageError(f"cannot tell the export format of '{path}' from its extension", hint=hint)
    return ExportSpec(by_extension, path)


def render(format: ExportFormat, results: RunResults, memo: ResultMemo | None = None) -> str:
    """The export's text. Pure; accepts partial results. With ``memo`` (checkpoints and
    the final export), the text of each result is reused while the result is unchanged."""
    return _renderer(format)(results, memo)


# The formats whose texts of one result :func:`prerender` fills a memo with: their
# per-result texts are most of their cost, and rendering the rest of the document
# for one result is cheap (the HTML page around a section is not: it waits).
PRERENDERED: frozenset[ExportFormat] = frozenset({"json", "csv", "markdown"})


def prerender(specs: Sequence[ExportSpec], one: RunResults, memo: ResultMemo) -> None:
    """Render ``one`` (the RunResults of one just-finished result, added to ``memo``)
    in each format of ``specs`` that is in PRERENDERED, for what ``memo`` keeps: the
    result's texts, which later exports of the whole run then reuse. The texts of the
    documents themselves are thrown away."""
    for format in dict.fromkeys(spec.format for spec in specs):
        if format in PRERENDERED:
            render(format, one, memo)


class Exporter(Protocol):
    """One export format: a pure function from RunResults to text."""

    def __call__(self, results: RunResults, memo: ResultMemo | None = None) -> str: ...


# The registry: format -> the module whose ``render`` (or ``module:function``) is its
# :class:`Exporter`, imported on first use. A new format is one module and one line
# here (and in ExportFormat).
EXPORTERS: dict[ExportFormat, str] = {
    "json": "pbench.export.json",
    "csv": "pbench.export.csv",
    "markdown": "pbench.export.markdown",
    "html": "pbench.export.html",
    "junit": "pbench.export.junit",
    "github-benchmark": "pbench.export.github_benchmark",
    "github-benchmark-bigger": "pbench.export.github_benchmark:render_bigger",
    "bmf": "pbench.export.bmf",
}


def load_renderers(specs: Sequence[ExportSpec]) -> None:
    """Import the renderers of ``specs`` now (see :meth:`pbench.session.publish.Session.run`)."""
    for spec in specs:
        _renderer(spec.format)


def _renderer(format: ExportFormat) -> Exporter:
    module, _, function = EXPORTERS[format].partition(":")
    renderer: Exporter = getattr(importlib.import_module(module), function or "render")
    return renderer


def check_writable(specs: Sequence[ExportSpec]) -> None:
    """Fail fast, before measuring, on an export that could not be written."""
    formats_by_path: dict[Path, ExportFormat] = {}
    for spec in specs:
        if spec.to_stdout:
            continue
        try:
            probe_writable(spec.path)
            target = destination(spec.path)
        except OSError as exc:
            raise export_error(spec.path, exc, f"the {spec.format} export") from exc
        if target.stream:
            continue  # /dev/null twice is fine; a FIFO or pipe twice is the user's choice
        earlier = formats_by_path.setdefault(Path(target.path), spec.format)
        if earlier != spec.format:
            raise ExportError(
                f"two exports ({earlier} and {spec.format}) would both write '{spec.path}'",
                hint="give each export its own file",
            )


def rewritable(specs: Sequence[ExportSpec]) -> list[ExportSpec]:
    """The exports a checkpoint rewrites: files (and new paths, and symlinks to them).

    Standard output, devices, FIFOs and file descriptors can be written only once, so
    they get the final export alone.
    """
    files = []
    for spec in specs:
        if spec.to_stdout:
            continue
        try:
            if destination(spec.path).stream:
                continue
        except OSError:
            pass  # written like a file, where the error is reported
        files.append(spec)
    return files


def write_exports(
    specs: Sequence[ExportSpec], results: RunResults, memo: ResultMemo | None = None
) -> list[str]:
    """Write every export; return the texts of ``-`` exports, in order.

    Regular files (and new paths, and symlinks to them) are replaced atomically;
    devices, FIFOs and file descriptors are written straight into (checkpoints leave
    them out: see :func:`rewritable`). ``memo`` is passed on to :func:`render`.

    Every export that can be written is written even when another fails; then the
    first failure is raised as :class:`ExportError`.
    """
    texts: dict[ExportFormat, str] = {}
    to_print: list[str] = []
    failure: ExportError | None = None
    for spec in specs:
        try:
            target = None if spec.to_stdout else destination(spec.path)
            text = texts.get(spec.format)
            if text is None:
                text = texts[spec.format] = render(spec.format, results, memo)
            if target is None:
                to_print.append(text)
            elif target.stream:
                write_stream(target, text)
            else:
                write_atomic(Path(target.path), text)
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
        errno.ENOSPC: "no space is left there; free some space or choose another path",
        errno.EPIPE: "the reader at the other end of the pipe has gone; keep it reading",
    }
    target = f"{what} to '{path}'" if what else path
    return ExportError(
        f"cannot write {target}: {reason}", hint=hints.get(exc.errno or 0, "choose another path")
    )
