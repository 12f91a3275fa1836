"""The CLI's :class:`~pbench.session.output.Output`: click.echo, which strips ANSI
styles from what does not go to a terminal."""

from __future__ import annotations

import click


class ClickOutput:
    """Text to stdout or stderr through click.echo."""

    def echo(
        self, text: str, *, err: bool = False, nl: bool = True, color: bool | None = None
    ) -> None:
        click.echo(text, err=err, nl=nl, color=color)


ECHO = ClickOutput()


def command_name(default: str = "run") -> str:
    """The name the current click command was invoked with (``run``, ``http``...)."""
    context = click.get_current_context(silent=True)
    return context.info_name if context is not None and context.info_name else default
