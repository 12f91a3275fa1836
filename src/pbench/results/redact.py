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

from pbench.results.escape import unsurrogate

MASK = "***"
# HTTP headers whose values are secrets (``--redact-header NAME`` adds to these).
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "x-auth-token",
    }
)
# Query parameters whose names look like credentials (``--redact-param NAME`` adds names).
_SECRET_PARAM = re.compile(
    r"token|key|secret|passw|pwd|auth|signature|credential|session|jwt|^sig$", re.IGNORECASE
)
_extra_params: set[str] = set()
_extra_headers: set[str] = set()
# user:password@ inside any URL-like text, e.g. a DSN echoed back by a driver. The
# lookbehind makes a scheme start only where a scheme can start, so that a long run of
# letters is scanned once (linear time), not once per position.
_URL_CREDENTIALS = re.compile(
    r"(?<![a-z0-9+.-])(?P<scheme>[a-z0-9+.-]+://)(?P<user>[^:/@\s]*):[^/\s]*@", re.I
)
# ?name=value / &name=value inside a URL or a command line.
_QUERY_PARAM = re.compile(r"(?P<pre>[?&;](?P<name>[^=&#;?\s'\"]+)=)(?P<value>[^&#;\s'\"]*)")
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
# Not after ? & ; (a query parameter, :data:`_QUERY_PARAM`'s).
_ENV_SECRET = re.compile(
    r"(?<![?&;])\b(?P<key>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>'[^']*'|\"[^\"]*\"|\S+)"
)


def add_secret_names(*, params: Iterable[str] = (), headers: Iterable[str] = ()) -> None:
    """Also treat these query parameters (``--redact-param``) and headers
    (``--redact-header``) as secrets, for the rest of the process."""
    _extra_params.update(name.lower() for name in params)
    _extra_headers.update(name.lower() for name in headers)


def secret_param(name: str) -> bool:
    """Does a query parameter of this name hold a credential (token, api_key, sig...)?"""
    return _SECRET_PARAM.search(name) is not None or name.lower() in _extra_params


def secret_header(name: str) -> bool:
    """Does a header of this name hold a credential (Authorization, X-Api-Key...)?"""
    lowered = name.strip().lower()
    return lowered in SECRET_HEADERS or lowered in _extra_headers


def redact_query(text: str) -> str:
    """Mask the values of credential-like query parameters (``?token=***``)."""
    if "=" not in text:
        return text
    return _QUERY_PARAM.sub(
        lambda m: f"{m['pre']}{MASK}" if m["value"] and secret_param(m["name"]) else m[0], text
    )


def secret_name(name: str) -> bool:
    """Does an environment variable of this name hold a secret (PGPASSWORD, GH_TOKEN)?"""
    return _SECRET_NAME.search(name) is not None


def scrub(text: str) -> str:
    """Mask credentials that look like ``scheme://user:pw@`` or ``password=pw``."""
    if "://" in text:
        text = _URL_CREDENTIALS.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
    return _KEYWORD_SECRET.sub(lambda m: f"{m['key']}={MASK}", text)


def redact(text: str) -> str:
    """Mask credentials in URLs and DSNs, the values of secret-bearing headers, and
    ``NAME=value`` where NAME is a secret's variable (:func:`secret_name`), and the
    values of credential-like query parameters (:func:`secret_param`); undecodable
    bytes are escaped (:func:`~pbench.results.escape.unsurrogate`), so that the text can
    be stored and sent."""
    text = unsurrogate(text)
    if "=" not in text and ":" not in text:  # every pattern below needs one of them
        return text
    text = _HEADER_SECRET.sub(lambda m: f"{m['key']}{MASK}", redact_query(scrub(text)))
    if _extra_headers:
        text = _extra_header_pattern().sub(lambda m: f"{m['key']}{MASK}", text)
    return _ENV_SECRET.sub(lambda m: f"{m['key']}={MASK}" if secret_name(m["key"]) else m[0], text)


def _extra_header_pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(name) for name in sorted(_extra_headers))
    return re.compile(rf"(?P<key>\b(?:{names})\s*:\s*)(?P<value>[^'\"\n]+)", re.IGNORECASE)


def redact_url(url: str) -> str:
    """The URL with any user:password and credential-like query values replaced by
    ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact_query(re.sub(r"//[^/@]*@", f"//{MASK}@", url))
    query = redact_query("?" + parts.query)[1:] if parts.query else parts.query
    if "@" not in parts.netloc and query == parts.query:
        return url
    netloc = f"{MASK}@{parts.netloc.rsplit('@', 1)[1]}" if "@" in parts.netloc else parts.netloc
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def redact_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Headers with the values of credential headers (:func:`secret_header`) masked."""
    return [(k, MASK if secret_header(k) else v) for k, v in headers]
