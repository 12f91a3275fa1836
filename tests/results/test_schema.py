"""One schema version: the JSON export writes it, the reader checks it."""

from __future__ import annotations

import pytest

from pbench.errors import UsageError
from pbench.results.read import parse_results
from pbench.results.schema import RESULT_FILE_SCHEMA_VERSION


def document(version: object) -> dict[str, object]:
    result = {"command": "a", "name": "a", "times": [0.1, 0.2, 0.3]}
    return {"schema_version": version, "results": [result]}


def test_the_version_written_is_read() -> None:
    read = parse_results(document(RESULT_FILE_SCHEMA_VERSION), "a.json", "baseline")
    assert read.format == "pbench"
    assert list(read.benchmarks) == ["a"]


def test_a_newer_version_is_a_usage_error() -> None:
    newer = f"schema_version {RESULT_FILE_SCHEMA_VERSION + 1}, newer than this pbench reads"
    with pytest.raises(UsageError, match=newer):
        parse_results(document(RESULT_FILE_SCHEMA_VERSION + 1), "a.json", "baseline")
