"""What a load run should do, and the tickets that pace it.

Closed loop (``rate`` is None): ``concurrency`` clients each send their next request as
soon as the previous one finished, until ``runs`` requests in total or ``duration_s``.

Open loop (``rate`` set): requests are due on ONE global schedule for the whole run,
request i at ``start + i / rate`` seconds, whatever the number of clients or worker
processes (worker w of W owns requests w, w+W, w+2W, ...). A client takes the next due
request as soon as it is free and sends it at its due time. When every client is busy
the due requests wait: they are sent late and their latency is still measured from
the due time, so a stalled target shows up in the percentiles (no coordinated
omission). Nothing is ever skipped; the wait (queueing plus the dispatcher's own
timer lag) is reported separately from the service time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

CLOSED = 0  # the scheduled time of a closed-loop ticket: "now"


@dataclass(frozen=True, slots=True)
class LoadPlan:
    """How much load, in which model, over how many clients and worker processes."""

    concurrency: int = 1
    runs: int | None = None
    duration_s: float | None = None
    rate: float | None = None
    warmup: int = 0
    workers: int = 1
    timeout_s: float = 30.0
    sample_cap: int = 10_000
    seed: int = 0

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        if self.runs is None and self.duration_s is None:
            raise ValueError("a load run needs a number of runs or a duration")
        if self.runs is not None and self.runs < 1:
            raise ValueError("runs must be at least 1")
        if self.duration_s is not None and self.duration_s <= 0:
            raise ValueError("duration must be positive")
        if self.rate is not None and self.rate <= 0:
            raise ValueError("rate must be positive")

    @property
    def open_loop(self) -> bool:
        return self.rate is not None

    @property
    def total_requests(self) -> int | None:
        """The number of measured requests, when known in advance."""
        planned = self.runs
        if self.rate is not None and self.duration_s is not None:
            by_time = max(1, math.floor(self.rate * self.duration_s))
            planned = by_time if planned is None else min(planned, by_time)
        return planned

    def share(self, worker: int) -> LoadPlan:
        """The part of this plan that worker ``worker`` (0-based) runs.

        Connections, runs and warmups are split as evenly as possible; the rate is
        not split here: :class:`Tickets` interleaves the workers on the global
        schedule.
        """
        workers = self.workers

        def part(total: int) -> int:
            return total // workers + (1 if worker < total % workers else 0)

        runs = None if self.runs is None else part(self.runs)
        return replace(
            self,
            concurrency=max(1, part(self.concurrency)),
            runs=runs,
            warmup=part(self.warmup),
            seed=self.seed + worker,
        )


class Tickets:
    """Hands out the next request to whichever client is free (one worker's share).

    :meth:`take` returns the request's scheduled time in ``perf_counter_ns`` (open
    loop) or :data:`CLOSED` (closed loop), or None when the run is over. It is not
    thread-safe by itself: the thread driver calls it under a lock.
    """

    __slots__ = ("_deadline_ns", "_interval_ns", "_left", "_next", "_start_ns", "_step", "stopped")

    def __init__(self, plan: LoadPlan, start_ns: int, worker: int = 0) -> None:
        self._start_ns = start_ns
        self._deadline_ns = (
            None if plan.duration_s is None else start_ns + int(plan.duration_s * 1e9)
        )
        self._interval_ns = None if plan.rate is None else 1e9 / plan.rate
        self._step = plan.workers
        self._next = worker
        total = plan.total_requests
        if total is None:
            self._left: int | None = None
        elif plan.rate is not None:
            # Open loop: this worker's indices on the global schedule.
            self._left = len(range(worker, total, plan.workers))
        else:
            self._left = plan.share(worker).runs if plan.workers > 1 else total
        self.stopped = False

    def take(self, now_ns: int) -> int | None:
        """The next request's scheduled time, or None when the run is over."""
        if self.stopped or self._left == 0:
            return None
        if self._interval_ns is None:
            if self._deadline_ns is not None and now_ns >= self._deadline_ns:
                return None
            scheduled = CLOSED
        else:
            scheduled = self._start_ns + int(self._next * self._interval_ns)
            if self._deadline_ns is not None and scheduled >= self._deadline_ns:
                return None
            self._next += self._step
        if self._left is not None:
            self._left -= 1
        return scheduled

    def stop(self) -> None:
        """No more tickets (Ctrl-C, or every client failed to connect)."""
        self.stopped = True


def slice_end(plan: LoadPlan, start_ns: int, last_ns: int) -> int:
    """When a phase that started at ``start_ns`` ended: its last request, or in open loop
    at least the end of its schedule (the pool was the benchmark's until then, even when
    the last request was due and done earlier)."""
    if plan.rate is None or plan.duration_s is None:
        return last_ns
    return max(last_ns, start_ns + int(plan.duration_s * 1e9))


def schedule_span(plan: LoadPlan, first_sent_ns: int, last_sent_ns: int) -> int:
    """How long an open-loop phase took to send its schedule (0 in closed loop): the
    schedule's planned length, or longer when sending fell behind (from the first
    request sent to one interval after the last). A constant delay of every send (the
    loop's timers tick in milliseconds) shifts the schedule without slowing it: it is
    the wait to send, reported apart. Requests sent over this span are the rate
    achieved; the drain of the last answers is not part of it."""
    total = plan.total_requests
    if plan.rate is None or total is None:
        return 0
    interval = 1e9 / plan.rate
    sending = last_sent_ns - first_sent_ns + interval if last_sent_ns else 0.0
    return int(max(total * interval, sending))
