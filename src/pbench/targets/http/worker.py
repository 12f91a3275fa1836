"""Driving HTTP load: asyncio clients in one process, phase by phase.

One worker (one process) runs its share of ``plan.concurrency`` clients on one event
loop (uvloop when installed, else asyncio's default loop, about half as fast). A
client owns at most one request in flight and one connection per origin (scheme,
host, port): benchmarks on the same origin share the same connections. Callbacks,
not coroutines, chain a client's requests: answer → record → take the next ticket →
write.

The worker lives as long as the load run and works in phases that the load runner
(:mod:`pbench.run.load`) asks for: :meth:`HttpWorker.open` (resolve, connect every
client), :meth:`HttpWorker.warm_up` (unrecorded requests to one benchmark) and
:meth:`HttpWorker.run_slice` (one slice of measured requests to one benchmark,
paced by :class:`pbench.load.schedule.Tickets`, recorded by a fresh
:class:`pbench.load.recorder.Recorder`). A phase ends when every request it started
has ended, or at its hard end: requests still in flight then are abandoned (their
connections dropped) and counted as unfinished.

Errors are counted by kind, never raised: ``dns`` (the host does not resolve),
``refused``, ``tls``, ``connect`` (other connect errors), ``timeout`` (no full answer
within ``timeout_s``, checked by a watchdog every few ms instead of a timer per
request), ``reset``, ``closed`` (the server closed the connection before a full
answer), ``protocol`` (not HTTP/1.x), ``status`` (an answer outside
``--expect-status``; its status is still counted).

Ctrl-C (SIGINT) or SIGTERM: no new requests; those in flight get a short grace to
finish, then the partial phase is returned with ``interrupted=True``, and so is every
later one. In pbench's own process the load runner's handler asks for it
(:meth:`LocalWorker.interrupt_soon`); a worker process has the loop's own handlers.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import ssl
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

from pbench.load.recorder import LoadRun, Recorder
from pbench.load.schedule import CLOSED, LoadPlan, Tickets, slice_end
from pbench.load.threads import cpu_seconds
from pbench.targets.http.connection import HttpConnection
from pbench.targets.http.spec import HttpRequestSpec

INTERRUPT_GRACE_S = 0.5
OWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)  # a worker process's loop handles these
START_TIMEOUT_S = 60.0  # workers that cannot all start in time give up

now = time.perf_counter_ns
T = TypeVar("T")


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop's loop when installed, else asyncio's default."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    loop: asyncio.AbstractEventLoop = uvloop.new_event_loop()
    return loop


class _Origin:
    """Where requests go: resolved once, before anything is timed."""

    __slots__ = ("address", "host", "port", "ssl_context", "unresolved")

    def __init__(self, scheme: str, host: str, port: int, insecure: bool) -> None:
        self.host = host
        self.port = port
        self.address: tuple[str, int] = (host, port)
        self.ssl_context = _ssl_context(insecure) if scheme == "https" else None
        self.unresolved: str | None = None


class _Target:
    """One benchmark's request, as the clients send it."""

    __slots__ = ("accepts", "head", "keepalive", "origin", "request")

    def __init__(self, spec: HttpRequestSpec, origin: int) -> None:
        self.request = spec.request_bytes()
        self.head = spec.method == "HEAD"
        self.keepalive = spec.keepalive
        # Indexed by status (000-999, three digits): one lookup per answer.
        self.accepts = tuple(spec.expects(status) for status in range(1000))
        self.origin = origin


class _Client:
    __slots__ = ("connecting", "conns", "done", "inflight", "scheduled", "sent", "timer", "worker")

    def __init__(self, worker: HttpWorker, origins: int) -> None:
        self.worker = worker
        self.conns: list[HttpConnection | None] = [None] * origins
        self.connecting: asyncio.Task[None] | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.inflight = False
        self.done = True
        self.scheduled = 0
        self.sent = 0

    def go(self, now_ns: int = 0) -> None:
        """Take the next ticket and send it (now, or at its scheduled time)."""
        scheduled = self.worker.take(now_ns or now())
        if scheduled is None:
            self.done = True
            self.worker.client_finished()
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
        self.timer = None
        self.send()

    def send(self) -> None:
        target = self.worker.target
        conn = self.conns[target.origin]
        self.inflight = True
        if conn is None or conn.transport is None or conn.transport.is_closing():
            self.sent = now()
            self.conns[target.origin] = None
            self.connecting = self.worker.loop.create_task(self.connect(target.origin, True))
            return
        conn.head = target.head
        self.sent = now()
        conn.transport.write(target.request)

    async def connect(self, origin: int, then_send: bool) -> None:
        worker = self.worker
        where = worker.origins[origin]
        try:
            _, conn = await worker.loop.create_connection(
                lambda: HttpConnection(self, False),
                host=where.address[0],
                port=where.address[1],
                ssl=where.ssl_context,
                server_hostname=where.host if where.ssl_context else None,
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
        self.conns[origin] = conn
        if then_send and conn.transport is not None:
            conn.head = worker.target.head
            conn.transport.write(worker.target.request)

    def _connect_failed(self, kind: str, then_send: bool) -> None:
        self.connecting = None
        if then_send:
            self.fail(kind)

    def on_response(self, conn: HttpConnection, status: int, nbytes: int, close: bool) -> None:
        done = now()
        worker = self.worker
        target = worker.target
        if not self.inflight or conn is not self.conns[target.origin]:
            return
        self.inflight = False
        recorder = worker.recorder
        if recorder is not None:
            sent = self.sent
            if target.accepts[status]:
                recorder.ok(self.scheduled or sent, sent, done, status, nbytes)
            else:
                recorder.fail(self.scheduled or sent, sent, done, "status", status, nbytes)
        if close or not target.keepalive:
            if conn.transport is not None:
                conn.transport.close()
            self.conns[target.origin] = None
        # The next request, inlined for the common case: closed loop, connection open.
        tickets = worker.tickets
        if tickets is None or worker.interrupted:
            self.go(done)
            return
        scheduled = tickets.take(done)
        if scheduled != CLOSED or close or not target.keepalive:
            if scheduled is None:
                self.done = True
                worker.client_finished()
                return
            self.scheduled = scheduled
            if scheduled != CLOSED:
                delay = scheduled - now()
                if delay > 0:
                    self.timer = worker.loop.call_later(delay / 1e9, self.when_due)
                    return
            self.send()
            return
        self.scheduled = CLOSED
        self.inflight = True
        self.sent = now()
        conn.transport.write(target.request)  # type: ignore[union-attr]

    def on_lost(self, conn: HttpConnection, kind: str) -> None:
        for origin, mine in enumerate(self.conns):
            if mine is conn:
                self.conns[origin] = None
                if self.inflight and origin == self.worker.target.origin:
                    self.fail(kind)
                return

    def fail(self, kind: str) -> None:
        """The request in flight failed: count it, drop the connection, go on."""
        done = now()
        self.inflight = False
        origin = self.worker.target.origin
        conn = self.conns[origin]
        if conn is not None and conn.transport is not None:
            conn.transport.abort()
        self.conns[origin] = None
        recorder = self.worker.recorder
        if recorder is not None:
            recorder.fail(self.scheduled or self.sent, self.sent, done, kind)
        self.go()

    def abandon(self) -> bool:
        """End this client's phase now; True when a request was in flight (dropped)."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.connecting is not None:
            self.connecting.cancel()
            self.connecting = None
        dropped = self.inflight
        if dropped:
            origin = self.worker.target.origin
            conn = self.conns[origin]
            if conn is not None and conn.transport is not None:
                conn.transport.abort()
            self.conns[origin] = None
        self.inflight = False
        if not self.done:
            self.done = True
            self.worker.client_finished()
        return dropped


class HttpWorker:
    """One process's share of a load run's clients, over all of its benchmarks."""

    def __init__(
        self,
        specs: Sequence[HttpRequestSpec],
        plan: LoadPlan,
        index: int,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        import numpy  # noqa: F401 - the slices' recorders need it: importing it inside the
        # first slice (~50 ms) would hold back that slice's first requests.

        self.plan, self.index, self.loop = plan, index, loop
        origins: dict[tuple[str, str, int, bool], int] = {}
        self.origins: list[_Origin] = []
        self.targets: list[_Target] = []
        for spec in specs:
            scheme, host, port, _, _ = spec.parts()
            key = (scheme, host, port, spec.insecure)
            if key not in origins:
                origins[key] = len(self.origins)
                self.origins.append(_Origin(scheme, host, port, spec.insecure))
            self.targets.append(_Target(spec, origins[key]))
        self.timeout_s = max(spec.timeout_s for spec in specs)
        share = plan.share(index) if plan.workers > 1 else plan
        self.clients = [_Client(self, len(self.origins)) for _ in range(share.concurrency)]
        self.target = self.targets[0]
        self.recorder: Recorder | None = None
        self.tickets: Tickets | None = None
        self.warmup_left = 0
        self.active = 0
        self.unfinished = 0
        self.finished: asyncio.Future[None] = loop.create_future()
        self.interrupted = False
        self.slices = 0
        # The live view's tick (see pbench.run.load.TickingPool): every tick_s within
        # a slice, on this loop, with the requests the slice has finished so far.
        self.ticker: Callable[[int | None], None] | None = None
        self.tick_s = 0.25
        self._tick_handle: asyncio.TimerHandle | None = None

    # ------------------------------------------------------------- tickets
    def take(self, now_ns: int) -> int | None:
        if self.interrupted:
            return None
        tickets = self.tickets
        if tickets is not None:
            return tickets.take(now_ns)
        if self.warmup_left > 0:
            self.warmup_left -= 1
            return CLOSED
        return None

    def client_finished(self) -> None:
        self.active -= 1
        if self.active <= 0 and not self.finished.done():
            self.finished.set_result(None)

    # ------------------------------------------------------------- phases
    async def open(self) -> None:
        """Resolve every origin (with the C library's resolver, once, untimed) and
        connect every client to each: connecting is not part of any request."""
        for origin in self.origins:
            try:
                info = socket.getaddrinfo(origin.host, origin.port, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError):
                origin.unresolved = f"could not resolve host {origin.host!r}"
                continue
            origin.address = (str(info[0][4][0]), origin.port)
        await asyncio.gather(
            *(
                client.connect(index, then_send=False)
                for index, origin in enumerate(self.origins)
                if origin.unresolved is None
                for client in self.clients
            )
        )

    async def warm_up(self, target: int, requests: int) -> None:
        """``requests`` unrecorded requests (this worker's share) to ``target``."""
        self.target = self.targets[target]
        if self.origins[self.target.origin].unresolved is not None or requests <= 0:
            return
        self.warmup_left = requests
        await self._phase(None)

    async def run_slice(
        self, target: int, plan: LoadPlan, start_ns: int | None, hard_limit_ns: int | None
    ) -> LoadRun:
        """One slice of measured requests to ``target``, from ``start_ns`` (None: as soon
        as everything is ready, so that no setup delays the first requests), for at most
        ``hard_limit_ns`` (drain included)."""
        cpu_before = cpu_seconds()
        self.target = self.targets[target]
        self.slices += 1
        recorder = Recorder(plan.open_loop, plan.sample_cap, plan.seed + 7919 * self.slices)
        origin = self.origins[self.target.origin]
        if origin.unresolved is not None:
            t = now()
            recorder.fail(t, t, t, "dns")
            return recorder.finish(t, t, cpu_seconds() - cpu_before, warnings=[origin.unresolved])
        if start_ns is None:
            start_ns = now()
        delay = start_ns - now()
        if delay > 0:
            await asyncio.sleep(delay / 1e9)
        self.recorder = recorder
        self.tickets = Tickets(plan, start_ns, self.index)
        self.unfinished = 0
        try:
            await self._phase(None if hard_limit_ns is None else start_ns + hard_limit_ns)
        finally:
            self.recorder = None
            self.tickets = None
        finished = slice_end(plan, start_ns, now())
        return recorder.finish(
            start_ns,
            finished,
            cpu_seconds() - cpu_before,
            self.interrupted,
            unfinished=self.unfinished,
            connections=self.open_connections(),
        )

    def open_connections(self) -> int:
        """Connections open now, over every client and origin."""
        return sum(
            1
            for client in self.clients
            for conn in client.conns
            if conn is not None and conn.transport is not None and not conn.transport.is_closing()
        )

    def _tick(self) -> None:
        ticker, recorder = self.ticker, self.recorder
        if ticker is None or recorder is None:
            self._tick_handle = None
            return
        ticker(recorder.count)
        self._tick_handle = self.loop.call_later(self.tick_s, self._tick)

    async def _phase(self, hard_end_ns: int | None) -> None:
        self.finished = self.loop.create_future()
        self.active = len(self.clients)
        for client in self.clients:
            client.done = False
        watchdog = self.loop.create_task(self._watchdog())
        hard: asyncio.TimerHandle | None = None
        if hard_end_ns is not None:
            hard = self.loop.call_later(max(hard_end_ns - now(), 0) / 1e9, self._hard_end)
        if self.ticker is not None and self.recorder is not None:
            self._tick_handle = self.loop.call_later(self.tick_s, self._tick)
        for client in list(self.clients):
            client.go()
        await self.finished
        watchdog.cancel()
        if hard is not None:
            hard.cancel()
        if self._tick_handle is not None:
            self._tick_handle.cancel()
            self._tick_handle = None
        self.warmup_left = 0

    def _hard_end(self) -> None:
        """Time is up: no more requests; those in flight are dropped and counted."""
        if self.tickets is not None:
            self.tickets.stop()
        self.warmup_left = 0
        for client in self.clients:
            if client.abandon():
                self.unfinished += 1

    async def _watchdog(self) -> None:
        timeout_ns = int(self.timeout_s * 1e9)
        period = min(max(self.timeout_s / 10, 0.005), 0.25)
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
        self.loop.call_later(INTERRUPT_GRACE_S, self._abandon_all)

    def _abandon_all(self) -> None:
        self.recorder = None
        for client in self.clients:
            client.abandon()

    def close(self) -> None:
        for client in self.clients:
            client.abandon()
            for conn in client.conns:
                if conn is not None and conn.transport is not None:
                    conn.transport.abort()
            client.conns = [None] * len(self.origins)


def _ssl_context(insecure: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class LocalWorker:
    """An :class:`HttpWorker` on its own event loop in this thread, phase by phase.

    ``own_signals`` (a worker process): the loop handles SIGINT and SIGTERM itself.
    Otherwise whoever handles them calls :meth:`interrupt_soon`."""

    def __init__(
        self,
        specs: Sequence[HttpRequestSpec],
        plan: LoadPlan,
        index: int = 0,
        own_signals: bool = False,
    ) -> None:
        self.loop = new_event_loop()
        self.worker = HttpWorker(specs, plan, index, self.loop)
        self._own_signals = own_signals
        self._handled: list[int] = []
        self._running = False

    def open(self) -> None:
        if self._own_signals:
            for signum in OWN_SIGNALS:
                try:
                    self.loop.add_signal_handler(signum, self.worker.interrupt)
                except (ValueError, RuntimeError, NotImplementedError):
                    break  # not the main thread: no signal handling here
                self._handled.append(signum)
        self._run(self.worker.open())

    def warm_up(self, target: int, requests: int) -> None:
        self._run(self.worker.warm_up(target, requests))

    def run_slice(
        self, target: int, plan: LoadPlan, start_ns: int | None, hard_limit_ns: int | None
    ) -> LoadRun:
        return self._run(self.worker.run_slice(target, plan, start_ns, hard_limit_ns))

    def interrupt_soon(self) -> bool:
        """Called from a signal handler: while the loop runs a phase, it ends early
        (:meth:`HttpWorker.interrupt`, run by the loop as its next callback: never in
        the middle of one); False when the loop runs nothing now."""
        if not self._running:
            return False
        self.loop.call_soon_threadsafe(self.worker.interrupt)
        return True

    def _run(self, phase: Coroutine[Any, Any, T]) -> T:
        self._running = True
        try:
            return self.loop.run_until_complete(phase)
        finally:
            self._running = False

    def close(self) -> None:
        try:
            self.worker.close()
            self.loop.run_until_complete(asyncio.sleep(0))  # let the aborts happen
        finally:
            for signum in self._handled:
                self.loop.remove_signal_handler(signum)
            self.loop.close()
