"""Pure parts of the sampler on known data: /proc parsers, run summaries, degrading."""

from __future__ import annotations

import pytest

import pbench.targets.command.sampler as sampler_module
from pbench.targets.command.procfs import ProcStat, parse_io, parse_net_dev, parse_stat
from pbench.targets.command.sampler import SUMMARY_RULES, TreeSampler, summarize_runs

STAT = (
    b"4242 (we(ird) name) S 1 4242 4242 0 -1 4194304 2864 6528 0 0 3 1 3 2 20 0 "
    b"7 0 40749 16973824 3381 18446744073709551615 1 1 0 0 0 0 0 16781312 2 0 0 0 17\n"
)

IO = (
    b"rchar: 1353980\nwchar: 20971520\nsyscr: 137\nsyscw: 1\n"
    b"read_bytes: 8192\nwrite_bytes: 20979712\ncancelled_write_bytes: 4096\n"
)

NET_DEV = b"""Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop
    lo:    3193      29    0    0    0     0          0         0     3194      29    0    0
  eth0: 52228971    1368    0    0    0     0          0         0    79528     888    0    0
"""


def test_parse_stat_survives_parentheses_and_spaces_in_the_name() -> None:
    assert parse_stat(STAT) == ProcStat(
        state="S",
        ppid=1,
        children_cpu_ticks=5,
        num_threads=7,
        starttime=40749,
        rss_pages=3381,
    )


def test_parse_stat_rejects_truncated_or_empty_input() -> None:
    assert parse_stat(b"") is None
    assert parse_stat(b"12 (x) S 1 2 3") is None


def test_parse_io_uses_storage_bytes_net_of_cancelled_writes() -> None:
    assert parse_io(IO) == (8192, 20979712 - 4096)


def test_parse_io_finds_the_counters_by_name_in_another_layout() -> None:
    reordered = b"write_bytes: 300\nread_bytes: 100\nrchar: 5\n"
    assert parse_io(reordered) == (100, 300)


def test_parse_net_dev_reads_bytes_in_and_out_per_interface() -> None:
    assert parse_net_dev(NET_DEV) == {"lo": (3193, 3194), "eth0": (52228971, 79528)}


def test_summarize_runs_means_peaks_and_totals() -> None:
    runs = [
        {"cpu_mean_percent": 50.0, "cpu_peak_percent": 90.0, "rss_peak_bytes": 100.0,
         "rss_mean_bytes": 80.0, "threads_peak": 2.0, "disk_write_bytes": 10.0,
         "samples": 3.0},
        {"cpu_mean_percent": 70.0, "cpu_peak_percent": 150.0, "rss_peak_bytes": 300.0,
         "rss_mean_bytes": 120.0, "threads_peak": 5.0, "disk_write_bytes": 30.0,
         "samples": 4.0},
        {"samples": 0.0, "cpu_mean_percent": 90.0},
    ]  # fmt: skip
    assert summarize_runs(runs) == {
        "cpu_mean_percent": 70.0,
        "cpu_peak_percent": 150.0,
        "rss_mean_bytes": 100.0,
        "rss_peak_bytes": 300.0,
        "threads_peak": 5.0,
        "disk_write_bytes": 20.0,
        "samples": 7.0,
        "runs": 3.0,
    }


def test_summarize_runs_of_nothing_is_empty() -> None:
    assert summarize_runs([]) == {}
    assert summarize_runs([{}, {}]) == {}


def test_every_per_run_key_has_a_summary_rule() -> None:
    assert set(SUMMARY_RULES) == {
        "cpu_mean_percent", "cpu_peak_percent", "rss_mean_bytes", "rss_peak_bytes",
        "threads_peak", "disk_read_bytes", "disk_write_bytes", "net_recv_bytes",
        "net_sent_bytes", "samples",
    }  # fmt: skip


def test_without_proc_the_sampler_returns_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sampler_module, "supported", lambda: False)
    s = TreeSampler()
    s.begin(1)
    assert s.end() == {}
    s.close()


def test_misuse_is_refused() -> None:
    with pytest.raises(ValueError):
        TreeSampler(interval_s=0)
    s = TreeSampler()
    with pytest.raises(RuntimeError):
        s.end()
    s.close()
