"""Small traps a user trips on (issue 8): each is refused with exit 2 and one clear
message on stderr, or behaves as the help says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import Invoke


def test_short_version_flag_works_like_long(invoke: Invoke) -> None:
    short, long = invoke("-V"), invoke("--version")
    assert (short.code, short.out, short.err) == (0, long.out, "")
    assert short.out.startswith("pbench, version ")


def test_bad_duration_names_the_option_once(invoke: Invoke) -> None:
    result = invoke("run", "--timeout", "abc", "true")
    assert result.code == 2 and result.out == ""
    assert "Invalid value for '--timeout': 'abc' is not a duration" in result.err
    assert result.err.count("--timeout") == 1


def test_bad_percentage_names_the_option_once(invoke: Invoke) -> None:
    result = invoke("compare", "--threshold", "x", "a.json", "b.json")
    assert result.code == 2 and result.out == ""
    assert "Invalid value for '--threshold': 'x' is not a percentage" in result.err
    assert result.err.count("--threshold") == 1


@pytest.mark.parametrize("subcommand", ["run", "compare", "sql", "http"])
@pytest.mark.parametrize("value", ["2", "0", "100%", "-5%", "five"])
def test_alpha_out_of_range_is_refused_at_parse_time(
    invoke: Invoke, subcommand: str, value: str
) -> None:
    args = {
        "run": ["true"],
        "compare": ["a.json", "b.json"],  # never read: parsing fails first
        "sql": ["SELECT 1"],
        "http": ["http://127.0.0.1:1/"],
    }[subcommand]
    result = invoke(subcommand, "--alpha", value, *args)
    assert result.code == 2, result.err
    assert result.out == ""
    assert "Invalid value for '--alpha'" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("value", ["5%", "0.05"])
def test_alpha_takes_both_forms_in_run(invoke: Invoke, value: str, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = invoke(
        "run", "--alpha", value, "-r", "3", "--style", "none", "-N", "true", "--export-json",
        str(out),
    )  # fmt: skip
    assert result.code == 0, result.err
    assert json.loads(out.read_text())["results"][0]["exit_codes"] == [0, 0, 0]


@pytest.mark.parametrize("value", ["5%", "0.05"])
def test_alpha_takes_both_forms_in_compare(invoke: Invoke, value: str) -> None:
    # A missing file is reported after the options were parsed: the value was accepted.
    result = invoke("compare", "--alpha", value, "/no/such/a.json", "/no/such/b.json")
    assert result.code == 2
    assert "Invalid value" not in result.err
    assert "does not exist" in result.err


@pytest.mark.parametrize("subcommand", ["run", "compare", "sql", "http"])
def test_alpha_and_threshold_defaults_print_as_percentages(invoke: Invoke, subcommand: str) -> None:
    text = " ".join(invoke(subcommand, "--help").out.split())
    assert "[default: 5%]" in text and "[default: 1%]" in text
    assert "0.05]" not in text and "0.01]" not in text


@pytest.mark.parametrize(
    "args",
    [
        ("run", "-N", "true"),
        ("sql", "SELECT 1"),
        ("sql", "-d", "1s", "SELECT 1"),
        ("http", "http://127.0.0.1:9/"),
    ],
)
def test_precision_of_without_precision_is_refused(invoke: Invoke, args: tuple[str, ...]) -> None:
    result = invoke(args[0], "--precision-of", "mean", *args[1:])
    assert result.code == 2 and result.out == ""
    assert "--precision-of" in result.err and "--precision was not given" in result.err
    assert "hint: add --precision" in result.err


def test_precision_of_with_precision_is_accepted(invoke: Invoke) -> None:
    result = invoke(
        "run", "--precision", "50%", "--precision-of", "mean", "-m", "3", "--style", "none",
        "-N", "true",
    )  # fmt: skip
    assert result.code == 0, result.err


def test_ignore_failure_help_says_timeouts_still_stop(invoke: Invoke) -> None:
    text = " ".join(invoke("run", "--help").out.split())
    assert "Timeouts (--timeout) still stop the run" in text


@pytest.mark.parametrize(
    ("args", "noun"),
    [
        (["http", "-r", "5", "-d", "1s", "http://127.0.0.1:1/"], "requests"),
        (["sql", "-r", "5", "-d", "1s", "SELECT 1"], "queries"),
        (["sql", "-c", "2", "-r", "5", "-d", "1s", "SELECT 1"], "queries"),
    ],
)
def test_runs_and_duration_together_are_refused(invoke: Invoke, args: list[str], noun: str) -> None:
    result = invoke(*args)
    assert result.code == 2, result.err
    assert result.out == ""
    assert "-r/--runs and -d/--duration cannot be combined" in result.err
    assert f"hint: give -r N for exactly N {noun}, or -d for a time" in result.err


@pytest.mark.parametrize("flags", [["--rate", "100", "-d", "300ms"], ["-d", "300ms"]])
def test_one_client_load_on_memory_sqlite_works_and_several_get_a_message_that_fits(
    invoke: Invoke, flags: list[str]
) -> None:
    result = invoke("sql", *flags, "SELECT 1")
    assert result.code == 0, result.err
    result = invoke("sql", "-c", "2", *flags, "SELECT 1")
    assert result.code == 2
    assert "several clients (-c 2 or more) cannot share an in-memory SQLite database" in (
        result.err
    )
    assert "hint: use an SQLite file, e.g. --db sqlite:///bench.db, or one client" in result.err


def test_a_huge_url_is_shortened_in_the_error(invoke: Invoke) -> None:
    url = "http://127.0.0.1:1/" + "a" * 100_000 + " b"
    result = invoke("http", url)
    assert result.code == 2
    assert "it contains whitespace" in result.err
    first = result.err.splitlines()[0]
    assert len(first) < 300, len(first)
    assert "a…'" in first
