"""The suite file as text: its TOML, where a key is written, and the problems found in
it, each shown as ``FILE:LINE: PATH: message`` and all raised at once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from pbench.errors import UsageError
from pbench.results.redact import redact

# Python 3.11's tomllib ends its messages with "(at line L, column C)".
_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*[.=]""")

# A section of the file: ("defaults",), ("tier", NAME) or ("benchmark", "3") (1-based).
Section = tuple[str, ...]


class SuiteError(UsageError):
    """Every problem of a suite file at once, one line each (exit 2)."""

    def __init__(self, problems: list[str], hint: str | None = None) -> None:
        super().__init__("\n".join(problems), hint)
        self.problems = tuple(problems)

    def render(self) -> str:
        text = "\n".join(f"pbench: error: {problem}" for problem in self.problems)
        return text + (f"\n  hint: {self.hint}" if self.hint else "")


def parse_toml(text: str, file: str) -> dict[str, Any]:
    """The document; a TOML syntax error is a SuiteError ``FILE:LINE:COL: message``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _AT.search(message)
        where = f"{file}:{at.group(1)}:{at.group(2)}" if at else file
        problem = f"{where}: invalid TOML: {_AT.sub('', message)}"
        raise SuiteError([problem], "see https://toml.io for the syntax") from None
    except RecursionError:
        problem = f"{file}: malformed suite: arrays or tables nested too deep"
        raise SuiteError([problem], "a suite needs only a few levels of nesting") from None


@dataclass(frozen=True)
class Where:
    """A place in the file: its section, how users read it (``benchmark[3] ("api")``)
    and the keys below it (``budgets``, ``p95``)."""

    section: Section
    label: str
    keys: tuple[str, ...] = ()

    def child(self, *keys: str) -> Where:
        return Where(self.section, self.label, self.keys + keys)

    def text(self) -> str:
        return ".".join(part for part in (self.label, *self.keys) if part)


class Locator:
    """Line numbers of sections and of their top-level keys, by a cheap scan of the
    text (no second TOML parser: a key it cannot find gets its section's line)."""

    def __init__(self, text: str) -> None:
        self._lines: dict[Section, int] = {}
        self._keys: dict[tuple[Section, str], int] = {}
        section: Section = ()
        benchmarks = 0
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                parts = [p.strip().strip("\"'") for p in header.group(2).split(".")]
                if header.group(1) == "[[" and parts == ["benchmark"]:
                    benchmarks += 1
                    section = ("benchmark", str(benchmarks))
                elif parts[0] == "benchmark" and benchmarks:
                    section = ("benchmark", str(benchmarks), *parts[1:])
                else:
                    section = tuple(parts)
                self._lines.setdefault(section, number)
                continue
            key = _KEY.match(line)
            if key:
                name = next(g for g in key.groups() if g is not None)
                self._keys.setdefault((section, name), number)

    def line(self, where: Where) -> int | None:
        if where.keys:
            found = self._keys.get((where.section, where.keys[0]))
            if found is None and len(where.keys) > 1:  # [benchmark.budgets] p95 = ...
                found = self._keys.get(((*where.section, where.keys[0]), where.keys[1]))
            if found is None:  # a table of its own: [defaults], [benchmark.budgets]
                found = self._lines.get((*where.section, where.keys[0]))
            if found is not None:
                return found
        return self._lines.get(where.section)


@dataclass
class Problems:
    """The problems found so far, shown in file order, each once, with secrets masked."""

    file: str
    locator: Locator
    _found: list[tuple[int, int, str]] = field(default_factory=list)

    def add(self, where: Where, message: str) -> None:
        line = self.locator.line(where)
        place = f"{self.file}:{line}" if line is not None else self.file
        text = redact(f"{place}: {where.text()}: {message}")
        if all(text != found for _, _, found in self._found):
            self._found.append((1 << 29 if line is None else line, len(self._found), text))

    def add_plain(self, message: str) -> None:
        """A problem of the request rather than of a place in the file."""
        self._found.append((1 << 30, len(self._found), redact(message)))

    def __bool__(self) -> bool:
        return bool(self._found)

    def raise_if_any(self) -> None:
        if self._found:
            lines = [text for _, _, text in sorted(self._found)]
            raise SuiteError(lines)
