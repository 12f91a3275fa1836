"""User-supplied text made safe for where it goes: one terminal line, a CSV cell.

Names, commands and parameter values come from the user (or from a file someone sent):
they may hold control characters and escape sequences (``\\x1b]0;TITLE\\a`` retitles a
terminal), bytes that are not UTF-8 (kept by Python as lone surrogates, U+DC80-U+DCFF),
or, in a CSV, a leading ``=`` that a spreadsheet runs as a formula.
"""

from __future__ import annotations

import codecs
import re

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What a spreadsheet reads as the start of a formula (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _escaped(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Text safe for one terminal line and any UTF-8 file: control characters, escape
    sequences and undecodable bytes escaped once (a newline shows as ``\\n``, ESC as
    ``\\x1b``, the byte 0xff as ``\\xff``); everything else, backslashes included, as
    typed."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escaped(ch) for ch in text)


def csv_text(text: str) -> str:
    """A CSV cell that a spreadsheet shows and never runs: :func:`printable`, and a
    leading ``=``, ``+``, ``-``, ``@``, tab or carriage return prefixed with a single
    quote (OWASP's advice), but for a plain number such as ``-5``. Newlines stay (a
    multi-line command is one quoted cell)."""
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        text = "'" + text
    return "\n".join(map(printable, text.split("\n")))


def unsurrogate(text: str) -> str:
    """Text with lone surrogates (undecodable bytes) as :func:`printable`'s escapes and
    nothing else changed: what can be encoded as UTF-8 (a store, a payload)."""
    if text.isascii():
        return text
    return _SURROGATE.sub(lambda m: _escaped(m[0]), text)


def json_escaped(json_text: str) -> str:
    """JSON text with lone surrogates (undecodable bytes, a ``"\\ud800"`` read from a
    file) written as the visible escapes of :func:`printable` inside the string, so the
    file is valid UTF-8 and valid JSON. A surrogate can only be inside a JSON string,
    so the replacement is safe anywhere in the text."""
    if json_text.isascii():
        return json_text
    return _SURROGATE.sub(lambda m: "\\" + _escaped(m[0]), json_text)


def _escape_errors(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(map(_escaped, bad)), exc.end


# text.encode("utf-8", ESCAPE_ERRORS): what cannot be encoded, written as printable's
# escapes (``\xff``) instead of a UnicodeEncodeError.
ESCAPE_ERRORS = "pbench-escape"
codecs.register_error(ESCAPE_ERRORS, _escape_errors)
