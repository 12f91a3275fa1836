"""Deciding how a command line is run: directly (POSIX word splitting) or through a shell.

``--shell auto`` (the default) runs a command directly when it has no shell syntax, so
that nothing but the command itself is measured; a command with pipes, ``&&``,
redirections, globs, variables, substitutions or shell keywords runs through ``sh -c``.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Literal

from pbench.errors import UsageError

ShellMode = Literal["direct", "shell"]

# Characters that mean something to the shell outside quotes.
_UNQUOTED_SPECIAL = set("|&;<>()*?[#~{}\n")
# Characters that mean something to the shell even inside double quotes.
_EXPANSIONS = set("$`")
_KEYWORDS = {
    "!", "{", "}", ".", ":", "case", "cd", "command", "do", "done", "elif", "else", "esac",
    "eval", "exec", "exit", "export", "fi", "for", "function", "if", "read", "return", "set",
    "shift", "source", "then", "time", "trap", "ulimit", "umask", "unset", "until", "wait",
    "while",
}  # fmt: skip


@dataclass(frozen=True)
class Invocation:
    """How one command line will be executed."""

    argv: tuple[str, ...]
    mode: ShellMode
    shell: str | None = None  # the shell program when mode == "shell"
    no_shell: bool = False  # direct because the user said so (-N, --shell=none)


def needs_shell(command: str) -> bool:
    """True when ``command`` uses syntax only a shell understands."""
    quote: str | None = None
    escaped = False
    for char in command:
        if escaped:
            escaped = False
            continue
        if char == "\\" and quote != "'":
            escaped = True
            continue
        if quote == "'":
            if char == "'":
                quote = None
            continue
        if char in _EXPANSIONS:
            return True
        if quote == '"':
            if char == '"':
                quote = None
            continue
        if char in "'\"":
            quote = char
        elif char in _UNQUOTED_SPECIAL:
            return True
    if quote is not None:
        return True  # let the shell report the unbalanced quote as it would
    try:
        words = shlex.split(command)
    except ValueError:
        return True
    if not words:
        return True
    first = words[0]
    return first in _KEYWORDS or ("=" in first and not first.startswith("="))


def plan_invocation(command: str, shell: str | None) -> Invocation:
    """Turn a command line into an argv and a mode.

    ``shell`` is ``None`` or ``"auto"`` for automatic choice, ``"none"`` for ``-N``, or a
    shell program for ``-S SHELL``.
    """
    if not command.strip():
        raise UsageError(
            "an empty command cannot be benchmarked", "give a command such as 'sleep 0.1'"
        )
    if shell in (None, "auto"):
        if needs_shell(command):
            return Invocation(("sh", "-c", command), "shell", "sh")
        return Invocation(tuple(shlex.split(command)), "direct")
    if shell == "none":
        try:
            words = shlex.split(command)
        except ValueError as exc:
            raise UsageError(
                f"cannot split {command!r} into words without a shell: {exc}",
                "balance the quotes, or drop -N to run it through a shell",
            ) from None
        return Invocation(tuple(words), "direct", no_shell=True)
    try:
        shell_words = shlex.split(shell)
    except ValueError as exc:
        raise UsageError(
            f"bad --shell value {shell!r}: {exc}", "e.g. -S bash or -S 'bash -e'"
        ) from None
    if not shell_words:
        raise UsageError("--shell is empty", "e.g. -S bash, -S none, or leave it out")
    return Invocation((*shell_words, "-c", command), "shell", shell)
