"""One reader, the writer's key names: what the JSON export writes is what the reader
reads, and a value of the wrong type at any key the schema names is one exit 2 that
names the file and the key path, in compare (parse_results) and report (restore) alike."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbench.errors import UsageError
from pbench.export import render
from pbench.models import RunResults
from pbench.results.read import parse_results, restore
from pbench.results.schema import DOCUMENT_KEYS, RECORD_KEYS, RESULT_KEYS, SECTION_PREFIX
from support.cli import run_pbench

# A value of each JSON kind, and which schema kinds it is not.
WRONG: dict[str, Any] = {
    "a string": "fast",
    "a list": [1.0],
    "an object": {"a": 1},
    "a number": 1.5,
    "true": True,
}
FITS = {
    "a string": {"string"},
    "a list": {"list"},
    "an object": {"object"},
    "a number": {"number"},
    "true": {"bool"},
}


def written(report: RunResults) -> dict[str, Any]:
    """The export of ``report`` without the result that never ran (compare refuses a
    benchmark without runs, whatever its types) and without the fixture's comparisons
    (hand-made, not a comparison's real fields)."""
    document: dict[str, Any] = json.loads(render("json", report))
    document["comparisons"] = []
    document["results"] = [r for r in document["results"] if r["times"]]
    return document


def both_refuse(document: dict[str, Any], key_path: str) -> None:
    for read in (lambda d: parse_results(d, "f.json", "baseline"), lambda d: restore(d, "f.json")):
        with pytest.raises(UsageError) as caught:
            read(copy.deepcopy(document))
        assert caught.value.exit_code == 2
        assert caught.value.message.startswith(f"f.json: {key_path} is "), caught.value.message


def test_the_writers_keys_are_the_schemas(report: RunResults) -> None:
    document = written(report)
    assert set(document) <= set(DOCUMENT_KEYS)
    ran = [r for r in report.results if r.measurements]
    for entry, result in zip(document["results"], ran, strict=True):
        sections = {k if k not in RESULT_KEYS else f"{SECTION_PREFIX}{k}" for k in result.sections}
        assert set(entry) - set(RESULT_KEYS) == sections
        for rec in entry["measurements"]:
            assert list(rec)[: len(RECORD_KEYS)] == list(RECORD_KEYS)
    parsed = parse_results(document, "f.json", "baseline")
    assert list(parsed.benchmarks) == [r.name for r in ran]
    restored = restore(document, "f.json")
    walls = [[(m.wall_s, m.round) for m in r.measurements] for r in ran]
    assert [[(m.wall_s, m.round) for m in r.measurements] for r in restored.results] == walls


@pytest.mark.parametrize(
    ("where", "value", "key_path", "expected"),
    [
        ("entry", ("mean", "fast"), "results[0].mean", 'is "fast", not a number'),
        ("entry", ("info", [1]), "results[0].info", "is [1], not an object"),
        ("entry", ("statistics", "x"), "results[0].statistics", 'is "x", not an object'),
        ("entry", ("measurements", {"a": 1}), "results[0].measurements", "not a list"),
        ("entry", ("warmups", 1.5), "results[0].warmups", "is 1.5, not an integer"),
        ("record", ("wall", "0.1"), "results[0].measurements[0].wall", "not a number"),
        ("record", ("round", None), "results[0].measurements[0].round", "null, not an integer"),
        ("record", ("timed_out", 0), "results[0].measurements[0].timed_out", "not true or false"),
        ("document", ("metadata", []), "metadata", "is [], not an object"),
        ("document", ("schema_version", "2"), "schema_version", 'is "2", not an integer'),
        ("document", ("comparisons", {}), "comparisons", "is {}, not a list"),
    ],
)
def test_a_wrong_type_names_the_file_and_the_key_path(
    report: RunResults, where: str, value: tuple[str, Any], key_path: str, expected: str
) -> None:
    document = written(report)
    key, wrong = value
    target = {
        "document": document,
        "entry": document["results"][0],
        "record": document["results"][0]["measurements"][0],
    }[where]
    target[key] = wrong
    both_refuse(document, key_path)
    with pytest.raises(UsageError) as caught:
        parse_results(document, "f.json", "baseline")
    assert expected in caught.value.message


def test_compare_and_report_exit_2_on_a_wrong_type(tmp_path: Path, report: RunResults) -> None:
    document = written(report)
    document["results"][1]["measurements"][2]["wall"] = "slow"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(written(report)))
    for args in (("compare", str(good), str(bad)), ("report", str(bad))):
        result = run_pbench(*args)
        assert result.code == 2, result.err
        assert result.err.startswith(f"pbench: error: {bad}: results[1].measurements[2].wall is ")
        assert "Traceback" not in result.err


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_wrong_type_at_any_known_key_is_refused_by_both(
    report: RunResults, data: st.DataObject
) -> None:
    document = written(report)
    index = data.draw(st.integers(0, len(document["results"]) - 1))
    entry = document["results"][index]
    places: list[tuple[dict[str, Any], str, str, str]] = [
        (entry, key, kind, f"results[{index}].{key}") for key, kind in RESULT_KEYS.items()
    ]
    if entry["measurements"]:
        rec = entry["measurements"][0]
        places += [
            (rec, key, kind, f"results[{index}].measurements[0].{key}")
            for key, kind in RECORD_KEYS.items()
        ]
    places += [
        (document, key, kind, key) for key, kind in DOCUMENT_KEYS.items() if key != "results"
    ]
    target, key, kind, key_path = data.draw(st.sampled_from(places))
    base = kind.rstrip("?")
    # A boolean is no number (nor an integer); 1.5 is a number but no integer.
    shape = data.draw(st.sampled_from([s for s, kinds in FITS.items() if base not in kinds]))
    target[key] = WRONG[shape]
    if key in ("command", "name", "parameters"):
        # Checked before the others, with the messages they always had.
        with pytest.raises(UsageError, match=rf"^f\.json: .*'?{key}'? "):
            parse_results(document, "f.json", "baseline")
        return
    both_refuse(document, key_path)
