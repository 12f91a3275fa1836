"""Byte-for-byte golden files for every format, from the fixed report in conftest.py.

After an intended change of a format, regenerate them and review the diff:

    PBENCH_REGEN_GOLDEN=1 python3 -m pytest tests/export/test_golden.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from pbench.export import ExportFormat, render
from pbench.models import RunResults

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden"
FILES: dict[ExportFormat, str] = {
    "json": "report.json",
    "csv": "report.csv",
    "markdown": "report.md",
}


@pytest.mark.parametrize("format", list(FILES))
def test_matches_golden_file(format: ExportFormat, report: RunResults) -> None:
    path = GOLDEN / FILES[format]
    text = render(format, report)
    if os.environ.get("PBENCH_REGEN_GOLDEN") == "1":
        path.write_bytes(text.encode("utf-8"))
        pytest.skip(f"regenerated {path}")
    assert _normalised(text) == _normalised(path.read_text(encoding="utf-8"))


_FLOAT = re.compile(r"-?\d+\.\d+(?:[eE][-+]?\d+)?")


def _normalised(text: str) -> str:
    """Floats to 12 significant digits: numpy's summation order may change the last
    bits of a figure between versions and CPUs, never the format being tested."""
    return _FLOAT.sub(lambda m: f"{float(m[0]):.12g}", text)


def test_rendering_is_deterministic(report: RunResults) -> None:
    for format in FILES:
        assert render(format, report) == render(format, report)
