"""The text of the live view of a load run: pure functions from the runner's statuses
and each benchmark's last second to the lines of the status block (see
:mod:`pbench.session.live`, which draws them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pbench.load.window import WindowFigures
    from pbench.run.load import LoadStatus

BAR_WIDTH = 20
RED, YELLOW, DIM, BOLD, RESET = "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[1m", "\x1b[0m"

# A line is a list of (text, style) parts; the style is an ANSI code or "".
Part = tuple[str, str]
Line = list[Part]


@dataclass(frozen=True)
class Progress:
    """How far the whole load run is: ``fraction`` of it done (None: not known),
    ``elapsed_s`` of wall time, and its planned length (``total_s``, None unless it
    is one of time)."""

    fraction: float | None
    elapsed_s: float
    total_s: float | None
    remaining_s: float | None = None  # of load time, when the run is one of time

    @property
    def eta_s(self) -> float | None:
        """The load time left (a run of time: slices follow each other with little
        between them), else the time so far scaled by the share left."""
        if self.remaining_s is not None:
            return self.remaining_s
        if not self.fraction or self.fraction >= 1:
            return None if not self.fraction else 0.0
        return self.elapsed_s * (1 - self.fraction) / self.fraction


def run_progress(
    statuses: Sequence[LoadStatus],
    elapsed_s: float,
    duration_s: float | None,
    runs: int | None,
    budget_s: float | None,
) -> Progress:
    """The share done, over the benchmarks: of each one's time (``duration_s``) or
    requests (``runs``), whichever ends it first; with ``budget_s`` (--precision),
    at least the share of that budget spent."""
    if not statuses:
        return Progress(None, elapsed_s, None)
    shares = []
    remaining = 0.0
    for status in statuses:
        if status.done and status.stop_reason not in ("interrupted", "failed"):
            shares.append(1.0)
            continue
        if duration_s and not status.done:
            remaining += max(duration_s - status.active_s, 0.0)
        share = 0.0
        if duration_s:
            share = max(share, status.active_s / duration_s)
        if runs:
            share = max(share, status.requests / runs)
        shares.append(min(share, 1.0))
    fraction: float | None = sum(shares) / len(shares)
    total = duration_s * len(statuses) if duration_s and budget_s is None else None
    if budget_s is not None:
        fraction = max(fraction or 0.0, min(elapsed_s / budget_s, 1.0))
    elif not duration_s and not runs:
        fraction = None
    by_time = duration_s is not None and runs is None and budget_s is None
    return Progress(fraction, elapsed_s, total, remaining if by_time else None)


def header(progress: Progress, what: str, level: str | None) -> Line:
    """The first line: bar, elapsed and total, ETA, and what loads."""
    parts: Line = []
    if level:
        parts.append((f"{level}  ", BOLD))
    if progress.fraction is not None:
        filled = min(BAR_WIDTH, int(BAR_WIDTH * progress.fraction))
        parts.append(("[" + "#" * filled + " " * (BAR_WIDTH - filled) + "] ", ""))
    elapsed = _clock(progress.elapsed_s)
    eta = progress.eta_s
    total = ""
    if progress.total_s is not None:  # as planned, or later: drains, set-up, gaps
        total = f" / {_clock(max(progress.total_s, progress.elapsed_s + (eta or 0.0)))}"
    parts.append((f"{elapsed}{total}", ""))
    if eta is not None:
        parts.append((f"  ETA {_clock(eta)}", ""))
    parts.append((f"  {what}", DIM))
    return parts


def benchmark_line(
    status: LoadStatus,
    done: int,
    window: WindowFigures | None,
    noun: str,
    *,
    target_rate: float | None,
    concurrency: int,
    gauge: str,
    label: str | None = None,
    name_width: int = 0,
) -> Line:
    """One benchmark: what it has done, its last second, its errors, its clients.

    ``done`` is its requests finished so far (``status.requests`` plus those of its
    running slice, when the pool says); ``gauge`` is "connections" (HTTP: open
    connections and requests in flight) or "workers" (busy ones, on average over the
    last second). The name is cut to ``name_width`` (and padded to it) when given."""
    name = f"{label} {status.name}" if label else status.name
    if name_width:
        name = cut(name, name_width).ljust(name_width)
    parts: Line = [(f"  {name}", BOLD), (f"  {done:,} {noun}", "")]
    if status.done:
        ended = status.stop_reason if status.stop_reason in ("interrupted", "failed") else "done"
        parts.append((f"  {ended}", DIM))
    elif window is None:
        parts.append(("  waiting" if not done else "", DIM))
    else:
        rate = f"  {rate_text(window.rate)}/s"
        if target_rate is not None:
            behind = window.rate < 0.99 * target_rate
            parts.append((f"{rate} of {rate_text(target_rate)}/s", YELLOW if behind else ""))
        else:
            parts.append((rate, ""))
        if window.p50_s is not None and window.p99_s is not None:
            parts.append((f"  p50 {_latency(window.p50_s)}  p99 {_latency(window.p99_s)}", ""))
        if target_rate is not None and window.lag_p99_s is not None:
            parts.append((f"  lag p99 {_latency(window.lag_p99_s)}", ""))
    errors = error_parts(status.errors, status.statuses, status.info)
    if errors:
        parts.append(("  errors ", ""))
        parts.append((", ".join(errors), RED))
    if window is not None and not status.done:
        if gauge == "connections":
            parts.append((f"  {window.connections} conns, {window.in_flight:.1f} in flight", DIM))
        else:
            busy = min(window.in_flight, float(concurrency))
            parts.append((f"  busy {busy:.1f} of {concurrency}", DIM))
    return parts


def level_line(label: str, text: str) -> Line:
    """A finished (or waiting) level of a sweep."""
    return [(f"  {label}", BOLD), (f"  {text}", DIM)]


def error_parts(
    errors: Mapping[str, int], statuses: Mapping[int, int], info: Mapping[str, Any]
) -> list[str]:
    """Errors by kind, as "timeout ×3"; failed statuses by class ("5xx ×12")."""
    out = []
    for kind, count in sorted(errors.items(), key=lambda item: -item[1]):
        if kind == "status" and statuses:
            for cls, n in sorted(_failed_classes(count, statuses, info).items()):
                out.append(f"{cls} ×{n:,}")
            continue
        out.append(f"{kind} ×{count:,}")
    return out


def _failed_classes(
    count: int, statuses: Mapping[int, int], info: Mapping[str, Any]
) -> dict[str, int]:
    """The failed statuses by class (``info["expect_status"]`` tells them from the
    accepted ones); "status" when they cannot be told apart."""
    expect = info.get("expect_status", "2xx")
    accepted = range(200, 300) if expect == "2xx" else set(expect)
    classes: dict[str, int] = {}
    for code, n in statuses.items():
        if code not in accepted:
            key = f"{code // 100}xx"
            classes[key] = classes.get(key, 0) + n
    if sum(classes.values()) != count:
        return {"status": count}
    return classes


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, its middle left out ("…") if need be:
    URLs differ at their end, commands often at their start."""
    if len(text) <= width:
        return text
    head = (width - 1) // 2
    return text[:head] + "…" + text[len(text) - (width - 1 - head) :]


def fit(lines: Sequence[Line], columns: int, rows: int, color: bool) -> list[str]:
    """The lines as text: each cut to ``columns - 1`` characters (a line that wraps
    could not be cleared), at most ``rows - 1`` of them, styled when ``color``."""
    width = max(columns - 1, 10)
    limit = max(rows - 1, 2)
    if len(lines) > limit:
        hidden = len(lines) - limit + 1
        lines = [*lines[: limit - 1], [(f"  ... {hidden} more", DIM)]]
    out = []
    for line in lines:
        left = width
        text = []
        for part, style in line:
            if left <= 0:
                break
            piece = part[:left]
            left -= len(piece)
            text.append(f"{style}{piece}{RESET}" if color and style and piece else piece)
        out.append("".join(text))
    return out


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def rate_text(per_s: float) -> str:
    return f"{per_s:,.0f}" if per_s >= 10 else f"{per_s:.1f}"


def _latency(seconds: float) -> str:
    for scale, symbol in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if seconds >= scale:
            value = seconds / scale
            decimals = 2 if value < 10 else 1 if value < 100 else 0
            return f"{value:.{decimals}f} {symbol}"
    return f"{seconds * 1e9:.0f} ns"
