"""The Markdown report: the executive summary, hostile names, trends and the size limit.

The report is parsed by a real CommonMark parser with GFM tables (markdown-it-py,
raw HTML allowed as GitHub allows it) so that the tests see what a reader would."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
from markdown_it import MarkdownIt

from pbench.models import BenchmarkResult, Measurement, RunResults
from pbench.report.markdown_fit import COMMENT_LIMIT, Section, fit
from pbench.report.markdown_report import render_markdown_report
from pbench.report.markdown_trends import BenchmarkHistory, HistoryPoint
from pbench.stats.budget import Budget, Estimate, judge
from pbench.stats.comparison import compare_samples
from pbench.stats.score import scores

HOSTILE = ("a|b", "``tick`` `x`", "<script>alert(1)</script>", "[click](http://evil.test)",
           "*stars* _under_", "line\nbreak", "back\\|slash")  # fmt: skip


def html(markdown: str) -> str:
    return (
        MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown)
    )


def runs(times: Sequence[float], code: int = 0) -> list[Measurement]:
    return [
        Measurement(
            wall_s=t, user_s=t / 10, system_s=0.0, peak_rss_bytes=2_000_000, exit_code=code,
            signal=None, timed_out=False, error=None, round=i, position=0, iteration=i,
        )
        for i, t in enumerate(times)
    ]  # fmt: skip


def result(name: str, times: Sequence[float], code: int = 0) -> BenchmarkResult:
    return BenchmarkResult(name=name, command=name, parameters={}, info={},
                           measurements=runs(times, code),
                           stop_reason="failed" if code else "runs")  # fmt: skip


def spread(centre: float, n: int = 30) -> list[float]:
    return [centre * (1 + 0.002 * ((i * 7) % 11 - 5)) for i in range(n)]


def test_executive_summary_says_what_changed_what_is_at_risk_and_what_to_do() -> None:
    base, slow, noisy = spread(0.010), spread(0.015), [0.010, 0.0125] * 3
    slower = compare_samples(base, slow, name="slow", reference_name="base")
    unsure = compare_samples(base, noisy, name="noisy", reference_name="base")
    assert (slower.verdict, unsure.verdict) == ("slower", "inconclusive")
    checks = judge("slow", Budget("p95", error=0.012), Estimate(0.0152, 0.015, 0.0154, "time"))
    checks += judge("base", Budget("median", warn=0.010), Estimate(0.010, 0.0099, 0.0101, "time"))
    run = RunResults(
        results=[result("base", base), result("slow", slow), result("noisy", noisy),
                 result("broken", [0.001], code=3)],
        metadata={"git": {"commit": "abcdef0123456789", "branch": "main", "dirty": True}},
        reference="base",
        comparisons=[slower, unsure],
        warnings={"noisy": ["runs vary a lot: close other programs"]},
        budgets=checks,
        scores=scores(["base", "slow"], checks),
        recommendations={"slow": ["mostly waiting: a faster CPU will hardly help"]},
    )  # fmt: skip
    text = render_markdown_report(run, sources=["run.json"])
    head, changed, risk, todo = re.split(r"^## What (?:changed|is at risk|to do)$", text,
                                         flags=re.M)[:4]  # fmt: skip
    assert head.startswith("# pbench report\n") and "commit abcdef012345 on `main`" in head
    assert "2 comparisons: 1 slower, 1 inconclusive." in changed
    assert "- `slow` is **1.50× slower** than `base`: median ratio 1.500 [95% CI" in changed
    assert "noisy" not in changed.split("##")[0].replace("inconclusive", "")
    risk = risk.split("\n## ")[0]
    assert risk.strip().splitlines() == [
        "- `broken` **failed**: exit code 3",
        "- `slow`: p95 error budget **broken**: 15.20 ms [15.00 ms, 15.40 ms] against ≤ 12.00 ms",
        "- `base`: median warn budget at risk: 10.00 ms [9.90 ms, 10.10 ms] against ≤ 10.00 ms",
        f"- `noisy` against `base`: inconclusive, ratio {unsure.ratio:.3f} "
        f"[{unsure.ratio_ci[0]:.3f}, {unsure.ratio_ci[1]:.3f}] straddles the ±1% noise "
        "threshold",
        "- `noisy`: runs vary a lot: close other programs",
    ]
    assert "- `noisy`: " in todo and "- `slow`: mostly waiting" in todo
    # Then the tables, in reading order.
    titles = re.findall(r"^## (.+)$", text, flags=re.M)
    assert titles[3:] == ["Results", "Comparisons", "Budgets", "Scores"]
    assert "| `broken` | failed: exit code 3 |" in text


def test_nothing_to_report_says_so() -> None:
    run = RunResults(results=[result("only", spread(0.01))], metadata={})
    text = render_markdown_report(run)
    assert "Nothing was compared" in text
    assert "## What is at risk\n\nNothing: no failed benchmark" in text
    assert "## What to do\n\nNothing to do." in text


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_stay_inside_their_cell_and_are_shown_verbatim(name: str) -> None:
    base = spread(0.010)
    other = compare_samples(base, spread(0.02), name=name, reference_name="ref")
    run = RunResults(
        results=[result("ref", base), result(name, spread(0.02))],
        metadata={}, reference="ref", comparisons=[other],
        warnings={name: [f"a warning about {name} <img src=x onerror=alert(1)>"]},
        recommendations={name: [f"do *this* [now](http://x.test) for {name} | ok"]},
    )  # fmt: skip
    rendered = html(render_markdown_report(run))
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered
    assert "<em>" not in rendered and "<strong>stars" not in rendered
    flat = " ".join(name.splitlines())
    shown = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Every table row has as many cells as its header.
    for table in re.findall(r"<table>.*?</table>", rendered, flags=re.S):
        lines = re.findall(r"<tr>.*?</tr>", table, re.S)
        widths = {len(re.findall(r"<t[dh][ >]", row)) for row in lines}
        assert len(widths) == 1, table
    if "\\|" not in name:  # GitHub cannot show a backslash before a pipe in a code span
        assert f"<code>{shown}</code>" in rendered
    assert f"a warning about {shown} &lt;img src=x onerror=alert(1)&gt;" in rendered
    assert "do *this* [now](http://x.test) for" in rendered


def test_a_thousand_benchmarks_are_cut_to_a_comment_and_say_what_was_left_out() -> None:
    names = [f"benchmark number {i:04d} with a longish name" for i in range(1000)]
    base = spread(0.010, 12)
    results = [result(n, spread(0.010 + i * 1e-5, 12)) for i, n in enumerate(names)]
    comparisons = [compare_samples(base, r.times, name=r.name, reference_name=names[0],
                                   resamples=1000) for r in results[1:]]  # fmt: skip
    p95 = Budget("p95", warn=0.012, error=0.0135)
    checks = [c for n in names for c in judge(n, p95, Estimate(0.0128, 0.0126, 0.0131, "time"))]
    history = {names[0]: BenchmarkHistory(
        [HistoryPoint(f"2026-01-{d:02d}", f"c{d:07d}", 0.01, 0.0099, 0.0101)
         for d in range(1, 29)], change_points=[14])}  # fmt: skip
    run = RunResults(
        results=results, metadata={}, reference=names[0], comparisons=comparisons,
        budgets=checks, scores=scores(names, checks),
    )  # fmt: skip
    whole = render_markdown_report(run, history=history, limit=10**9)
    assert len(whole) > 4 * COMMENT_LIMIT and "Not shown" not in whole
    text = render_markdown_report(run, history=history)
    assert len(text) <= COMMENT_LIMIT
    assert text.startswith("# pbench report") and "## What changed" in text
    shown_rows = len(re.findall(r"^\| `benchmark number", text, flags=re.M))
    assert 0 < shown_rows < 2000
    left = re.findall(r"… ([\d,]+) more (benchmarks|comparisons|budget checks) not shown: "
                      r"see the JSON export", text)  # fmt: skip
    assert left, text[-2000:]
    notes = text.split("### Not shown")[1]
    assert "65,536 characters" in notes
    assert "Trend:" in notes or "## Trend" in text
    # What is shown plus what is said to be left out is everything.
    for noun, total, prefix in (("benchmarks", 1000, "## Results"),
                                ("budget checks", 2000, "## Budgets")):  # fmt: skip
        if prefix not in text:
            assert prefix.removeprefix("## ") in notes
            continue
        section = text.split(prefix)[1].split("\n## ")[0]
        rows = len(re.findall(r"^\| `", section, flags=re.M))
        missing = re.search(rf"… ([\d,]+) more {noun} not shown", section)
        assert rows + (int(missing[1].replace(",", "")) if missing else 0) == total


def _shown_rows(text: str, title: str) -> int:
    if f"## {title}\n" not in text:
        return 0
    return len(re.findall(r"^\| row", text.split(f"## {title}\n")[1].split("\n## ")[0], re.M))


def test_fit_shares_the_room_then_fills_it_by_rank() -> None:
    rows = [f"| row {i} |\n" for i in range(100)]
    sections = [
        Section("## First", rows, head="| h |\n|---|\n", noun="rows", rank=0),
        Section("## Second", rows, head="| h |\n|---|\n", noun="rows", rank=2),
        Section("## Third", rows, head="| h |\n|---|\n", noun="rows", rank=1),
    ]
    assert fit("# head\n", sections, limit=10_000).count("| row 99 |") == 3
    text = fit("# head\n", sections, limit=2500)
    assert len(text) <= 2500
    first, second, third = (_shown_rows(text, t) for t in ("First", "Second", "Third"))
    assert first >= third >= second > 0
    for title, shown in (("First", first), ("Second", second), ("Third", third)):
        if shown < 100:
            assert f"- {title}: … {100 - shown} more rows not shown: see the JSON export" in text
    small = fit("# head\n", sections, limit=500)
    assert len(small) <= 500 and _shown_rows(small, "First") > 0
    assert "## Second" not in small and "- Second (100 rows)" in small


def test_trends_show_each_result_and_mark_change_points() -> None:
    points = [HistoryPoint(f"2026-02-0{d}", f"{d:x}" * 40, 0.010, 0.0098, 0.0102)
              for d in range(1, 4)]  # fmt: skip
    points.append(HistoryPoint("2026-02-04", None, 0.012, 0.0118, 0.0122))
    history = {"a|b": BenchmarkHistory(points, change_points=[3])}
    text = render_markdown_report(RunResults(results=[], metadata={}), history=history)
    assert "### Trend: `a\\|b`" in text
    assert "4 results, 1 change point." in text
    assert "| 2026-02-04 |  | 12.00 ms [11.80 ms, 12.20 ms] | change point (+20.0%) |" in text
    assert "| 2026-02-01 | 111111111111 |" in text
    assert "- `a\\|b`: a change point at 2026-02-04 (+20.0% in the median)" in text
