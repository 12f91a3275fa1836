"""Escaping user-supplied text for a terminal line, a CSV cell and a UTF-8 file."""

from __future__ import annotations

import json

import pytest

from pbench.results.escape import ESCAPE_ERRORS, csv_text, json_escaped, printable, unsurrogate


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("x\x1b]0;TITLE\x07", "x\\x1b]0;TITLE\\x07"),
        ("a\nb\tc\rd", "a\\nb\\tc\\rd"),
        ("bad\udcff", "bad\\xff"),  # the byte 0xff, as Python keeps it from argv
        ("lone\ud800", "lone\\ud800"),
        ("x\u2028y", "x\\u2028y"),
        ("plain \\x1b é ✓", "plain \\x1b é ✓"),  # printable text and backslashes as typed
    ],
)
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown
    assert printable(shown) == shown  # escaping twice changes nothing more


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=cmd|'/C calc'!A0", "'=cmd|'/C calc'!A0"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+2", "'+1+2"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\\t=1"),
        ("\r=1", "'\\r=1"),
        ("-5", "-5"),  # a plain number is not a formula
        ("+1.5e3", "+1.5e3"),
        ("sleep 0.1", "sleep 0.1"),
    ],
)
def test_csv_text(text: str, cell: str) -> None:
    assert csv_text(text) == cell


def test_json_escaped_keeps_valid_json_and_utf8() -> None:
    text = json_escaped(json.dumps({"n": "bad\udcff", "m": "\ud800é"}, ensure_ascii=False))
    text.encode("utf-8")  # no surrogate left
    assert json.loads(text) == {"n": "bad\\xff", "m": "\\ud800é"}
    assert unsurrogate("é\udcfe") == "é\\xfe"
    assert "a\udcff".encode("utf-8", ESCAPE_ERRORS) == b"a\\xff"
