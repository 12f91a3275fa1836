"""Result files of millions of times (issue 26: 5 million times made ``pbench compare``
run for minutes): samples larger than ``resampling.SUBSAMPLE`` are bootstrapped in a
bounded amount of work (exact order statistics, the mean's normal law, a scaled
subsample of pairs), the output says so, and the intervals are those of the full
bootstrap."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from pbench.stats import resampling
from pbench.stats.resampling import SUBSAMPLE, paired_ratio_replicates
from support.cli import run_pbench


def hyperfine_file(path: Path, times: list[float]) -> str:
    path.write_text(json.dumps({"results": [{"command": "big", "times": times}]}))
    return str(path)


@pytest.mark.parametrize("name", ["median", "mean", "p95", "p5", "min", "max"])
def test_a_large_sample_has_the_full_bootstraps_spread(name: str) -> None:
    data = np.sort(np.random.default_rng(7).lognormal(0.0, 0.5, 3 * SUBSAMPLE))
    full = resampling._statistics_of(
        data, (name,), 4000, resampling._draws(data.size, 4000, np.random.default_rng(1))
    )[name]
    large = resampling.bootstrap_statistics(data, (name,), 4000, np.random.default_rng(2))[name]
    # Seeded: the same figures every run. The 95% interval's ends and the spread agree
    # to within what 4,000 replicates can tell.
    scale = float(np.std(full)) or 1.0
    for q in (2.5, 50.0, 97.5):
        assert abs(np.percentile(large, q) - np.percentile(full, q)) < 0.15 * scale + 1e-12
    assert abs(float(np.std(large)) / scale - 1.0) < 0.15 or name in ("min", "max")


def test_paired_replicates_of_many_pairs_are_scaled_to_all_of_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(3)
    reference = rng.lognormal(0.0, 0.3, 8 * SUBSAMPLE)
    candidate = reference * 1.01 * rng.lognormal(0.0, 0.05, reference.size)
    large = paired_ratio_replicates(reference, candidate, 2000, np.random.default_rng(4))
    monkeypatch.setattr(resampling, "SUBSAMPLE", 10**9)  # every pair, fewer resamples
    full = paired_ratio_replicates(reference, candidate, 400, np.random.default_rng(4))
    for name in ("median", "mean"):
        spread = float(np.std(full[name]))
        assert 0.8 < float(np.std(large[name])) / spread < 1.25  # not sqrt(8) = 2.8 wider
        assert abs(float(np.median(large[name]) - np.median(full[name]))) < 0.3 * spread


def test_compare_of_files_with_many_times_is_bounded_and_says_so(tmp_path: Path) -> None:
    count = 60 * SUBSAMPLE  # 300,000 times a side: 10,000 full resamples would take minutes
    seeded = random.Random(5)
    base = [0.010 * (1 + 0.02 * seeded.random()) for _ in range(count)]
    slower = [0.011 * (1 + 0.02 * seeded.random()) for _ in range(count)]
    a = hyperfine_file(tmp_path / "a.json", base)
    b = hyperfine_file(tmp_path / "b.json", slower)
    out = tmp_path / "c.json"
    result = run_pbench("compare", a, b, "--export-json", str(out))
    assert result.code == 3, result.err  # 10% slower
    assert f"up to {count:,} values a side, more than the {SUBSAMPLE:,} resampled" in result.out
    method = json.loads(out.read_text())["benchmarks"][0]["comparison"]["method"]
    assert "exact distribution" in method["large_sample"]
    low, high = json.loads(out.read_text())["benchmarks"][0]["comparison"]["ratio_median_ci"]
    assert 1.09 < low < high < 1.11


def test_a_report_keeps_a_stated_subsample_of_a_huge_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pbench.results.report_files as report_files

    monkeypatch.setattr(report_files, "REPORT_RUNS", 1_000)  # 100,000 in use
    seeded = random.Random(9)
    times = [0.010 + 0.001 * seeded.random() for _ in range(5_000)]
    path = hyperfine_file(tmp_path / "many.json", times)
    result = run_pbench("report", path)
    assert result.code == 0, result.err
    assert (
        "5,000 runs: the report shows 1,000 of them, evenly spaced in run order (at most "
        "1,000 a benchmark); its statistics are of all 5,000"
    ) in result.out
    assert "| 5,000 |" in result.out  # n: every run
    times[4_999] = -1.0  # a bad run the report does not keep is still refused
    bad = hyperfine_file(tmp_path / "bad.json", times)
    refused = run_pbench("report", bad)
    assert refused.code == 2
    assert "bad.json: 'big': times[4999] is -1.0, not a time in seconds" in refused.err


def test_a_pbench_file_of_many_measurements_is_reported_from_a_subsample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pbench.results.report_files as report_files

    monkeypatch.setattr(report_files, "REPORT_RUNS", 10)
    out = tmp_path / "r.json"
    ran = run_pbench("run", "--runs", "40", "-n", "t", "--style", "none", "true",
                     "--export-json", str(out))  # fmt: skip
    assert ran.code == 0, ran.err
    result = run_pbench("report", str(out))
    assert result.code == 0, result.err
    assert "40 runs: the report shows 10 of them" in result.out
    document = json.loads(out.read_text())
    del document["results"][0]["statistics"]  # computed from all 40 runs instead
    out.write_text(json.dumps(document))
    recomputed = run_pbench("report", str(out))
    assert recomputed.code == 0 and "| 40 |" in recomputed.out, recomputed.err
    document["results"][0]["measurements"][33]["round"] = "x"
    out.write_text(json.dumps(document))
    refused = run_pbench("report", str(out))
    assert refused.code == 2 and "measurements[33].round" in refused.err
