"""Counting a command's instructions under Valgrind (``--measure instructions|cycles``).

Each measured run executes as ``valgrind --tool=cachegrind --trace-children=yes``
with cache simulation off (instructions) or on (cycles), Valgrind's own messages in a
log file and one ``cachegrind.out`` file per process of the tree in a fresh temporary
folder (``--cachegrind-out-file=DIR/cg.%p``). The run's count is the sum of the
``summary:`` lines of those files: every process the command started, the shell too.

Estimated cycles weight the simulated cache events the way iai-callgrind does (after
Itamar Turner-Trauring's formula): an access served by L1 costs 1, by the last-level
cache 5, by memory 35 (:data:`CYCLE_WEIGHTS`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from pbench.errors import UsageError
from pbench.models import L1_HIT, LL_HIT, RAM_HIT

Counted = Literal["instructions", "cycles"]
INSTALL = "install it: apt-get install valgrind (Debian/Ubuntu), dnf install valgrind (Fedora)"
CYCLE_WEIGHTS = {"l1_hit": L1_HIT, "ll_hit": LL_HIT, "ram_hit": RAM_HIT}
_OUT_PREFIX = "cg."


def valgrind_program(env: Mapping[str, str]) -> str:
    """Valgrind's path on the commands' PATH; a usage error naming the install command
    when it is missing."""
    found = shutil.which("valgrind", path=env.get("PATH", os.defpath))
    if found is None:
        raise UsageError(
            "--measure instructions/cycles runs each command under Valgrind, "
            "which is not installed",
            INSTALL,
        )
    return found


def valgrind_argv(valgrind: str, out_dir: str, measure: Counted, argv: Iterable[str]) -> list[str]:
    """The command line that runs ``argv`` (program resolved) under cachegrind."""
    return [
        valgrind,
        "--tool=cachegrind",
        f"--cache-sim={'no' if measure == 'instructions' else 'yes'}",
        "--trace-children=yes",
        f"--cachegrind-out-file={os.path.join(out_dir, _OUT_PREFIX)}%p",
        f"--log-file={os.path.join(out_dir, 'log.')}%p",
        *argv,
    ]


@dataclass(frozen=True)
class Events:
    """Cachegrind's events of one process (or a sum of processes); misses are 0 when
    the cache was not simulated."""

    ir: int = 0  # instructions executed
    i1mr: int = 0
    ilmr: int = 0
    dr: int = 0
    d1mr: int = 0
    dlmr: int = 0
    dw: int = 0
    d1mw: int = 0
    dlmw: int = 0
    processes: int = 0

    def __add__(self, other: Events) -> Events:
        names = (*_FIELDS, "processes")
        return Events(**{f: getattr(self, f) + getattr(other, f) for f in names})

    @property
    def cycles(self) -> int:
        """Estimated cycles: L1 hits x 1 + LL hits x 5 + RAM hits x 35."""
        ram = self.ilmr + self.dlmr + self.dlmw
        ll = self.i1mr + self.d1mr + self.d1mw - ram
        l1 = self.ir + self.dr + self.dw - ll - ram
        return L1_HIT * l1 + LL_HIT * ll + RAM_HIT * ram


_FIELDS = ("ir", "i1mr", "ilmr", "dr", "d1mr", "dlmr", "dw", "d1mw", "dlmw")
_EVENT_NAMES = {"Ir": "ir", "I1mr": "i1mr", "ILmr": "ilmr", "Dr": "dr", "D1mr": "d1mr",
                "DLmr": "dlmr", "Dw": "dw", "D1mw": "d1mw", "DLmw": "dlmw"}  # fmt: skip


class CachegrindFileError(ValueError):
    """A cachegrind.out file without an ``events:`` or ``summary:`` line."""


def parse_events(text: str, where: str = "cachegrind.out") -> Events:
    """One cachegrind.out file's totals, from its ``events:`` and ``summary:`` lines."""
    names: list[str] | None = None
    summary: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("events:"):
            names = line[len("events:") :].split()
        elif line.startswith("summary:"):
            summary = line[len("summary:") :].split()
    if names is None or summary is None:
        missing = "events:" if names is None else "summary:"
        raise CachegrindFileError(f"{where} has no {missing!r} line (cut short?)")
    if len(summary) != len(names):
        raise CachegrindFileError(f"{where}: {len(summary)} summary values for {len(names)} events")
    values: dict[str, int] = {}
    for name, value in zip(names, summary, strict=True):
        key = _EVENT_NAMES.get(name)
        if key is not None:
            try:
                values[key] = int(value)
            except ValueError:
                raise CachegrindFileError(f"{where}: {value!r} is not a count of {name}") from None
    if "ir" not in values:
        raise CachegrindFileError(f"{where} does not count instructions (no Ir event)")
    return Events(**values, processes=1)


def sum_dir(out_dir: str) -> Events:
    """The events of every process whose cachegrind.out file is in ``out_dir``, summed;
    ``processes`` is 0 when there is none (Valgrind could not start the command)."""
    total = Events()
    for name in sorted(os.listdir(out_dir)):
        if name.startswith(_OUT_PREFIX):
            path = os.path.join(out_dir, name)
            with open(path, encoding="utf-8", errors="replace") as file:
                total = total + parse_events(file.read(), name)
    return total


def figure(events: Events, measure: Counted) -> float:
    return float(events.ir if measure == "instructions" else events.cycles)


def why_not_run(valgrind: str, argv: list[str], env: Mapping[str, str]) -> str:
    """Valgrind's own words when it would not run a command (a setuid program, a binary
    it rejects): run it once more with its stderr captured. Called only after a run
    that left no count."""
    import subprocess

    try:
        done = subprocess.run(
            [valgrind, "--tool=cachegrind", "--cache-sim=no", *argv],
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return str(exc)
    lines = done.stderr.decode(errors="replace").splitlines()
    said = [
        line.split("== ", 1)[-1].strip() if line.startswith("==") else line.strip()
        for line in lines
        if line.startswith("valgrind:") or "Warning:" in line or "Fatal" in line
    ]
    return "; ".join(dict.fromkeys(s for s in said if s)) or f"valgrind exited {done.returncode}"
