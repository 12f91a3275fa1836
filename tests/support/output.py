"""A recording :class:`~pbench.session.output.Output`: the application layer's terminal
text kept in memory, stdout and stderr apart, for tests of ``pbench.session`` without
click."""

from __future__ import annotations


class RecordingOutput:
    """Everything echoed, as the two streams would have received it (no terminal: the
    session's plain styles write no ANSI codes)."""

    def __init__(self) -> None:
        self._out: list[str] = []
        self._err: list[str] = []

    def echo(
        self, text: str, *, err: bool = False, nl: bool = True, color: bool | None = None
    ) -> None:
        (self._err if err else self._out).append(text + ("\n" if nl else ""))

    @property
    def out(self) -> str:
        return "".join(self._out)

    @property
    def err(self) -> str:
        return "".join(self._err)
