"""The exports an invocation asks for, checked before anything is measured, and the
one way a single rendered text (a comparison, a report) is written: to stdout through
the :class:`~pbench.session.output.Output`, else atomically to its file.

The CLI names its export and webhook flags; this module turns them into checked
specs, so that ``cli/`` never reaches :mod:`pbench.export` or :mod:`pbench.notify`
itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from pbench.errors import UsageError

if TYPE_CHECKING:
    from pbench.export import ExportSpec
    from pbench.session.output import Output

__all__ = ["ExportSpec", "check_webhooks", "export_specs", "probe_export", "write_export"]


def export_specs(
    named: Iterable[tuple[str, str | None]], generic: Sequence[str]
) -> list[ExportSpec]:
    """The specs of ``named`` (format, path or None: not asked) and of the generic
    ``--export PATH`` values (format from the extension); at most one on stdout; each
    file checked writable (exit 2 before any work)."""
    from pbench.export import check_writable, parse_export_spec

    specs = [parse_export_spec(fmt, path) for fmt, path in named if path is not None]
    specs += [parse_export_spec(None, path) for path in generic]
    if sum(1 for s in specs if s.path == "-") > 1:
        raise UsageError("only one export can go to stdout ('-')", "write the others to files")
    check_writable(specs)
    return specs


def check_webhooks(urls: Iterable[str]) -> tuple[str, ...]:
    """Every webhook URL checked (a bad one: UsageError naming --notify)."""
    from pbench.notify.send import check_url

    return tuple(check_url(url) for url in urls)


def probe_export(path: str, what: str | None = None) -> None:
    """Fail before any work when ``path`` cannot be written (``what`` names the
    content in the message: "the report")."""
    from pbench.export import export_error
    from pbench.export.atomic import probe_writable

    try:
        probe_writable(path)
    except OSError as exc:
        raise export_error(path, exc, what) from None


def write_export(path: str | None, text: str, output: Output, what: str | None = None) -> None:
    """``text`` to stdout (``path`` None or '-'), else atomically to ``path``."""
    if path is None or path == "-":
        output.echo(text, nl=not text.endswith("\n"))
        return
    from pbench.export import export_error
    from pbench.export.atomic import write_to

    try:
        write_to(path, text)
    except OSError as exc:
        raise export_error(path, exc, what) from None
