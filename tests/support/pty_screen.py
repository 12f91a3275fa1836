"""A command in a real pseudo-terminal, and the screen its output leaves.

:func:`run_in_pty` runs a command with stdin, stdout and stderr on the slave side of
a pty (so that ``isatty()`` holds for all three) and keeps every chunk read from the
master side with the time it arrived. :class:`Screen` interprets what a terminal
would make of that output, for the sequences pbench writes (carriage return, line
feed, cursor up ``ESC[nA``, erase to the end of the screen ``ESC[J``, erase the line
``ESC[2K``; colours are dropped): the final screen is what a user is left with.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CSI = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])")


@dataclass(frozen=True)
class PtyRun:
    returncode: int
    chunks: list[tuple[float, str]]  # (monotonic time, text) as read
    started: float  # monotonic time before the process started

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.chunks)


def run_in_pty(
    argv: Sequence[str],
    env: dict[str, str],
    timeout_s: float = 60.0,
    interrupt_when: str | None = None,
    stdout: Path | None = None,
    columns: int = 200,
    rows: int = 50,
) -> PtyRun:
    """Run ``argv`` on a pty of ``columns`` x ``rows`` (stdout to the file ``stdout``
    instead, when given); SIGINT, as Ctrl-C sends it, once the output holds
    ``interrupt_when``."""
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    out_file = stdout.open("wb") if stdout is not None else None
    started = time.monotonic()
    try:
        process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=out_file if out_file is not None else slave,
            stderr=slave,
            env=env,
            close_fds=True,
        )
    finally:
        if out_file is not None:
            out_file.close()
    os.close(slave)
    chunks: list[tuple[float, str]] = []
    deadline = time.monotonic() + timeout_s
    interrupted = False
    decoder_buffer = b""
    try:
        while True:
            seen = "".join(text for _, text in chunks) if interrupt_when else ""
            if interrupt_when and not interrupted and interrupt_when in seen:
                process.send_signal(signal.SIGINT)
                interrupted = True
            if time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"{argv} did not end within {timeout_s} s")
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                if process.poll() is not None:
                    # the process is gone: read what is left, then stop
                    ready, _, _ = select.select([master], [], [], 0.2)
                    if not ready:
                        break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the slave side is closed
                break
            if not data:
                break
            decoder_buffer += data
            try:
                text = decoder_buffer.decode()
            except UnicodeDecodeError:
                continue  # a character split between reads
            decoder_buffer = b""
            chunks.append((time.monotonic(), text))
    finally:
        os.close(master)
    return PtyRun(process.wait(10), chunks, started)


class Screen:
    """The lines of a terminal after the text fed to it (no scrolling limit)."""

    def __init__(self) -> None:
        self.lines: list[str] = [""]
        self.row = 0
        self.col = 0

    def feed(self, text: str) -> Screen:
        text = text.replace("\r\n", "\n")  # the pty's output translation (onlcr)
        position = 0
        while position < len(text):
            match = CSI.match(text, position)
            if match is not None:
                self._csi(match.group(1), match.group(2))
                position = match.end()
                continue
            char = text[position]
            position += 1
            if char == "\r":
                self.col = 0
            elif char == "\n":
                self.row += 1
                self.col = 0
                while len(self.lines) <= self.row:
                    self.lines.append("")
            elif char == "\x1b":
                continue
            else:
                line = self.lines[self.row]
                line = line.ljust(self.col)
                self.lines[self.row] = line[: self.col] + char + line[self.col + 1 :]
                self.col += 1
        return self

    def _csi(self, argument: str, command: str) -> None:
        if command == "A":
            self.row = max(0, self.row - int(argument or 1))
        elif command == "J":
            self.lines[self.row] = self.lines[self.row][: self.col]
            del self.lines[self.row + 1 :]
        elif command == "K" and argument == "2":
            self.lines[self.row] = ""
        elif command == "K":
            self.lines[self.row] = self.lines[self.row][: self.col]
        # m (colours) and anything else: no effect on the text

    @property
    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.lines).strip("\n")
