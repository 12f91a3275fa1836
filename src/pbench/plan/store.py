"""Where history is saved and read: ``--store URL``, else ``$PBENCH_STORE``, else
``.pbench/history.db`` under the git top level (the working folder outside git).

A store is named like a ``--db``: ``sqlite:///rel.db``, ``sqlite:////abs.db``,
``postgresql://user:password@host:port/dbname?key=value``, or a plain file path
(SQLite). DSNs are parsed by :mod:`pbench.targets.sql.dsn`, so a password is masked
the same way everywhere (:attr:`StoreAddress.shown`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pbench.errors import UsageError
from pbench.history.store import StoreAddress
from pbench.results.redact import scrub

ENV = "PBENCH_STORE"
DEFAULT_FOLDER = ".pbench"
DEFAULT_FILE = "history.db"
STORE_HINT = (
    "give a file path, sqlite:///relative.db, sqlite:////absolute.db or "
    "postgresql://user:password@host:port/dbname"
)


@dataclass(frozen=True, kw_only=True)
class StoreFlags:
    """``--save``, ``--store``, ``--save-baseline``, ``--baseline`` and ``--any-machine``
    (run, http, sql, suite); ``--store`` and ``--save-baseline`` imply saving,
    ``--baseline`` reads the same store (:mod:`pbench.history.refs`)."""

    save: bool
    store: str | None
    save_baseline: str | None = None
    baseline: str | None = None
    any_machine: bool = False

    @property
    def saving(self) -> bool:
        return self.save or self.store is not None or self.save_baseline is not None


def store_address(
    text: str | None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    option: str = "--store",
) -> StoreAddress:
    """The store ``text`` names (None: ``$PBENCH_STORE``, else the default); relative
    paths are taken from ``cwd`` (default: the working folder). UsageError (exit 2)
    for an address that is not one."""
    env = os.environ if environ is None else environ
    folder = cwd or Path.cwd()
    if text is None and env.get(ENV):
        text, option = env[ENV], ENV
    if text is None:
        path = default_path(folder)
        return StoreAddress("sqlite", f"sqlite:///{path}", path=str(path), create_folder=True)
    if not text.strip():
        raise UsageError(f"{option}: the store address is empty", STORE_HINT)
    if "://" not in text:
        return _sqlite(folder / text)
    from pbench.targets.sql.dsn import PostgresDsn, parse_dsn

    try:
        dsn = parse_dsn(text)
    except UsageError as exc:
        raise UsageError(exc.message.replace("--db", option, 1), STORE_HINT) from None
    if isinstance(dsn, PostgresDsn):
        return StoreAddress(
            "postgresql", dsn.redacted(), connect=dsn.connect_kwargs(), scrub=dsn.scrub
        )
    if dsn.in_memory:
        raise UsageError(f"{option}: an in-memory database keeps nothing", STORE_HINT)
    return _sqlite(folder / dsn.path)


def _sqlite(path: Path) -> StoreAddress:
    resolved = path.absolute()
    if resolved.is_dir():
        raise UsageError(f"--store {scrub(str(path))!r} is a folder", "name a file in it")
    return StoreAddress("sqlite", f"sqlite:///{resolved}", path=str(resolved))


def default_path(cwd: Path) -> Path:
    """``.pbench/history.db`` under the git top level of ``cwd`` (``cwd`` outside git)."""
    from pbench.results.metadata import git_toplevel

    top = git_toplevel(cwd)
    return (Path(top) if top else cwd).absolute() / DEFAULT_FOLDER / DEFAULT_FILE
