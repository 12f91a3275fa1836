"""A malformed suite file: every problem at once, each on its own line with the file,
the line, the key path and what is wrong (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pbench.cli.suite_keys import suite_schema
from pbench.errors import ExitCode, UsageError
from pbench.plan.suite.read import read_suite_path
from support.suite import load, problems


def test_toml_syntax_error_gives_line_and_column() -> None:
    found = problems('[[benchmark]]\nname = "a"\ncommand = "true\n')
    assert len(found) == 1
    assert found[0].startswith("benchmarks.toml:3:")
    assert "invalid TOML" in found[0] and "(at line" not in found[0]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "warmpu = 3",
            ':3: benchmark[1] ("a").warmpu: unknown key `warmpu`, did you mean `warmup`?',
        ),
        ('warmup = "5"', ':3: benchmark[1] ("a").warmup: expected an integer, got "5"'),
        ('timeout = ["1s"]', ':3: benchmark[1] ("a").timeout: expected a duration'),
        ("shell = { a = 1 }", ':3: benchmark[1] ("a").shell: expected a string, got a table'),
        ("setup = [1]", ':3: benchmark[1] ("a").setup: expected a string or a list of strings'),
        ("ignore_failure = 1", ':3: benchmark[1] ("a").ignore_failure: expected true or false'),
        ('timeout = "fast"', ":3: benchmark[1] (\"a\").timeout: 'fast' is not a duration"),
        ("warmup = -1", ':3: benchmark[1] ("a").warmup: -1 is not in the range 0<=x<=1000000000'),
        ('order = "random"', ':3: benchmark[1] ("a").order: '),
        (
            'budgets = { p95 = "fast" }',
            ':3: benchmark[1] ("a").budgets.p95: expected a duration like "250ms", got "fast"',
        ),
        (
            'budgets = { rss = { warn = "big" } }',
            ':3: benchmark[1] ("a").budgets.rss.warn: expected a size like "200MB", got "big"',
        ),
        ('budgets = { p42x = "1s" }', ':3: benchmark[1] ("a").budgets.p42x: unknown budget'),
        ('url = "http://x"', ':3: benchmark[1] ("a").url: a command benchmark has `command`, not'),
        ("workers = 4", ':3: benchmark[1] ("a").workers: `workers` is an option of'),
        ('style = "full"', ':3: benchmark[1] ("a").style: `style` cannot be set in a suite file'),
        ('tiers = ["quik"]', ":3: benchmark[1] (\"a\").tiers: unknown tier 'quik' (did you mean"),
        ('kind = "htp"', ':3: benchmark[1] ("a").kind: unknown kind "htp", did you mean "http"?'),
        ("runs = 5\nmin_runs = 3", ':1: benchmark[1] ("a"): --runs cannot be combined with'),
        ('parameters = { n = ["1,2"] }', ':3: benchmark[1] ("a").parameters.n: a value cannot'),
        ('prepare = "${NOPE}"', ':3: benchmark[1] ("a").prepare: undefined environment variable'),
    ],
)
def test_each_mistake_names_file_line_and_key(body: str, expected: str) -> None:
    found = problems(f'[[benchmark]]\nname = "a"\n{body}\ncommand = "true"\n')
    assert len(found) == 1, found
    assert found[0].startswith("benchmarks.toml:")
    assert expected in found[0]


def test_missing_name_target_and_duplicates() -> None:
    found = problems(
        """
[[benchmark]]
command = "true"

[[benchmark]]
name = "api"
kind = "http"

[[benchmark]]
name = "x"
command = "true"

[[benchmark]]
name = "x"
command = "false"
"""
    )
    assert found == [
        "benchmarks.toml:2: benchmark[1]: missing `name` (every benchmark needs a unique name)",
        'benchmarks.toml:5: benchmark[2] ("api"): missing `url`: an http benchmark needs the '
        "URL to load",
        'benchmarks.toml:14: benchmark[4] ("x").name: "x" is also the name of benchmark[3] '
        "(names must be unique)",
    ]


def test_three_mistakes_are_three_lines_in_file_order() -> None:
    text = """
[defaults]
warmpu = 1

[tier.quick]
runs = "ten"

[[benchmark]]
name = "a"
command = "true"
timeout = "soon"
"""
    found = problems(text)
    assert len(found) == 3
    assert [line.split(": ")[0] for line in found] == [
        "benchmarks.toml:3",
        "benchmarks.toml:6",
        "benchmarks.toml:11",
    ]
    assert "defaults.warmpu: unknown key `warmpu`, did you mean `warmup`?" in found[0]
    assert 'tier.quick.runs: expected an integer, got "ten"' in found[1]


def test_rendered_error_has_one_line_per_problem() -> None:
    with pytest.raises(UsageError) as caught:
        load('[[benchmark]]\nname = "a"\ncommand = "true"\nwarmup = "x"\nrunz = 1\n')
    assert caught.value.exit_code == ExitCode.USAGE
    lines = caught.value.render().splitlines()
    assert len(lines) == 2 and all(
        line.startswith("pbench: error: benchmarks.toml:") for line in lines
    )


def test_a_conflict_inside_defaults_is_blamed_on_defaults_once() -> None:
    text = """
[defaults]
runs = 5
max_runs = 9

[[benchmark]]
name = "a"
command = "true"

[[benchmark]]
name = "b"
command = "true"
"""
    found = problems(text)
    assert len(found) == 1
    assert found[0].startswith("benchmarks.toml:2: defaults: --runs cannot be combined")


def test_unknown_top_level_table_and_empty_suite() -> None:
    found = problems("[defualts]\nwarmup = 1\n")
    assert (
        found[0]
        == "benchmarks.toml:1: defualts: unknown table `defualts`, did you mean `defaults`?"
    )
    assert "no benchmarks" in found[1]


def test_secrets_are_never_echoed() -> None:
    text = """
[[benchmark]]
name = "api"
kind = "http"
url = "http://127.0.0.1/"
header = ["Authorization Bearer tok123"]
expect_status = ["Authorization: Bearer tok456"]

[[benchmark]]
name = "db"
kind = "sql"
query = "SELECT 1"
db = "postgresql://me:hunter2@127.0.0.1/app"
timeout = "postgresql://me:hunter3@127.0.0.1/app"
"""
    found = problems(text)
    assert len(found) == 2, found
    joined = "\n".join(found)
    assert "hunter3" not in joined and "tok123" not in joined
    assert "invalid header" in joined and "is not a duration" in joined


def test_expect_status_secret_is_masked() -> None:
    text = """
[[benchmark]]
name = "api"
kind = "http"
url = "http://127.0.0.1/"
expect_status = ["Authorization: Bearer tok456"]
"""
    (found,) = problems(text)
    assert "tok456" not in found and "invalid status" in found


def test_missing_file_says_how_to_start(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        read_suite_path(tmp_path / "benchmarks.toml", suite_schema())
    assert caught.value.exit_code == ExitCode.USAGE
    assert "no suite file" in caught.value.message and "benchmarks.toml" in caught.value.message
    assert caught.value.hint is not None and "[[benchmark]]" in caught.value.hint
