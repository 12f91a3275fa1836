"""Recording a load run: a cheap hot path, folded into histograms off it.

A :class:`Recorder` belongs to one worker (one process, or the threads of one
process). Per finished request the client calls :meth:`Recorder.ok` or
:meth:`Recorder.fail`, which only append six integers to a flat list (a list takes six
ints in ~50 ns; an ``array('q')`` converts each on the way in, ~8x slower); every
``FOLD_EVERY`` requests (and at the end) the buffer is folded with numpy into:

- three :class:`LatencyHistogram` (latency from the scheduled start, service time from
  send to answer, and the wait from scheduled start to send: queueing plus dispatcher
  lag, open loop only), over successful requests;
- counts of errors by kind and of status codes, and the bytes received;
- a capped uniform sample of raw rows (Vitter's Algorithm R over the whole run) for
  the JSON export.

A recorder made with ``extra`` column names (a command load run's ``user_ns``,
``system_ns``, ...) takes them per request through :meth:`Recorder.record`: they
follow the six columns in every row and in the sample, and each is also folded into
a histogram of its own over ALL requests, failed ones included (``LoadRun.extras``).

Memory is therefore bounded by ``FOLD_EVERY`` rows plus the sample cap, whatever the
number of requests. :meth:`Recorder.finish` returns a picklable :class:`LoadRun`;
runs of several workers are combined with :func:`merge_runs`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pbench.load.histogram import LatencyHistogram

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

FOLD_EVERY = 1 << 15
FIELDS = 6  # scheduled_ns, sent_ns, done_ns, status, error code (0 = ok), bytes
COLUMNS = ("scheduled_ns", "sent_ns", "done_ns", "status", "error", "bytes")


@dataclass(frozen=True)
class LoadRun:
    """Everything measured by one load run (one worker, or several merged).

    ``sample`` rows hold the columns of :data:`COLUMNS`; the error column indexes
    ``error_names`` (0 means success). Times are ``time.perf_counter_ns`` readings,
    comparable across processes on one machine.
    """

    latency: LatencyHistogram
    service: LatencyHistogram
    wait: LatencyHistogram
    open_loop: bool
    requests: int
    errors: Mapping[str, int]
    statuses: Mapping[int, int]
    bytes_received: int
    sample: Any  # numpy int64 array, shape (k, FIELDS), in start order
    error_names: tuple[str, ...]
    started_ns: int
    finished_ns: int
    cpu_s: float
    workers: int = 1
    interrupted: bool = False
    warnings: tuple[str, ...] = field(default_factory=tuple)  # shown with the load figures
    # Requests still in flight at a hard time limit, abandoned: neither a latency nor
    # an error (the server may yet have answered them).
    unfinished: int = 0
    # Time the pool was busy with this benchmark, when that is not simply
    # finished - started (slices of several benchmarks interleaved).
    active_ns: int = 0
    # Names of the sample's columns after COLUMNS, and a histogram of each over every
    # request (see Recorder.record).
    extra_columns: tuple[str, ...] = ()
    extras: Mapping[str, LatencyHistogram] = field(default_factory=dict)
    # When the first and the last request were sent (0: none), and, in open loop, the
    # time the schedule took to be sent (its planned length, longer when sending fell
    # behind; summed over slices by the load runner; 0: not known, use elapsed_s).
    first_sent_ns: int = 0
    last_sent_ns: int = 0
    schedule_ns: int = 0
    # Time requests were in flight, summed over every request (send to end, failed
    # ones included): over elapsed_s, the mean number in flight (Little's law); and
    # the connections open at the end (HTTP; 0: not known). For the live view.
    busy_ns: int = 0
    connections: int = 0

    @property
    def failed(self) -> int:
        return sum(self.errors.values())

    @property
    def succeeded(self) -> int:
        return self.requests - self.failed

    @property
    def elapsed_s(self) -> float:
        if self.active_ns:
            return self.active_ns / 1e9
        return max(self.finished_ns - self.started_ns, 1) / 1e9


class Recorder:
    """Collects one worker's requests; ``ok``/``fail`` are safe from several threads
    only when called under :attr:`lock` (the thread driver does so)."""

    def __init__(
        self, open_loop: bool, sample_cap: int = 10_000, seed: int = 0, extra: Sequence[str] = ()
    ) -> None:
        import numpy as np

        self.open_loop = open_loop
        self.extra = tuple(extra)
        self._width = FIELDS + len(self.extra)
        self._extras = {name: LatencyHistogram() for name in self.extra}
        self.lock = threading.Lock()
        self._buffer: list[int] = []
        self._fold_at = FOLD_EVERY * self._width
        self._latency = LatencyHistogram()
        self._service = LatencyHistogram()
        self._wait = LatencyHistogram()
        self._errors: dict[str, int] = {}
        self._codes: dict[str, int] = {}
        self._names: list[str] = [""]
        self._statuses: dict[int, int] = {}
        self._bytes = 0
        self._requests = 0
        self._first_sent = 0
        self._last_sent = 0
        self._busy = 0
        self._cap = sample_cap
        self._sample = np.zeros((sample_cap, self._width), dtype=np.int64)
        self._rng = np.random.default_rng(seed)

    # ----------------------------------------------------------------- hot path
    def ok(self, scheduled_ns: int, sent_ns: int, done_ns: int, status: int, nbytes: int) -> None:
        """One successful request (closed loop: ``scheduled_ns == sent_ns``)."""
        buffer = self._buffer
        buffer += (scheduled_ns, sent_ns, done_ns, status, 0, nbytes)
        if len(buffer) >= self._fold_at:
            self.fold()

    def fail(
        self,
        scheduled_ns: int,
        sent_ns: int,
        done_ns: int,
        kind: str,
        status: int = 0,
        nbytes: int = 0,
    ) -> None:
        """One failed request; ``kind`` names the error ("refused", "timeout", ...)."""
        code = self._codes.get(kind)
        if code is None:
            code = self._codes[kind] = len(self._names)
            self._names.append(kind)
        buffer = self._buffer
        buffer += (scheduled_ns, sent_ns, done_ns, status, code, nbytes)
        if len(buffer) >= self._fold_at:
            self.fold()

    def record(
        self, scheduled_ns: int, sent_ns: int, done_ns: int, kind: str | None, extra: Sequence[int]
    ) -> None:
        """One request with its ``extra`` columns (in the recorder's order); ``kind``
        None for a success, else its error kind."""
        code = 0
        if kind is not None:
            code = self._codes.get(kind, 0)
            if not code:
                code = self._codes[kind] = len(self._names)
                self._names.append(kind)
        self._buffer.extend((scheduled_ns, sent_ns, done_ns, 0, code, 0))
        self._buffer.extend(extra)
        if len(self._buffer) >= self._fold_at:
            self.fold()

    @property
    def count(self) -> int:
        """Requests recorded so far, folded or not: a cheap look from another thread
        (the live view), exact once the recording threads are done."""
        return self._requests + len(self._buffer) // self._width

    # ----------------------------------------------------------------- folding
    def fold(self) -> None:
        """Move buffered rows into the histograms, counters and sample."""
        import numpy as np

        if not self._buffer:
            return
        buffer = self._buffer
        rows = np.fromiter(buffer, dtype=np.int64, count=len(buffer)).reshape(-1, self._width)
        self._buffer = []
        good = rows[rows[:, 4] == 0]
        self._latency.record_many(good[:, 2] - good[:, 0])
        self._service.record_many(good[:, 2] - good[:, 1])
        if self.open_loop:
            self._wait.record_many(good[:, 1] - good[:, 0])
        codes, counts = np.unique(rows[:, 4], return_counts=True)
        for code, count in zip(codes.tolist(), counts.tolist(), strict=True):
            if code:
                name = self._names[code]
                self._errors[name] = self._errors.get(name, 0) + count
        statuses, counts = np.unique(rows[:, 3], return_counts=True)
        for status, count in zip(statuses.tolist(), counts.tolist(), strict=True):
            if status:
                self._statuses[status] = self._statuses.get(status, 0) + count
        self._bytes += int(rows[:, 5].sum())
        self._busy += int((rows[:, 2] - rows[:, 1]).sum())
        for column, histogram in enumerate(self._extras.values(), start=FIELDS):
            histogram.record_many(rows[:, column])
        first, last = int(rows[:, 1].min()), int(rows[:, 1].max())
        self._first_sent = min(self._first_sent, first) if self._first_sent else first
        self._last_sent = max(self._last_sent, last)
        self._reservoir(rows)
        self._requests += len(rows)

    def _reservoir(self, rows: npt.NDArray[np.int64]) -> None:
        import numpy as np

        seen, cap = self._requests, self._cap
        direct = max(0, min(cap - seen, len(rows)))
        if direct:
            self._sample[seen : seen + direct] = rows[:direct]
        rest = rows[direct:]
        if len(rest) == 0:
            return
        positions = np.arange(seen + direct, seen + direct + len(rest), dtype=np.int64)
        slots = self._rng.integers(0, positions + 1)
        chosen = np.flatnonzero(slots < cap)
        if len(chosen) == 0:
            return
        # Row by row, a later row chosen for a slot replaces an earlier one: keep, for
        # each slot, the last row that chose it (the same sample as the loop, at once).
        backwards = slots[chosen][::-1]
        kept, first = np.unique(backwards, return_index=True)
        self._sample[kept] = rest[chosen[::-1][first]]

    def finish(
        self,
        started_ns: int,
        finished_ns: int,
        cpu_s: float,
        interrupted: bool = False,
        warnings: Sequence[str] = (),
        unfinished: int = 0,
        connections: int = 0,
    ) -> LoadRun:
        """Fold what is left and freeze the run."""
        import numpy as np

        self.fold()
        kept = self._sample[: min(self._requests, self._cap)]
        kept = kept[np.argsort(kept[:, 1], kind="stable")]
        return LoadRun(
            latency=self._latency,
            service=self._service,
            wait=self._wait,
            open_loop=self.open_loop,
            requests=self._requests,
            errors=dict(self._errors),
            statuses=dict(sorted(self._statuses.items())),
            bytes_received=self._bytes,
            sample=kept,
            error_names=tuple(self._names),
            started_ns=started_ns,
            finished_ns=finished_ns,
            cpu_s=cpu_s,
            interrupted=interrupted,
            warnings=tuple(warnings),
            unfinished=unfinished,
            extra_columns=self.extra,
            extras=self._extras,
            first_sent_ns=self._first_sent,
            last_sent_ns=self._last_sent,
            busy_ns=self._busy,
            connections=connections,
        )


def merge_runs(runs: Sequence[LoadRun], sample_cap: int = 10_000, seed: int = 0) -> LoadRun:
    """Combine the runs of several workers of one benchmark.

    Histograms and counters add up; the merged sample draws from each worker's sample
    in proportion to its number of requests (so it stays a uniform sample of all
    requests, capped at ``sample_cap``).
    """
    import numpy as np

    if not runs:
        raise ValueError("no runs to merge")
    if len(runs) == 1:
        return runs[0]
    latency, service, wait = LatencyHistogram(), LatencyHistogram(), LatencyHistogram()
    extras = {name: LatencyHistogram() for name in runs[0].extra_columns}
    errors: dict[str, int] = {}
    statuses: dict[int, int] = {}
    names: list[str] = [""]
    parts = []
    rng = np.random.default_rng(seed)
    requests = np.array([run.requests for run in runs], dtype=np.int64)
    available = np.array([len(run.sample) for run in runs], dtype=np.int64)
    take = _proportional(requests, available, min(sample_cap, int(available.sum())), rng)
    for run, count in zip(runs, take.tolist(), strict=True):
        latency += run.latency
        service += run.service
        wait += run.wait
        for name, histogram in run.extras.items():
            extras[name] += histogram
        for name, n in run.errors.items():
            errors[name] = errors.get(name, 0) + n
        for status, n in run.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
        chosen = rng.choice(len(run.sample), size=count, replace=False)
        chosen.sort()  # each sample is in start order: keep it
        rows = run.sample[chosen]
        remap = np.zeros(len(run.error_names), dtype=np.int64)
        for code, name in enumerate(run.error_names[1:], start=1):
            if name not in names:
                names.append(name)
            remap[code] = names.index(name)
        rows[:, 4] = remap[rows[:, 4]]
        parts.append(rows)
    width = FIELDS + len(runs[0].extra_columns)
    sample = np.concatenate(parts) if parts else np.zeros((0, width), dtype=np.int64)
    sent = sample[:, 1]
    if not bool(np.all(sent[1:] >= sent[:-1])):  # runs side by side (workers), not in turn
        sample = sample[np.argsort(sent, kind="stable")]
    warnings: list[str] = []
    for run in runs:
        warnings.extend(w for w in run.warnings if w not in warnings)
    return LoadRun(
        latency=latency,
        service=service,
        wait=wait,
        open_loop=runs[0].open_loop,
        requests=int(requests.sum()),
        errors=errors,
        statuses=dict(sorted(statuses.items())),
        bytes_received=sum(run.bytes_received for run in runs),
        sample=sample,
        error_names=tuple(names),
        started_ns=min(run.started_ns for run in runs),
        finished_ns=max(run.finished_ns for run in runs),
        cpu_s=sum(run.cpu_s for run in runs),
        workers=sum(run.workers for run in runs),
        interrupted=any(run.interrupted for run in runs),
        warnings=tuple(warnings),
        unfinished=sum(run.unfinished for run in runs),
        extra_columns=runs[0].extra_columns,
        extras=extras,
        first_sent_ns=min((r.first_sent_ns for r in runs if r.first_sent_ns), default=0),
        last_sent_ns=max(run.last_sent_ns for run in runs),
        busy_ns=sum(run.busy_ns for run in runs),
        connections=sum(run.connections for run in runs),
    )


def _proportional(
    weights: npt.NDArray[np.int64],
    available: npt.NDArray[np.int64],
    total: int,
    rng: np.random.Generator,
) -> npt.NDArray[np.int64]:
    """How many rows to take from each part: proportional to ``weights``, at most
    ``available`` each, summing to ``total``."""
    import numpy as np

    if total <= 0 or weights.sum() == 0:
        return np.zeros(len(weights), dtype=np.int64)
    share: npt.NDArray[np.int64] = np.minimum(
        np.floor(weights / weights.sum() * total).astype(np.int64), available
    )
    while share.sum() < total:
        room = np.flatnonzero(share < available)
        share[room[rng.integers(0, len(room))]] += 1
    return share
