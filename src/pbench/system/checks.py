"""One judgement per reading: is it fine for timing (ok), a source of noise (warn), a
reason to distrust the figures (bad), or not known here (unknown)? Each check says what
it saw, what that means for the results, and the command that fixes it.

Thresholds, and why:

- load: the 1-minute load average per online CPU, > 0.5 warn, > 1 bad (some work
  always waits for a CPU: the benchmark's runs are queued behind it).
- cpu_steal: stolen time over the sample, ≥ 1 % warn, ≥ 10 % bad (a VM's neighbour
  takes the CPU mid-run; the runs that it hits are slower by that much).
- memory_pressure: PSI ``some avg10`` ≥ 1 % warn, ≥ 10 % bad; without PSI, MemAvailable
  < 20 % of RAM warn, < 5 % bad (reclaim and swapping land inside runs).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from pbench.system import sources
from pbench.system.sources import CpuTimes, cpu_ranges

Status = Literal["ok", "warn", "bad", "unknown"]


@dataclass(frozen=True)
class Check:
    """One check's verdict: ``value`` is what was seen (None when unknown), ``meaning``
    what it does to the results, ``fix`` the command that makes it ok (None when none
    is needed or possible)."""

    name: str
    status: Status
    value: str | None
    meaning: str
    fix: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def governor(root: Path) -> Check:
    found = sources.governors(root)
    if not found:
        return Check("cpu_governor", "unknown", None,
                     "no cpufreq governor (a VM, or a kernel without cpufreq): the host "
                     "or the firmware decides the clock")  # fmt: skip
    by_name: dict[str, list[int]] = {}
    for cpu, name in found.items():
        by_name.setdefault(name, []).append(cpu)
    value = ", ".join(f"{name} (CPU {cpu_ranges(cpus)})" for name, cpus in by_name.items())
    if set(by_name) == {"performance"}:
        return Check("cpu_governor", "ok", value, "the CPUs run at their highest clock")
    return Check("cpu_governor", "warn", value,
                 "the clock follows the load: early runs are slower than later ones, and "
                 "short runs are measured at whatever speed the CPU had reached",
                 "sudo cpupower frequency-set -g performance")  # fmt: skip


def turbo(root: Path) -> Check:
    found = sources.turbo(root)
    if found is None:
        return Check("turbo", "unknown", None,
                     "no turbo/boost switch (a VM, or a CPU without one)")  # fmt: skip
    on, path = found
    if not on:
        return Check("turbo", "ok", f"off ({path})", "the clock does not depend on heat")
    value = 0 if path.endswith("/boost") else 1
    return Check("turbo", "warn", f"on ({path})",
                 "the clock rises while the chip is cool and drops as it heats up or as "
                 "other cores wake: the same code runs faster or slower from run to run",
                 f"echo {value} | sudo tee {path}")  # fmt: skip


def smt(root: Path) -> Check:
    active = sources.smt_active(root)
    if active is None:
        return Check("smt", "unknown", None, "the kernel does not say whether SMT is on")
    if not active:
        return Check("smt", "ok", "off", "no hyperthread shares a core with the benchmark")
    return Check("smt", "warn", "on",
                 "a hyperthread sibling shares the benchmark's core, its caches and "
                 "execution units: whatever runs there slows the runs down",
                 "echo off | sudo tee /sys/devices/system/cpu/smt/control  "
                 "(or pin the benchmark: taskset -c CPU pbench ...)")  # fmt: skip


def load(root: Path) -> Check:
    average, cpus = sources.load_average(root), len(sources.online_cpus(root))
    if average is None or cpus == 0:
        return Check("load", "unknown", None, "no load average or CPU count")
    share = average / cpus
    value = f"{average:.2f} over {cpus} CPU{'s' if cpus > 1 else ''}"
    if share <= 0.5:
        return Check("load", "ok", value, "little other work competes for the CPUs")
    status: Status = "bad" if share > 1 else "warn"
    return Check("load", status, value,
                 "other work competes for the CPUs: runs wait for a CPU and are slower "
                 "by however long they waited",
                 "stop other work first (top -o %CPU shows what runs)")  # fmt: skip


def steal(before: CpuTimes | None, after: CpuTimes | None) -> Check:
    if before is None or after is None or after.total <= before.total:
        return Check("cpu_steal", "unknown", None, "no CPU times in /proc/stat to compare")
    share = (after.steal - before.steal) / (after.total - before.total)
    value = f"{share:.1%} of CPU time"
    if share < 0.01:
        return Check("cpu_steal", "ok", value, "no other virtual machine takes this one's CPUs")
    status: Status = "bad" if share >= 0.1 else "warn"
    return Check("cpu_steal", status, value,
                 "the hypervisor gives this VM's CPUs to its neighbours: the runs it "
                 "interrupts are slower, at random",
                 "use dedicated (not shared-core) instances or bare metal")  # fmt: skip


def aslr(root: Path) -> Check:
    mode = sources.aslr(root)
    if mode is None:
        return Check("aslr", "unknown", None, "the kernel does not say whether ASLR is on")
    if mode == 0:
        return Check("aslr", "ok", "off (0)", "programs load at the same addresses every run")
    return Check("aslr", "warn", f"on ({mode})",
                 "addresses change every run, and with them cache and branch-predictor "
                 "collisions: a few % of variance between runs of short, CPU-bound native "
                 "code; it does not matter for I/O, network or database benchmarks",
                 "setarch -R pbench ...  (or system-wide: "
                 "sudo sysctl -w kernel.randomize_va_space=0, and =2 after)")  # fmt: skip


def memory(root: Path) -> Check:
    pressure = sources.memory_pressure(root)
    fix = "close memory-hungry programs (ps aux --sort=-rss | head) or add RAM"
    if pressure is not None:
        value = f"some avg10={pressure:.2f}%"
        if pressure < 1:
            return Check("memory_pressure", "ok", value, "no task waited for memory")
        status: Status = "bad" if pressure >= 10 else "warn"
        return Check("memory_pressure", status, value,
                     "tasks wait for memory (reclaim, swapping): those waits land inside "
                     "runs", fix)  # fmt: skip
    available = sources.memory_available(root)
    if available is None:
        return Check("memory_pressure", "unknown", None, "neither PSI nor /proc/meminfo")
    share = available[0] / available[1]
    value = f"{share:.0%} of RAM available"
    if share >= 0.2:
        return Check("memory_pressure", "ok", value, "plenty of free memory")
    status = "bad" if share < 0.05 else "warn"
    return Check("memory_pressure", status, value,
                 "little free memory: the page cache shrinks and reclaim lands inside "
                 "runs", fix)  # fmt: skip


def power(root: Path) -> Check:
    supplies = sources.power_supplies(root)
    if supplies is None:
        return Check("power", "unknown", None, "no power supply information")
    mains = [s for s in supplies if s.kind == "Mains"]
    draining = [s for s in supplies if s.kind == "Battery" and s.status == "Discharging"]
    if any(s.online == 1 for s in mains) or not (draining or mains):
        value = "mains" if mains else "no battery discharging"
        if not supplies:
            value = "no battery or adapter reported"
        return Check("power", "ok", value, "no battery saving slows the CPUs")
    names = ", ".join(s.name for s in draining or mains)
    return Check("power", "warn", f"on battery ({names})",
                 "on battery the firmware and the OS save power: lower clocks, deeper "
                 "sleep states", "plug the machine in")  # fmt: skip


def isolation(root: Path, affinity: set[int] | None) -> Check:
    found = sources.isolated_cpus(root)
    if found is None:
        return Check("cpu_isolation", "unknown", None, "the kernel does not list isolated CPUs")
    isolated, nohz = found
    if not isolated:
        return Check("cpu_isolation", "ok", "none",
                     "no CPU is kept free of other work (for the least noise: isolcpus= "
                     "and nohz_full= on the kernel command line, then taskset)")  # fmt: skip
    value = f"isolated {cpu_ranges(isolated)}" + (f", nohz_full {cpu_ranges(nohz)}" if nohz else "")
    if affinity is not None and affinity <= set(isolated):
        return Check("cpu_isolation", "ok", f"{value}; pbench runs on them",
                     "the benchmark has CPUs to itself")  # fmt: skip
    return Check("cpu_isolation", "warn", f"{value}; pbench is not pinned to them",
                 "CPUs were set aside for benchmarks but pbench shares the others",
                 f"taskset -c {cpu_ranges(isolated)} pbench ...")  # fmt: skip
