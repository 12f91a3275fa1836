"""The scaling table of a sweep in the terminal, on known throughputs: the knee marked
on its row and said under the table, or "no knee" when every level scaled."""

from __future__ import annotations

from typing import Any

from pbench.report.scaling import render_scaling
from pbench.report.terminal import PLAIN
from pbench.run.scaling import table


def load(throughput: float, p50: float) -> dict[str, Any]:
    return {"throughput": {"succeeded_per_s": throughput}, "latency": {"p50": p50, "p99": 2 * p50}}


def test_a_cpu_bound_command_on_two_cores_has_its_knee_marked() -> None:
    # A burner on a 2-core machine: two copies do twice the work, four no more than two.
    burner = table("burn", [(1, load(10, 0.1)), (2, load(19.6, 0.1)), (4, load(20, 0.2))])
    sleep = table("sleep 0.05", [(1, load(19.8, 0.05)), (2, load(39.5, 0.05)),
                                 (4, load(79, 0.05))])  # fmt: skip
    text = render_scaling([sleep, burner], PLAIN)
    sleep_part, burner_part = text.split("Scaling of burn")
    assert "Scaling of sleep 0.05" in sleep_part and "<- knee" not in sleep_part
    assert "Scales up to 4 at least (no knee)." in sleep_part
    rows = {line.split()[0]: line for line in burner_part.splitlines()[2:5]}
    assert rows["4"].endswith("50%  <- knee") and "knee" not in rows["1"] + rows["2"]
    assert "Knee at 4 (efficiency 50% < 80%): scales up to 2; more clients add little." in text
    assert text.rstrip().endswith("over the previous level.)")  # the rule, once
