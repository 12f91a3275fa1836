"""The one place where a store's name becomes an address: ``--store URL``, a suite
file's ``[history] store`` (relative to the file's folder), else ``$PBENCH_STORE``,
else the default (:func:`pbench.plan.store.store_address`); and the store opened for
reading (``history``, ``trend``, ``report --history``, ``compare --baseline``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pbench.history.store import Store, StoreAddress


def named(
    text: str | None, relative_to: Path | None = None, option: str = "--store"
) -> StoreAddress:
    """The store ``text`` names (None: ``$PBENCH_STORE``, else the default); relative
    paths from ``relative_to`` (default: the working folder), a bad address named by
    ``option`` (UsageError, exit 2)."""
    from pbench.plan.store import store_address

    return store_address(text, cwd=relative_to, option=option)


@contextmanager
def reading(text: str | None) -> Iterator[tuple[Store, StoreAddress]]:
    """The store ``text`` names, opened to read (a missing SQLite file is a
    StoreError, not a new store), and its address."""
    from pbench.history.backends import open_store

    address = named(text)
    with open_store(address, create=False) as store:
        yield store, address
