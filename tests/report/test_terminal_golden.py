"""The terminal report, byte for byte, from a fixed set of results (NO_COLOR style).

After an intended change of the report, regenerate and review the diff:

    PBENCH_REGEN_GOLDEN=1 python3 -m pytest tests/report/test_terminal_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from export.conftest import FIXED_METADATA, runs
from pbench.models import BenchmarkResult, RunResults
from pbench.report.terminal import Style, render_report
from pbench.run.results import build_results

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden" / "terminal.txt"
PLAIN = Style(color=False)


def fixed_results() -> list[BenchmarkResult]:
    fast = BenchmarkResult(
        name="sleep 0.1",
        command="sleep 0.1",
        parameters={},
        info={"type": "command", "shell_mode": "direct"},
        measurements=runs([0.1012, 0.1009, 0.1021, 0.1011, 0.1015, 0.1013]),
        warmups=2,
        stop_reason="runs",
        sections={
            "process_tree": {
                "cpu_mean_percent": 1.0,
                "cpu_peak_percent": 3.0,
                "rss_peak_bytes": 1_048_576,
                "threads_peak": 1.0,
                "disk_read_bytes": 0.0,
                "disk_write_bytes": 4096.0,
            }
        },
    )
    noisy = BenchmarkResult(
        name="multi\nline name",
        command="sleep 0.12",
        parameters={},
        info={"type": "command", "shell_mode": "direct"},
        measurements=runs([0.30, 0.121, 0.119, 0.2, 0.118, 0.122]),
        stop_reason="budget",
    )
    wide = BenchmarkResult(
        name="wide range",
        command="wide",
        parameters={},
        info={"type": "command"},
        measurements=runs([27.53e-6] + [80e-6] * 8 + [14216.3e-6], user=None, system=None),
        stop_reason="runs",
    )
    load = {
        "model": "open",
        "concurrency": 1,
        "workers": 1,
        "target_rate": 5000.0,
        "elapsed_s": 13.2,
        "requests": 22_000,
        "succeeded": 22_000,
        "failed": 0,
        "throughput": {"requests_per_s": 1666.7, "succeeded_per_s": 1666.7, "bytes_per_s": 5000},
        "latency": {
            "mean": 4.7,
            "stddev": 2.0,
            "min": 0.001,
            "p50": 4.8,
            "p90": 8.0,
            "p95": 8.5,
            "p99": 9.0,
            "p99_9": 9.1,
            "max": 9.2,
        },
        "errors": {},
        "status_codes": {"200": 22_000},
        "client_cpu": {"cpu_s": 2.0, "cores": 0.15, "per_worker": 0.15},
        "warnings": ["the target did not keep up with 5000 req/s (achieved 1666.7 req/s)"],
    }
    http = BenchmarkResult(
        name="GET /api",
        command="GET http://127.0.0.1:8080/api",
        parameters={},
        info={"kind": "http"},
        measurements=runs([4.8, 4.7, 4.9], user=None, system=None, rss=None),
        stop_reason="time",
        sections={"load": load},
    )
    failed = BenchmarkResult(
        name="false",
        command="false",
        parameters={},
        info={"type": "command"},
        measurements=runs([0.0016], exit_codes=[1]),
        stop_reason="failed",
    )
    skipped = BenchmarkResult(name="true", command="true", parameters={}, info={"type": "command"})
    return [fast, noisy, wide, http, failed, skipped]


def fixed_report() -> RunResults:
    return build_results(
        fixed_results(),
        FIXED_METADATA,
        reference="sleep 0.1",
        time_unit=None,
        compare=True,
        seed=1,
    )


def test_terminal_report_matches_golden_file() -> None:
    text = render_report(fixed_report(), PLAIN) + "\n"
    if os.environ.get("PBENCH_REGEN_GOLDEN") == "1":
        GOLDEN.write_bytes(text.encode("utf-8"))
        pytest.skip(f"regenerated {GOLDEN}")
    assert text == GOLDEN.read_text(encoding="utf-8")
