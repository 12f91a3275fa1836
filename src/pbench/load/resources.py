"""What each run of a command load run cost, from the kernel: CPU time and peak memory.

A command load run (``pbench run --concurrency``) records, beside every run's start and
end, ``wait4``'s account of that one child (its tree's user and system CPU time, the
children it waited for included, and its peak resident memory): the extra columns
:data:`RESOURCE_COLUMNS` of :class:`pbench.load.recorder.Recorder`. Every run counts,
failed ones too (they used the machine as well); each column is folded into an exact
histogram, so the distributions below hold every run, not a sample:

- ``cpu`` (user + system, seconds), ``user``, ``system``: per run ``mean, p50, p90,
  p99, max`` and the ``total`` over all runs (exact sums; percentiles to 1/1024);
- ``peak_memory`` (bytes): per run ``mean, p50, p90, p99, max``;
- ``cpu_utilisation``: total CPU / wall time of the load / cores (``cores``: the CPUs
  pbench may run on), the share of the machine the runs kept busy;
- ``runs``: how many runs the figures count.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from pbench.load.histogram import LatencyHistogram

USER, SYSTEM, CPU, PEAK_MEMORY = "user_ns", "system_ns", "cpu_ns", "peak_memory_bytes"
RESOURCE_COLUMNS = (USER, SYSTEM, CPU, PEAK_MEMORY)
QUANTILES = (("p50", 0.5), ("p90", 0.9), ("p99", 0.99))


def available_cores() -> int:
    """The CPUs this process may run on (its affinity), else the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def distribution(histogram: LatencyHistogram, scale: float) -> dict[str, float] | None:
    """``mean, p50, p90, p99, max`` and ``total`` of a histogram's values × ``scale``."""
    if histogram.total == 0:
        return None
    figures = {"mean": histogram.mean * scale}
    values = histogram.quantiles([q for _, q in QUANTILES])
    figures.update({name: v * scale for (name, _), v in zip(QUANTILES, values, strict=True)})
    figures["max"] = histogram.max * scale
    figures["total"] = histogram.sum * scale
    return figures


def resource_figures(
    extras: Mapping[str, LatencyHistogram], elapsed_s: float, cores: int | None = None
) -> dict[str, Any] | None:
    """The ``resources`` of a load section (None when the runs recorded none)."""
    if CPU not in extras or extras[CPU].total == 0:
        return None
    cores = cores or available_cores()
    cpu = extras[CPU]
    memory = distribution(extras[PEAK_MEMORY], 1.0)
    if memory is not None:
        del memory["total"]  # a sum of peaks is no amount of memory
    return {
        "runs": cpu.total,
        "cpu": distribution(cpu, 1e-9),
        "user": distribution(extras[USER], 1e-9),
        "system": distribution(extras[SYSTEM], 1e-9),
        "peak_memory": memory,
        "cores": cores,
        "cpu_utilisation": cpu.sum * 1e-9 / max(elapsed_s, 1e-9) / cores,
    }


def column_value(name: str, raw: int) -> tuple[str, float | int]:
    """A sample column in export units: ``*_ns`` as seconds (``*_s``)."""
    if name.endswith("_ns"):
        return name[:-3] + "_s", raw / 1e9
    return name, raw
