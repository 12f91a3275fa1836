"""--fail-if parsing and evaluation; reading and pairing result files."""

from __future__ import annotations

import numpy as np
import pytest

from pbench.errors import UsageError
from pbench.results.pairing import pair_benchmarks
from pbench.results.read import parse_results, redact
from pbench.stats.gate import FailIf, evaluate, parse_fail_if


@pytest.mark.parametrize(
    ("text", "statistic", "limit", "relative"),
    [
        ("median:5%", "median", 0.05, True),
        ("mean:0.002", "mean", 0.002, False),
        ("p95:10%", "p95", 0.10, True),
        ("MIN: 2ms", "min", 0.002, False),
        ("max:50us", "max", 50e-6, False),
        ("p99.9:250ns", "p99.9", 250e-9, False),
        ("mean:1e-3", "mean", 0.001, False),
    ],
)
def test_parse_fail_if(text: str, statistic: str, limit: float, relative: bool) -> None:
    gate = parse_fail_if(text)
    assert (gate.statistic, gate.relative) == (statistic, relative)
    assert gate.limit == pytest.approx(limit)


@pytest.mark.parametrize("text", ["median", "median:", ":5%", "median:-5%", "median:5%%", "p:5%",
                                  "stddev:5%", "p100:1%", "median:five"])  # fmt: skip
def test_bad_fail_if_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_fail_if(text)
    assert info.value.hint


def _gate(text: str) -> FailIf:
    return parse_fail_if(text)


def test_gate_uses_the_lower_bound_not_the_point_estimate() -> None:
    rng = np.random.default_rng(0)
    base = list(0.100 * rng.lognormal(0, 0.05, 15))
    cand = list(0.106 * rng.lognormal(0, 0.05, 15))
    (result,) = evaluate([_gate("median:5%")], "x", base, cand)
    # The point estimate exceeds 5%, but the interval's lower end does not: passes.
    assert result.estimate > 0.05
    assert result.bound < 0.05
    assert not result.failed
    (strict,) = evaluate([_gate("median:1%")], "x", base, cand)
    assert strict.failed and strict.bound > 0.01


def test_absolute_gate_in_seconds_and_order_kept() -> None:
    base = [0.100 + 0.0001 * (i % 5) for i in range(30)]
    cand = [t + 0.003 for t in base]
    results = evaluate([_gate("p95:1%"), _gate("mean:0.002"), _gate("mean:4ms")], "x", base, cand)
    assert [r.gate.text for r in results] == ["p95:1%", "mean:0.002", "mean:4ms"]
    assert results[1].estimate == pytest.approx(0.003)
    assert results[1].bound == pytest.approx(0.003, abs=1e-4)
    assert [r.failed for r in results] == [True, True, False]
    assert "FAILED" in results[1].describe() and "+3.000 ms" in results[1].describe()


def test_redact_masks_credentials() -> None:
    text = "curl -H 'Authorization: Bearer abc.def' https://u:pw@127.0.0.1/x"
    masked = redact(text)
    assert "abc.def" not in masked and ":pw@" not in masked
    assert masked.startswith("curl -H 'Authorization: ***'")


def test_names_fall_back_to_commands_and_duplicates_are_refused() -> None:
    doc = {
        "results": [{"command": "a", "times": [1.0]}, {"command": "b", "name": "B", "times": [2]}]
    }
    parsed = parse_results(doc, "f.json", "baseline")
    assert parsed.format == "hyperfine"
    assert list(parsed.benchmarks) == ["a", "B"]
    assert parsed.benchmarks["B"].times == (2.0,)
    doc["results"].append({"command": "a", "times": [1.0]})
    with pytest.raises(UsageError, match="two benchmarks named 'a'"):
        parse_results(doc, "f.json", "baseline")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"command": "a", "times": []}, "has no runs"),
        ({"command": "a", "times": [0.1, None]}, r"times\[1\] is null"),
        ({"command": "a", "times": [0.1, -1]}, r"times\[1\] is -1"),
        ({"command": "a", "times": [True]}, r"times\[0\] is true"),
        ({"times": [0.1]}, "no 'command' string"),
        ({"command": "a", "name": 3, "times": [0.1]}, "name is not a string"),
        ({"command": "a", "times": [0.1], "parameters": [1]}, "'parameters' is not an object"),
        ("a", "is not an object"),
    ],
)
def test_malformed_entries(entry: object, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_results({"schema_version": 1, "results": [entry]}, "f.json", "candidate")


def test_pairing_with_matches() -> None:
    base = parse_results(
        {"results": [{"command": c, "times": [1.0]} for c in ("x", "y", "z")]}, "b", "baseline"
    )
    cand = parse_results(
        {"results": [{"command": c, "times": [1.0]} for c in ("x", "y2", "w")]}, "c", "candidate"
    )
    pairs, only_base, only_cand = pair_benchmarks(base, cand, [("y", "y2")])
    assert [p.label for p in pairs] == ["x", "y → y2"]
    assert (only_base, only_cand) == (["z"], ["w"])
    # Matching x to y2 leaves the candidate's own x unpaired.
    pairs, only_base, only_cand = pair_benchmarks(base, cand, [("x", "y2")])
    assert [p.label for p in pairs] == ["x → y2"]
    assert (only_base, only_cand) == (["y", "z"], ["x", "w"])
    with pytest.raises(UsageError, match="already matched"):
        pair_benchmarks(base, cand, [("x", "y2"), ("y", "y2")])
