"""Database addresses (``--db``): parsing, connection arguments, and redaction.

Two schemes are understood, following SQLAlchemy's spelling for SQLite:

- ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db``,
  ``sqlite:///:memory:`` (also ``sqlite://``): the standard library's sqlite3;
- ``postgresql://user:password@host:port/dbname?key=value`` (``postgres://`` too):
  psycopg 3, with the query keys passed on as libpq parameters (``sslmode``,
  ``application_name``, ``host=/socket/dir``, ...).

A password never leaves this module in text form except inside
:meth:`PostgresDsn.connect_kwargs`; :meth:`redacted` and
:func:`pbench.results.redact.scrub` are what every message, report and export uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from pbench.errors import UsageError
from pbench.results.redact import MASK, scrub

MEMORY = ":memory:"
DSN_HINT = (
    "use sqlite:///path.db (relative), sqlite:////abs/path.db, sqlite:///:memory: "
    "or postgresql://user:password@host:port/dbname"
)
# libpq parameters that hold secrets, wherever they appear (query string, conninfo).
_SECRET_KEYS = frozenset({"password", "sslpassword"})


@dataclass(frozen=True, slots=True)
class SqliteDsn:
    """An SQLite database: a file path (relative to the working folder) or memory."""

    path: str

    @property
    def in_memory(self) -> bool:
        return self.path == MEMORY

    @property
    def scheme(self) -> str:
        return "sqlite"

    def redacted(self) -> str:
        return f"sqlite:///{self.path}"

    def scrub(self, text: str) -> str:
        return scrub(text)


@dataclass(frozen=True, slots=True)
class PostgresDsn:
    """A PostgreSQL server and database; ``options`` are extra libpq parameters."""

    host: str | None = None
    port: int | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    dbname: str | None = None
    options: tuple[tuple[str, str], ...] = ()

    @property
    def scheme(self) -> str:
        return "postgresql"

    def connect_kwargs(self) -> dict[str, str]:
        """Keyword arguments for ``psycopg.connect`` (the only place holding the password)."""
        kwargs: dict[str, str] = dict(self.options)
        for key, value in (
            ("host", self.host),
            ("port", None if self.port is None else str(self.port)),
            ("user", self.user),
            ("password", self.password),
            ("dbname", self.dbname),
        ):
            if value is not None:
                kwargs[key] = value
        return kwargs

    def redacted(self) -> str:
        netloc = ""
        if self.user is not None:
            netloc = quote(self.user, safe="")
            if self.password is not None:
                netloc += f":{MASK}"
            netloc += "@"
        if self.host is not None and not self.host.startswith("/"):
            netloc += f"[{self.host}]" if ":" in self.host else self.host
        if self.port is not None:
            netloc += f":{self.port}"
        text = f"postgresql://{netloc}/{quote(self.dbname or '', safe='')}"
        query = [(k, v) for k, v in self.options if k not in _SECRET_KEYS]
        if self.host is not None and self.host.startswith("/"):
            query.insert(0, ("host", self.host))
        if query:
            text += "?" + "&".join(f"{k}={quote(v, safe='/')}" for k, v in query)
        return text

    def scrub(self, text: str) -> str:
        """``text`` with this DSN's secrets (raw and percent-encoded) masked."""
        secrets = [self.password] if self.password else []
        secrets += [v for k, v in self.options if k in _SECRET_KEYS and v]
        for secret in secrets:
            for form in {secret, quote(secret, safe=""), quote(secret)}:
                text = text.replace(form, MASK)
        return scrub(text)


Dsn = SqliteDsn | PostgresDsn


def parse_dsn(text: str) -> Dsn:
    """Parse ``--db``; a malformed address is a :class:`UsageError` (exit 2)."""
    scheme, sep, rest = text.partition("://")
    scheme = scheme.lower()
    if not sep:
        raise UsageError(f"--db {scrub(text)!r} is not a database URL", DSN_HINT)
    if scheme == "sqlite":
        return _parse_sqlite(rest, text)
    if scheme in ("postgresql", "postgres"):
        return _parse_postgres(text)
    raise UsageError(
        f"--db: unsupported scheme {scheme + '://'!r} in {scrub(text)!r}",
        DSN_HINT,
    )


def _parse_sqlite(rest: str, text: str) -> SqliteDsn:
    if rest in ("", "/"):
        return SqliteDsn(MEMORY)
    if not rest.startswith("/"):
        raise UsageError(
            f"--db {text!r}: an SQLite URL has three slashes before the path",
            "sqlite:///relative.db, sqlite:////absolute/path.db or sqlite:///:memory:",
        )
    path = rest[1:]
    if "?" in path or "#" in path:
        raise UsageError(
            f"--db {text!r}: SQLite URLs take no query string",
            "name the file only, e.g. sqlite:///data.db",
        )
    path = unquote(path)
    if path == MEMORY:
        return SqliteDsn(MEMORY)
    if path.endswith("/"):
        raise UsageError(f"--db {text!r}: the path names a folder, not a file", DSN_HINT)
    return SqliteDsn(path)


def _parse_postgres(text: str) -> PostgresDsn:
    shown = scrub(text)
    try:
        parts = urlsplit(text)
        hostname = parts.hostname
        port = parts.port
    except ValueError as exc:
        raise UsageError(f"--db {shown!r}: {scrub(str(exc))}", DSN_HINT) from None
    if parts.fragment:
        raise UsageError(f"--db {shown!r}: a database URL has no '#' part", DSN_HINT)
    dbname = unquote(parts.path[1:]) if parts.path.startswith("/") else ""
    if "/" in dbname:
        raise UsageError(
            f"--db {shown!r}: {dbname!r} is not a database name",
            "the path holds only the database, e.g. postgresql://host:5432/mydb",
        )
    try:
        query = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        raise UsageError(
            f"--db {shown!r}: malformed query string", "use ?key=value&key2=value2"
        ) from None
    options: dict[str, str] = {}
    for key, value in query:
        options[key] = value
    host = options.pop("host", None) or (unquote(hostname) if hostname else None)
    if "port" in options:
        port_text = options.pop("port")
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise UsageError(f"--db {shown!r}: port {port_text!r} is not a port", DSN_HINT)
        port = int(port_text)
    user = unquote(parts.username) if parts.username else options.pop("user", None)
    password = unquote(parts.password) if parts.password is not None else None
    if "password" in options:
        password = options.pop("password")
    dbname = dbname or options.pop("dbname", "") or ""
    return PostgresDsn(
        host=host,
        port=port,
        user=user,
        password=password,
        dbname=dbname or None,
        options=tuple(sorted(options.items())),
    )
