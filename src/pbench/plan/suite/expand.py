"""Environment variables in a suite's strings: ``${NAME}``, ``${NAME:-default}`` and
``$$`` for a literal ``$``. A lone ``$`` (``$HOME``, ``$(date)``) is left for the shell."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_REFERENCE = re.compile(r"\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|(\{))")


@dataclass(frozen=True)
class Expanded:
    """A value with its strings expanded; ``missing`` names the variables that were
    undefined (their references are left as written); ``errors`` the malformed ones."""

    value: object
    missing: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()


def expand(value: object, environ: Mapping[str, str]) -> Expanded:
    """``value`` (a TOML value: strings, lists and tables are walked) expanded."""
    missing: list[str] = []
    errors: list[str] = []

    def text(raw: str) -> str:
        def one(match: re.Match[str]) -> str:
            dollar, name, default, bad = match.groups()
            if dollar:
                return "$"
            if bad:
                errors.append(
                    "bad reference to an environment variable: write ${NAME} or "
                    "${NAME:-default}, and $$ for a literal $"
                )
                return match.group(0)
            if name in environ:
                return environ[name]
            if default is not None:
                return default
            missing.append(name)
            return match.group(0)

        return _REFERENCE.sub(one, raw)

    def walk(item: object) -> object:
        if isinstance(item, str):
            return text(item)
        if isinstance(item, list):
            return [walk(x) for x in item]
        if isinstance(item, dict):
            return {key: walk(x) for key, x in item.items()}
        return item

    result = walk(value)
    return Expanded(result, tuple(dict.fromkeys(missing)), tuple(dict.fromkeys(errors)))


def missing_message(names: tuple[str, ...]) -> str:
    listed = ", ".join(f"${{{name}}}" for name in names)
    plural = "s" if len(names) > 1 else ""
    return (
        f"undefined environment variable{plural} {listed} (set it, or give a default: "
        f"${{{names[0]}:-value}})"
    )
