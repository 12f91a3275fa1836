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


def test_counts_are_not_bounded_as_times() -> None:
    # Times over 1e9 s are refused as damage; a count of 2 billion instructions is
    # ordinary and must stay the figure compared (not fall back to the wall times)
    from pbench.results.read import _slices

    records = [
        {"wall": 0.5, "round": i, "instructions": 2.0e9 + i, "user": 0.4, "system": 0.1}
        for i in range(3)
    ]
    assert _slices(records, "instructions") == (2.0e9, 2.0e9 + 1, 2.0e9 + 2)
    assert _slices(records, "wall") == (0.5, 0.5, 0.5)
    assert _slices([{"wall": 2.0e9, "round": 0}], "wall") == ()
