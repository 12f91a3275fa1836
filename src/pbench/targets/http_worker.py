"""Driving HTTP load: asyncio clients in one process, or several worker processes.

One worker process runs ``plan.concurrency`` clients on one event loop (uvloop when
installed, else asyncio's default loop, about half as fast). A client owns at most
one connection and one request in flight; callbacks, not coroutines, chain its
requests: answer → record → take the next ticket → write. Phases per worker:
connect every client, ``plan.warmup`` unrecorded requests (closed loop), then the
measured requests paced by :class:`pbench.load.schedule.Tickets`.

Errors are counted by kind, never raised: ``dns`` (the host does not resolve: the run
stops at once), ``refused``, ``tls``, ``connect`` (other connect errors),
``timeout`` (no full answer within ``timeout_s``, checked by a watchdog every few
ms instead of a timer per request), ``reset``, ``closed`` (the server closed the
connection before a full answer), ``protocol`` (not HTTP/1.x), ``status`` (an
answer outside ``--expect-status``; its status is still counted).

Ctrl-C (SIGINT): no new requests; those in flight get a short grace to finish, then
the partial run is returned with ``interrupted=True``.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import ssl
import time
from collections.abc import Callable

from pbench.load.recorder import LoadRun, Recorder
from pbench.load.schedule import CLOSED, LoadPlan, Tickets
from pbench.load.threads import cpu_seconds
from pbench.targets.http import HttpRequestSpec
from pbench.targets.http_conn import HttpConnection

INTERRUPT_GRACE_S = 0.5
START_TIMEOUT_S = 60.0  # workers that cannot all start in time give up
_PARK = -1  # take(): warmup over, wait for the measured phase

now = time.perf_counter_ns


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop's loop when installed, else asyncio's default."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    loop: asyncio.AbstractEventLoop = uvloop.new_event_loop()
    return loop


class _Client:
    __slots__ = ("conn", "connecting", "done", "inflight", "scheduled", "sent", "timer", "worker")

    def __init__(self, worker: _Worker) -> None:
        self.worker = worker
        self.conn: HttpConnection | None = None
        self.connecting: asyncio.Task[None] | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.inflight = False
        self.done = False
        self.scheduled = 0
        self.sent = 0

    def go(self) -> None:
        """Take the next ticket and send it (now, or at its scheduled time)."""
        scheduled = self.worker.take()
        if scheduled is None:
            self.done = True
            self.worker.client_finished()
            return
        if scheduled == _PARK:
            self.worker.park(self)
            return
        self.scheduled = scheduled
        if scheduled != CLOSED:
            delay = scheduled - now()
            if delay > 0:
                self.timer = self.worker.loop.call_later(delay / 1e9, self.when_due)
                return
        self.send()

    def when_due(self) -> None:
        # Loop timers may fire early (uvloop rounds to ms): never send before due.
        delay = self.scheduled - now()
        if delay > 0:
            self.timer = self.worker.loop.call_later(delay / 1e9, self.when_due)
            return
        self.send()

    def send(self) -> None:
        self.timer = None
        conn = self.conn
        self.sent = now()
        self.inflight = True
        if conn is None or conn.transport is None or conn.transport.is_closing():
            self.conn = None
            self.connecting = self.worker.loop.create_task(self.connect(then_send=True))
            return
        conn.transport.write(self.worker.request)

    async def connect(self, then_send: bool) -> None:
        worker = self.worker
        try:
            _, conn = await worker.loop.create_connection(
                lambda: HttpConnection(self, worker.head_request),
                host=worker.address[0],
                port=worker.address[1],
                ssl=worker.ssl_context,
                server_hostname=worker.host if worker.ssl_context else None,
            )
        except asyncio.CancelledError:
            return
        except ConnectionRefusedError:
            self._connect_failed("refused", then_send)
            return
        except ssl.SSLError:
            self._connect_failed("tls", then_send)
            return
        except OSError:
            self._connect_failed("connect", then_send)
            return
        finally:
            self.connecting = None
        self.conn = conn
        if then_send and conn.transport is not None:
            conn.transport.write(worker.request)

    def _connect_failed(self, kind: str, then_send: bool) -> None:
        self.connecting = None
        if then_send:
            self.fail(kind)

    def on_response(self, conn: HttpConnection, status: int, nbytes: int, close: bool) -> None:
        done = now()
        if conn is not self.conn or not self.inflight:
            return
        self.inflight = False
        worker = self.worker
        if worker.measuring:
            start = self.scheduled or self.sent
            if worker.expects(status):
                worker.recorder.ok(start, self.sent, done, status, nbytes)
            else:
                worker.recorder.fail(start, self.sent, done, "status", status, nbytes)
        if close or not worker.keepalive:
            if conn.transport is not None:
                conn.transport.close()
            self.conn = None
        self.go()

    def on_lost(self, conn: HttpConnection, kind: str) -> None:
        if conn is not self.conn:
            return
        self.conn = None
        if self.inflight:
            self.fail(kind)

    def fail(self, kind: str) -> None:
        """The request in flight failed: count it, drop the connection, go on."""
        done = now()
        self.inflight = False
        if self.conn is not None and self.conn.transport is not None:
            self.conn.transport.abort()
        self.conn = None
        worker = self.worker
        if worker.measuring:
            worker.recorder.fail(self.scheduled or self.sent, self.sent, done, kind)
        self.go()

    def abandon(self) -> None:
        """Ctrl-C after the grace: drop what is in flight, unrecorded."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.connecting is not None:
            self.connecting.cancel()
        if self.conn is not None and self.conn.transport is not None:
            self.conn.transport.abort()
        self.conn = None
        self.inflight = False
        if not self.done:
            self.done = True
            self.worker.client_finished()


class _Worker:
    """One process's share of a load run."""

    def __init__(
        self,
        spec: HttpRequestSpec,
        plan: LoadPlan,
        index: int,
        loop: asyncio.AbstractEventLoop,
        wait_for_start: Callable[[], int] | None,
    ) -> None:
        scheme, host, port, _, _ = spec.parts()
        self.spec, self.plan, self.index, self.loop = spec, plan, index, loop
        self.host = host
        self.address: tuple[str, int] = (host, port)
        self.request = spec.request_bytes()
        self.head_request = spec.method == "HEAD"
        self.keepalive = spec.keepalive
        self.expects = spec.expects
        self.ssl_context = _ssl_context(spec.insecure) if scheme == "https" else None
        self.share = plan.share(index) if plan.workers > 1 else plan
        self.recorder = Recorder(plan.open_loop, plan.sample_cap, plan.seed + index)
        self.clients = [_Client(self) for _ in range(self.share.concurrency)]
        self.wait_for_start = wait_for_start
        self.measuring = False
        self.warmup_left = self.share.warmup
        self.tickets: Tickets | None = None
        self.parked: list[_Client] = []
        self.active = 0
        self.finished: asyncio.Future[None] = loop.create_future()
        self.interrupted = False

    # ------------------------------------------------------------- tickets
    def take(self) -> int | None:
        tickets = self.tickets
        if tickets is not None:
            return tickets.take(now())
        if self.interrupted:
            return None
        if self.warmup_left > 0:
            self.warmup_left -= 1
            return CLOSED
        return _PARK

    def park(self, client: _Client) -> None:
        self.parked.append(client)
        if len(self.parked) == len(self.clients) and not self.finished.done():
            self.finished.set_result(None)

    def client_finished(self) -> None:
        self.active -= 1
        if self.active <= 0 and not self.finished.done():
            self.finished.set_result(None)

    # ------------------------------------------------------------- phases
    async def run(self) -> LoadRun:
        cpu_before = cpu_seconds()
        try:
            # Resolved once, before anything is timed, with the C library's resolver
            # (uvloop's would bypass socket.getaddrinfo and the tests' seam).
            info = socket.getaddrinfo(self.address[0], self.address[1], type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            return self._unresolved(cpu_before)
        self.address = (str(info[0][4][0]), self.address[1])
        await asyncio.gather(*(client.connect(then_send=False) for client in self.clients))
        if self.warmup_left > 0:
            for client in self.clients:
                client.go()
            await self.finished
            self.finished = self.loop.create_future()
        self.parked.clear()
        start = now() if self.wait_for_start is None else self.wait_for_start()
        self.tickets = Tickets(self.plan, start, self.index)
        if self.interrupted:
            self.tickets.stop()
        self.measuring = True
        self.active = len(self.clients)
        for client in self.clients:
            client.done = False
        watchdog = self.loop.create_task(self._watchdog())
        for client in self.clients:
            client.go()
        await self.finished
        watchdog.cancel()
        finished = now()
        for client in self.clients:
            client.abandon()
        return self.recorder.finish(start, finished, cpu_seconds() - cpu_before, self.interrupted)

    def _unresolved(self, cpu_before: float) -> LoadRun:
        if self.wait_for_start is not None:
            self.wait_for_start()  # keep the other workers' start barrier whole
        t = now()
        self.recorder.fail(t, t, t, "dns")
        note = f"could not resolve host {self.host!r}"
        return self.recorder.finish(t, t, cpu_seconds() - cpu_before, notes=[note])

    async def _watchdog(self) -> None:
        timeout_ns = int(self.spec.timeout_s * 1e9)
        period = min(max(self.spec.timeout_s / 10, 0.005), 0.25)
        while True:
            await asyncio.sleep(period)
            limit = now() - timeout_ns
            for client in self.clients:
                if client.inflight and client.sent < limit:
                    if client.connecting is not None:
                        client.connecting.cancel()
                        client.connecting = None
                    client.fail("timeout")

    def interrupt(self) -> None:
        """SIGINT: stop taking tickets; abandon what is in flight after a grace."""
        if self.interrupted:
            return
        self.interrupted = True
        self.warmup_left = 0
        if self.tickets is not None:
            self.tickets.stop()
        for client in self.clients:
            if client.timer is not None:
                client.abandon()
        if not self.measuring and not self.finished.done():
            self.finished.set_result(None)
        self.loop.call_later(INTERRUPT_GRACE_S, self._abandon_all)

    def _abandon_all(self) -> None:
        self.measuring = False
        for client in self.clients:
            client.abandon()


def _ssl_context(insecure: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def run_worker(
    spec: HttpRequestSpec,
    plan: LoadPlan,
    index: int = 0,
    wait_for_start: Callable[[], int] | None = None,
) -> LoadRun:
    """Run worker ``index``'s share of ``plan`` on a fresh event loop in this thread."""
    loop = new_event_loop()
    worker = _Worker(spec, plan, index, loop, wait_for_start)
    handled = False
    try:
        loop.add_signal_handler(signal.SIGINT, worker.interrupt)
        handled = True
    except (ValueError, RuntimeError, NotImplementedError):
        pass  # not the main thread: no Ctrl-C handling here
    try:
        return loop.run_until_complete(worker.run())
    finally:
        if handled:
            loop.remove_signal_handler(signal.SIGINT)
        loop.close()
