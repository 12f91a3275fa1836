"""fitness(): every check at once, on a fake tree (deterministic: fit, unfit, unknown
everywhere) and on this machine's real /proc and /sys (cheap enough to record with
every run)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from pbench.system.fitness import fitness

NAMES = ["cpu_governor", "turbo", "smt", "load", "cpu_steal", "aslr", "memory_pressure",
         "power", "cpu_isolation"]  # fmt: skip
CPU = "sys/devices/system/cpu"
STAT = "cpu  {} 0 0 1000 0 0 0 {} 0 0"


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)


def quiet_machine(root: Path) -> None:
    write(root, {
        f"{CPU}/online": "0-1", f"{CPU}/cpu0/cpufreq/scaling_governor": "performance",
        f"{CPU}/cpu1/cpufreq/scaling_governor": "performance",
        f"{CPU}/intel_pstate/no_turbo": "1", f"{CPU}/smt/active": "0",
        f"{CPU}/isolated": "", "proc/loadavg": "0.1 0.1 0.1 1/50 9",
        "proc/stat": STAT.format(100, 0), "proc/sys/kernel/randomize_va_space": "0",
        "proc/pressure/memory": "some avg10=0.00 avg60=0 avg300=0 total=0",
    })  # fmt: skip
    (root / "sys/class/power_supply").mkdir(parents=True)


def test_a_quiet_tuned_machine_is_fit_without_warnings(tmp_path: Path) -> None:
    quiet_machine(tmp_path)
    waits: list[float] = []

    def sleep(seconds: float) -> None:  # time passes: 1000 ticks more, none stolen
        waits.append(seconds)
        write(tmp_path, {"proc/stat": STAT.format(1100, 0)})

    found = fitness(tmp_path, sleep=sleep, affinity={0, 1})
    assert waits == [0.5]
    assert [c.name for c in found.checks] == NAMES
    assert {c.status for c in found.checks} == {"ok"}, found.as_dict()
    assert (found.fit, found.summary) == (True, "fit")


def test_bad_checks_make_it_unfit_and_warnings_are_named(tmp_path: Path) -> None:
    quiet_machine(tmp_path)
    write(tmp_path, {"proc/loadavg": "5.0 1 1 6/50 9", f"{CPU}/smt/active": "1"})

    def sleep(seconds: float) -> None:  # 200 of 1000 ticks stolen: 20 %
        write(tmp_path, {"proc/stat": STAT.format(900, 200)})

    found = fitness(tmp_path, sleep=sleep, affinity={0, 1})
    assert found.summary == "unfit: load, cpu_steal (warnings: smt)"
    data = json.loads(json.dumps(found.as_dict()))
    assert data["fit"] is False
    steal = next(c for c in data["checks"] if c["name"] == "cpu_steal")
    assert steal == {"name": "cpu_steal", "status": "bad", "value": "20.0% of CPU time",
                     "meaning": steal["meaning"], "fix": steal["fix"]}  # fmt: skip
    assert set(data["checks"][0]) == {"name", "status", "value", "meaning", "fix"}


def test_an_empty_tree_is_unknown_everywhere_and_does_not_wait(tmp_path: Path) -> None:
    waits: list[float] = []
    found = fitness(tmp_path, sleep=waits.append, affinity={0})
    assert {c.status for c in found.checks} == {"unknown"}
    assert waits == []  # no /proc/stat: nothing to sample twice
    assert (found.fit, found.summary) == (True, "fit")


def test_this_machine_in_well_under_a_second() -> None:
    started = time.monotonic()
    found = fitness()
    took = time.monotonic() - started
    assert took < 0.6, took
    assert [c.name for c in found.checks] == NAMES
    by_name = {c.name: c for c in found.checks}
    # Linux always has these; their values come from the real files.
    assert by_name["load"].status != "unknown"
    assert by_name["cpu_steal"].status != "unknown"
    aslr = Path("/proc/sys/kernel/randomize_va_space").read_text().strip()
    assert by_name["aslr"].value == ("off (0)" if aslr == "0" else f"on ({aslr})")
    for check in found.checks:
        assert (check.value is None) == (check.status == "unknown")
        assert check.fix is None or check.status in ("warn", "bad")
