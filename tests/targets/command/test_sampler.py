"""TreeSampler against real process trees: workers, files, sockets, orphans."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from pbench.targets.command.sampler import TreeSampler

MB = 1 << 20

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@pytest.fixture
def sampler() -> Iterator[TreeSampler]:
    s = TreeSampler()
    yield s
    s.close()


def run_tree(sampler: TreeSampler, argv: Sequence[str]) -> Mapping[str, float]:
    """Spawn argv as the root of a tree, sample it until reaped, return the metrics."""
    pid = os.posix_spawn(argv[0], list(argv), dict(os.environ))
    sampler.begin(pid)
    _, status = os.waitpid(pid, 0)
    metrics = sampler.end()
    assert os.waitstatus_to_exitcode(status) == 0
    return metrics


def python(code: str) -> list[str]:
    return [sys.executable, "-I", "-S", "-c", textwrap.dedent(code)]


def under_shell(argv: Sequence[str], after: str = "true") -> list[str]:
    """Root = sh, which forks argv (a trailing command stops sh from exec'ing it)."""
    quoted = " ".join("'" + a.replace("'", "'\\''") + "'" for a in argv)
    return ["/bin/sh", "-c", f"{quoted}; {after}"]


WORKERS = """
    import os, time
    times = os.open({times!r}, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    together = time.monotonic() + 0.2
    pids = []
    for _ in range({n}):
        pid = os.fork()
        if pid == 0:
            block = b"x" * ({mb} << 20)  # written, so resident
            time.sleep(max(together - time.monotonic(), 0))  # all hold memory
            start = time.monotonic()
            cpu = time.process_time()
            while time.process_time() - cpu < {burn}:
                pass
            os.write(times, b"%r %r\\n" % (start, time.monotonic()))
            os._exit(len(block) == 0)
        pids.append(pid)
    for pid in pids:
        assert os.waitpid(pid, 0)[1] == 0
"""


def workers(n: int, mb: int, burn: float, times: Path) -> tuple[list[str], float]:
    """argv of a python whose n forked workers each hold mb MB and burn `burn` CPU
    seconds, writing their burn's start and end to `times`; and the CPU seconds burnt."""
    return python(WORKERS.format(n=n, mb=mb, burn=burn, times=str(times))), n * burn


def burn_rate(times: Path, cpu_s: float) -> float:
    """% of one core the workers got on average from the first start to the last end."""
    spans = [tuple(map(float, line.split())) for line in times.read_text().splitlines()]
    return cpu_s / (max(end for _, end in spans) - min(start for start, _ in spans)) * 100


def test_workers_memory_cpu_and_threads_summed_over_the_tree(
    sampler: TreeSampler, tmp_path: Path
) -> None:
    # sh → python → 4 workers, each holding 40 MB while burning 0.4 s of CPU.
    argv, cpu_s = workers(4, 40, 0.4, tmp_path / "times")
    m = run_tree(sampler, under_shell(argv))
    assert m["rss_peak_bytes"] >= 0.8 * 160 * MB  # sampled: a lower bound of the true sum
    assert m["rss_peak_bytes"] < 400 * MB
    assert 0 < m["rss_mean_bytes"] <= m["rss_peak_bytes"]
    assert m["threads_peak"] >= 6  # sh, python, 4 workers: one thread each at least
    assert m["samples"] >= 10
    # The burn phase's average rate is at most its peak: about 200% on an idle 2-core
    # machine, less when other work competes, so the bound follows what the kernel gave.
    granted = burn_rate(tmp_path / "times", cpu_s)
    assert m["cpu_peak_percent"] >= 0.75 * granted
    assert m["cpu_peak_percent"] <= 100 * (os.cpu_count() or 1)
    assert m["cpu_peak_percent"] >= m["cpu_mean_percent"] > 0
    if granted >= 120:  # the workers did run in parallel
        assert m["cpu_peak_percent"] > 100


def test_cpu_of_one_busy_thread_is_about_one_core(sampler: TreeSampler, tmp_path: Path) -> None:
    m = run_tree(sampler, workers(1, 1, 0.4, tmp_path / "times")[0])
    # Never more than one core (±1 scheduler tick over a 100 ms window); less when the
    # machine is busy with other work, so no tight lower bound.
    assert 0 < m["cpu_mean_percent"] <= m["cpu_peak_percent"] <= 110


def test_disk_write_counts_file_bytes_not_other_writes(
    sampler: TreeSampler, tmp_path: Path
) -> None:
    target = tmp_path / "out.bin"
    code = f"""
        import os
        fd = os.open({str(target)!r}, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        for _ in range(20):
            os.write(fd, b"y" * (1 << 20))
        os.fsync(fd)
        os.close(fd)
        null = os.open("/dev/null", os.O_WRONLY)  # counted by wchar, not by write_bytes
        for _ in range(30):
            os.write(null, b"z" * (1 << 20))
    """
    m = run_tree(sampler, under_shell(python(code)))
    assert target.stat().st_size == 20 * MB
    assert 20 * MB <= m["disk_write_bytes"] < 25 * MB


RESIDENT_REAPER = """
    import json, os, sys
    for line in sys.stdin:  # one command per line, as the resident launcher does
        pid = os.fork()
        if pid == 0:
            os.execv(sys.executable, [sys.executable, "-I", "-S", "-c", json.loads(line)])
        print(pid, flush=True)
        print("reaped", os.waitpid(pid, 0)[1], flush=True)
"""


def test_a_resident_reaper_gives_the_kernel_totals(tmp_path: Path) -> None:
    # Like pbench's resident launcher: the root's parent stays alive and reaps it, so
    # its /proc counters (cutime, cstime, io) hold the whole tree's totals at end().
    # A 5 s interval takes no sample: the figures can only come from those counters.
    sampler = TreeSampler(interval_s=5.0)
    target = tmp_path / "out.bin"
    write_and_burn = textwrap.dedent(f"""
        import os, time
        fd = os.open({str(target)!r}, os.O_WRONLY | os.O_CREAT)
        os.write(fd, b"w" * (16 << 20))
        os.fsync(fd)
        start = time.process_time()
        while time.process_time() - start < 0.3:
            pass
    """)
    reaper = subprocess.Popen(
        python(RESIDENT_REAPER), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert reaper.stdin is not None and reaper.stdout is not None
    try:
        for _ in range(2):  # twice: the deltas belong to each run
            reaper.stdin.write(json.dumps(write_and_burn) + "\n")
            reaper.stdin.flush()
            pid = int(reaper.stdout.readline())
            started = time.monotonic()
            sampler.begin(pid)
            assert reaper.stdout.readline() == "reaped 0\n"
            m = sampler.end()
            wall = time.monotonic() - started
            assert m["samples"] == 0
            assert 16 * MB <= m["disk_write_bytes"] < 20 * MB
            # At least 0.3 s of CPU, less up to 20 ms of clock-tick rounding, over at
            # most this wall time.
            assert m["cpu_mean_percent"] >= 0.28 / wall * 100
    finally:
        sampler.close()
        reaper.stdin.close()
        reaper.wait(10)


def test_disk_read_counts_bytes_fetched_from_storage(sampler: TreeSampler, tmp_path: Path) -> None:
    target = tmp_path / "in.bin"
    target.write_bytes(os.urandom(8 * MB))
    fd = os.open(target, os.O_RDONLY)
    os.fsync(fd)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)  # out of the page cache
    os.close(fd)
    code = f"""
        with open({str(target)!r}, "rb") as f:
            while f.read(1 << 20):
                pass
    """
    m = run_tree(sampler, python(code))
    assert m["disk_read_bytes"] >= 0.9 * 8 * MB


def test_host_network_bytes_include_loopback_traffic(sampler: TreeSampler) -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def drain() -> None:
        conn, _ = server.accept()
        with conn:
            while conn.recv(1 << 16):
                pass
            conn.sendall(b"k")  # all of it arrived: the child may now exit

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    code = f"""
        import socket
        with socket.create_connection(("127.0.0.1", {port})) as s:
            s.sendall(b"n" * (5 << 20))
            s.shutdown(socket.SHUT_WR)
            assert s.recv(1) == b"k"
    """
    m = run_tree(sampler, python(code))
    reader.join(10)
    server.close()
    assert m["net_sent_bytes"] >= 5 * MB  # loopback: sent and received by the host
    assert m["net_recv_bytes"] >= 5 * MB


def test_children_that_come_and_go_and_orphans_are_followed(sampler: TreeSampler) -> None:
    # The child forks a grandchild and exits; the orphan, reparented out of the tree,
    # then allocates 80 MB while the root sleeps.
    code = """
        import os, time
        if os.fork() == 0:
            time.sleep(0.3)
            block = b"o" * (80 << 20)
            time.sleep(0.4)
            os._exit(0)
        time.sleep(0.1)
    """
    m = run_tree(sampler, under_shell(python(code), after="sleep 1"))
    assert m["rss_peak_bytes"] >= 0.8 * 80 * MB


def test_short_run_ends_promptly_with_few_samples() -> None:
    slow = TreeSampler(interval_s=5.0)
    try:
        pid = os.posix_spawn("/bin/true", ["true"], {})
        slow.begin(pid)
        os.waitpid(pid, 0)
        started = time.monotonic()
        m = slow.end()
        assert time.monotonic() - started < 1.0  # never waits for the 5 s interval
    finally:
        slow.close()
    assert m["samples"] == 0
    assert "rss_peak_bytes" not in m and "cpu_peak_percent" not in m
    # If the thread woke before the root was reaped, the kernel's totals for the reaped
    # root are there; if not, nothing but the sample count (the launcher's rusage is
    # the exact figure for such runs).
    if len(m) > 1:
        assert m["cpu_mean_percent"] >= 0
        assert m["disk_write_bytes"] >= 0


def sampler_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name == "pbench-sampler"}


def test_reused_across_many_runs_with_one_thread(sampler: TreeSampler) -> None:
    before = sampler_threads()
    run_tree(sampler, ["/bin/true"])
    fds = len(os.listdir("/proc/self/fd"))
    for i in range(30):
        argv = ["/bin/sleep", "0.05"] if i % 10 == 0 else ["/bin/true"]
        # How many samples a run gets depends on how long the machine lets it run; what
        # no load changes: the one sampler thread serves them all and leaks no file
        run_tree(sampler, argv)
    assert len(sampler_threads() - before) == 1
    assert len(os.listdir("/proc/self/fd")) == fds  # no /proc file left open


def test_a_churning_tree_is_followed_without_leaking(sampler: TreeSampler) -> None:
    fds = len(os.listdir("/proc/self/fd"))
    script = "for i in $(seq 150); do /bin/sleep 0.001; done"
    m = run_tree(sampler, ["/bin/sh", "-c", script])
    assert m["samples"] >= 5
    assert m["threads_peak"] >= 1
    assert 0 < m["cpu_mean_percent"] <= m["cpu_peak_percent"]
    assert len(os.listdir("/proc/self/fd")) == fds


def test_close_stops_the_thread_and_refuses_new_runs() -> None:
    before = sampler_threads()
    s = TreeSampler()
    run_tree(s, ["/bin/sleep", "0.03"])
    (thread,) = sampler_threads() - before
    s.close()
    assert not thread.is_alive()
    with pytest.raises(RuntimeError):
        s.begin(os.getpid())
    s.close()  # idempotent
