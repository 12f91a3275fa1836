"""A suite's layers (built-in tier < defaults < tier < benchmark), environment
variables, tiers, tags and -k selection, and parameters."""

from __future__ import annotations

import pytest

from pbench.errors import UsageError
from pbench.plan.options import HttpFlags, RunFlags
from pbench.plan.suite.expand import expand
from pbench.stats.budget import Budget
from support.suite import load, problems

LAYERED = """
[defaults]
warmup = 1
timeout = "20s"
min_runs = 30
budgets = { p95 = "1s", max = "5s" }

[tier.quick]
runs = 10
timeout = "5s"
budgets = { p95 = "500ms" }

[[benchmark]]
name = "plain"
command = "true"

[[benchmark]]
name = "own-count"
command = "true"
min_runs = 50
warmup = 3
budgets = { max = "2s" }

[[benchmark]]
name = "precise"
command = "true"
precision = "2%"
max_time = "20s"
"""


def _by_name(tier: str | None = None) -> dict[str, RunFlags]:
    suite = load(LAYERED, tier=tier)
    found = {b.name: b.flags for b in suite.benchmarks}
    assert all(isinstance(flags, RunFlags) for flags in found.values())
    return found  # type: ignore[return-value]


def test_expand_variables_defaults_and_dollars() -> None:
    env = {"PORT": "9000", "EMPTY": ""}
    assert expand("h:${PORT}", env).value == "h:9000"
    assert expand("h:${HOST:-localhost}:${PORT:-1}", env).value == "h:localhost:9000"
    assert expand("${EMPTY:-x}|$$|$${PORT}|$HOME|$(date)", env).value == "|$|${PORT}|$HOME|$(date)"
    assert expand(["${PORT}", {"k": "${PORT}"}, 3], env).value == ["9000", {"k": "9000"}, 3]
    missing = expand("${A} ${B:-b} ${A}", env)
    assert missing.missing == ("A",) and not missing.errors
    assert expand("${1x}", env).errors and expand("${PORT", env).errors


def test_variables_expand_in_every_string() -> None:
    text = """
[defaults]
env = { HOME_DIR = "${HOME_DIR:-/tmp}" }

[[benchmark]]
name = "api ${STAGE}"
kind = "http"
url = "http://127.0.0.1:${PORT:-8080}/"
header = ["X-Stage: ${STAGE}"]
tags = ["${STAGE}"]
"""
    (bench,) = load(text, env={"STAGE": "ci"}).benchmarks
    assert bench.name == "api ci" and bench.tags == ("ci",)
    assert isinstance(bench.flags, HttpFlags)
    assert bench.flags.urls == ("http://127.0.0.1:8080/",)
    assert bench.flags.headers == ("X-Stage: ci",)


def test_undefined_variables_count_only_where_used() -> None:
    text = """
[tier.db]
tags = ["db"]
timeout = "${DB_TIMEOUT}"

[[benchmark]]
name = "cmd"
command = "true"
tiers = ["quick"]

[[benchmark]]
name = "db"
kind = "sql"
query = "SELECT 1"
db = "${PG_DSN}"
tags = ["db"]
"""
    assert [b.name for b in load(text, tier="quick").benchmarks] == ["cmd"]
    found = problems(text, tier="db")
    assert found == [
        "benchmarks.toml:4: tier.db.timeout: undefined environment variable ${DB_TIMEOUT} "
        "(set it, or give a default: ${DB_TIMEOUT:-value})",
        'benchmarks.toml:15: benchmark[2] ("db").db: undefined environment variable ${PG_DSN} '
        "(set it, or give a default: ${PG_DSN:-value})",
    ]


def test_layers_without_a_tier() -> None:
    found = _by_name()
    plain, own, precise = found["plain"], found["own-count"], found["precise"]
    assert (plain.warmup, plain.min_runs, plain.runs, plain.timeout) == (1, 30, None, 20.0)
    assert (own.warmup, own.min_runs) == (3, 50)
    # precision replaces the defaults' min_runs; max_time is then its budget
    assert (precise.min_runs, precise.precision, precise.max_time) == (None, 0.02, 20.0)


def test_tier_sits_between_defaults_and_the_benchmark() -> None:
    found = _by_name("quick")
    plain, own, precise = found["plain"], found["own-count"], found["precise"]
    # the tier's runs replaces the defaults' min_runs (one group: how much to measure)
    assert (plain.runs, plain.min_runs, plain.timeout) == (10, None, 5.0)
    # the benchmark's min_runs replaces the tier's runs: no clash of runs with min_runs
    assert (own.runs, own.min_runs, own.warmup, own.timeout) == (None, 50, 3, 5.0)
    assert (precise.runs, precise.precision) == (None, 0.02)


def test_budgets_merge_per_metric() -> None:
    suite = load(LAYERED, tier="quick")
    budgets = {b.name: {x.metric: x for x in b.budgets} for b in suite.benchmarks}
    assert budgets["plain"] == {"p95": Budget("p95", error=0.5), "max": Budget("max", error=5.0)}
    assert budgets["own-count"]["max"] == Budget("max", error=2.0)
    assert budgets["own-count"]["p95"] == Budget("p95", error=0.5)


def test_time_cap_comes_from_the_tier_and_is_the_benchmarks_max_time() -> None:
    text = """
[tier.full]
max_time = "2min"

[[benchmark]]
name = "a"
command = "true"

[[benchmark]]
name = "b"
command = "true"
max_time = 7
"""
    caps = {b.name: (b.time_cap_s, b.flags.max_time) for b in load(text, tier="quick").benchmarks}
    assert caps == {"a": (30.0, 30.0), "b": (7.0, 7.0)}
    caps = {b.name: b.time_cap_s for b in load(text, tier="full").benchmarks}
    assert caps == {"a": 120.0, "b": 7.0}
    assert {b.name: b.time_cap_s for b in load(text, tier="load").benchmarks}["a"] == 600.0
    assert {b.name: b.time_cap_s for b in load(text).benchmarks} == {"a": None, "b": 7.0}


SELECTION = """
[tier.quick]
tags = ["smoke"]

[tier.nightly]
tags = ["slow"]

[[benchmark]]
name = "Startup"
command = "true"
tags = ["smoke"]

[[benchmark]]
name = "compile-big"
command = "true"
tags = ["slow", "build"]

[[benchmark]]
name = "compile-small"
command = "true"
tiers = ["full"]
tags = ["build"]

[[benchmark]]
name = "untagged"
command = "true"
"""


def _names(**kwargs: object) -> list[str]:
    return [b.name for b in load(SELECTION, **kwargs).benchmarks]  # type: ignore[arg-type]


def test_tier_membership_from_tags_and_tiers() -> None:
    assert _names() == ["Startup", "compile-big", "compile-small", "untagged"]
    assert _names(tier="quick") == ["Startup", "untagged"]
    assert _names(tier="nightly") == ["compile-big", "untagged"]
    assert _names(tier="full") == ["compile-small", "untagged"]
    tiers = {b.name: b.tiers for b in load(SELECTION).benchmarks}
    assert tiers["untagged"] == ("quick", "full", "load", "nightly")
    assert tiers["compile-small"] == ("full",)


def test_tags_and_patterns_select_in_file_order() -> None:
    assert _names(tags=("build", "smoke")) == ["Startup", "compile-big", "compile-small"]
    assert _names(pattern="COMPILE") == ["compile-big", "compile-small"]
    assert _names(pattern="*-big") == ["compile-big"]
    assert _names(pattern="s?art*") == ["Startup"]
    assert _names(tier="nightly", tags=("build",)) == ["compile-big"]


def test_nothing_selected_and_unknown_tier() -> None:
    with pytest.raises(UsageError) as caught:
        load(SELECTION, pattern="nothing-like-it")
    assert "no benchmark in benchmarks.toml matches -k 'nothing-like-it'" in caught.value.message
    assert caught.value.exit_code == 2
    (found,) = problems(SELECTION, tier="nightlly")
    assert found == (
        "unknown tier 'nightlly' (did you mean 'nightly'? known tiers: quick, full, load, nightly)"
    )


def test_parameters_become_lists_and_scans_with_variant_names() -> None:
    text = """
[[benchmark]]
name = "xz"
command = "xz -{level} -T{t} big"
parameters = { level = [1, 6, 9], t = { min = 1, max = 4, step = 3 } }

[[benchmark]]
name = "sleep {ms}ms"
command = "sleep {ms}e-3"
parameters = { ms = ["5", "10"] }
"""
    xz, sleep = load(text).benchmarks
    assert isinstance(xz.flags, RunFlags) and isinstance(sleep.flags, RunFlags)
    assert xz.flags.lists == (("level", "1,6,9"),)
    assert (xz.flags.scans, xz.flags.step) == ((("t", "1", "4"),), "3")
    assert xz.flags.names == ("xz (level={level}, t={t})",)
    assert sleep.flags.names == ("sleep {ms}ms",)


def test_parameter_mistakes() -> None:
    text = """
[[benchmark]]
name = "a"
command = "true {n}"
parameters = { n = { min = 1 }, m = [], k = { min = 1, max = 2, stpe = 1 }, "9x" = [1] }
"""
    found = problems(text)
    assert [line.split(": ", 2)[1] for line in found] == [
        'benchmark[1] ("a").parameters.n',
        'benchmark[1] ("a").parameters.m',
        'benchmark[1] ("a").parameters.k.stpe',
    ]
    text = text.replace("n = { min = 1 }, m = [], k = { min = 1, max = 2, stpe = 1 }, ", "")
    (found,) = problems(text)
    assert "--parameter-list: '9x' is not a valid parameter name" in found


def test_settings_for_list_are_merged_and_redacted() -> None:
    text = """
[defaults]
timeout = "9s"

[[benchmark]]
name = "db"
kind = "sql"
query = "SELECT 1"
db = "postgresql://me:hunter2@127.0.0.1/app"
runs = 3
"""
    (bench,) = load(text).benchmarks
    assert bench.settings == (
        ("query", "SELECT 1"),
        ("db", "postgresql://me:***@127.0.0.1/app"),
        ("runs", 3),
        ("timeout", "9s"),
    )
    assert bench.line == 5 and bench.kind == "sql"
