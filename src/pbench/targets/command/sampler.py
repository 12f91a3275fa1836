"""Resource view of a command's whole process tree while one run is alive.

One background thread per :class:`TreeSampler`, started on the first ``begin`` and
reused for every run, stopped by ``close``. pbench has one sampler for all the commands
of a run (they run one at a time: see :class:`pbench.targets.command.target.CommandIO`),
so a scan of a thousand benchmarks has one sampler thread, not a thousand. Each sample
walks the tree from the root through ``/proc/PID/task/TID/children`` (psutil's recursive
``children()`` scans all of /proc, ~1-2 ms a call, too slow for a 10 ms loop) and reads
only those processes: ``/proc/PID/stat`` (threads, RSS, start time), ``/proc/PID/io``
and each thread's ``schedstat`` (CPU time in nanoseconds). Descendants that lose their
parent are still followed while they live, even though the kernel reparents them outside
the tree.

Per-run metrics (floats; a key is omitted when there is nothing to report it from):

``cpu_mean_percent``
    tree CPU time / wall time from ``begin`` to ``end``, in % of one core (at most
    ``os.cpu_count()`` cores: for runs of a millisecond the spawn before ``begin`` is a
    large part of the CPU). The CPU time is the kernel's account (see "Kernel totals")
    when there is one, else the sum of sampled CPU, a lower bound.
``cpu_peak_percent``
    the highest CPU rate of the tree over a sliding window of ``max(100 ms, 2 x
    interval)``, never below the mean (so the mean for runs shorter than a window)
    nor above ``os.cpu_count()`` cores; only when at least one sample was taken.
    The kernel brings a running thread's CPU time up to date only once per scheduler
    tick (4 ms at HZ=250), so rates over single 10 ms intervals would be off by up to
    ±40% per busy thread; over 100 ms, by 4%.
``rss_mean_bytes``, ``rss_peak_bytes``, ``threads_peak``
    RSS and thread counts summed over the tree at each sample. Pages shared between
    processes count once per process, like summing top's RES column.
``disk_read_bytes``, ``disk_write_bytes``
    bytes the tree made the storage layer read and write: ``read_bytes`` and
    ``write_bytes - cancelled_write_bytes`` of /proc/PID/io, which the kernel also
    reports to the parent as ``ru_inblock``/``ru_oublock``. Not ``rchar``/``wchar``:
    those count every read()/write() (pipes, terminals, sockets, page-cache hits) and
    are no disk measure. Reads served from the page cache are not disk reads; writes
    count when pages are dirtied, so a written file is counted before it reaches disk.
    From the kernel's account when there is one, else sampled.
``net_recv_bytes``, ``net_sent_bytes``
    the *host's* traffic from the sampler's first look at the run (one to two intervals
    after its start; so absent for runs shorter than that) to its end: the
    /proc/net/dev delta over all interfaces
    of pbench's network namespace, loopback included. Other programs' traffic counts.
``samples``
    how many samples were taken. Runs shorter than one interval may have none. For
    trees so large that sampling them every interval would cost more than 4% of a
    core, the interval is stretched to keep within that.

Sampled values are lower bounds: whatever a process does between its last sample and
its exit is not seen, so a sampled peak can miss the true peak. The kernel's peak RSS
of the command (from the launcher's rusage) is exact.

Kernel totals: when a process is reaped, the kernel adds its CPU time and I/O counters
(and those of the descendants it reaped) to its parent's. ``begin`` notes the root's
parent, the reaper: this process (``getrusage(RUSAGE_CHILDREN)``: µs, 512-byte blocks)
or pbench's resident launcher (``/proc/PID/stat`` cutime+cstime in clock ticks, and
``/proc/PID/io``). Once the root is reaped, the reaper's deltas over the run are the
tree's totals, less whatever orphans left to init; the CPU total is taken less one
unit of resolution so that it stays a lower bound. For those deltas to belong to the
tree alone, the reaper must reap no other child between ``begin`` and ``end``. If the
root was reaped before ``begin`` could note its parent, only samples count.

With ``begin(..., exact_totals=True)`` the caller has those totals itself (pbench's
launcher reports ``wait4``'s rusage of each run, and the command target overwrites
``cpu_mean_percent`` and the disk figures with it), so nothing is read at ``begin``:
between spawning a command and waiting for it, a run of a millisecond must not wait
for /proc. The thread is not even woken: it looks every interval, so a run's first
sample comes one to two intervals after its start, and a run over before that has
only ``samples: 0``. With ``via_parent=True`` the pid given is the root's parent,
which runs one child at a time (the launcher); the root is its child at the first look.

Linux only: elsewhere (no /proc) ``end`` returns an empty mapping.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Literal, Protocol

from pbench.models import BenchmarkResult
from pbench.targets.command.procfs import supported
from pbench.targets.command.sampling import TreeRun, run_metrics, sample_tree, take_baseline


class ProcessSampler(Protocol):
    def begin(self, pid: int, exact_totals: bool = False, via_parent: bool = False) -> None: ...

    def end(self) -> Mapping[str, float]: ...

    def abandon(self) -> None: ...

    def close(self) -> None: ...


Aggregate = Literal["mean", "max", "sum"]

# How each per-run key is summarised over a benchmark's runs (same key in the summary).
SUMMARY_RULES: Mapping[str, Aggregate] = {
    "cpu_mean_percent": "mean",
    "cpu_peak_percent": "max",
    "rss_mean_bytes": "mean",
    "rss_peak_bytes": "max",
    "threads_peak": "max",
    "disk_read_bytes": "mean",
    "disk_write_bytes": "mean",
    "net_recv_bytes": "mean",
    "net_sent_bytes": "mean",
    "samples": "sum",
}


def summarize_runs(per_run: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Per-benchmark figures: each key of SUMMARY_RULES over the runs that have it.

    Peaks are the highest of all runs, means and byte counts the mean per run,
    ``samples`` the total; ``runs`` counts the runs that reported any metric.
    """
    values: dict[str, list[float]] = {}
    for run in per_run:  # one pass over the runs: an interrupted scan ends with many
        for key, value in run.items():
            if key in SUMMARY_RULES:
                values.setdefault(key, []).append(float(value))
    summary: dict[str, float] = {}
    for key, rule in SUMMARY_RULES.items():
        seen = values.get(key)
        if not seen:
            continue
        if rule == "mean":
            summary[key] = sum(seen) / len(seen)
        elif rule == "max":
            summary[key] = max(seen)
        else:
            summary[key] = float(sum(seen))
    runs = sum(1 for run in per_run if run)
    if runs:
        summary["runs"] = float(runs)
    return summary


_NICE = 10
_DUTY = 0.04  # most of one core the sampler thread may use
# Idle looks (one an interval) before the idle thread parks, waiting untimed until
# begin() wakes it. A niced thread that wakes while pbench works (a run aborted,
# reporting, exporting) takes the GIL, and on a busy machine can keep it, preempted,
# for as long as its low priority makes it wait for a core: pbench's own thread then
# waits too (what made an interrupted scan take seconds to end under load).
_IDLE_LOOKS = 20


class TreeSampler:
    """The real :class:`ProcessSampler`: one reusable thread sampling every interval.

    ``begin`` when a run's ``end`` was skipped (an exception while waiting) abandons
    that run. ``close`` stops the thread; ``begin`` after it raises RuntimeError.
    """

    def __init__(self, interval_s: float = 0.01) -> None:
        if not interval_s > 0:
            raise ValueError(f"sample interval must be positive, got {interval_s!r}")
        self._interval = interval_s
        self._peak_window = max(0.1, 2 * interval_s)
        self._supported = supported()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._run: TreeRun | None = None
        self._active = False
        self._closed = False
        self._parked = False  # the idle thread waits untimed: begin() must wake it

    def begin(self, pid: int, exact_totals: bool = False, via_parent: bool = False) -> None:
        """A run's root was spawned. With ``exact_totals`` the caller gets the tree's CPU
        time and disk I/O from the kernel itself (pbench's launcher reports ``wait4``'s
        rusage), and nothing is read here: begin() sits between spawning the command
        and waiting for it, and a run of a millisecond must not wait for /proc; the
        thread reads the starting counters at its first look, one to two intervals in.
        Without it, the starting counters are read now, so that the totals of even
        the shortest run come from the kernel's account of its reaper. With
        ``via_parent``, ``pid`` is the root's parent, which runs one child at a time
        (pbench's launcher, which does not say the child's pid until it reaped it)."""
        with self._cond:
            if self._closed:
                raise RuntimeError("TreeSampler.begin() after close()")
            if self._run is not None:  # the last run was abandoned (an exception skipped end)
                self._run.files.close()
                self._run = None
            self._active = True
            if not self._supported:
                return
            t_begin = time.monotonic()
            run = TreeRun(pid, t_begin, exact_totals=exact_totals, via_parent=via_parent)
            run.cpu_history.append((t_begin, 0))
            if not exact_totals and not via_parent:
                take_baseline(run)
            self._run = run
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="pbench-sampler", daemon=True
                )
                self._thread.start()
            # No notify: waking the thread now would cost the command a context switch
            # at its start. The idle thread looks every interval, so a run's first
            # sample falls between one and two intervals after its start; only a
            # thread parked after a long pause is woken.
            if self._parked:
                self._parked = False
                self._cond.notify()

    def end(self) -> Mapping[str, float]:
        t_end = time.monotonic()
        with self._cond:  # waits at most for a sample in progress, never an interval
            if not self._active:
                raise RuntimeError("TreeSampler.end() without begin()")
            self._active = False
            run, self._run = self._run, None
        if run is None:
            return {}
        if not run.baseline or run.root < 0:
            # Over before the thread looked: the caller's exact totals describe it.
            return {"samples": 0.0}
        try:
            sample_tree(run, t_end, self._peak_window)
            return run_metrics(run, t_end)
        finally:
            run.files.close()

    def abandon(self) -> None:
        """The run begun was cut short (an interrupt, an error): drop it, no figures.
        The thread stops sampling it at once instead of at :meth:`close`."""
        with self._cond:
            self._active = False
            run, self._run = self._run, None
        if run is not None:
            run.files.close()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            run, self._run = self._run, None
            self._cond.notify()
            thread = self._thread
        if thread is not None:
            thread.join()
        if run is not None:
            run.files.close()

    def _loop(self) -> None:
        # Niced, the thread seldom preempts the measured command on a busy machine;
        # it still gets the ~2% of a core it needs. (Linux: a TID names one thread.)
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _NICE)
        with self._cond:
            while True:
                looks = 0
                while self._run is None and not self._closed:
                    self._parked = looks >= _IDLE_LOOKS
                    self._cond.wait(None if self._parked else self._interval)
                    looks += 1
                self._parked = False
                if self._closed:
                    return
                run = self._run
                assert run is not None
                deadline = run.t_begin + self._interval
                while self._run is run and not self._closed:
                    delay = deadline - time.monotonic()
                    if delay > 0:
                        self._cond.wait(delay)
                        continue
                    now, cpu = time.monotonic(), time.thread_time()
                    if not run.baseline:
                        take_baseline(run)
                    sample_tree(run, now, self._peak_window)
                    cost = time.thread_time() - cpu
                    deadline = max(deadline + self._interval, now + self._interval / 2)
                    # A tree so big that sampling it would take more than _DUTY of a
                    # core stretches the interval instead of loading the machine.
                    deadline = max(deadline, time.monotonic() + cost * (1 / _DUTY - 1))


def add_process_tree_section(result: BenchmarkResult) -> None:
    """Per-benchmark summary of the sampler's per-run figures (JSON and terminal), into
    ``result.sections["process_tree"]``."""
    per_run = [m.metrics for m in result.measurements if m.metrics]
    if per_run:
        result.sections["process_tree"] = summarize_runs(per_run)
