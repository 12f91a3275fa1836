"""Hostile input, time and memory: parameters that expand past the limit, numbers that
cannot be meant, and files nested too deep end in exit 2 with one message, at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import run_pbench

TEN = "[0,1,2,3,4,5,6,7,8,9]"


def write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


def test_a_suite_of_ten_million_combinations_is_counted_and_refused(tmp_path: Path) -> None:
    names = "abcdefg"
    suite = write(
        tmp_path / "big.toml",
        '[[benchmark]]\nname = "b"\ncommand = "echo ' + "".join(f"{{{n}}}" for n in names)
        + '"\nparameters = { ' + ", ".join(f"{n} = {TEN}" for n in names) + " }\n",
    )  # fmt: skip
    result = run_pbench("suite", suite, "--dry-run")
    assert result.code == 2
    assert "10,000,000 benchmarks, more than the limit of 100,000" in result.err
    assert "PBENCH_MAX_BENCHMARKS" in result.err


def test_a_huge_range_is_refused_before_it_is_built(tmp_path: Path) -> None:
    suite = write(
        tmp_path / "range.toml",
        '[[benchmark]]\nname = "b{n}"\ncommand = "echo {n}"\n'
        "parameters = { n = { min = 1, max = 1e11, step = 1 } }\n",
    )
    result = run_pbench("suite", suite, "--dry-run")
    assert result.code == 2 and "100,000,000,000 benchmarks" in result.err
    cli = run_pbench("run", "-P", "n", "1", "100000000000", "echo {n}")
    assert cli.code == 2 and "100,000,000,000 benchmarks" in cli.err


def test_the_limit_can_be_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PBENCH_MAX_BENCHMARKS", "2")
    result = run_pbench("run", "--runs", "2", "-P", "n", "1", "3", "true {n}")
    assert result.code == 2 and "3 benchmarks, more than the limit of 2" in result.err
    monkeypatch.setenv("PBENCH_MAX_BENCHMARKS", "lots")
    assert run_pbench("run", "-P", "n", "1", "3", "true {n}").code == 2


def test_numbers_that_cannot_be_meant_are_refused(tmp_path: Path) -> None:
    suite = write(
        tmp_path / "s.toml",
        '[[benchmark]]\nname = "a"\ncommand = "true"\nruns = 99999999999999999999\n',
    )
    result = run_pbench("suite", suite, "--dry-run")
    assert result.code == 2 and "runs: 99999999999999999999 cannot be meant" in result.err
    assert "1,000,000,000" in result.err
    cli = run_pbench("run", "-r", "99999999999999999999", "true")
    assert cli.code == 2 and "--runs" in cli.err


def test_a_suite_nested_too_deep_is_malformed(tmp_path: Path) -> None:
    suite = write(tmp_path / "deep.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n")
    result = run_pbench("suite", suite, "--dry-run")
    assert result.code == 2 and "deep.toml: malformed suite" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("command", [["compare", "{f}", "{f}"], ["report", "{f}"],
                                     ["history", "import", "{f}"]])  # fmt: skip
def test_result_files_nested_too_deep_are_malformed(tmp_path: Path, command: list[str]) -> None:
    deep = write(tmp_path / "deep.json", '{"results": ' + "[" * 100_000 + "]" * 100_000 + "}")
    args = [arg.format(f=deep) for arg in command]
    if command[0] == "report":
        args += ["-o", str(tmp_path / "r.html")]
    if command[0] == "history":
        args += ["--store", str(tmp_path / "h.db")]
    result = run_pbench(*args)
    assert result.code == 2, result.err
    assert "deep.json is malformed: nested too deep" in result.err


def test_a_lone_surrogate_in_an_imported_command_is_kept_escaped(tmp_path: Path) -> None:
    document = {"results": [{"command": "a\\ud800", "times": [1.0, 2.0, 3.0], "mean": 2.0}]}
    raw = json.dumps(document).replace("\\\\ud800", "\\ud800")  # a real lone surrogate
    path = write(tmp_path / "s.json", raw)
    store = str(tmp_path / "h.db")
    result = run_pbench("history", "import", path, "--store", store)
    assert result.code == 0, result.err
    listing = run_pbench("history", "--store", store)
    assert listing.code == 0 and "a\\ud800" in listing.out


def test_a_suite_of_many_benchmarks_is_planned_without_a_parse_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Planning is linear and cheap: the subcommand's command line is parsed by click
    once per distinct set of keys, not once or more per benchmark (60,000 benchmarks
    took over 120 s); every benchmark is still planned with its own name and command."""
    from pbench.cli import suite_keys

    count = 2_000
    suite = write(
        tmp_path / "many.toml",
        "".join(
            f'[[benchmark]]\nname = "b{i}"\ncommand = "echo {i}"\nruns = {3 + i % 2}\n'
            'warmup = 1\ntags = ["a"]\n'
            for i in range(count)
        ),
    )
    parses = []
    real = suite_keys._parse
    monkeypatch.setattr(suite_keys, "_parse", lambda *args: parses.append(args) or real(*args))
    suite_keys._parse_once.cache_clear()
    result = run_pbench("suite", suite, "--dry-run")
    assert result.code == 0, result.err
    assert "b1999 (command): 4 runs" in result.out and "b1998 (command): 3 runs" in result.out
    assert len(parses) <= 30  # the built-in tiers, runs 3 and 4, warmup, tags, two builds


@pytest.mark.parametrize("key", ["info", "process_tree"])
def test_a_section_nested_too_deep_is_not_imported(tmp_path: Path, key: str) -> None:
    """Shallow enough for the JSON decoder (900 levels), too deep for the redaction
    and the store's JSON: exit 2 naming the file, nothing saved."""
    data = Path(__file__).resolve().parents[1] / "data" / "compare" / "pbench_base.json"
    document = json.loads(data.read_text())
    document["results"][0][key] = {"deep": "__X__"}
    text = json.dumps(document).replace('"__X__"', "[" * 900 + "]" * 900)
    path = write(tmp_path / "deep.json", text)
    store = tmp_path / "h.db"
    result = run_pbench("history", "import", path, "--store", str(store))
    assert result.code == 2, result.err
    assert "deep.json is malformed: nested too deep" in result.err
    assert not store.exists()
    for command in (["compare", path, path], ["report", path]):
        assert run_pbench(*command).code in (0, 2)
