"""One run of another harness for a suite benchmark (``pbench.harness``):
its command run once, what it wrote read as its format, each benchmark in it one result.

The command runs through ``/bin/sh -c`` in its own process group (Ctrl-C ends the whole
group), its output captured: shown only when it fails, the last lines of it in the
failure. A harness that exits non-zero, writes no ``{output}`` file, or writes one that
is not of its format (truncated, damaged, empty) is a failed benchmark (exit 1): its
results are not read, nothing of it is reported or saved. The results are named
``ENTRY/NAME`` (the suite entry's name and the harness's own), and say in ``info``
which harness wrote them.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import tempfile
from pathlib import Path

from pbench.errors import BenchmarkFailed, UsageError
from pbench.models import BenchmarkResult
from pbench.results.escape import printable
from pbench.results.redact import redact

OUTPUT = "{output}"  # in the command: the path of the file pbench reads
SHELL = "/bin/sh"
TAIL_LINES = 12  # of the harness's output, in the failure message


def run_harness(entry: str, harness: str, command: str) -> list[BenchmarkResult]:
    """Run ``command``, the ``harness`` of suite benchmark ``entry``, and read what it
    wrote (``{output}``, else its stdout); :class:`BenchmarkFailed` when it fails."""
    with tempfile.TemporaryDirectory(prefix="pbench-harness-") as folder:
        written = Path(folder) / "output"
        to_file = OUTPUT in command
        log = Path(folder) / "log"
        code = _run(command.replace(OUTPUT, shlex.quote(str(written))), log,
                    None if to_file else written)  # fmt: skip
        said = _tail(log)
        who = f"the {harness} command of {entry!r}"
        if code != 0:
            how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
            raise BenchmarkFailed(
                f"{who} {how}" + (f"; its last lines:\n{said}" if said else ""),
                "run the command by hand from the suite file's folder to see why",
            )
        if not written.exists():
            raise BenchmarkFailed(
                f"{who} wrote no results to {OUTPUT}"
                + (f"; its last lines:\n{said}" if said else ""),
                f"put {OUTPUT} where the harness writes its results (pytest-benchmark: "
                "--benchmark-json={output}), or drop it to read the command's standard "
                "output",
            )
        return _read(entry, harness, written, to_file)


def _run(command: str, log: Path, stdout: Path | None) -> int:
    """The exit status of ``command`` (negative: the signal that ended it); its
    output in ``log`` (stdout in ``stdout`` when that is where it writes its results)."""
    with log.open("wb") as err:
        out = stdout.open("wb") if stdout is not None else None
        try:
            try:
                process = subprocess.Popen(
                    [SHELL, "-c", command],
                    stdin=subprocess.DEVNULL,
                    stdout=out if out is not None else err,
                    stderr=err,
                    start_new_session=True,
                )
            except OSError as exc:
                raise BenchmarkFailed(
                    f"cannot start {SHELL} for the harness command: {exc.strerror or exc}",
                    "check that /bin/sh exists and the suite file's folder is readable",
                ) from None
            try:
                return process.wait()
            except KeyboardInterrupt:
                _end(process)
                raise
        finally:
            if out is not None:
                out.close()


def _end(process: subprocess.Popen[bytes]) -> None:
    """The harness's whole process group ended: SIGINT, then SIGKILL after 5 s."""
    for sig, wait in ((signal.SIGINT, 5.0), (signal.SIGKILL, None)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _tail(log: Path) -> str:
    lines = log.read_text(encoding="utf-8", errors="replace").rstrip().splitlines()
    return "\n".join("    " + printable(redact(line)) for line in lines[-TAIL_LINES:])


def _read(entry: str, harness: str, written: Path, to_file: bool) -> list[BenchmarkResult]:
    from dataclasses import replace

    from pbench.results.formats import as_document
    from pbench.results.read import restore

    where = f"{OUTPUT} file" if to_file else f"standard output (the command has no {OUTPUT})"
    label = f"of {entry!r}" if to_file else f"(standard output) of {entry!r}"
    hint = f"run the command by hand and check what it writes to its {where}"
    try:
        text = written.read_text(encoding="utf-8")
        document = as_document(text, label, f"the {harness} output", harness)
        results = restore(document, f"the {harness} output {label}").results
    except UnicodeDecodeError:
        raise BenchmarkFailed(
            f"the {harness} {where} of {entry!r} is not UTF-8 text", hint
        ) from None
    except UsageError as exc:  # what the harness wrote is not what it should write
        raise BenchmarkFailed(exc.message, hint) from None
    return [
        replace(
            result,
            name=f"{entry}/{result.name}",
            info={**result.info, "harness": harness, "harness_name": result.name},
        )
        for result in results
    ]
