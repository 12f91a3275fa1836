"""``pbench merge`` and ``--start-at``: load results from several "machines" (separate
pbench processes against a real server on 127.0.0.1) merged exactly, refusals that name
the setting, and clients lined up on the wall clock."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from pbench.load.histogram import LatencyHistogram
from support.cli import run_pbench
from support.httpserver import HttpTestServer


def _machine(out: Path, url: str, *args: str) -> subprocess.Popen[str]:
    """One stand-in machine: a pbench process of its own, keeping every request."""
    command = [sys.executable, "-m", "pbench", "http", "--style", "basic",
               "--keep-samples", "100000", "--export-json", str(out), *args, url]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(processes: list[subprocess.Popen[str]]) -> list[str]:
    errors = []
    for process in processes:
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        errors.append(err)
    return errors


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data["results"][0]["load"]  # type: ignore[no-any-return]


def test_merged_percentiles_are_those_of_every_request(
    server: HttpTestServer, tmp_path: Path
) -> None:
    start_at = datetime.now(UTC) + timedelta(seconds=1.5)
    files = [tmp_path / f"m{i}.json" for i in range(3)]
    url = server.base_url + "/fast"
    errors = _finish(
        [_machine(f, url, "-r", "1500", "--start-at", start_at.isoformat()) for f in files]
    )
    merged = tmp_path / "merged.json"
    result = run_pbench("merge", *map(str, files), "-o", str(merged))
    assert result.code == 0, result.err
    load = _load(merged)
    assert load["requests"] == 4500 and load["failed"] == 0
    # Every request's latency, from each machine's full sample: one histogram of all of
    # them has the merged percentiles exactly.
    everything = LatencyHistogram()
    for file in files:
        rows = _load(file)["sample"]["rows"]
        assert len(rows) == 1500
        everything.record_many(np.rint(np.array([row[1] for row in rows]) * 1e9).astype(np.int64))
    for key, q in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99)):
        assert abs(load["latency"][key] * 1e9 - everything.quantiles([q])[0]) <= 1
    assert len(load["machines"]) == 3
    assert load["throughput"]["requests_per_s"] == sum(
        _load(f)["throughput"]["requests_per_s"] for f in files
    )
    # Lined up by --start-at: no machine starts before it; one that was not ready in time
    # (a busy machine may be slow to start Python) starts at once and says how late.
    for file, err in zip(files, errors, strict=True):
        start = datetime.fromisoformat(_load(file)["window"]["start"])
        said = [w for w in _load(file)["warnings"] if "after --start-at" in w]
        assert start >= start_at - timedelta(milliseconds=1)
        # Each says when measuring starts, or (ready too late) how late it started.
        assert bool(said) or "measuring starts at" in err, err
        if said:
            late = float(said[0].split("measuring ")[1].split(" s")[0])
            assert abs((start - start_at).total_seconds() - late) < 0.05, (start, late)
        else:
            assert start - start_at < timedelta(seconds=0.5)
    # The overlap warning is the windows' own verdict (tested on set windows below).
    windows = [(datetime.fromisoformat(m["window"]["start"]),
                datetime.fromisoformat(m["window"]["end"])) for m in load["machines"]]  # fmt: skip
    overlap = min(end for _, end in windows) - max(begin for begin, _ in windows)
    shortest = min(end - begin for begin, end in windows)
    assert ("measuring windows overlap" in result.err) == (overlap < 0.9 * shortest)


def test_the_overlap_of_the_measuring_windows_is_warned_of_below_90_percent(
    server: HttpTestServer, tmp_path: Path
) -> None:
    one = tmp_path / "one.json"
    _finish([_machine(one, server.base_url + "/fast", "-r", "200")])
    t0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

    def machine(name: str, begin_s: float, end_s: float) -> Path:
        data = json.loads(one.read_text())
        window = data["results"][0]["load"]["window"]
        window["start"] = (t0 + timedelta(seconds=begin_s)).isoformat()
        window["end"] = (t0 + timedelta(seconds=end_s)).isoformat()
        path = tmp_path / name
        path.write_text(json.dumps(data))
        return path

    together = run_pbench("merge", str(machine("a.json", 0, 10)), str(machine("b.json", 1, 11)),
                          "-o", str(tmp_path / "together.json"))  # fmt: skip
    assert together.code == 0 and "overlap" not in together.err  # 9 s of 10: 90%
    apart = run_pbench("merge", str(machine("c.json", 0, 10)), str(machine("d.json", 5, 20)),
                       "-o", str(tmp_path / "apart.json"))  # fmt: skip
    assert apart.code == 0, apart.err
    assert "the 2 machines' measuring windows overlap for only 50% of the shortest one" in (
        apart.err
    )


def test_merge_refuses_files_that_differ_naming_the_setting(
    server: HttpTestServer, tmp_path: Path
) -> None:
    a, b, c = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    _finish([
        _machine(a, server.base_url + "/fast", "-r", "200"),
        _machine(b, server.base_url + "/fast", "-r", "200", "-c", "2"),
        _machine(c, server.base_url + "/slow?ms=1", "-r", "200"),
    ])  # fmt: skip
    result = run_pbench("merge", str(a), str(b))
    assert result.code == 2 and "'concurrency' differs: 1 in" in result.err
    result = run_pbench("merge", str(a), str(c))
    assert result.code == 2 and "do not hold the same benchmarks" in result.err
    result = run_pbench("merge", str(a))
    assert result.code == 2 and "two or more" in result.err
    command = tmp_path / "cmd.json"
    run_pbench("-N", "-r", "3", "true", "--style", "none", "--export-json", str(command))
    result = run_pbench("merge", str(command), str(command))
    assert result.code == 2 and "not a load run" in result.err


def test_start_at_in_the_future_waits_and_in_the_past_says_how_late(
    server: HttpTestServer, tmp_path: Path
) -> None:
    out = tmp_path / "r.json"
    start = datetime.now(UTC) + timedelta(seconds=1.2)
    began = time.monotonic()
    result = run_pbench(
        "http", "-r", "100", "--start-at", start.isoformat().replace("+00:00", "Z"),
        "--export-json", str(out), server.base_url + "/fast",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert time.monotonic() - began >= 1.0
    window = datetime.fromisoformat(_load(out)["window"]["start"])
    assert window >= start - timedelta(milliseconds=1)
    past = (datetime.now(UTC) - timedelta(seconds=30)).isoformat()
    result = run_pbench(
        "http", "-r", "100", "--start-at", past, "--export-json", str(out),
        server.base_url + "/fast",
    )  # fmt: skip
    assert result.code == 0, result.err
    [late] = [w for w in _load(out)["warnings"] if "after --start-at" in w]
    assert float(late.split("measuring ")[1].split(" s")[0]) >= 30
    result = run_pbench("http", "--start-at", "noon", server.base_url + "/fast")
    assert result.code == 2 and "not a time" in result.err


def test_open_loop_rates_add_up_across_machines(server: HttpTestServer, tmp_path: Path) -> None:
    files = [tmp_path / f"o{i}.json" for i in range(2)]
    url = server.base_url + "/fast"
    _finish([_machine(f, url, "--rate", "200", "-c", "4", "-d", "0.5s") for f in files])
    merged = tmp_path / "merged.json"
    result = run_pbench("merge", *map(str, files), "-o", str(merged))
    assert result.code == 0, result.err
    rate = _load(merged)["rate"]
    parts = [_load(f)["rate"] for f in files]
    assert rate["target"] == 400
    assert rate["achieved"] == sum(part["achieved"] for part in parts)
    assert rate["reached"] == all(part["reached"] for part in parts)
    assert [m["rate"] for m in _load(merged)["machines"]] == parts
