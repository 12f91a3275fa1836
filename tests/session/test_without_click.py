"""The application layer driven with no click at all: a plan built in Python, measured by
:func:`pbench.session.measure.finish` (plans -> measure -> publish, as every command
ends) and published through a recording output, in a fresh interpreter that must never
import click (the import-linter contract, checked at run time on the real path). The
targets are the shared fakes of :mod:`support.fakes`; only what no timing can change
is asserted (statuses, counts, names, where the text went)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
SRC = TESTS.parent / "src"

SCRIPT = """
import json
import sys

from pbench.models import BenchmarkSpec, RunPlan
from pbench.plan.options import ReportFlags
from pbench.plan.store import StoreFlags
from pbench.session.exports import export_specs
from pbench.session.invocation import Invocation
from pbench.session.measure import finish
from pbench.session.output import Display
from support.fakes import FakeClock, SleepTarget
from support.output import RecordingOutput

clock = FakeClock()
plan = RunPlan(
    benchmarks=[BenchmarkSpec(name, name, SleepTarget(clock, name, 0)) for name in ("a", "b")],
    min_runs=5, max_runs=5, min_time_s=0.0,
)
output = RecordingOutput()
invocation = Invocation(
    subcommand="run",
    report=ReportFlags(time_unit=None, sort="auto", budgets=("max:1h",)),
    history=StoreFlags(save=False, store=None),
    exports=export_specs([("json", "r.json"), ("markdown", None)], ["r.csv"]),
    display=Display(color=False, progress=False, quiet=False),
    output=output,
)
code = finish({1: plan}, invocation.session, "a")
print(json.dumps({"code": code, "out": output.out, "err": output.err,
                  "click": sorted(m for m in sys.modules if m.split(".")[0] == "click")}))
"""


def test_plans_measure_publish_without_click(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), str(TESTS)]))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert said["click"] == []  # nothing on the way imported click
    assert said["code"] == 0, said["err"]
    assert "Benchmark 1: a" in said["out"] and "Benchmark 2: b" in said["out"]
    rows = said["out"].split("Budgets")[1].splitlines()[2:4]
    assert [row.split()[0] for row in rows] == ["a", "b"]
    assert all(row.endswith("met") for row in rows)  # max:1h, a fake target takes none
    data = json.loads((tmp_path / "r.json").read_text())
    assert [r["command"] for r in data["results"]] == ["a", "b"]
    assert [len(r["times"]) for r in data["results"]] == [5, 5]
    assert (tmp_path / "r.csv").read_text().startswith("command,mean,")
    assert sorted(os.listdir(tmp_path)) == ["r.csv", "r.json"]
