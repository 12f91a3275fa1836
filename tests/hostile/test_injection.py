"""Hostile input, injection: formulas in CSV cells, terminal escape sequences and bytes
that are not UTF-8 in names, commands and parameter values."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from support.cli import run_pbench

FORMULA = '=HYPERLINK("http://x","y")'
TITLE = "x\x1b]0;TITLE\x07"


def test_formulas_are_neutralised_and_escapes_shown_escaped(tmp_path: Path) -> None:
    files = {ext: tmp_path / f"r.{ext}" for ext in ("csv", "md", "json", "html", "xml")}
    result = run_pbench(
        "run", "-r", "3", "--style", "basic", "-n", FORMULA + "{v}", "-n", TITLE + "{v}",
        "-L", "v", "-1,=SUM(A1)", "true '{v}'", "true",
        *[arg for path in files.values() for arg in ("--export", str(path))],
    )  # fmt: skip
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(files["csv"].read_text())))
    names = [row["name"] for row in rows]
    # hyperfine's order: the commands vary fastest, then the parameter.
    assert names[0::2] == ["'" + FORMULA + "-1", "'" + FORMULA + "=SUM(A1)"]
    assert names[1] == "x\\x1b]0;TITLE\\x07-1"
    assert [row["parameter_v"] for row in rows[0::2]] == ["-1", "'=SUM(A1)"]
    for row in rows:
        assert not any(cell.startswith(("=", "@", "+", "\t", "\r")) for cell in row.values())
    for text in (result.out, result.err, *(p.read_text() for p in files.values())):
        assert "\x1b" not in text and "\x07" not in text
    assert "x\\x1b]0;TITLE\\x07" in result.out


def test_names_and_commands_that_are_not_utf8_run_as_bytes(tmp_path: Path) -> None:
    # Python keeps argv bytes that are not UTF-8 as lone surrogates (surrogateescape).
    made = tmp_path / "made"
    csv_file, json_file = tmp_path / "r.csv", tmp_path / "r.json"
    store = tmp_path / "h.db"
    command = f"printf '\udcfe' > {made}"
    for baseline in ([], ["--baseline", "latest"]):  # the second reads the first back
        result = run_pbench(
            "run", "-r", "2", "-n", "bad\udcff", command, "--store", str(store), "--save",
            "--export-csv", str(csv_file), "--export-json", str(json_file), *baseline,
        )  # fmt: skip
        assert result.code == 0, result.err
    assert made.read_bytes() == b"\xfe"  # the command ran with its own bytes
    assert "bad\\xff" in result.out and "Traceback" not in result.err
    assert json.loads(json_file.read_text())["results"][0]["command"] == "bad\\xff"
    assert "bad\\xff" in csv_file.read_text()
    history = run_pbench("history", "--store", str(store))
    assert history.code == 0 and "bad\\xff" in history.out
