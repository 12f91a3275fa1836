"""pbench run --measure instructions|cycles|cpu end to end, under the real Valgrind
(installed with scripts/ensure_valgrind.sh when missing): exit codes and messages,
the JSON's measure and unit, units in every report, budgets on counts, hooks outside
Valgrind. Counts are deterministic, so the assertions hold on a loaded machine."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

from support.cli import Invoke


def _json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def test_valgrind_missing_is_exit_2_with_the_install_command(
    invoke: Invoke, tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    args = ("run", "-N", "--runs", "2", "--export-json", str(out), "/bin/true")
    result = invoke(*args[:1], "--measure", "instructions", *args[1:], env={"PATH": str(tmp_path)})
    assert result.code == 2
    assert "Valgrind" in result.err and "apt-get install valgrind" in result.err
    assert "Traceback" not in result.err
    assert not out.exists()


def test_a_setuid_program_is_exit_1_naming_it(invoke: Invoke, valgrind: str) -> None:
    passwd = shutil.which("passwd")
    assert passwd is not None and os.stat(passwd).st_mode & stat.S_ISUID, "passwd not setuid"
    result = invoke("run", "-N", "--measure", "instructions", "--runs", "2", f"{passwd} -S root")
    assert result.code == 1
    assert "Valgrind cannot run" in result.err and "passwd" in result.err
    assert "setuid" in result.err
    assert "Traceback" not in result.err


def test_a_binary_valgrind_rejects_is_exit_1_naming_it(
    invoke: Invoke, valgrind: str, tmp_path: Path
) -> None:
    # /bin/true with its ELF machine set to ARM: Valgrind says it is not for this
    # architecture.
    program = tmp_path / "foreign-true"
    data = bytearray(Path("/bin/true").read_bytes())
    data[18] = 0x28
    program.write_bytes(bytes(data))
    program.chmod(0o755)
    result = invoke("run", "-N", "--measure", "instructions", "--runs", "2", str(program))
    assert result.code == 1
    assert "Valgrind cannot run" in result.err and "foreign-true" in result.err
    assert "architecture" in result.err
    assert "Traceback" not in result.err
