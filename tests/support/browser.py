"""Headless Chromium driven over the DevTools protocol through ``--remote-debugging-pipe``.

Chromium reads commands from its fd 3 and writes answers and events to its fd 4, each a
JSON message ended by a NUL byte, so no websocket library is needed. One
:class:`Browser` per test module (starting Chromium costs about half a second); each
:meth:`Browser.open` opens a fresh tab (its own session, ``flatten`` mode), loads a
file and records what the page did:

- ``requests``: every URL the page asked for (Network.requestWillBeSent),
- ``errors``: console errors, uncaught exceptions and error log entries,
- ``dialogs``: every alert/confirm/prompt that opened (Page.javascriptDialogOpening;
  each is dismissed so that the page goes on).

Chromium is the distribution's (``/usr/bin/chromium``, or ``$PBENCH_CHROMIUM``);
scripts/ensure_chromium.sh installs it. When it is missing, :func:`find_chromium`
raises :class:`BrowserUnavailable` and the tests FAIL with what to do.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 30.0


class BrowserUnavailable(RuntimeError):
    pass


def find_chromium() -> str:
    """The Chromium executable: ``$PBENCH_CHROMIUM`` or the first one on PATH."""
    named = os.environ.get("PBENCH_CHROMIUM")
    if named:
        return named
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserUnavailable(
        "Chromium was not found (looked for " + ", ".join(CANDIDATES) + "); "
        "run `sh scripts/ensure_chromium.sh` (apt-get install -y chromium) or set "
        "PBENCH_CHROMIUM"
    )


@dataclass
class Page:
    """What one tab did while it loaded and since; ``evaluate`` runs JavaScript in it."""

    browser: Browser
    session: str
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    load_s: float = 0.0

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (awaited when it is a promise)."""
        answer = self.browser.command(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            self.session,
        )
        if "exceptionDetails" in answer:
            details = answer["exceptionDetails"]
            raise AssertionError(f"JavaScript failed: {details.get('exception', details)}")
        return answer["result"].get("value")

    def screenshot_sections(self, folder: Path) -> list[Path]:
        """A PNG of each ``body > section[id]`` of the page (the whole section, beyond
        the viewport), written to ``folder`` as ``NN-ID.png``; the paths written."""
        import base64

        boxes = self.evaluate(
            """[...document.querySelectorAll('body > section[id]')].map(s => {
                 const b = s.getBoundingClientRect();
                 return {id: s.id, x: b.left + window.scrollX, y: b.top + window.scrollY,
                         width: b.width, height: b.height};
               })"""
        )
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for number, box in enumerate(boxes, start=1):
            clip = {key: box[key] for key in ("x", "y", "width", "height")}
            answer = self.browser.command(
                "Page.captureScreenshot",
                {"format": "png", "clip": {**clip, "scale": 1}, "captureBeyondViewport": True},
                self.session,
            )
            path = folder / f"{number:02d}-{box['id']}.png"
            path.write_bytes(base64.b64decode(answer["data"]))
            written.append(path)
        return written

    def settle(self, seconds: float = 0.1) -> None:
        """Let events the page sends after its load event (late requests) arrive."""
        self.browser.pump(seconds)

    def close(self) -> None:
        target = self.browser.targets.pop(self.session, None)
        if target is not None:
            self.browser.command("Target.closeTarget", {"targetId": target})


class Browser:
    """One headless Chromium process, spoken to over its DevTools pipe."""

    def __init__(self, executable: str | None = None) -> None:
        self.executable = executable or find_chromium()
        self.profile = tempfile.mkdtemp(prefix="pbench-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def on_fds_3_and_4() -> None:  # in the child, before exec: two dups, nothing else
            # Copies first (close-on-exec), so that a pipe end that is already fd 3 or 4
            # is not overwritten, then dup2 onto 3 and 4 (inheritable).
            commands, answers = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(commands, 3)
            os.dup2(answers, 4)

        args = [
            self.executable,
            "--headless",
            "--remote-debugging-pipe",
            "--no-sandbox",  # as root (CI containers) the sandbox cannot start
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--metrics-recording-only",
            f"--user-data-dir={self.profile}",
            "about:blank",
        ]
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Python's own descriptors are not inheritable (PEP 446): only 3 and 4 pass.
            close_fds=False,
            preexec_fn=on_fds_3_and_4,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self._loaded: set[str] = set()
        self.pages: dict[str, Page] = {}
        self.targets: dict[str, str] = {}
        self.command("Browser.getVersion")

    # -- the pipe --------------------------------------------------------------------

    def command(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        """Send one command and return its result (events that arrive meanwhile are
        dispatched to their pages)."""
        sent = self._send(method, params, session)
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            for answer in self._read(deadline):
                if answer.get("id") == sent:
                    if "error" in answer:
                        raise RuntimeError(f"{method}: {answer['error']}")
                    result: dict[str, Any] = answer.get("result", {})
                    return result
                self._dispatch(answer)

    def _send(self, method: str, params: dict[str, Any] | None, session: str | None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        return self._next_id

    def pump(self, seconds: float) -> None:
        """Dispatch the events that arrive within ``seconds``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for event in self._read(deadline, wait=False):
                self._dispatch(event)

    def _read(self, deadline: float, wait: bool = True) -> list[dict[str, Any]]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                if wait:
                    raise TimeoutError("Chromium did not answer in time")
                return []
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium exited (status {self.process.poll()})")
            self._buffer += chunk
        *complete, self._buffer = self._buffer.split(b"\0")
        return [json.loads(text) for text in complete]

    def _dispatch(self, event: dict[str, Any]) -> None:
        page = self.pages.get(event.get("sessionId", ""))
        if page is None:
            return
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            page.requests.append(params["request"]["url"])
        elif method == "Runtime.exceptionThrown":
            page.errors.append(f"exception: {params['exceptionDetails']}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            page.errors.append(f"console.{params['type']}: {params.get('args')}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            page.errors.append(f"log: {params['entry'].get('text')}")
        elif method == "Page.javascriptDialogOpening":
            page.dialogs.append(f"{params.get('type')}: {params.get('message')}")
            # Dismissed without waiting for the answer: the command that opened it (an
            # evaluate, the load) is still waiting for its own.
            self._send("Page.handleJavaScriptDialog", {"accept": False}, page.session)
        elif method == "Page.loadEventFired":
            self._loaded.add(page.session)

    # -- pages -----------------------------------------------------------------------

    def open(self, path: Path) -> Page:
        """A new tab with the file loaded (its load event fired)."""
        target = self.command("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.command("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        url = path.resolve().as_uri()
        page = self.pages[session] = Page(self, session, url)
        self.targets[session] = target
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.command(f"{domain}.enable", session=session)
        started = time.monotonic()
        self.command("Page.navigate", {"url": url}, session)
        deadline = started + TIMEOUT_S
        while session not in self._loaded:
            for event in self._read(deadline):
                self._dispatch(event)
        page.load_s = time.monotonic() - started
        return page

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.command("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)
