"""Comparisons: each candidate's ratio to its reference with its interval, against the
noise band, for the comparisons of a run (:class:`pbench.stats.comparison.Comparison`)
and for ``pbench compare``'s pairs of result files."""

from __future__ import annotations

from collections.abc import Sequence

from pbench.report.charts.intervals import RatioRow, ratios
from pbench.report.html.markup import Cell, Markup, figure, items, section, table
from pbench.results.pairing import FileComparison
from pbench.stats.comparison import Comparison


def _row(label: str, c: Comparison) -> RatioRow:
    low, high = c.ratio_ci
    return RatioRow(label, c.ratio, low, high, c.verdict, c.advice or "")


def _verdict(c: Comparison) -> Markup:
    return Markup(f'<span class="verdict-{c.verdict}">{c.verdict}</span>')


def _ratio(value: float, interval: tuple[float, float]) -> Cell:
    return Cell(f"{value:.3f} [{interval[0]:.3f} … {interval[1]:.3f}]", value)


def run_comparisons(comparisons: Sequence[Comparison]) -> str:
    """The ratio chart and table of a run's comparisons with its reference."""
    if not comparisons:
        return ""
    first = comparisons[0]
    chart = ratios(
        f"Ratio to the reference ({first.statistic}, {first.confidence:.0%} interval)",
        [_row(f"{c.name} / {c.reference}", c) for c in comparisons],
        first.threshold,
    )
    rows: list[list[str | Markup | Cell]] = [
        [
            c.name,
            c.reference,
            _ratio(c.ratio_median, c.ratio_median_ci),
            _ratio(c.ratio_mean, c.ratio_mean_ci),
            Cell(f"{c.p_adjusted:.3g}", c.p_adjusted),
            Cell(f"{c.n_reference:,} vs {c.n_candidate:,} {c.unit}", c.n_candidate),
            _verdict(c),
            c.advice or "",
        ]
        for c in comparisons
    ]
    headers = [
        "benchmark",
        "reference",
        "median ratio [CI]",
        "mean ratio [CI]",
        "p (Holm)",
        "n",
        "verdict",
        "advice",
    ]
    caption = (
        f"shaded: the noise threshold ±{first.threshold:.1%}; a verdict of slower or "
        "faster needs the whole interval beyond it and p below alpha"
    )
    body = figure(chart, caption) + table(headers, rows)
    return section("comparisons", "Comparisons", body)


def file_comparison(result: FileComparison) -> str:
    """``pbench compare``: the pairs' ratios (candidate / baseline), the table of the
    terminal (:mod:`pbench.report.compare`), its notes and warnings."""
    from pbench.report import compare

    settings = result.settings
    chart = ratios(
        f"Candidate / baseline ({settings.statistic}, {1 - settings.alpha:.0%} interval)",
        [_row(pair.label, c) for pair, c in zip(result.pairs, result.comparisons, strict=True)],
        settings.threshold,
    )
    rows: list[list[str | Markup | Cell]] = []
    for values, c in zip(compare.rows(result), result.comparisons, strict=True):
        rows.append([*values[:-1], _verdict(c)])
    body = (
        f"<p>baseline: <code>{_files(result.baseline.paths)}</code> → candidate: "
        f"<code>{_files(result.candidate.paths)}</code></p>"
        + figure(chart, f"shaded: the noise threshold ±{settings.threshold:.1%}")
        + table(compare.headers(result), rows)
    )
    extra = compare.notes(result) + compare.warnings(result)
    if extra:
        body += items(extra, "warnings")
    return section("comparisons", "Comparisons", body)


def _files(paths: Sequence[str]) -> str:
    from pbench.report.charts.svg import esc

    return esc(", ".join(paths))
