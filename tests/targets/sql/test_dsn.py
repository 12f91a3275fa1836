"""DSN parsing, connection arguments and redaction."""

from __future__ import annotations

import pytest

from pbench.errors import ExitCode, UsageError
from pbench.results.redact import scrub
from pbench.targets.sql.dsn import PostgresDsn, SqliteDsn, parse_dsn


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("sqlite://", ":memory:"),
        ("sqlite:///:memory:", ":memory:"),
        ("sqlite:///data/bench.db", "data/bench.db"),
        ("sqlite:////tmp/bench.db", "/tmp/bench.db"),
        ("SQLITE:///a%20b.db", "a b.db"),
    ],
)
def test_sqlite_paths_follow_sqlalchemy(text: str, path: str) -> None:
    dsn = parse_dsn(text)
    assert dsn == SqliteDsn(path)


def test_postgres_url_becomes_libpq_keywords() -> None:
    dsn = parse_dsn("postgresql://bob:s%40cret@127.0.0.1:5433/app?sslmode=disable")
    assert isinstance(dsn, PostgresDsn)
    assert dsn.connect_kwargs() == {
        "host": "127.0.0.1",
        "port": "5433",
        "user": "bob",
        "password": "s@cret",
        "dbname": "app",
        "sslmode": "disable",
    }
    assert dsn.redacted() == "postgresql://bob:***@127.0.0.1:5433/app?sslmode=disable"
    assert "s@cret" not in repr(dsn)


def test_postgres_socket_and_query_password() -> None:
    dsn = parse_dsn("postgres:///db?host=/run/pg&user=al&password=zz9")
    assert isinstance(dsn, PostgresDsn)
    assert dsn.host == "/run/pg" and dsn.user == "al" and dsn.password == "zz9"
    assert dsn.redacted() == "postgresql://al:***@/db?host=/run/pg"
    assert parse_dsn("postgresql://[::1]:6000/x").redacted() == "postgresql://[::1]:6000/x"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("nonsense", "is not a database URL"),
        ("mysql://u:pw@h/d", "unsupported scheme"),
        ("sqlite:/x.db", "is not a database URL"),
        ("sqlite://x.db", "three slashes"),
        ("sqlite:///x.db?mode=ro", "no query string"),
        ("sqlite:///dir/", "names a folder"),
        ("postgresql://u:pw@h:99999/d", "Port out of range"),
        ("postgresql://u:pw@h:port/d", "Port could not be cast"),
        ("postgresql://h/a/b", "is not a database name"),
        ("postgresql://h/d?port=x1", "is not a port"),
        ("postgresql://h/d#frag", "no '#' part"),
    ],
)
def test_bad_dsn_is_a_usage_error(text: str, fragment: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_dsn(text)
    assert info.value.exit_code == ExitCode.USAGE
    assert fragment in info.value.message
    assert info.value.hint
    assert "pw" not in info.value.render()


def test_scrub_masks_urls_and_keywords() -> None:
    text = "failed: postgresql://bob:p@ss@host/db and password=hunter2 sslpassword='a b'"
    assert scrub(text) == "failed: postgresql://bob:***@host/db and password=*** sslpassword=***"


def test_dsn_scrub_masks_raw_and_encoded_password() -> None:
    dsn = parse_dsn("postgresql://u:a%2Fb%20c@h/d")
    assert isinstance(dsn, PostgresDsn)
    assert dsn.password == "a/b c"
    assert dsn.scrub("server said a/b c and a%2Fb%20c") == "server said *** and ***"
