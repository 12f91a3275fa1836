"""Redaction: what a secret looks like, and that nothing else is touched."""

from __future__ import annotations

import pytest

from pbench.results.redact import MASK, redact, secret_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postgresql://me:pw@127.0.0.1/db", f"postgresql://me:{MASK}@127.0.0.1/db"),
        ("host=x password=pw", f"host=x password={MASK}"),
        ("curl -H 'Authorization: Bearer abc' u", f"curl -H 'Authorization: {MASK}' u"),
        ("PGPASSWORD=hunter2 psql", f"PGPASSWORD={MASK} psql"),
        ("GH_TOKEN='a b' gh api", f"GH_TOKEN={MASK} gh api"),
        ("MODE=fast LANG=C sort", "MODE=fast LANG=C sort"),  # not secrets
        ("xz -9 --threads=2 big.tar", "xz -9 --threads=2 big.tar"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_secret_names() -> None:
    assert all(map(secret_name, ["PGPASSWORD", "API_KEY", "apikey", "AWS_SECRET_ACCESS_KEY"]))
    assert not any(map(secret_name, ["PATH", "MODE", "HOME", "LANG", "PORT"]))
