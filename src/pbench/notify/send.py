"""POST a payload to webhooks: a timeout, retries, and an outcome instead of an error.

The standard library's urllib is enough for one small POST per run (no dependency,
and nothing heavy to import): pbench's own HTTP client is built for load, not for this.
Proxies in ``https_proxy``/``http_proxy`` (and ``no_proxy``) are honoured, as CI
runners often need; redirects are not followed (the payload goes where it was sent,
or nowhere).

Retried, after 0.5 s then 1 s: connection errors, timeouts and 5xx answers. Not
retried: 3xx and 4xx answers (the request itself is wrong: a revoked hook, a bad
URL). A webhook URL's path is often its secret (Slack's ``/services/T…/B…/…``): what
pbench shows of it is ``scheme://host[:port]`` only.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from pbench import __version__
from pbench.errors import UsageError
from pbench.notify.events import Event
from pbench.notify.payload import build_payload

TIMEOUT_S = 5.0
BACKOFF_S = (0.5, 1.0)  # the waits before the 2nd and the 3rd attempt
_EXAMPLE = "give the webhook's full URL, e.g. https://hooks.slack.com/services/..."


def shown_url(url: str) -> str:
    """``https://hooks.slack.com`` of a webhook URL: never its path, query or user."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(an invalid URL)"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}{port}"


def check_url(url: str) -> str:
    """``url`` when it is an http(s) URL with a host; UsageError (exit 2) otherwise,
    without echoing the URL's path (it may be the hook's secret)."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (a bad port raises ValueError here)
    except ValueError:
        raise UsageError("--notify: not a valid URL", _EXAMPLE) from None
    if parts.scheme not in ("http", "https"):
        got = f"{parts.scheme}://" if parts.scheme else "no scheme"
        raise UsageError(f"--notify: only http:// and https:// URLs are supported (got {got})",
                         _EXAMPLE)  # fmt: skip
    if not parts.hostname:
        raise UsageError("--notify: the URL has no host", _EXAMPLE)
    return url.strip()


def split_userinfo(url: str) -> tuple[str, str | None]:
    """(the URL without ``user:password@``, the ``Authorization: Basic`` value it makes
    or None): urllib would take the userinfo for part of the host name."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, host = parts.netloc.rsplit("@", 1)
    user, _, password = userinfo.partition(":")
    token = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode()
    return urlunsplit(parts._replace(netloc=host)), f"Basic {token}"


@dataclass(frozen=True)
class Delivery:
    """What became of one POST: ``status`` is the last HTTP status (None when no answer
    came), ``error`` why it was not delivered."""

    url: str  # as shown: scheme://host[:port]
    delivered: bool
    attempts: int
    status: int | None = None
    error: str | None = None

    def warning(self) -> str:
        tries = f" after {self.attempts} attempts" if self.attempts > 1 else ""
        return f"notification to {self.url} failed{tries}: {self.error}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx status


def post(
    url: str,
    payload: Mapping[str, Any],
    timeout: float = TIMEOUT_S,
    backoff: Sequence[float] = BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """POST ``payload`` as JSON to ``url``: 1 + len(backoff) attempts at most; never
    raises (but for KeyboardInterrupt)."""
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json", "User-Agent": f"pbench/{__version__}"}
    opener = urllib.request.build_opener(_NoRedirect)
    shown = shown_url(url)
    url, authorization = split_userinfo(url)
    if authorization is not None:
        headers["Authorization"] = authorization
    attempt = 0
    while True:
        attempt += 1
        status, error, retry = _attempt(opener, url, body, headers, timeout)
        if error is None:
            return Delivery(shown, True, attempt, status)
        if not retry or attempt > len(backoff):
            return Delivery(shown, False, attempt, status, error)
        sleep(backoff[attempt - 1])


def _attempt(
    opener: urllib.request.OpenerDirector,
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    timeout: float,
) -> tuple[int | None, str | None, bool]:
    """One POST: (status, error or None, worth retrying)."""
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read(65536)
            return response.status, None, False
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, f"HTTP {exc.code} {exc.reason}".rstrip(), exc.code >= 500
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return None, f"no answer within {timeout:g} s", True
        return None, str(getattr(reason, "strerror", None) or reason), True
    except TimeoutError:
        return None, f"no answer within {timeout:g} s", True
    except OSError as exc:  # reset, closed without an answer (RemoteDisconnected), ...
        return None, exc.strerror or type(exc).__name__, True
    except Exception as exc:  # a malformed answer: never let a hook break the run
        return None, f"{type(exc).__name__}: {exc}", False


def notify(
    urls: Sequence[str],
    events: Sequence[Event],
    metadata: Mapping[str, Any],
    timeout: float = TIMEOUT_S,
) -> list[Delivery]:
    """Send one payload for ``events`` to each URL (nothing when there are no events)."""
    if not events:
        return []
    payload = build_payload(events, metadata)
    return [post(url, payload, timeout) for url in urls]
