"""Property tests: whatever the suite file, the result file or the text to redact, the
answer is a result or one clean exit 2, never a traceback."""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbench.errors import UsageError
from pbench.results.read import parse_results
from pbench.results.redact import MASK, redact, redact_url
from support.cli import run_pbench

FAST = settings(
    max_examples=60, derandomize=True, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip

scalars = (
    st.none() | st.booleans() | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
)  # fmt: skip
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
# Result entries with the keys readers look at, and values of any type.
entry_keys = st.sampled_from(
    ["command", "name", "command_line", "mean", "median", "stddev", "min", "max", "times",
     "measurements", "parameters", "exit_codes", "statistics", "load", "user", "system"]
)  # fmt: skip
entries = st.dictionaries(entry_keys, json_values | st.lists(scalars, max_size=6), max_size=8)
documents = st.fixed_dictionaries(
    {"results": st.lists(entries, max_size=4) | json_values},
    optional={"schema_version": json_values, "metadata": json_values},
)


@FAST
@given(documents)
def test_the_result_reader_gives_a_result_or_a_usage_error(document: dict[str, Any]) -> None:
    try:
        parse_results(document, "f.json", "result")
    except UsageError as exc:
        assert exc.exit_code == 2 and "f.json" in exc.message


@settings(
    max_examples=25, derandomize=True, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)  # fmt: skip
@given(documents)
def test_compare_of_any_document_is_a_verdict_or_exit_2(
    tmp_path: Path, document: dict[str, Any]
) -> None:
    path = tmp_path / "any.json"
    path.write_text(json.dumps(document))
    result = run_pbench("compare", str(path), str(path))
    assert result.code in (0, 2, 5), result.err
    if result.code == 2:
        assert result.err.startswith("pbench: error:")


toml_keys = st.sampled_from(
    ["name", "command", "runs", "warmup", "parameters", "url", "kind", "setup", "tier",
     "min_runs", "max_runs", "timeout", "budgets", "concurrency", "env", "x"]
)  # fmt: skip
toml_values = st.sampled_from(
    ['"true"', '"echo {n}"', "3", "-1", "0", "99999999999999999999", "1e400", "true",
     "[1, 2]", '{ n = [1, 2] }', '{ n = { min = 1, max = 3 } }', '{ n = { min = 1, max = 1e11 } }',
     '"10ms"', "[[[[[1]]]]]", '{ p95 = "1ms" }', '""', "[]", "{}", '"\\u0000"']
)  # fmt: skip
suite_lines = st.lists(
    st.one_of(
        st.just("[[benchmark]]"), st.just("[defaults]"), st.just("[tier.quick]"),
        st.tuples(toml_keys, toml_values).map(lambda kv: f"{kv[0]} = {kv[1]}"),
        st.text(alphabet=string.printable, max_size=20),
    ),
    max_size=12,
)  # fmt: skip


@settings(
    max_examples=60, derandomize=True, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)  # fmt: skip
@given(suite_lines)
def test_any_suite_file_is_a_plan_or_exit_2(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "benchmarks.toml"
    path.write_text("\n".join(lines) + "\n")
    result = run_pbench("suite", str(path), "--dry-run")
    assert result.code in (0, 2), result.err
    if result.code == 2:
        assert "pbench: error:" in result.err and "Traceback" not in result.err


secrets = st.text(alphabet=string.ascii_letters + string.digits, min_size=8, max_size=16)
noise = st.text(max_size=40)


@FAST
@given(noise, st.sampled_from(["token", "api_key", "Signature", "password", "sig"]), secrets, noise)
def test_a_credential_parameter_never_survives(
    before: str, name: str, secret: str, after: str
) -> None:
    text = f"{before} http://h/p?a=1&{name}={secret} {after}"
    shown = redact(text)
    assert f"{name}={MASK}" in shown
    assert secret not in shown.replace(before, "").replace(after, "")


@FAST
@given(st.text(max_size=300))
def test_redaction_of_any_text_is_a_text(text: str) -> None:
    assert isinstance(redact(text), str) and isinstance(redact_url(text), str)
