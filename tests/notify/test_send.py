"""post() against a real HTTP server on 127.0.0.1: delivered, retried on 5xx until
delivered, not retried on 4xx or a redirect, a timeout and a refused connection
reported (never raised) in bounded time; URLs checked and shown without their path."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from pbench.errors import UsageError
from pbench.notify.send import check_url, post, shown_url
from support.httpserver import HttpTestServer

PAYLOAD = {"text": "hello", "events": []}


@pytest.fixture
def hook(server: HttpTestServer) -> Iterator[HttpTestServer]:
    server.reset_counts()
    yield server


def test_delivered_once_as_json(hook: HttpTestServer) -> None:
    waits: list[float] = []
    delivery = post(f"{hook.base_url}/echo?token=abc", PAYLOAD, sleep=waits.append)
    assert (delivery.delivered, delivery.attempts, delivery.status) == (True, 1, 200)
    assert delivery.url == hook.base_url and waits == []
    ((path, body),) = hook.posts
    assert path == "/echo?token=abc" and json.loads(body) == PAYLOAD


def test_500_then_success_is_retried_with_backoff(hook: HttpTestServer) -> None:
    waits: list[float] = []
    delivery = post(f"{hook.base_url}/fail-first?n=2", PAYLOAD, sleep=waits.append)
    assert (delivery.delivered, delivery.attempts, delivery.status) == (True, 3, 200)
    assert waits == [0.5, 1.0] and len(hook.posts) == 3


def test_500_every_time_gives_up_after_three_attempts(hook: HttpTestServer) -> None:
    waits: list[float] = []
    delivery = post(f"{hook.base_url}/status/503", PAYLOAD, sleep=waits.append)
    assert (delivery.delivered, delivery.attempts, delivery.status) == (False, 3, 503)
    assert delivery.warning() == (
        f"notification to {hook.base_url} failed after 3 attempts: HTTP 503 Service Unavailable"
    )


@pytest.mark.parametrize("status", [400, 404, 410, 302])
def test_4xx_and_redirects_are_not_retried(hook: HttpTestServer, status: int) -> None:
    delivery = post(f"{hook.base_url}/status/{status}", PAYLOAD, sleep=pytest.fail)
    assert (delivery.delivered, delivery.attempts, delivery.status) == (False, 1, status)
    assert len(hook.posts) == 1


def test_a_server_that_never_answers_times_out_every_attempt(hook: HttpTestServer) -> None:
    started = time.monotonic()
    delivery = post(f"{hook.base_url}/hang", PAYLOAD, timeout=0.3, backoff=(0.05, 0.05))
    took = time.monotonic() - started
    assert (delivery.delivered, delivery.attempts, delivery.status) == (False, 3, None)
    assert delivery.error == "no answer within 0.3 s"
    assert 0.9 <= took < 2.5, took


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_connection_refused_is_retried_then_reported() -> None:
    waits: list[float] = []
    delivery = post(f"http://127.0.0.1:{free_port()}/hook", PAYLOAD, sleep=waits.append)
    assert (delivery.delivered, delivery.attempts) == (False, 3)
    assert "refused" in (delivery.error or "").lower() and waits == [0.5, 1.0]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://host/x", "only http:// and https://"),
        ("hooks.slack.com/services/T1/B2/SECRETSECRET", "(got no scheme)"),
        ("https:///path/SECRETSECRET", "no host"),
        ("http://host:99999/SECRETSECRET", "not a valid URL"),
    ],
)
def test_bad_urls_are_usage_errors_that_do_not_echo_the_path(url: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        check_url(url)
    assert message in caught.value.message and caught.value.exit_code == 2
    assert "SECRET" not in caught.value.message + (caught.value.hint or "")


def test_good_urls_pass_and_are_shown_without_path_or_user() -> None:
    assert check_url(" https://hooks.slack.com/services/T/B/X ") == (
        "https://hooks.slack.com/services/T/B/X"
    )
    assert shown_url("https://u:pw@hooks.slack.com/services/T/B/X?q=1") == "https://hooks.slack.com"
    assert shown_url("http://[::1]:8080/x") == "http://[::1]:8080"


def test_userinfo_is_sent_as_basic_authorization_and_never_shown(hook: HttpTestServer) -> None:
    port = hook.base_url.rsplit(":", 1)[1]
    delivery = post(f"http://user:p%40ss@127.0.0.1:{port}/echo", PAYLOAD, sleep=pytest.fail)
    assert delivery.delivered and delivery.url == f"http://127.0.0.1:{port}"
    ((path, _),) = hook.posts
    assert path == "/echo"
    assert "p@ss" not in delivery.warning() and "user" not in delivery.url


def test_split_userinfo_makes_the_basic_header() -> None:
    from pbench.notify.send import split_userinfo

    url, auth = split_userinfo("https://me:s%3Acret@hooks.example/x?y=1")
    assert url == "https://hooks.example/x?y=1" and auth == "Basic bWU6czpjcmV0"
    assert split_userinfo("https://hooks.example/x") == ("https://hooks.example/x", None)
