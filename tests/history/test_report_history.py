"""``pbench report`` with history (issue 12) on stores filled through the store's API
with known change points, on both backends: the Markdown trends section, the HTML
history section (well-formed, change points and a stored baseline marked, opened once
in headless Chromium) and ``--chart trend`` as SVG; a store alone makes a report, the
files' benchmarks choose the history, and unknown names exit 2."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from history.trend_data import commit, fill, step
from pbench.history.backends import open_store
from pbench.plan.store import store_address
from support.browser import Browser, BrowserUnavailable
from support.cli import run_pbench

SVG = "{http://www.w3.org/2000/svg}"
VOID = {"meta", "link", "br", "hr", "img", "input", "col", "wbr", "source", "area", "base"}


def stored(url: str) -> str:
    """parse: a 10% step at run 30 of 60, run 20 named 'release'; flat: no change."""
    with open_store(store_address(url)) as store:
        ids = fill(store, step(60, at=30), unfit={45})
        fill(store, step(40, size=0.0, seed=3), name="flat", start=100)
        store.mark_baseline("release", ids[19])
    return url


class Balanced(HTMLParser):
    """Every element closed in order (void elements aside)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, (tag, self.open[-5:])
        self.open.pop()


def test_markdown_from_the_store_alone(store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    result = run_pbench("report", "--store", stored(store_url), "-o", str(out))
    assert result.code == 0, result.err
    text = out.read_text()
    assert "### Trend: `parse`" in text and "60 results, 1 change point." in text
    assert "### Trend: `flat`" in text and "40 results, no change point." in text
    [row] = [line for line in text.splitlines() if "change point (+" in line]
    assert commit(30)[:12] in row and ("(+10." in row or "(+9." in row)
    [named] = [line for line in text.splitlines() if "baseline `release`" in line]
    assert commit(19)[:12] in named
    assert "- `parse`: a change point at" in text  # the executive summary says it


def test_html_and_svg_mark_change_points_and_baselines(store_url: str, tmp_path: Path) -> None:
    url = stored(store_url)
    html, svg = tmp_path / "r.html", tmp_path / "r.svg"
    assert run_pbench("report", "--store", url, "-o", str(html)).code == 0
    page = html.read_text()
    parser = Balanced()
    parser.feed(page)
    parser.close()
    assert parser.open == [] and page.count('class="change-point"') == 1
    assert page.count('class="named-run"') == 1 and "baseline release" in page
    assert "History: parse" in page and "History: flat" in page
    assert "(machine not fit)" in page  # run 46's label
    result = run_pbench("report", "--store", url, "-b", "parse", "--chart", "trend", "-o", str(svg))
    assert result.code == 0, result.err
    root = ET.parse(svg).getroot()
    groups = [g.get("class") for g in root.iter(f"{SVG}g")]
    assert groups.count("change-point") == 1 and groups.count("named-run") == 1
    assert groups.count("baseline") == 2  # the two levels
    labels = [t.text for g in root.iter(f"{SVG}g") if g.get("class") == "named-run"
              for t in g.iter(f"{SVG}text")]  # fmt: skip
    assert labels == ["release"]


def test_the_files_choose_the_history(tmp_path: Path) -> None:
    url = stored(str(tmp_path / "h.db"))
    out = tmp_path / "flat.json"
    result = run_pbench("run", "-N", "-r", "3", "--style", "basic", "-n", "flat", "true",
                        "--export-json", str(out))  # fmt: skip
    assert result.code == 0, result.err
    report = run_pbench("report", str(out), "--store", url, "--last", "30")
    assert report.code == 0, report.err
    assert "### Trend: `flat`" in report.out and "30 results" in report.out
    assert "Trend: `parse`" not in report.out and "## Results" in report.out
    named = run_pbench("report", str(out), "--store", url, "-b", "parse")
    assert named.code == 0 and "### Trend: `parse`" in named.out


def test_unknown_history_names_exit_2(tmp_path: Path) -> None:
    url = stored(str(tmp_path / "h.db"))
    result = run_pbench("report", "--store", url, "-b", "nope")
    assert (
        result.code == 2
        and "no benchmark 'nope'" in result.err
        and "saved: parse, flat" in result.err
    )
    files_only = run_pbench("report", "--chart", "trend", "-o", str(tmp_path / "x.svg"),
                            str(tmp_path / "missing.json"))  # fmt: skip
    assert files_only.code == 2


def test_the_history_report_in_a_browser(tmp_path: Path) -> None:
    try:
        browser = Browser()
    except BrowserUnavailable as exc:
        pytest.fail(f"headless Chromium is required: {exc}", pytrace=False)
    try:
        html = tmp_path / "r.html"
        assert (
            run_pbench("report", "--store", stored(str(tmp_path / "h.db")), "-o", str(html)).code
            == 0
        )
        page = browser.open(html)
        page.settle(0.2)
        assert page.errors == [] and page.dialogs == [] and page.requests == [page.url]
        drawn = page.evaluate(
            "JSON.stringify([...document.querySelectorAll('#history svg.chart-trend')]"
            ".map(s => s.getBoundingClientRect().width))"
        )
        widths = json.loads(drawn)
        assert len(widths) == 2 and all(w > 100 for w in widths)
    finally:
        browser.close()
