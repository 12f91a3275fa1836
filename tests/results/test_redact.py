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


def test_a_secret_in_a_command_line_reaches_no_output(tmp_path: object) -> None:
    import json
    from pathlib import Path

    from support.cli import run_pbench

    out = Path(str(tmp_path)) / "r.json"
    result = run_pbench(
        "-r", "3", "--style", "basic", "--export-json", str(out), "--budget", "median:1ms",
        "PGPASSWORD=hunter2 sleep 0.01",
    )  # fmt: skip
    assert result.code == 4, result.err
    assert "hunter2" not in result.out + result.err + out.read_text()
    assert json.loads(out.read_text())["results"][0]["command"] == f"PGPASSWORD={MASK} sleep 0.01"
    result = run_pbench("-N", "-r", "1", "PGPASSWORD=hunter2 sleep 0.01")
    assert result.code == 1 and "hunter2" not in result.err
