"""A Markdown report cut to fit a size limit: whole rows and sections of the least
important parts go first, and the report ends by saying what was left out.

A report is a list of :class:`Section` objects, each a title, text around an optional
table or list, and rows. Each has a ``rank`` (0 most important). When the whole text is
longer than the limit, rows are given out by rank, most important first: each section
first takes up to an equal share of the room (its first rows, in order), then the room
still left goes to the sections by rank; a section that cannot show its fixed text and
one row is left out whole. A cut section says under its rows how many
were left out, and a closing "Not shown" part lists every cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# A pull-request or merge-request comment holds at most this many characters (GitHub's
# limit; GitLab's is larger).
COMMENT_LIMIT = 65_536
_LISTED = 20  # cut parts named in "Not shown"; the rest are counted


@dataclass(frozen=True)
class Section:
    """``title`` (a heading line), ``intro`` (text before the rows), ``head`` (a table's
    header lines, or ""), ``rows`` (lines, each ending in a newline), ``after`` (text
    after the rows); ``noun`` names what the rows are, for "… 930 more benchmarks"."""

    title: str
    rows: Sequence[str] = ()
    intro: str = ""
    head: str = ""
    after: str = ""
    noun: str = "rows"
    rank: int = 0
    where: str = "the JSON export"  # where the rows left out can be read

    @property
    def fixed(self) -> str:
        return self.title + "\n\n" + self.intro + self.head + self.after

    def render(self, keep: int) -> str:
        """The section with its first ``keep`` rows (and a line for the rest)."""
        body = self.intro + self.head + "".join(self.rows[:keep])
        left = len(self.rows) - keep
        if left:
            body += f"\n{self.cut_line(left)}\n"
        return f"{self.title}\n\n{body}{self.after}".rstrip("\n") + "\n"

    def cut_line(self, left: int) -> str:
        return f"… {left:,} more {self.noun} not shown: see {self.where}"


def fit(head: str, sections: Sequence[Section], limit: int = COMMENT_LIMIT) -> str:
    """``head`` then the sections, whole when they fit in ``limit`` characters, else cut
    (see the module docstring)."""
    whole = _assemble(head, sections, [len(s.rows) for s in sections], limit)
    if len(whole) <= limit:
        return whole
    reserve = 200
    while True:
        keep = _allocate(head, sections, limit - reserve)
        text = _assemble(head, sections, keep, limit)
        if len(text) <= limit or reserve > limit:
            return text[:limit]
        reserve += len(text) - limit + 100


def _allocate(head: str, sections: Sequence[Section], budget: int) -> list[int | None]:
    """Rows to keep per section (None: leave the section out). By rank, each section
    first gets a fair share of what is left (so that every table shows its first rows),
    then, again by rank, the rest is filled."""
    keep: list[int | None] = [None] * len(sections)
    remaining = budget - len(head)
    order = sorted(range(len(sections)), key=lambda i: sections[i].rank)
    share = remaining // max(len(order), 1)
    for index in order:
        section = sections[index]
        cost = len(section.fixed) + 4 + len(section.cut_line(len(section.rows)))
        taken, spent = _take(section, 0, min(max(share, cost), remaining) - cost)
        if taken or (not section.rows and cost <= remaining):
            keep[index], remaining = taken, remaining - cost - spent
    for index in order:
        kept = keep[index]
        if kept is None and sections[index].rows:
            cost = len(sections[index].fixed) + 4 + len(sections[index].cut_line(0))
            taken, spent = _take(sections[index], 0, remaining - cost)
            if taken:
                keep[index], remaining = taken, remaining - cost - spent
        elif kept is not None:
            taken, spent = _take(sections[index], kept, remaining)
            keep[index], remaining = kept + taken, remaining - spent
    return keep


def _take(section: Section, start: int, room: int) -> tuple[int, int]:
    """How many rows from ``start`` fit in ``room`` characters, and their length."""
    taken = spent = 0
    for row in section.rows[start:]:
        if spent + len(row) > room:
            break
        spent += len(row)
        taken += 1
    return taken, spent


def _assemble(
    head: str, sections: Sequence[Section], keep: Sequence[int | None], limit: int
) -> str:
    parts = [head]
    left_out: list[str] = []
    for section, kept in zip(sections, keep, strict=True):
        if kept is None:
            what = section.noun if section.rows else "part"
            left_out.append(f"{_plain(section.title)} ({len(section.rows):,} {what})")
            continue
        parts.append(section.render(kept))
        if kept < len(section.rows):
            left_out.append(
                f"{_plain(section.title)}: {section.cut_line(len(section.rows) - kept)}"
            )
    if len(left_out) > _LISTED:
        more = len(left_out) - _LISTED
        left_out[_LISTED:] = [f"… and {more:,} more part{'s' if more > 1 else ''}"]
    if left_out:
        parts.append(
            f"### Not shown\n\nThis report is cut to {limit:,} characters, the most a "
            "pull-request comment holds; left out:\n\n"
            + "".join(f"- {line}\n" for line in left_out)
        )
    return "\n".join(parts)


def _plain(title: str) -> str:
    return title.lstrip("#").strip()
