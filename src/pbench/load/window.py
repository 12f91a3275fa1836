"""The last second of a load run, for the live view: a rolling window over the slices'
own recorders.

Every slice of a load run ends in a :class:`pbench.load.recorder.LoadRun` with exact,
mergeable histograms; the final report merges all of a benchmark's slices. A
:class:`RollingWindow` keeps the slices of one benchmark that ended within the last
``span_ns`` (at least the newest one, however old: a benchmark whose turn has not
come again, or one long slice) and merges those on demand: the live figures are the
report's figures over fewer slices, not a second count kept beside them.

The rate is the window's requests over the time its slices ran (not the wall time:
in interleaved order a benchmark runs only in its own slices), as the report's
throughput is over the benchmark's active time.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from pbench.load.histogram import LatencyHistogram
from pbench.load.recorder import LoadRun

SPAN_NS = 1_000_000_000


@dataclass(frozen=True)
class WindowFigures:
    """A benchmark's last second: requests finished (failed ones included), the rate
    while it ran, latency percentiles of the successful ones (None: none succeeded),
    the p99 wait to be sent (open loop: the schedule lag), the mean number of
    requests in flight, and the connections open at the end of the newest slice."""

    requests: int
    failed: int
    elapsed_s: float
    rate: float
    p50_s: float | None
    p99_s: float | None
    lag_p99_s: float | None
    in_flight: float
    connections: int


class RollingWindow:
    """The slices of one benchmark that ended within the last ``span_ns``."""

    def __init__(self, span_ns: int = SPAN_NS) -> None:
        self.span_ns = span_ns
        self._runs: deque[LoadRun] = deque()

    def add(self, run: LoadRun) -> None:
        """A slice just measured (slices arrive in the order they ran)."""
        self._runs.append(run)
        self._prune(run.finished_ns)

    def _prune(self, now_ns: int) -> None:
        runs = self._runs
        while len(runs) > 1 and runs[0].finished_ns < now_ns - self.span_ns:
            runs.popleft()

    def __len__(self) -> int:
        return len(self._runs)

    def figures(self, now_ns: int) -> WindowFigures | None:
        """The window's figures at ``now_ns`` (None before the first slice)."""
        self._prune(now_ns)
        if not self._runs:
            return None
        latency, wait = LatencyHistogram(), LatencyHistogram()
        requests = failed = busy = 0
        elapsed_ns = 0
        for run in self._runs:
            latency += run.latency
            if run.open_loop:
                wait += run.wait
            requests += run.requests
            failed += run.failed
            busy += run.busy_ns
            elapsed_ns += max(run.finished_ns - run.started_ns, 1)
        p50 = p99 = lag = None
        if latency.total:
            p50_ns, p99_ns = latency.quantiles([0.5, 0.99])
            p50, p99 = p50_ns / 1e9, p99_ns / 1e9
        if wait.total:
            lag = wait.quantiles([0.99])[0] / 1e9
        elapsed_s = elapsed_ns / 1e9
        return WindowFigures(
            requests=requests,
            failed=failed,
            elapsed_s=elapsed_s,
            rate=requests / elapsed_s,
            p50_s=p50,
            p99_s=p99,
            lag_p99_s=lag,
            in_flight=busy / elapsed_ns,
            connections=self._runs[-1].connections,
        )
