"""The HTML report of real runs, opened in headless Chromium (tests/support/browser.py).

One browser for the module. Each report comes from the real CLI: ``pbench run`` of two
commands scanned over a parameter, ``pbench http`` against the test server on
127.0.0.1, ``pbench sql`` on SQLite with budgets (scores), and ``pbench compare``. In
each, the benchmark names are hostile markup. The browser must show every section's
charts (SVG with a size on the page), run no script but the report's (no dialog, no
injected element, the names as text), log no error, and request nothing but the file.
When Chromium is missing these tests FAIL with how to install it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.browser import Browser, BrowserUnavailable, Page
from support.cli import Invoke
from support.httpserver import HttpTestServer

SCRIPT_NAME = "<script>alert(1)</script>"
IMG_NAME = '"><img src=x onerror=alert(1)>'

# Every chart in every section has a drawn size and something drawn in it.
CHARTS_DRAWN = """
(() => {
  const found = {};
  for (const svg of document.querySelectorAll('svg.chart')) {
    const section = svg.closest('body > section[id]').id;
    const box = svg.getBoundingClientRect();
    const shapes = [...svg.querySelectorAll('.series rect, .series polyline, .series circle, '
                                            + '.series line, .series path')]
      .filter(s => { const b = s.getBoundingClientRect(); return b.width > 0 || b.height > 0; });
    (found[section] = found[section] || []).push(
      {kind: svg.getAttribute('class'), width: box.width, height: box.height,
       shapes: shapes.length});
  }
  return found;
})()
"""

SAFE = """
({
  scripts: document.scripts.length,
  images: document.images.length,
  handlers: [...document.querySelectorAll('*')].filter(
    e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
  text: document.body.textContent,
})
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    try:
        chromium = Browser()
    except BrowserUnavailable as exc:
        pytest.fail(
            f"headless Chromium is required for the HTML report tests: {exc}", pytrace=False
        )
    yield chromium
    chromium.close()


def _open(browser: Browser, path: Path) -> Page:
    page = browser.open(path)
    page.settle(0.2)
    return page


def artifacts(name: str) -> Path:
    """Where a test's screenshots go: $PBENCH_TEST_ARTIFACTS (CI keeps it), else
    test-artifacts/ at the top of the repository (ignored by git)."""
    import os

    root = os.environ.get("PBENCH_TEST_ARTIFACTS") or str(
        Path(__file__).parents[2] / "test-artifacts"
    )
    return Path(root) / "html" / name


def _check_page(
    page: Page, sections: set[str], names: tuple[str, ...], shots: str | None = None
) -> dict[str, list[dict[str, float]]]:
    assert page.dialogs == []
    assert page.errors == []
    assert page.requests == [page.url], "the report asked for something besides itself"
    charts = page.evaluate(CHARTS_DRAWN)
    assert sections <= set(charts), f"charts missing in {sections - set(charts)}"
    for section, drawn in charts.items():
        for chart in drawn:
            assert chart["width"] > 100 and chart["height"] > 50, (section, chart)
            assert chart["shapes"] > 0, f"nothing drawn in a chart of {section}: {chart}"
    safe = page.evaluate(SAFE)
    assert safe["scripts"] == 1 and safe["images"] == 0 and safe["handlers"] == 0
    for name in names:
        assert name in safe["text"]
    if shots is not None:  # a screenshot of each section, kept as a test artifact
        written = page.screenshot_sections(artifacts(shots))
        assert {path.stem.split("-", 1)[1] for path in written} >= sections
        for path in written:
            png = path.read_bytes()
            assert png.startswith(b"\x89PNG") and len(png) > 1000, path
    return charts


def test_run_with_a_parameter_scan(browser: Browser, invoke: Invoke, tmp_path: Path) -> None:
    report = tmp_path / "run.html"
    result = invoke(
        "run",
        "--style",
        "basic",
        "-r",
        "6",
        "-w",
        "1",
        "-L",
        "n",
        "1,2",
        "-n",
        f"{SCRIPT_NAME} {{n}}",
        "sleep 0.00{n}",
        "-n",
        f"{IMG_NAME} {{n}}",
        "sh -c 'sleep 0.00{n}; true'",
        "--html",
        str(report),
    )
    assert result.code == 0, result.err
    page = _open(browser, report)
    charts = _check_page(
        page,
        {"distributions", "scan", "comparisons", "benchmarks"},
        (f"{SCRIPT_NAME} 1", f"{IMG_NAME} 2", "sleep 0.001"),
        shots="run",
    )
    assert len(charts["benchmarks"]) == 4 * 2  # a histogram and a progression each
    scan = page.evaluate("document.querySelectorAll('svg.chart-scan .series').length")
    assert scan == 2  # one line per command
    # The script works: a legend entry hides its series, a heading sorts its table.
    hidden = page.evaluate("""(() => {
      const toggle = document.querySelector('svg.chart-scan .series-toggle');
      toggle.dispatchEvent(new MouseEvent('click', {bubbles: true}));
      return getComputedStyle(document.querySelector('svg.chart-scan .series')).display;
    })()""")
    assert hidden == "none"
    tip = page.evaluate("""(() => {
      const svg = document.querySelector('svg.chart-progression');
      svg.scrollIntoView();
      const box = svg.getBoundingClientRect();
      svg.dispatchEvent(new MouseEvent('mousemove', {clientX: box.left + box.width / 2,
                                                      clientY: box.top + box.height / 2}));
      return document.getElementById('tip').textContent;
    })()""")
    assert " ms" in tip and "·" in tip
    medians = page.evaluate("""(() => {
      const table = document.querySelector('#summary table');
      table.querySelectorAll('th')[1].click();
      table.querySelectorAll('th')[1].click();
      return [...table.tBodies[0].rows].map(r => parseFloat(r.cells[1].dataset.sort));
    })()""")
    assert medians == sorted(medians, reverse=True) and len(medians) == 4


def test_http_load_run(
    browser: Browser, invoke: Invoke, server: HttpTestServer, tmp_path: Path
) -> None:
    report = tmp_path / "http.html"
    result = invoke(
        "http",
        "--style",
        "basic",
        "-r",
        "600",
        "-c",
        "2",
        "-n",
        SCRIPT_NAME,
        f"{server.base_url}/fast",
        "-n",
        IMG_NAME,
        f"{server.base_url}/slow?ms=1",
        "--export",
        str(report),
    )
    assert result.code == 0, result.err
    page = _open(browser, report)
    _check_page(
        page,
        {"distributions", "comparisons", "benchmarks"},
        (SCRIPT_NAME, IMG_NAME, f"{server.base_url}/slow?ms=1"),
        shots="http",
    )
    kinds = page.evaluate(
        "[...document.querySelectorAll('#benchmarks svg.chart')].map(s => s.classList[1])"
    )
    for kind in ("chart-percentiles", "chart-timeseries", "chart-histogram"):
        assert kinds.count(kind) == 2, kinds
    rows = page.evaluate("[...document.querySelectorAll('table.percentiles tr')].length")
    assert rows >= 2 * 6


def test_sql_with_budgets_and_scores(browser: Browser, invoke: Invoke, tmp_path: Path) -> None:
    report = tmp_path / "sql.html"
    result = invoke(
        "sql",
        "--style",
        "basic",
        "-r",
        "40",
        "-n",
        SCRIPT_NAME,
        "SELECT 1",
        "-n",
        IMG_NAME,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        "WHERE i < 50) SELECT sum(i) FROM n",
        "--budget",
        "p95:10s",
        "--budget",
        "median:1ns:warn",
        "--export-html",
        str(report),
    )
    assert result.code == 0, result.err
    page = _open(browser, report)
    _check_page(
        page, {"distributions", "comparisons", "benchmarks"}, (SCRIPT_NAME, IMG_NAME), shots="sql"
    )
    budgets = page.evaluate("document.querySelectorAll('#budgets tbody tr').length")
    assert budgets == 4
    statuses = page.evaluate(
        "[...document.querySelectorAll('#budgets tbody tr')].map(r => r.cells[5].textContent)"
    )
    assert sorted(set(statuses)) == ["broken", "met"]
    assert page.evaluate("document.querySelector('#scores .score').textContent") != ""


def test_compare(browser: Browser, invoke: Invoke, tmp_path: Path) -> None:
    files = []
    for side in ("base", "new"):
        path = tmp_path / f"{side}.json"
        result = invoke(
            "run",
            "--style",
            "basic",
            "-r",
            "8",
            "-n",
            SCRIPT_NAME,
            "sleep 0.001",
            "--export-json",
            str(path),
        )
        assert result.code == 0, result.err
        files.append(str(path))
    report = tmp_path / "compare.html"
    result = invoke("compare", *files, "--html", str(report))
    assert result.code in (0, 3, 5), result.err
    assert json.loads(Path(files[0]).read_text())["results"][0]["name"] == SCRIPT_NAME
    page = _open(browser, report)
    _check_page(page, {"comparisons"}, (SCRIPT_NAME, "base.json"), shots="compare")
