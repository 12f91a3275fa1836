"""Each check of pbench.system against fake /proc and /sys trees: ok, warn, bad and
unknown (the file absent or garbled), with the value seen and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from pbench.system import checks
from pbench.system.sources import CpuTimes, cpu_list, cpu_ranges, cpu_times

CPU = "sys/devices/system/cpu"


def tree(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n")
    return root


def test_cpu_lists_read_and_written_in_the_kernels_notation() -> None:
    assert cpu_list("0-3,8,10-11") == [0, 1, 2, 3, 8, 10, 11]
    assert cpu_list("") == [] and cpu_list(None) == [] and cpu_list("x-y") == []
    assert cpu_ranges([5, 0, 1, 2, 10, 11]) == "0-2,5,10-11"
    assert cpu_ranges([]) == ""


def governors(root: Path, *names: str) -> Path:
    files = {f"{CPU}/online": f"0-{len(names) - 1}"}
    files |= {f"{CPU}/cpu{i}/cpufreq/scaling_governor": n for i, n in enumerate(names)}
    return tree(root, files)


def test_governor_performance_everywhere_is_ok(tmp_path: Path) -> None:
    check = checks.governor(governors(tmp_path, "performance", "performance"))
    assert (check.status, check.value, check.fix) == ("ok", "performance (CPU 0-1)", None)


def test_governor_powersave_on_some_cpus_warns_with_the_command(tmp_path: Path) -> None:
    check = checks.governor(governors(tmp_path, "performance", "powersave", "powersave"))
    assert check.status == "warn"
    assert check.value == "performance (CPU 0), powersave (CPU 1-2)"
    assert check.fix == "sudo cpupower frequency-set -g performance"


def test_governor_without_cpufreq_is_unknown(tmp_path: Path) -> None:
    check = checks.governor(tree(tmp_path, {f"{CPU}/online": "0-3"}))
    assert (check.status, check.value) == ("unknown", None)
    assert checks.governor(tmp_path / "nothing").status == "unknown"


@pytest.mark.parametrize(
    ("files", "status", "fix"),
    [
        ({f"{CPU}/intel_pstate/no_turbo": "0"}, "warn",
         f"echo 1 | sudo tee /{CPU}/intel_pstate/no_turbo"),
        ({f"{CPU}/intel_pstate/no_turbo": "1"}, "ok", None),
        ({f"{CPU}/cpufreq/boost": "1"}, "warn", f"echo 0 | sudo tee /{CPU}/cpufreq/boost"),
        ({f"{CPU}/cpufreq/boost": "0"}, "ok", None),
        ({f"{CPU}/cpufreq/boost": "garbage"}, "unknown", None),
        ({}, "unknown", None),
    ],
)  # fmt: skip
def test_turbo(tmp_path: Path, files: dict[str, str], status: str, fix: str | None) -> None:
    check = checks.turbo(tree(tmp_path, files))
    assert (check.status, check.fix) == (status, fix)


@pytest.mark.parametrize(("active", "status"), [("1", "warn"), ("0", "ok"), (None, "unknown")])
def test_smt(tmp_path: Path, active: str | None, status: str) -> None:
    files = {} if active is None else {f"{CPU}/smt/active": active}
    check = checks.smt(tree(tmp_path, files))
    assert check.status == status
    assert (check.fix is not None) == (status == "warn")


@pytest.mark.parametrize(
    ("loadavg", "status"),
    [("0.40 0.5 0.5 1/100 123", "ok"), ("2.10 1 1 3/100 1", "warn"), ("4.5 4 4 5/9 1", "bad")],
)
def test_load_is_judged_per_online_cpu(tmp_path: Path, loadavg: str, status: str) -> None:
    check = checks.load(tree(tmp_path, {"proc/loadavg": loadavg, f"{CPU}/online": "0-3"}))
    assert check.status == status
    assert check.value == f"{float(loadavg.split()[0]):.2f} over 4 CPUs"


def test_load_without_cpu_count_or_loadavg_is_unknown(tmp_path: Path) -> None:
    assert checks.load(tree(tmp_path, {"proc/loadavg": "9 9 9 1/1 1"})).status == "unknown"
    assert checks.load(tree(tmp_path / "b", {f"{CPU}/online": "0"})).status == "unknown"


def test_steal_from_two_samples_of_proc_stat(tmp_path: Path) -> None:
    line = "cpu  {u} 0 100 {idle} 0 0 0 {steal} 7 7\ncpu0 1 2 3 4 5 6 7 8 9 10"
    root = tree(tmp_path, {"proc/stat": line.format(u=1000, idle=5000, steal=10)})
    before = cpu_times(root)
    assert before == CpuTimes(total=1000 + 100 + 5000 + 10, steal=10)  # guest not added
    tree(root, {"proc/stat": line.format(u=1400, idle=5500, steal=110)})
    check = checks.steal(before, cpu_times(root))
    assert (check.status, check.value) == ("bad", "10.0% of CPU time")  # 100 of 1000
    assert checks.steal(before, CpuTimes(before.total + 1000, 30)).status == "warn"  # 2 %
    assert checks.steal(before, CpuTimes(before.total + 1000, 10)).status == "ok"


def test_steal_unknown_without_proc_stat_or_without_time_passing(tmp_path: Path) -> None:
    assert cpu_times(tmp_path) is None
    assert cpu_times(tree(tmp_path, {"proc/stat": "cpu 1 2 3"})) is None  # no steal column
    assert checks.steal(None, None).status == "unknown"
    same = CpuTimes(100, 1)
    assert checks.steal(same, same).status == "unknown"


@pytest.mark.parametrize(("mode", "status"), [("2", "warn"), ("1", "warn"), ("0", "ok")])
def test_aslr_says_when_it_matters(tmp_path: Path, mode: str, status: str) -> None:
    check = checks.aslr(tree(tmp_path, {"proc/sys/kernel/randomize_va_space": mode}))
    assert check.status == status
    if status == "warn":
        assert "native code" in check.meaning and "does not matter for I/O" in check.meaning
        assert check.fix is not None and check.fix.startswith("setarch -R pbench")
    assert checks.aslr(tmp_path / "none").status == "unknown"


PSI = "some avg10={} avg60=0.00 avg300=0.00 total=12\nfull avg10=0.00 avg60=0 avg300=0 total=1"


@pytest.mark.parametrize(("avg10", "status"), [("0.00", "ok"), ("2.50", "warn"), ("30.1", "bad")])
def test_memory_pressure_from_psi(tmp_path: Path, avg10: str, status: str) -> None:
    check = checks.memory(tree(tmp_path, {"proc/pressure/memory": PSI.format(avg10)}))
    assert (check.status, check.value) == (status, f"some avg10={float(avg10):.2f}%")


@pytest.mark.parametrize(("available", "status"), [(8000, "ok"), (1500, "warn"), (400, "bad")])
def test_memory_falls_back_to_memavailable(tmp_path: Path, available: int, status: str) -> None:
    meminfo = f"MemTotal:       10000 kB\nMemFree: 1 kB\nMemAvailable:   {available} kB"
    check = checks.memory(tree(tmp_path, {"proc/meminfo": meminfo}))
    assert check.status == status
    assert check.value == f"{available / 10000:.0%} of RAM available"
    assert checks.memory(tmp_path / "none").status == "unknown"


def supplies(root: Path, **devices: dict[str, str]) -> Path:
    (root / "sys/class/power_supply").mkdir(parents=True, exist_ok=True)
    base = "sys/class/power_supply"
    files = {f"{base}/{name}/{k}": v for name, d in devices.items() for k, v in d.items()}
    return tree(root, files)


def test_power_on_mains_on_battery_and_without_supplies(tmp_path: Path) -> None:
    mains_on = supplies(tmp_path / "a", AC={"type": "Mains", "online": "1"},
                        BAT0={"type": "Battery", "status": "Charging"})  # fmt: skip
    assert (checks.power(mains_on).status, checks.power(mains_on).value) == ("ok", "mains")
    unplugged = supplies(tmp_path / "b", AC={"type": "Mains", "online": "0"},
                         BAT0={"type": "Battery", "status": "Discharging"})  # fmt: skip
    check = checks.power(unplugged)
    assert (check.status, check.value) == ("warn", "on battery (BAT0)")
    assert check.fix == "plug the machine in"
    no_adapter = supplies(tmp_path / "c", BAT1={"type": "Battery", "status": "Discharging"})
    assert checks.power(no_adapter).status == "warn"
    server = supplies(tmp_path / "d")
    assert (checks.power(server).status, checks.power(server).value) == (
        "ok", "no battery or adapter reported")  # fmt: skip
    assert checks.power(tmp_path / "e").status == "unknown"


def test_isolated_cpus_and_pinning(tmp_path: Path) -> None:
    root = tree(tmp_path, {f"{CPU}/isolated": "2-3", f"{CPU}/nohz_full": "2-3"})
    pinned = checks.isolation(root, {2, 3})
    assert (pinned.status, pinned.value) == (
        "ok",
        "isolated 2-3, nohz_full 2-3; pbench runs on them",
    )
    loose = checks.isolation(root, {0, 1, 2, 3})
    assert loose.status == "warn" and loose.fix == "taskset -c 2-3 pbench ..."
    none = checks.isolation(tree(tmp_path / "n", {f"{CPU}/isolated": ""}), {0})
    assert (none.status, none.value) == ("ok", "none")
    assert checks.isolation(tmp_path / "x", {0}).status == "unknown"
