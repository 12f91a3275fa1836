"""Start-up paths that skip imports: ``--version`` without click, ``--help`` without
the subcommands. What they print is checked here; how fast they are is measured by
scripts/bench_startup.py, never by a timed test."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import click
import pytest

from pbench import __version__
from pbench.cli import SHORT_HELP, SUBCOMMANDS, main_group


def _pbench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pbench", *args], capture_output=True, text=True, check=False
    )


def test_version_fast_path_prints_what_click_prints() -> None:
    expected = f"pbench, version {__version__}\n"
    for flag in ("--version", "-V"):
        done = _pbench(flag)
        assert (done.returncode, done.stdout, done.stderr) == (0, expected, "")
    # Through click (another argument after it): the same text.
    done = _pbench("--version", "--help")
    assert (done.returncode, done.stdout) == (0, expected)


def test_version_fast_path_imports_no_click() -> None:
    code = (
        "import sys; sys.argv = ['pbench', '--version']\n"
        "from pbench.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('click' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr.strip() == "False"


def test_help_lists_every_subcommand_without_importing_them() -> None:
    code = (
        "import sys\n"
        "from pbench.cli import run_cli\n"
        "run_cli(['--help'])\n"
        "print(sorted(m for m in sys.modules if m.endswith('_cmd')), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr.strip() == "[]"
    listed = re.findall(r"^  ([a-z-]+) +(.+)$", done.stdout.split("Commands:")[1], re.M)
    assert [name for name, _ in listed[: len(SUBCOMMANDS)]] == list(SUBCOMMANDS)


def test_short_help_matches_each_commands_own_help() -> None:
    assert list(SHORT_HELP) == list(SUBCOMMANDS)
    ctx = click.Context(main_group)
    for name, line in SHORT_HELP.items():
        command = main_group.get_command(ctx, name)
        assert command is not None and command.help is not None
        # The listed line is the command's help up to its first ',', ';', ':', '(' or '.'.
        lead = re.split(r"[,;:(.]", line)[0]
        assert " ".join(command.help.split()).startswith(lead), name


def test_help_fast_path_prints_clicks_text_without_importing_click() -> None:
    from pbench._top_help import TOP_HELP
    from pbench.cli import top_help_text

    assert top_help_text() == TOP_HELP, "regenerate pbench/_top_help.py (see its docstring)"
    assert "-h, --help" in TOP_HELP  # the group's own help names, whatever ran before
    code = (
        "import sys; sys.argv = ['pbench', sys.argv[1]]\n"
        "from pbench.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('click' in sys.modules, file=sys.stderr)"
    )
    for flag in ("--help", "-h"):
        for columns, fast in (("80", True), ("200", True), ("60", False)):
            env = {**os.environ, "COLUMNS": columns}
            done = subprocess.run(
                [sys.executable, "-c", code, flag], capture_output=True, text=True, env=env
            )
            assert done.returncode == 0
            assert done.stderr.strip() == str(not fast)
            if fast:
                assert done.stdout == TOP_HELP
            else:  # narrower: click wraps it itself
                assert done.stdout.startswith("Usage: pbench") and done.stdout != TOP_HELP


@pytest.mark.parametrize("runs", [3, 1000])
def test_a_run_of_a_command_never_imports_numpy(runs: int) -> None:
    # A run's summary (its t interval too), warnings and advice are plain Python:
    # numpy's import is about a third of a short run's wall time, a fifth of 1,000 runs'.
    code = (
        f"import sys; sys.argv = ['pbench', '-N', '--runs', '{runs}', '--style', 'none', 'true']\n"
        "from pbench.__main__ import main\n"
        "try:\n    main()\n"
        "except SystemExit as exc:\n    print('exit', exc.code, file=sys.stderr)\n"
        "print('numpy' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr.split()[-3:] == ["exit", "0", "False"], done.stderr


def test_the_command_ends_with_its_status_and_all_its_output() -> None:
    # The entry point ends the process at once (os._exit) after flushing its streams:
    # a JSON export of 50 benchmarks on stdout through a pipe arrives whole.
    scan = ["-N", "--runs", "2", "-P", "n", "1", "50", "-n", "c {n}", "true"]
    done = subprocess.run([sys.executable, "-m", "pbench", *scan, "--export-json", "-"],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["results"]) == 50
    bad = subprocess.run([sys.executable, "-m", "pbench", "--runs", "x", "true"],
                         capture_output=True, text=True)  # fmt: skip
    assert bad.returncode == 2 and "--runs" in bad.stderr
