"""Readings of the kernel's files under a root (``/`` on a real machine, a folder of
fake files in tests). Every reader returns None (or an empty collection) when its file
is absent or unreadable: a container, a VM or another kernel may not have it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CPU = "sys/devices/system/cpu"


def read(root: Path, relative: str) -> str | None:
    """The stripped text of ``root/relative``, or None when it cannot be read."""
    try:
        return (root / relative).read_text(encoding="utf-8", errors="replace").strip()
    except (OSError, ValueError):
        return None


def read_int(root: Path, relative: str) -> int | None:
    text = read(root, relative)
    try:
        return None if text is None else int(text.split()[0])
    except (ValueError, IndexError):
        return None


def cpu_list(text: str | None) -> list[int]:
    """``"0-3,8,10-11"`` → [0, 1, 2, 3, 8, 10, 11]; empty for "" or None or nonsense."""
    cpus: list[int] = []
    for part in (text or "").replace("\n", ",").split(","):
        low, _, high = part.strip().partition("-")
        try:
            cpus += range(int(low), int(high or low) + 1)
        except ValueError:
            continue
    return cpus


def cpu_ranges(cpus: list[int]) -> str:
    """[0, 1, 2, 5] → ``"0-2,5"`` (the kernel's own notation)."""
    runs: list[list[int]] = []
    for cpu in sorted(set(cpus)):
        if runs and runs[-1][1] == cpu - 1:
            runs[-1][1] = cpu
        else:
            runs.append([cpu, cpu])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def online_cpus(root: Path) -> list[int]:
    return cpu_list(read(root, f"{CPU}/online"))


def governors(root: Path) -> dict[int, str]:
    """The cpufreq scaling governor of each online CPU that has one."""
    found: dict[int, str] = {}
    for cpu in online_cpus(root):
        governor = read(root, f"{CPU}/cpu{cpu}/cpufreq/scaling_governor")
        if governor:
            found[cpu] = governor
    return found


def turbo(root: Path) -> tuple[bool, str] | None:
    """Whether turbo/boost is on, and the file that says so; None when none does."""
    no_turbo = read_int(root, f"{CPU}/intel_pstate/no_turbo")
    if no_turbo is not None:
        return no_turbo == 0, f"/{CPU}/intel_pstate/no_turbo"
    boost = read_int(root, f"{CPU}/cpufreq/boost")
    if boost is not None:
        return boost == 1, f"/{CPU}/cpufreq/boost"
    return None


def smt_active(root: Path) -> bool | None:
    active = read_int(root, f"{CPU}/smt/active")
    return None if active is None else active == 1


def load_average(root: Path) -> float | None:
    """The 1-minute load average."""
    text = read(root, "proc/loadavg")
    try:
        return None if text is None else float(text.split()[0])
    except (ValueError, IndexError):
        return None


@dataclass(frozen=True)
class CpuTimes:
    """The first line of /proc/stat: all CPUs' time, and the share of it stolen."""

    total: int
    steal: int


def cpu_times(root: Path) -> CpuTimes | None:
    text = read(root, "proc/stat")
    if text is None:
        return None
    fields = text.splitlines()[0].split()
    if not fields or fields[0] != "cpu" or len(fields) < 9:
        return None  # steal is the 8th figure (Linux 2.6.11 and later)
    try:
        # guest and guest_nice (9th, 10th) are already counted in user and nice.
        values = [int(v) for v in fields[1:9]]
    except ValueError:
        return None
    return CpuTimes(total=sum(values), steal=values[7])


def aslr(root: Path) -> int | None:
    return read_int(root, "proc/sys/kernel/randomize_va_space")


def memory_pressure(root: Path) -> float | None:
    """PSI's ``some avg10``: % of the last 10 s in which some task waited for memory."""
    text = read(root, "proc/pressure/memory")
    for line in (text or "").splitlines():
        if line.startswith("some "):
            for field in line.split()[1:]:
                key, _, value = field.partition("=")
                if key == "avg10":
                    try:
                        return float(value)
                    except ValueError:
                        return None
    return None


def memory_available(root: Path) -> tuple[int, int] | None:
    """MemAvailable and MemTotal (kB) from /proc/meminfo."""
    fields: dict[str, int] = {}
    for line in (read(root, "proc/meminfo") or "").splitlines():
        key, _, value = line.partition(":")
        if key in ("MemAvailable", "MemTotal"):
            try:
                fields[key] = int(value.split()[0])
            except (ValueError, IndexError):
                return None
    if len(fields) < 2 or fields["MemTotal"] <= 0:
        return None
    return fields["MemAvailable"], fields["MemTotal"]


@dataclass(frozen=True)
class PowerSupply:
    name: str
    kind: str | None  # "Mains", "Battery", "USB", ...
    online: int | None
    status: str | None  # a battery's "Charging", "Discharging", "Full", ...


def power_supplies(root: Path) -> list[PowerSupply] | None:
    """Every power supply the kernel reports; None when the class itself is missing."""
    folder = root / "sys/class/power_supply"
    try:
        names = sorted(entry.name for entry in folder.iterdir())
    except OSError:
        return None
    base = "sys/class/power_supply"
    return [
        PowerSupply(
            name=name,
            kind=read(root, f"{base}/{name}/type"),
            online=read_int(root, f"{base}/{name}/online"),
            status=read(root, f"{base}/{name}/status"),
        )
        for name in names
    ]


def isolated_cpus(root: Path) -> tuple[list[int], list[int]] | None:
    """CPUs isolated from the scheduler (isolcpus=) and without the tick (nohz_full=);
    None when the kernel says neither."""
    isolated, nohz = read(root, f"{CPU}/isolated"), read(root, f"{CPU}/nohz_full")
    if isolated is None and nohz is None:
        return None
    return cpu_list(isolated), cpu_list(nohz)
