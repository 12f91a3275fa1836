"""One sampled run of a process tree: what the sampler thread accumulates from /proc, and
the metrics it becomes at the end (see :mod:`pbench.targets.command.sampler` for their meaning)."""

from __future__ import annotations

import os
import time
from collections import deque
from dataclasses import dataclass, field

from pbench.targets.command.procfs import (
    ProcFiles,
    ReapedCounters,
    net_counters,
    parse_io,
    parse_stat,
    read_file,
    reaper_counters,
)


@dataclass(slots=True)
class TreeRun:
    """Mutable accumulators of the run being sampled (private to the sampler)."""

    root: int
    t_begin: float
    baseline: bool = False  # the root's identity (and, undeclared, its reaper) was read
    exact_totals: bool = False  # the caller has the kernel's CPU and disk totals itself
    via_parent: bool = False  # ``root`` is the root's parent until the first look
    root_start: int | None = None
    net: dict[str, tuple[int, int]] | None = None
    reaper: int | None = None  # the root's parent at begin, and its start time
    reaper_start: int | None = None
    reaped_before: ReapedCounters | None = None
    files: ProcFiles = field(default_factory=ProcFiles)
    known: dict[int, int] = field(default_factory=dict)  # pid → starttime, last sample
    cpu_base: dict[int, int] = field(default_factory=dict)  # tid → runtime ns
    cpu_ns: int = 0  # sampled tree CPU so far
    cpu_history: deque[tuple[float, int]] = field(default_factory=deque)  # (start, cpu_ns)
    cpu_peak: float | None = None
    samples: int = 0
    rss_sum: int = 0
    rss_peak: int = 0
    threads_peak: int = 0
    disk_read: int = 0
    disk_write: int = 0


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def sample_tree(run: TreeRun, now: float, peak_window: float) -> bool:
    """Read every live process of the tree once; False when none was found."""
    queue = [run.root, *run.known]
    in_tree = {run.root}
    seen: dict[int, int] = {}
    runtimes: dict[int, int] = {}
    rss = threads = disk_read = disk_write = 0
    read = run.files.read
    for pid in queue:  # parents before children, so a reap mid-sample undercounts
        if pid in seen:
            continue
        stat = parse_stat(read(f"/proc/{pid}/stat") or b"")
        if stat is None:
            continue  # gone
        if pid == run.root:
            expected = run.root_start
        elif pid in in_tree:
            expected = None  # listed as a child by a tree process: ours, whatever it was
        else:
            expected = run.known[pid]  # followed from the last sample (an orphan)
        if expected is not None and stat.starttime != expected:
            continue  # the pid now belongs to an unrelated process
        seen[pid] = stat.starttime
        if stat.state not in ("Z", "X"):
            rss += stat.rss_pages * _PAGE
            threads += stat.num_threads
        io = read(f"/proc/{pid}/io")
        if io:
            read_bytes, write_bytes = parse_io(io)
            disk_read += read_bytes
            disk_write += write_bytes
        try:
            tids = (
                [pid] if stat.num_threads == 1 else list(map(int, os.listdir(f"/proc/{pid}/task")))
            )
        except OSError:
            continue
        for tid in tids:
            task = f"/proc/{pid}/task/{tid}/"
            for child in (read(task + "children") or b"").split():
                queue.append(int(child))
                in_tree.add(int(child))
            schedstat = read(task + "schedstat")
            if schedstat:
                runtimes[tid] = int(schedstat.split()[0])
    run.files.sweep()
    if not seen:
        return False
    run.known = seen
    run.samples += 1
    run.rss_sum += rss
    run.rss_peak = max(run.rss_peak, rss)
    run.threads_peak = max(run.threads_peak, threads)
    # /proc/PID/io includes reaped children, so the live sum can only dip transiently.
    run.disk_read = max(run.disk_read, disk_read)
    run.disk_write = max(run.disk_write, disk_write)
    used = 0
    for tid, runtime in runtimes.items():
        before = run.cpu_base.get(tid, 0)
        used += runtime - before if runtime >= before else runtime  # else: tid reused
    run.cpu_base.update(runtimes)  # keeps vanished threads, should one reappear
    run.cpu_ns += used
    _update_peak(run, now, time.monotonic(), peak_window)
    return True


def _max_percent() -> float:
    return 100.0 * (os.cpu_count() or 1)


def _update_peak(run: TreeRun, start: float, finish: float, peak_window: float) -> None:
    """Fastest CPU rate over the newest window of at least ``peak_window``.

    A window runs from an earlier sample's start to this sample's finish: at least as
    long as the span between any thread's two reads, even if the sampler was preempted.
    """
    history = run.cpu_history
    history.append((start, run.cpu_ns))
    while len(history) > 2 and finish - history[1][0] >= peak_window:
        history.popleft()
    first_start, first_ns = history[0]
    if finish - first_start < peak_window:
        return  # too short to be accurate: runs shorter than a window report their mean
    rate = (run.cpu_ns - first_ns) / (finish - first_start) / 1e7
    run.cpu_peak = max(run.cpu_peak or 0.0, min(rate, _max_percent()))


def _reaped_delta(run: TreeRun) -> ReapedCounters | None:
    """What the root's tree used by the kernel's account, once the reaper reaped it."""
    stat = parse_stat(read_file(f"/proc/{run.root}/stat") or b"")
    if stat is not None and stat.starttime == run.root_start:
        return None  # not reaped yet (a zombie, or end() called early)
    before = run.reaped_before
    after = None if run.reaper is None else reaper_counters(run.reaper, run.reaper_start)
    if before is None or after is None:
        return None
    return ReapedCounters(
        after.cpu_s - before.cpu_s,
        after.cpu_resolution_s,
        after.disk_read - before.disk_read,
        after.disk_write - before.disk_write,
    )


def run_metrics(run: TreeRun, t_end: float) -> dict[str, float]:
    wall = t_end - run.t_begin
    cpu_s, disk_read, disk_write = run.cpu_ns / 1e9, run.disk_read, run.disk_write
    kernel = None if run.exact_totals else _reaped_delta(run)
    if kernel is not None:
        # Exact but for the counter's resolution: keep a lower bound, like the samples.
        cpu_s = max(cpu_s, kernel.cpu_s - kernel.cpu_resolution_s)
        disk_read = max(disk_read, kernel.disk_read)
        disk_write = max(disk_write, kernel.disk_write)
    reaped = kernel is not None
    metrics: dict[str, float] = {"samples": float(run.samples)}
    if wall > 0 and (reaped or run.samples):
        metrics["cpu_mean_percent"] = min(cpu_s / wall * 100.0, _max_percent())
    if run.samples and "cpu_mean_percent" in metrics:
        peak = run.cpu_peak or 0.0
        if run.threads_peak:
            # A window's rate divides CPU time read at one instant by wall time read at
            # another, so timing jitter can show one thread above 100%: no more threads
            # than were ever seen at once can have run at once.
            peak = min(peak, 100.0 * run.threads_peak)
        metrics["cpu_peak_percent"] = max(peak, metrics["cpu_mean_percent"])
    if run.samples and run.rss_peak:  # 0 when only the zombie root was ever seen
        metrics["rss_mean_bytes"] = run.rss_sum / run.samples
        metrics["rss_peak_bytes"] = float(run.rss_peak)
        metrics["threads_peak"] = float(run.threads_peak)
    if reaped or run.samples:
        metrics["disk_read_bytes"] = float(disk_read)
        metrics["disk_write_bytes"] = float(disk_write)
    net_end = None if run.net is None else net_counters()
    if run.net is not None and net_end is not None:
        pairs = [(net_end[name], before) for name, before in run.net.items() if name in net_end]
        metrics["net_recv_bytes"] = float(sum(max(a[0] - b[0], 0) for a, b in pairs))
        metrics["net_sent_bytes"] = float(sum(max(a[1] - b[1], 0) for a, b in pairs))
    return metrics


def take_baseline(run: TreeRun) -> None:
    """The root's identity, the host's network counters and, unless the caller has the
    exact totals, the root's parent (its reaper) and that reaper's totals so far."""
    if run.via_parent:
        # pbench's launcher runs one command at a time: its only child is the root.
        children = (read_file(f"/proc/{run.root}/task/{run.root}/children") or b"").split()
        run.via_parent = False
        if not children:
            run.root = -1  # over already: nothing to sample
            run.baseline = True
            return
        run.root = int(children[0])
    root = parse_stat(read_file(f"/proc/{run.root}/stat") or b"")
    run.net = net_counters()
    if root is not None:
        run.root_start = root.starttime
        if not run.exact_totals:
            reaper = parse_stat(read_file(f"/proc/{root.ppid}/stat") or b"")
            run.reaper = root.ppid
            run.reaper_start = None if reaper is None else reaper.starttime
            run.reaped_before = reaper_counters(root.ppid, run.reaper_start)
            again = parse_stat(read_file(f"/proc/{run.root}/stat") or b"")
            if again is None or again.starttime != root.starttime:
                run.reaped_before = None  # reaped meanwhile: the baseline includes it
    run.baseline = True
