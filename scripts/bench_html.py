#!/usr/bin/env python3
"""What the HTML report costs: size, render time and the time a browser takes to open it.

A suite of 20 benchmarks with 10,000 runs each (synthetic, seeded: a warm-up, drift and
a heavy tail) is rendered as pbench's HTML export; the file must stay under 2 MB and
be written in under a second, and open (headless Chromium's load event) in under a
second; /proc/loadavg is printed beside the figures. Opening needs Chromium
(scripts/ensure_chromium.sh); without it only size and render time are printed.

    python scripts/bench_html.py [--benchmarks 20] [--runs 10000] [--out report.html]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from pbench.models import BenchmarkResult, Measurement, RunResults
from pbench.results.metadata import collect_metadata

LIMIT_BYTES = 2_000_000
LIMIT_OPEN_S = 1.0
LIMIT_RENDER_S = 1.0


def synthetic(benchmarks: int, runs: int, seed: int = 1) -> RunResults:
    rng = random.Random(seed)
    results = []
    for b in range(benchmarks):
        base = 0.002 * (b + 1)
        measurements = []
        for i in range(runs):
            warm = base * 0.5 if i < 20 else 0.0
            drift = base * 0.05 * i / runs
            wall = base + warm + drift + rng.expovariate(1 / (base * 0.05))
            measurements.append(
                Measurement(
                    wall, wall * 0.6, wall * 0.1, 3_000_000 + b, 0, None, False, None, i, b % 3, i
                )
            )
        results.append(
            BenchmarkResult(
                f"bench {b} <b>",
                f"./work --size {b}",
                {"size": str(b)},
                {},
                measurements,
                stop_reason="runs",
            )
        )
    return RunResults(results, collect_metadata())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmarks", type=int, default=20)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    run_results = synthetic(args.benchmarks, args.runs)
    from pbench.export import render

    out = args.out or Path(tempfile.mkdtemp(prefix="pbench-html-")) / "report.html"
    print("loadavg before:", " ".join(Path("/proc/loadavg").read_text().split()[:3]))
    started = time.perf_counter()  # rendered and written
    out.write_text(render("html", run_results), encoding="utf-8")
    render_s = time.perf_counter() - started
    size = out.stat().st_size
    print(
        f"{args.benchmarks} benchmarks x {args.runs:,} runs: {size / 1e6:.2f} MB "
        f"(limit {LIMIT_BYTES / 1e6:.0f} MB), written in {render_s:.2f} s "
        f"(limit {LIMIT_RENDER_S:.0f} s) -> {out}"
    )
    ok = size < LIMIT_BYTES and render_s < LIMIT_RENDER_S
    try:
        from support.browser import Browser, BrowserUnavailable
    except ImportError:
        return 0 if ok else 1
    try:
        browser = Browser()
    except BrowserUnavailable as exc:
        print(f"not opened: {exc}")
        return 0 if ok else 1
    try:
        browser.open(out).close()  # the first tab pays for the renderer's start
        times = []
        for _ in range(3):
            page = browser.open(out)
            times.append(page.load_s)
            charts = page.evaluate("document.querySelectorAll('svg.chart').length")
            page.close()
        opened = sorted(times)[1]
    finally:
        browser.close()
    print(
        f"opened in headless Chromium in {opened:.3f} s (median of 3; limit "
        f"{LIMIT_OPEN_S:.0f} s), {charts} charts"
    )
    print("loadavg after:", " ".join(Path("/proc/loadavg").read_text().split()[:3]))
    return 0 if ok and opened < LIMIT_OPEN_S else 1


if __name__ == "__main__":
    sys.exit(main())
