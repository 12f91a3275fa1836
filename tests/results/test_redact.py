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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("curl 'http://h/api?token=SECRET&page=2'", f"curl 'http://h/api?token={MASK}&page=2'"),
        ("http://h/?api_key=a&sig=b&q=c", f"http://h/?api_key={MASK}&sig={MASK}&q=c"),
        ("http://h/?X-Amz-Signature=abc", f"http://h/?X-Amz-Signature={MASK}"),
        ("http://h/?page=2&sort=name", "http://h/?page=2&sort=name"),
        ("curl -H 'X-Api-Key: abc' u", f"curl -H 'X-Api-Key: {MASK}' u"),
    ],
)
def test_query_parameters_and_headers(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_redact_url_masks_userinfo_and_query_but_keeps_the_rest() -> None:
    from pbench.results.redact import redact_url

    assert (
        redact_url("http://u:p@h:8/a?password=x&b=1") == f"http://{MASK}@h:8/a?password={MASK}&b=1"
    )
    assert redact_url("http://h/a?b=1") == "http://h/a?b=1"


def test_user_added_names(monkeypatch: pytest.MonkeyPatch) -> None:
    from pbench.results import redact as module

    monkeypatch.setattr(module, "_extra_params", set())
    monkeypatch.setattr(module, "_extra_headers", set())
    module.add_secret_names(params=["ticket"], headers=["X-Mine"])
    assert redact("http://h/?ticket=abc&n=1") == f"http://h/?ticket={MASK}&n=1"
    assert redact("curl -H 'x-mine: abc'") == f"curl -H 'x-mine: {MASK}'"
    assert module.redact_headers([("X-Mine", "v"), ("Accept", "a")]) == [
        ("X-Mine", MASK),
        ("Accept", "a"),
    ]


@pytest.mark.parametrize(
    "text",
    ["a" * 200_000, "a://" + ":" * 200_000, "http://x:" * 20_000, "?a" * 100_000, "&=" * 100_000],
)
def test_redaction_is_linear(text: str) -> None:
    # 200k characters: a quadratic pattern takes minutes; a linear one, milliseconds.
    # The bound is 100x what it needs on a busy machine, and 1000x under quadratic time.
    import time

    started = time.process_time()
    redact(text)
    assert time.process_time() - started < 2.0
