"""Redaction, the one place: what a secret looks like in a URL, a DSN, a header or a
command line, and the mask that replaces it.

Everything pbench shows or writes (terminal, errors, exports, commands read back from
hyperfine files) passes through these functions first: targets redact what they
describe (:func:`redact_url`, :func:`redact_headers`, DSNs through :func:`scrub`), and
the reader of result files masks what other tools may have left in (:func:`redact`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

MASK = "***"
# HTTP headers whose values are secrets.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
# user:password@ inside any URL-like text, e.g. a DSN echoed back by a driver.
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):[^/\s]*@", re.I)
# password=secret inside conninfo-like text.
_KEYWORD_SECRET = re.compile(r"\b(?P<key>(?:ssl)?password)\s*=\s*(?:'(?:[^'\\]|\\.)*'|\S+)", re.I)
# "Authorization: ..." and friends inside a command line (curl -H, wrk -H, ...).
_HEADER_SECRET = re.compile(
    r"(?P<key>\b(?:authorization|proxy-authorization|cookie|x-api-key)\s*:\s*)"
    r"(?P<value>[^'\"\n]+)",
    re.IGNORECASE,
)

# Environment variables whose values are secrets, by name (PGPASSWORD, API_TOKEN, ...).
_SECRET_NAME = re.compile(
    r"PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH", re.IGNORECASE
)
# NAME=value where NAME is such a variable (--env PGPASSWORD=x, "TOKEN=x cmd").
_ENV_SECRET = re.compile(r"\b(?P<key>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>'[^']*'|\"[^\"]*\"|\S+)")


def secret_name(name: str) -> bool:
    """Does an environment variable of this name hold a secret (PGPASSWORD, GH_TOKEN)?"""
    return _SECRET_NAME.search(name) is not None


def scrub(text: str) -> str:
    """Mask credentials that look like ``scheme://user:pw@`` or ``password=pw``."""
    text = _URL_CREDENTIALS.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
    return _KEYWORD_SECRET.sub(lambda m: f"{m['key']}={MASK}", text)


def redact(text: str) -> str:
    """Mask credentials in URLs and DSNs, the values of secret-bearing headers, and
    ``NAME=value`` where NAME is a secret's variable (:func:`secret_name`)."""
    text = _HEADER_SECRET.sub(lambda m: f"{m['key']}{MASK}", scrub(text))
    return _ENV_SECRET.sub(lambda m: f"{m['key']}={MASK}" if secret_name(m["key"]) else m[0], text)


def redact_url(url: str) -> str:
    """The URL with any user:password replaced by ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r"//[^/@]*@", f"//{MASK}@", url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{MASK}@{host}"))


def redact_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Headers with the values of :data:`SECRET_HEADERS` masked."""
    return [(k, MASK if k.lower() in SECRET_HEADERS else v) for k, v in headers]
