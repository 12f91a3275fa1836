"""Counting under Valgrind: parsing and summing cachegrind files, and real runs."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pbench.errors import BenchmarkFailed
from pbench.targets.command.shell import Invocation
from pbench.targets.command.target import CommandOptions, CommandTarget
from pbench.targets.command.valgrind import CachegrindFileError, Events, parse_events, sum_dir
from support.peers import valgrind_path

NO_SIM = "desc: none\ncmd: true\nevents: Ir\nfl=x.c\nfn=main\n1 5\nsummary: 1000\n"
SIM = "events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw\nsummary: 100 10 2 50 5 1 20 4 1\n"


def test_a_file_without_cache_simulation_gives_its_instructions() -> None:
    assert parse_events(NO_SIM) == Events(ir=1000, processes=1)


def test_estimated_cycles_weight_l1_ll_and_ram_hits_1_5_35() -> None:
    events = parse_events(SIM)
    ram = 2 + 1 + 1
    ll = 10 + 5 + 4 - ram
    l1 = 100 + 50 + 20 - ll - ram
    assert events.cycles == l1 + 5 * ll + 35 * ram


def test_the_files_of_a_process_tree_are_summed(tmp_path: Path) -> None:
    (tmp_path / "cg.1").write_text(NO_SIM)
    (tmp_path / "cg.2").write_text(NO_SIM.replace("1000", "234"))
    (tmp_path / "log.1").write_text("not a count")
    assert sum_dir(str(tmp_path)) == Events(ir=1234, processes=2)


def test_a_file_cut_short_is_an_error() -> None:
    with pytest.raises(CachegrindFileError, match="summary"):
        parse_events("events: Ir\n")


def _valgrind() -> None:
    valgrind_path()  # installed with scripts/ensure_valgrind.sh when missing


def _count(argv: tuple[str, ...]) -> float:
    options = CommandOptions(env=dict(os.environ), use_launcher=False, count="instructions")
    target = CommandTarget(Invocation(argv, "direct"), options)
    target.open()
    try:
        outcome = target.execute(0)
    finally:
        target.close()
    assert outcome.exit_code == 0
    return outcome.metrics["instructions"]


def test_the_same_command_counts_the_same_instructions_twice() -> None:
    _valgrind()
    first, second = _count(("/bin/true",)), _count(("/bin/true",))
    assert first > 0
    assert abs(first - second) <= first * 0.001


def test_a_setuid_program_is_named_in_a_clear_error() -> None:
    _valgrind()
    passwd = shutil.which("passwd")
    if passwd is None or not os.stat(passwd).st_mode & 0o4000:
        subprocess.run(["apt-get", "install", "-y", "-q", "passwd"], check=True)
        passwd = shutil.which("passwd")
    assert passwd is not None
    with pytest.raises(BenchmarkFailed, match=r"Valgrind cannot run .*passwd"):
        _count((passwd, "-S", "root"))
