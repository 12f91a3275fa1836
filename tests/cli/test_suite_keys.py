"""The suite keys come from the click commands: every option is a key or refused on
purpose, and a benchmark's keys give the flags its command line would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pytest

from pbench.cli.common import flags_from
from pbench.cli.suite_keys import (
    COMMANDS,
    FLAGS,
    REFUSED,
    option_keys,
    read_suite_file,
    suite_schema,
)
from pbench.errors import UsageError
from pbench.plan.options import ReportFlags


def test_every_long_option_is_a_key_or_refused() -> None:
    schema = suite_schema()
    seen: set[str] = set()
    for kind, command in COMMANDS.items():
        keys = schema.kinds[kind]
        for param in command.params:
            if not isinstance(param, click.Option):
                continue
            for key in option_keys(param):
                seen.add(key)
                known = key in keys.keys or key in keys.aliases
                refused = key in REFUSED
                assert known != refused, f"{kind}: --{key} is {'both' if known else 'neither'}"
    assert set(REFUSED) <= seen, f"refused keys that are no option: {set(REFUSED) - seen}"
    # Exports and --budget belong to the suite run (or to `budgets`), never to a key.
    assert {key for key in seen if key.startswith("export") or key == "budget"} <= set(REFUSED)
    assert schema.kinds["http"].aliases == {"requests": "runs"}


def test_a_key_has_one_shape_in_every_kind() -> None:
    schema = suite_schema()
    for key in {k for kind in schema.kinds.values() for k in kind.keys}:
        shapes = {kind.keys[key] for kind in schema.kinds.values() if key in kind.keys}
        assert len(shapes) == 1, (key, shapes)


def _cli(kind: str, argv: list[str]) -> tuple[Any, ReportFlags]:
    """What ``pbench <kind> ARGV`` hands to its plan."""
    kind_ = {"run": "command"}.get(kind, kind)
    command = COMMANDS[kind_]  # type: ignore[index]
    with command.make_context(kind, argv) as ctx:
        params = ctx.params
    return flags_from(FLAGS[kind_], params), flags_from(ReportFlags, params)  # type: ignore[index]


SUITE = """
[defaults]
warmup = 2
threshold = "3%"

[[benchmark]]
name = "xz"
command = "xz -{level} -c big.tar"
parameters = { level = [1, 6] }
setup = ["make data", "-v"]
prepare = "sync"
env = { LANG = "C", JOBS = 4 }
min_runs = 20
max_runs = 200
min_time = 0.5
timeout = "1m"
shell = "bash"
ignore_failure = true
output = "pipe"
seed = 7
order = "sequential"
no_sample = true
sample_interval = 0.002

[[benchmark]]
name = "api"
kind = "http"
url = "http://127.0.0.1:${PORT:-8080}/api"
method = "POST"
header = ["Authorization: Bearer ${TOKEN}", "Accept: */*"]
body = "{}"
requests = 5000
concurrency = 8
rate = 1000
expect_status = [200, "3xx"]
no_keepalive = true
alpha = 0.01

[[benchmark]]
name = "point {id}"
kind = "sql"
query = "SELECT * FROM t WHERE id = {id}"
db = "sqlite:///app.db"
parameters = { id = { min = 1, max = 3 } }
setup_sql = "@schema.sql"
precision = "2%"
precision_of = "mean"
max_time = "30s"
prepared = true
"""

EQUIVALENT = {
    "xz": (
        "run",
        ["-w", "2", "--threshold", "3%", "-L", "level", "1,6", "-s", "make data", "-s", "-v",
         "-p", "sync", "--env", "LANG=C", "--env", "JOBS=4", "-m", "20", "-M", "200",
         "--min-time", "0.5", "--timeout", "1m", "-S", "bash", "-i", "--output", "pipe",
         "--seed", "7", "--order", "sequential", "--no-sample", "--sample-interval", "2ms",
         "-n", "xz (level={level})", "xz -{level} -c big.tar"],
    ),
    "api": (
        "http",
        ["-w", "2", "--threshold", "0.03", "-X", "POST", "-H", "Authorization: Bearer t0k",
         "-H", "Accept: */*", "--body", "{}", "--requests", "5000", "-c", "8", "--rate", "1000",
         "--expect-status", "200", "--expect-status", "3xx", "--no-keepalive", "--alpha", "1%",
         "-n", "api", "http://127.0.0.1:8080/api"],
    ),
    "point {id}": (
        "sql",
        ["-w", "2", "--threshold", "3%", "--db", "sqlite:///app.db", "-P", "id", "1", "3",
         "--setup-sql", "@schema.sql", "--precision", "2%", "--precision-of", "mean",
         "--max-time", "30s", "--prepared", "-n", "point {id}",
         "SELECT * FROM t WHERE id = {id}"],
    ),
}  # fmt: skip


def test_suite_flags_equal_the_command_lines(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.toml"
    path.write_text(SUITE)
    suite = read_suite_file(path, environ={"TOKEN": "t0k"})
    assert [b.name for b in suite.benchmarks] == list(EQUIVALENT)
    for bench in suite.benchmarks:
        kind, argv = EQUIVALENT[bench.name]
        assert (bench.flags, bench.report) == _cli(kind, argv), bench.name


def test_settings_hide_the_token(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.toml"
    path.write_text(SUITE)
    (api,) = read_suite_file(path, pattern="api", environ={"TOKEN": "t0k"}).benchmarks
    assert dict(api.settings)["header"] == ["Authorization: ***", "Accept: */*"]
    assert "t0k" not in repr(api.settings)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("export_json", "`export_json` cannot be set in a suite file: exports are"),
        ("show_output", '`show_output` cannot be set in a suite file: write output = "inherit"'),
        ("parameter_list", "use parameters = {"),
        ("command_name", "a benchmark's `name` names it"),
    ],
)
def test_refused_keys_say_what_to_do(tmp_path: Path, key: str, expected: str) -> None:
    path = tmp_path / "benchmarks.toml"
    path.write_text(f'[[benchmark]]\nname = "a"\ncommand = "true"\n{key} = "x"\n')
    with pytest.raises(UsageError) as caught:
        read_suite_file(path)
    assert caught.value.message.startswith(f'{path}:4: benchmark[1] ("a").{key}: ')
    assert expected in caught.value.message
