"""report/charts: well-formed, escaped, deterministic SVG; downsampled drawing, bins
from every value, axes in units."""

from __future__ import annotations

import itertools
import math
import random
import re
import xml.etree.ElementTree as ET

import pytest

from pbench.report.charts import distribution, intervals, lines, percentiles
from pbench.report.charts.axes import NINES_TICKS, Scale, nice_ticks, tick_labels
from pbench.report.charts.sampling import MAX_POINTS, decimate

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>&\x01'
SVG = "{http://www.w3.org/2000/svg}"


def _times(n: int, seed: int = 1) -> list[float]:
    rng = random.Random(seed)
    return [0.010 + rng.expovariate(500) for _ in range(n)]


def every_chart(label: str) -> list[str]:
    times = _times(500)
    box = distribution.box_stats(label, times, (0.0112, 0.0118))
    points = [intervals.ScanPoint(str(n), 0.01 * n, 0.009 * n, 0.011 * n, label) for n in (1, 2)]
    return [
        distribution.box_plot(label, [box]),
        distribution.histogram(
            label, distribution.histogram_bins(times), "time", 0.0115, (0.0112, 0.0118)
        ),
        lines.progression(label, times, 0.0115),
        lines.time_series(
            label,
            [
                lines.Series(label, [(0.1, 10.0), (0.2, 12.0)], "rate"),
                lines.Series("errors/s", [(0.1, 0.0), (0.2, 1.0)], "rate"),
            ],
            label,
        ),
        lines.trend(
            lines.TrendData(
                label,
                [1.0, 1.1, 2.0, 2.1],
                [label, "b", "c", "d"],
                [2],
                [lines.Baseline(0, 1, 1.05), lines.Baseline(2, 3, 2.05)],
            )
        ),
        intervals.scan(label, label, [intervals.ScanSeries(label, points)]),
        intervals.ratios(
            label, [intervals.RatioRow(label, 1.2, 1.1, math.inf, "slower", label)], 0.01
        ),
        percentiles.percentile_chart(
            label,
            [
                percentiles.PercentileSeries(
                    label, [(0.0, 0.001), (0.5, 0.002), (0.99, 0.004), (0.9999, 0.01)]
                )
            ],
        ),
    ]


def test_every_chart_is_well_formed_svg_with_user_text_escaped() -> None:
    for chart in every_chart(HOSTILE):
        root = ET.fromstring(chart)  # raises on anything not well-formed
        assert root.tag == f"{SVG}svg"
        assert root.get("aria-label") == HOSTILE.replace("\x01", "\\x01")
        assert "<script" not in chart and "<img" not in chart and "\x01" not in chart
        assert not [e for e in root.iter() if e.tag in (f"{SVG}script", f"{SVG}foreignObject")]
        assert not [a for e in root.iter() for a in e.attrib if a.startswith("on")]
        assert root.find(f"{SVG}title").text == HOSTILE.replace("\x01", "\\x01")


def test_the_same_data_gives_the_same_bytes() -> None:
    assert every_chart("a") == every_chart("a")
    assert every_chart("a") != every_chart("b")


def test_a_long_series_draws_at_most_the_limit_and_keeps_its_extremes() -> None:
    times = _times(10_000)
    times[7_777] = 1.0  # one slow run: it must show
    chart = lines.progression("runs", times)
    (drawn,) = re.findall(r'points="([^"]*)"', chart)
    assert len(drawn.split()) <= MAX_POINTS
    points = [(float(i), t) for i, t in enumerate(times)]
    kept = decimate(points)
    assert (7_777.0, 1.0) in kept and min(points, key=lambda p: p[1]) in kept
    assert kept == sorted(kept)
    assert "10,000 points" in chart


def test_histogram_bins_count_every_value_and_gather_a_long_tail() -> None:
    times = [*_times(2_000), 5.0, 6.0]
    bins = distribution.histogram_bins(times)
    assert sum(bins.counts) + bins.overflow == len(times)
    assert bins.overflow >= 2 and bins.maximum == 6.0
    assert distribution.MIN_BINS <= len(bins.counts) <= distribution.MAX_BINS
    same = distribution.histogram_bins([0.5] * 10)
    assert sum(same.counts) == 10


def test_box_stats_follow_tukey() -> None:
    box = distribution.box_stats("b", [1.0, 2.0, 3.0, 4.0, 100.0], (2.0, 4.0))
    assert (box.q1, box.median, box.q3) == (2.0, 3.0, 4.0)
    assert box.high == 4.0 and box.outliers == (100.0,)


def test_ticks_are_nice_and_labelled_in_a_unit() -> None:
    assert nice_ticks(0.0, 1.0) == pytest.approx([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
    labels, unit = tick_labels([0.010, 0.012, 0.014], "time")
    assert (labels, unit) == (["10", "12", "14"], "ms")
    assert tick_labels([0, 2**20, 2 * 2**20], "bytes")[1] == "MiB"
    assert tick_labels([0.0, 20_000.0], "rate")[1] == "k/s"


def test_the_nines_axis_spaces_90_99_999_evenly() -> None:
    scale = Scale(0.0, 0.9999, 0.0, 400.0, "nines")
    steps = [scale(b) - scale(a) for a, b in itertools.pairwise(NINES_TICKS)]
    assert len(steps) == 5 and steps == pytest.approx([steps[0]] * 5)
