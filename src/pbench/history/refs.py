"""What ``--baseline REF`` names: one stored run of the history store.

REF is one of:

- ``latest``: the newest saved run on this machine;
- ``branch:NAME``: the newest run of git branch NAME on this machine;
- ``commit:SHA``: the newest run of that commit on this machine (a prefix of at least
  4 hex digits is fine, as long as it names one commit);
- anything else: a baseline name, the run ``--save-baseline NAME`` marked last.

"This machine" is the current run's fingerprint
(:mod:`pbench.history.fingerprint`); ``any_machine`` widens the search to every
machine. A baseline name may mark a run of another machine: that is refused unless
``any_machine``, since two machines differ as much as two versions of the code do.
``latest``, ``branch:`` and ``commit:`` are therefore never baseline names
(:func:`check_baseline_name`).

A REF that names nothing, or too much, is a :class:`~pbench.errors.UsageError`
(exit 2) that says what the store holds.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pbench.errors import UsageError
from pbench.history.records import Machine, RunFilter, RunInfo
from pbench.history.store import Store

RefKind = Literal["name", "latest", "branch", "commit"]
MIN_COMMIT_DIGITS = 4
FORMS = "latest, branch:NAME, commit:SHA or a baseline name (--save-baseline NAME)"
_SHOWN = 8  # names, branches or commits listed in a message at most


@dataclass(frozen=True)
class Ref:
    """A parsed REF: its ``kind`` and the ``value`` after the prefix."""

    text: str
    kind: RefKind
    value: str


@dataclass(frozen=True)
class Found:
    """The stored run a REF names, its machine, and the machine of this run."""

    ref: Ref
    run: RunInfo
    machine: Machine
    here: Machine

    @property
    def other_machine(self) -> bool:
        return self.run.machine != self.here.fingerprint

    @property
    def label(self) -> str:
        """``baseline 'main' (run #12)``, ``latest (run #12)``, ``branch:dev (run #12)``."""
        shown = f"baseline '{self.ref.value}'" if self.ref.kind == "name" else self.ref.text
        return f"{shown} (run #{self.run.id})"


def parse_ref(text: str, option: str = "--baseline") -> Ref:
    """``text`` as a :class:`Ref`; UsageError for an empty one or a bad commit."""
    text = text.strip()
    if not text:
        raise UsageError(f"{option}: the reference is empty", f"give {FORMS}")
    if text == "latest":
        return Ref(text, "latest", "")
    for kind in ("branch", "commit"):
        prefix = f"{kind}:"
        if text.startswith(prefix):
            value = text[len(prefix) :].strip()
            if not value:
                raise UsageError(f"{option} {text!r}: no {kind} after '{prefix}'", f"give {FORMS}")
            if kind == "commit":
                _check_commit(value, option)
            return Ref(text, "branch" if kind == "branch" else "commit", value)
    return Ref(text, "name", text)


def _check_commit(value: str, option: str) -> None:
    if len(value) < MIN_COMMIT_DIGITS or any(c not in string.hexdigits for c in value):
        raise UsageError(
            f"{option} commit:{value}: not a commit (at least {MIN_COMMIT_DIGITS} hex digits)",
            "give a commit's SHA or its first digits, e.g. commit:1a2b3c4",
        )


def check_baseline_name(name: str) -> str:
    """A name ``--save-baseline`` may give: not empty, and not one of the REF forms."""
    stripped = name.strip()
    if not stripped or stripped != name:
        raise UsageError(f"--save-baseline {name!r}: not a name", "e.g. --save-baseline main")
    if parse_ref(name, "--save-baseline").kind != "name":
        raise UsageError(
            f"--save-baseline {name}: 'latest', 'branch:…' and 'commit:…' name runs "
            "by themselves, so they cannot be baseline names",
            "choose another name, e.g. --save-baseline main",
        )
    return name


def find_run(store: Store, ref: Ref, here: Machine, any_machine: bool = False) -> Found:
    """The stored run ``ref`` names (see the module docstring)."""
    machines = None if any_machine else (here.fingerprint,)
    where = "in the store" if any_machine else f"on this machine ({describe(here)})"
    if ref.kind == "name":
        run = _named(store, ref)
    elif ref.kind == "latest":
        found = store.runs(RunFilter(machines=machines, limit=1))
        if not found:
            raise UsageError(
                f"--baseline latest: no saved run {where} {store.address.shown}",
                _elsewhere(store, any_machine, "save one with --save"),
            )
        run = found[0]
    elif ref.kind == "branch":
        found = store.runs(RunFilter(branch=ref.value, machines=machines, limit=1))
        if not found:
            branches = _distinct(r.branch for r in store.runs(RunFilter(machines=machines)))
            known = f"branches saved {where}: {branches}" if branches else "no branch is saved"
            raise UsageError(
                f"--baseline {ref.text}: no run of branch '{ref.value}' {where}",
                _elsewhere(store, any_machine, known),
            )
        run = found[0]
    else:
        run = _commit(store, ref, machines, where, any_machine)
    machine = next(iter(store.machines(run.machine)), None) or _unknown(run)
    found_run = Found(ref, run, machine, here)
    if found_run.other_machine and not any_machine:
        raise UsageError(
            f"--baseline {ref.text}: run #{run.id} was measured on another machine, "
            f"{describe(machine)}; this run is on {describe(here)}" + _differences(machine, here),
            "compare runs of one machine: save a baseline on this one "
            f"(--save-baseline {ref.value or 'NAME'}), or pass --any-machine to compare anyway",
        )
    return found_run


def _named(store: Store, ref: Ref) -> RunInfo:
    run_id = store.baseline(ref.value)
    run = None if run_id is None else store.run(run_id)
    if run is not None:
        return run
    names = store.baselines()
    shown = ", ".join(f"'{name}' (run #{i})" for name, i in list(names.items())[:_SHOWN])
    known = f"the baselines there: {shown}" if names else "the store has no baseline yet"
    raise UsageError(
        f"--baseline {ref.text}: no baseline named '{ref.value}' in {store.address.shown}",
        f"{known}; mark one with --save-baseline NAME, or give {FORMS}",
    )


def _commit(
    store: Store, ref: Ref, machines: tuple[str, ...] | None, where: str, any_machine: bool
) -> RunInfo:
    found = store.runs(RunFilter(commit=ref.value, machines=machines))
    commits = list(dict.fromkeys(r.commit for r in found if r.commit))
    if len(commits) > 1:
        raise UsageError(
            f"--baseline {ref.text}: the prefix names {len(commits)} commits {where}: "
            + ", ".join(c[:12] for c in commits[:_SHOWN]),
            "give more digits of the commit",
        )
    if not found:
        recent = _distinct(
            (r.commit or "")[:12] for r in store.runs(RunFilter(machines=machines, limit=50))
        )
        known = f"recent commits saved {where}: {recent}" if recent else "no commit is saved"
        raise UsageError(
            f"--baseline {ref.text}: no run of commit {ref.value} {where}",
            _elsewhere(store, any_machine, known),
        )
    return found[0]


def _elsewhere(store: Store, any_machine: bool, hint: str) -> str:
    """``hint``, and that --any-machine would look at other machines' runs too."""
    if any_machine:
        return hint
    return f"{hint}; --any-machine searches the runs of every machine"


def _distinct(values: Iterable[str | None]) -> str:
    found = list(dict.fromkeys(v for v in values if v))
    text = ", ".join(found[:_SHOWN])
    return text + (f" and {len(found) - _SHOWN} more" if len(found) > _SHOWN else "")


def _unknown(run: RunInfo) -> Machine:
    return Machine(run.machine, run.host, None, None, None, None, None, None)


def describe(machine: Machine) -> str:
    """``ci-1 (Intel Xeon ..., fingerprint 1a2b3c4d5e6f7a8b)``: host and CPU."""
    host = machine.host or "an unknown host"
    cpu = machine.cpu_model or "unknown CPU"
    return f"{host} ({cpu}, fingerprint {machine.fingerprint})"


def _differences(there: Machine, here: Machine) -> str:
    """``: kernel 6.1.0 there, 6.2.0 here`` when host and CPU alone do not tell them apart."""
    if (there.host, there.cpu_model) != (here.host, here.cpu_model):
        return ""
    parts = [
        f"{name} {getattr(there, name)} there, {getattr(here, name)} here"
        for name in ("cores", "memory_bytes", "kernel", "python", "pbench_version")
        if getattr(there, name) != getattr(here, name)
    ]
    return (": " + "; ".join(parts)) if parts else ""
