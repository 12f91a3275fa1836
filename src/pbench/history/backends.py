"""The registry of store backends: a store address's scheme -> how to open it."""

from __future__ import annotations

from collections.abc import Callable

from pbench.history.store import Scheme, Store, StoreAddress


def _sqlite(address: StoreAddress, create: bool) -> Store:
    from pbench.history.sqlite import SqliteStore

    return SqliteStore(address, create=create, read_only=not create)


def _postgres(address: StoreAddress, create: bool) -> Store:
    from pbench.history.postgres import PostgresStore

    return PostgresStore(address)


BACKENDS: dict[Scheme, Callable[[StoreAddress, bool], Store]] = {
    "sqlite": _sqlite,
    "postgresql": _postgres,
}


def open_store(address: StoreAddress, *, create: bool = True) -> Store:
    """The store at ``address``, its schema created or upgraded. ``create=False``, to
    read: an SQLite file that does not exist is a StoreError rather than a new store,
    and the file is opened read-only (a store without write access can be read)."""
    return BACKENDS[address.scheme](address, create)
