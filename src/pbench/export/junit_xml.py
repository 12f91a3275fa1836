"""The JUnit XML document that Jenkins, GitLab and GitHub's test reporters read.

One ``<testsuites>`` holding one ``<testsuite>`` of :class:`Case` values, checked in
the tests against the junit-10.xsd of Jenkins' xunit plugin. A case passes, fails
(``<failure message=...>`` with the figures), or is skipped; any case may carry
``<system-out>`` text for the reader.

User text (benchmark names, commands, error messages) goes through
:func:`xml_safe`: ElementTree escapes ``<``, ``&`` and quotes, but XML 1.0 has no way
at all to write most control characters (not even as ``&#27;``), nor lone surrogates
(what undecodable bytes of argv become), so those are replaced by their ``\\xNN``
(``\\uDCNN``) spelling, which keeps them visible.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# What XML 1.0 (section 2.2, "Char") cannot hold: C0 controls other than tab, line
# feed and carriage return; surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SUITE_NAME = "pbench"


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 forbids spelled out as ``\\xNN``/``\\uNNNN``."""
    return _NOT_XML.sub(_spelled, text)


def _spelled(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True, slots=True)
class Case:
    """One ``<testcase>``. ``failure`` is its message (the case failed) and
    ``failure_text`` the longer body; ``skipped`` the reason it was not judged."""

    classname: str
    name: str
    time_s: float = 0.0
    failure: str | None = None
    failure_text: str | None = None
    skipped: str | None = None
    out: str | None = None


def seconds(value: float) -> str:
    """A time as JUnit readers parse it: plain decimal, never an exponent."""
    return f"{max(value, 0.0):.6f}"


def document(
    cases: Sequence[Case], properties: Mapping[str, str], timestamp: str | None = None
) -> str:
    """The XML text (UTF-8, with its declaration) of one suite of ``cases``."""
    import xml.etree.ElementTree as ET

    failures = sum(1 for c in cases if c.failure is not None)
    skipped = sum(1 for c in cases if c.failure is None and c.skipped is not None)
    total = seconds(sum(c.time_s for c in cases))
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0"}
    root = ET.Element("testsuites", {"name": SUITE_NAME, **counts, "time": total})
    suite = ET.SubElement(
        root, "testsuite", {"name": SUITE_NAME, **counts, "skipped": str(skipped), "time": total}
    )
    if timestamp:
        suite.set("timestamp", xml_safe(timestamp))
    if properties:
        props = ET.SubElement(suite, "properties")
        for key, value in properties.items():
            ET.SubElement(props, "property", {"name": xml_safe(key), "value": xml_safe(value)})
    for case in cases:
        element = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": xml_safe(case.classname),
                "name": xml_safe(case.name),
                "time": seconds(case.time_s),
            },
        )
        if case.failure is not None:
            failure = ET.SubElement(
                element, "failure", {"type": "pbench", "message": xml_safe(case.failure)}
            )
            failure.text = xml_safe(case.failure_text or case.failure)
        elif case.skipped is not None:
            ET.SubElement(element, "skipped", {"message": xml_safe(case.skipped)})
        if case.out:
            ET.SubElement(element, "system-out").text = xml_safe(case.out)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
