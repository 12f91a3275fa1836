"""A fixed, hand-made RunResults that exercises every corner the exporters handle."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from pbench.models import BenchmarkResult, Measurement, RunResults
from pbench.stats.comparison import Comparison
from pbench.stats.summary import Interval, Summary

FIXED_METADATA: dict[str, Any] = {
    "pbench_version": "0.1.0",
    "start_time": "2026-01-02T03:04:05.678Z",
    "os": {
        "system": "Linux",
        "release": "6.1.0",
        "platform": "Linux-6.1.0-x86_64",
        "machine": "x86_64",
    },
    "cpu": {"model": "Test CPU", "logical_count": 2, "physical_count": 1, "available_count": 2},
    "memory": {"total_bytes": 25769803776},
    "python": {"version": "3.11.7", "implementation": "CPython"},
    "git": {"commit": "0123456789abcdef0123456789abcdef01234567", "branch": "main", "dirty": False},
}


@dataclass(frozen=True)
class FakeComparison(Comparison):
    """A real Comparison whose as_dict() is ``data`` (what the golden files hold); the
    HTML report reads its fields."""

    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return self.data


def fake_comparison(data: dict[str, Any]) -> FakeComparison:
    low, high = data["ci"]
    return FakeComparison(
        name=data["name"], reference="sleep 0.1", ratio_median=data["ratio"],
        ratio_median_ci=(low, high), ratio_mean=data["ratio"], ratio_mean_ci=(low, high),
        p_value=0.001, p_adjusted=0.002, verdict="faster", statistic="median", threshold=0.01,
        alpha=0.05, n_reference=10, n_candidate=10, advice=None, data=data,
    )  # fmt: skip


def runs(
    times: Sequence[float],
    *,
    user: float | None = 0.001,
    system: float | None = 0.0005,
    rss: int | None = 1_048_576,
    exit_codes: Sequence[int | None] | None = None,
    positions: Sequence[int] | None = None,
    metrics: dict[str, float] | None = None,
) -> list[Measurement]:
    """One measurement per time, in execution order (run i in round i)."""
    result = []
    for i, wall in enumerate(times):
        code = 0 if exit_codes is None else exit_codes[i]
        result.append(
            Measurement(
                wall_s=wall,
                user_s=user,
                system_s=system,
                peak_rss_bytes=None if rss is None else rss + 4096 * i,
                exit_code=code,
                signal=9 if code is None else None,
                timed_out=code is None,
                error=None,
                round=i,
                position=0 if positions is None else positions[i],
                iteration=i,
                metrics=metrics or {},
            )
        )
    return result


def http_summary() -> Summary:
    """A summary computed elsewhere from a full histogram (summary_override)."""
    return Summary(
        n=10_000,
        mean=0.0004,
        stddev=0.0001,
        median=0.00038,
        min=0.0002,
        max=0.003,
        p5=0.00025,
        p25=0.00032,
        p75=0.00045,
        p90=0.00055,
        p95=0.0006,
        p99=0.0011,
        mad=0.00006,
        iqr=0.00013,
        cv=0.25,
        mean_ci=Interval(0.000398, 0.000402),
        median_ci=Interval(0.000379, 0.000381),
    )


def build_results() -> RunResults:
    fast = BenchmarkResult(
        name="sleep 0.1",
        command="sleep 0.1",
        parameters={},
        info={"shell": "none"},
        measurements=runs([0.1012, 0.1009, 0.1021, 0.1011, 0.1015], positions=[1, 0, 1, 0, 1]),
        warmups=2,
        stop_reason="runs",
    )
    tricky = BenchmarkResult(
        name='grep "a|b" `ls` | wc -l',
        command='grep "a|b" `ls` | wc -l',
        parameters={},
        info={"shell": "sh", "shell_spawn_s": 0.0008},
        measurements=runs(
            [0.152, 0.149, 0.151, 0.35, 0.150],
            exit_codes=[0, 1, 0, None, 0],
            positions=[0, 1, 0, 1, 0],
        ),
        warmups=2,
        stop_reason="runs",
        notes=["shell spawn time 0.8 ms subtracted"],
    )
    scanned = BenchmarkResult(
        name="sleep t=0.05",
        command="sleep 0.05",
        parameters={"t": "0.05", "mode": 'fast, quoted "yes"'},
        info={"shell": "none"},
        measurements=runs([0.0505, 0.0502, 0.0508], rss=None),
        stop_reason="time",
    )
    http = BenchmarkResult(
        name="GET /",
        command="GET http://127.0.0.1:8080/",
        parameters={},
        info={"method": "GET", "limit": math.inf},
        measurements=runs(
            [0.0004, 0.0003, 0.0005],
            user=None,
            system=None,
            rss=None,
            metrics={"bytes": 512.0, "status": 200.0, "ratio": math.nan, "wall": 1.0},
        ),
        stop_reason="time",
        sections={"http": {"requests": 10_000, "errors": 0, "rps": 2500.5}, "name": "clash"},
        summary_override=http_summary(),
    )
    partial = BenchmarkResult(
        name="partial",
        command="sleep 1",
        parameters={"t": "1"},
        info={},
        measurements=runs([1.002]),
        stop_reason=None,
    )
    empty = BenchmarkResult(
        name="never ran",
        command="sleep 2",
        parameters={},
        info={},
        stop_reason="interrupted",
    )
    return RunResults(
        results=[fast, tricky, scanned, http, partial, empty],
        metadata=FIXED_METADATA,
        reference="sleep 0.1",
        warnings={'grep "a|b" `ls` | wc -l': ["1 run ignored with exit code 1 (-i)"]},
        comparisons=[fake_comparison({"name": "GET /", "ratio": 0.004, "ci": [0.0039, math.inf]})],
    )


@pytest.fixture
def report() -> RunResults:
    return build_results()


RunsFactory = Any  # the signature of runs(); fixtures cannot carry a better type


@pytest.fixture
def make_runs() -> RunsFactory:
    return runs


@pytest.fixture
def make_summary() -> Any:
    return http_summary
