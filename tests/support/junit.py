"""JUnit XML as CI servers read it: validated against the junit-10.xsd of Jenkins'
xunit plugin (tests/data/junit/, with its source and licence), then parsed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA = Path(__file__).resolve().parent.parent / "data" / "junit" / "junit-10.xsd"


@cache
def schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMA))


def validated(text: str) -> ET.Element:
    """The document's root, after checking it against the schema (raises if invalid)."""
    schema().validate(text)
    return ET.fromstring(text.encode("utf-8"))


def cases(root: ET.Element) -> dict[str, ET.Element]:
    """Test cases by name (names are unique in what pbench writes)."""
    found = {case.get("name", ""): case for case in root.iter("testcase")}
    assert len(found) == len(list(root.iter("testcase"))), "two test cases share a name"
    return found


def outcome(case: ET.Element) -> str:
    """ "failure", "skipped" or "passed"."""
    if case.find("failure") is not None:
        return "failure"
    if case.find("skipped") is not None:
        return "skipped"
    return "passed"
