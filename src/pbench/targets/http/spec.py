"""HTTP endpoints as targets: what to send, parsed and checked once, secrets redacted.

:class:`HttpRequestSpec` is the frozen description of one benchmark's request: it
validates the URL (UsageError, exit 2, for anything but an http/https URL with a
host), pre-encodes the request bytes once, and knows how to show itself without
secrets: credentials in the URL and the values of Authorization,
Proxy-Authorization and Cookie headers are replaced by ``***`` in every display,
export and error message.

The load itself is driven by :mod:`pbench.targets.http.worker` (asyncio clients on
uvloop when installed) and recorded by :mod:`pbench.load`.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from pbench.errors import UsageError, shorten
from pbench.results.redact import MASK as REDACTED
from pbench.results.redact import redact_headers, redact_url, secret_header

_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_STATUS_RANGE = re.compile(r"^([1-5])xx$", re.IGNORECASE)


def parse_header(text: str) -> tuple[str, str]:
    """``"Name: value"`` → (name, value); UsageError for anything else."""
    name, sep, value = text.partition(":")
    name = name.strip()
    if not sep or not _TOKEN.match(name) or "\r" in value or "\n" in value:
        first = re.split(r"[\s:]", text.strip(), maxsplit=1)[0]
        shown = f"{first} {REDACTED}" if secret_header(first) else shorten(text)
        raise UsageError(
            f"invalid header {shown!r} for -H/--header", "write headers as 'Name: value'"
        )
    return name, value.strip()


def parse_expect_status(texts: Sequence[str]) -> frozenset[int] | None:
    """``--expect-status 200,204 --expect-status 3xx`` → the accepted codes.

    None means the default: any 2xx.
    """
    codes: set[int] = set()
    for text in texts:
        for item in filter(None, (part.strip() for part in text.split(","))):
            if match := _STATUS_RANGE.match(item):
                base = int(match.group(1)) * 100
                codes.update(range(base, base + 100))
            elif item.isdigit() and 100 <= int(item) <= 599:
                codes.add(int(item))
            else:
                raise UsageError(
                    f"invalid status {item!r} for --expect-status",
                    "give codes like 200 or 204,304 or ranges like 2xx",
                )
    return frozenset(codes) if codes else None


@dataclass(frozen=True)
class HttpRequestSpec:
    """One benchmark's request, ready to send many times."""

    url: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    timeout_s: float = 30.0
    keepalive: bool = True
    insecure: bool = False
    expect_status: frozenset[int] | None = None

    def __post_init__(self) -> None:
        self.parts()  # validate early: UsageError for a bad URL
        if not _TOKEN.match(self.method):
            raise UsageError(f"invalid HTTP method {self.method!r}", "use e.g. -X POST")
        if self.timeout_s <= 0:
            raise UsageError("--timeout must be positive", "e.g. --timeout 5s")

    def parts(self) -> tuple[str, str, int, str, str | None]:
        """(scheme, host, port, request target, userinfo or None)."""
        shown = shorten(redact_url(self.url))
        try:
            parts = urlsplit(self.url)
            port = parts.port
        except ValueError as exc:
            raise UsageError(
                f"invalid URL {shown!r}: {exc}", "write it like http://127.0.0.1:8080/path"
            ) from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(
                f"invalid URL {shown!r}: expected http:// or https:// and a host",
                "write it like http://127.0.0.1:8080/path",
            )
        if any(c.isspace() for c in self.url):
            raise UsageError(f"invalid URL {shown!r}: it contains whitespace", "percent-encode it")
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        userinfo = parts.netloc.rsplit("@", 1)[0] if "@" in parts.netloc else None
        default_port = 443 if scheme == "https" else 80
        return scheme, parts.hostname, port or default_port, target, userinfo

    @property
    def tls(self) -> bool:
        return self.parts()[0] == "https"

    def expects(self, status: int) -> bool:
        if self.expect_status is None:
            return 200 <= status < 300
        return status in self.expect_status

    def request_bytes(self) -> bytes:
        """The complete HTTP/1.1 request, encoded once."""
        scheme, host, port, target, userinfo = self.parts()
        default_port = 443 if scheme == "https" else 80
        host_header = f"[{host}]" if ":" in host else host
        if port != default_port:
            host_header += f":{port}"
        given = {name.lower() for name, _ in self.headers}
        lines = [f"{self.method} {target} HTTP/1.1"]
        if "host" not in given:
            lines.append(f"Host: {host_header}")
        if userinfo is not None and "authorization" not in given:
            token = base64.b64encode(unquote(userinfo).encode()).decode()
            lines.append(f"Authorization: Basic {token}")
        if "user-agent" not in given:
            lines.append("User-Agent: pbench")
        if not self.keepalive and "connection" not in given:
            lines.append("Connection: close")
        if (self.body or self.method in ("POST", "PUT", "PATCH")) and "content-length" not in given:
            lines.append(f"Content-Length: {len(self.body)}")
        lines.extend(f"{name}: {value}" for name, value in self.headers)
        head = "\r\n".join(lines) + "\r\n\r\n"
        return head.encode("latin-1") + self.body

    def display(self) -> str:
        """``METHOD URL`` with credentials redacted: the benchmark's command text."""
        return f"{self.method} {redact_url(self.url)}"

    def info(self) -> Mapping[str, Any]:
        """The choices that shaped the measurement, for the JSON export (redacted)."""
        return {
            "kind": "http",
            "url": redact_url(self.url),
            "method": self.method,
            "headers": [f"{k}: {v}" for k, v in redact_headers(self.headers)],
            "body_bytes": len(self.body),
            "timeout_s": self.timeout_s,
            "keepalive": self.keepalive,
            "insecure": self.insecure,
            "expect_status": sorted(self.expect_status) if self.expect_status else "2xx",
        }
