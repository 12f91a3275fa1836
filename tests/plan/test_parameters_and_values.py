"""Parameter expansion (-P/-L) and value parsing (durations, fractions, exit codes)."""

import pytest

from pbench.errors import UsageError
from pbench.plan.parameters import combinations, listed, scan, substitute
from pbench.plan.values import parse_duration, parse_exit_codes, parse_fraction


def test_parameter_scan_and_list() -> None:
    assert scan("n", "1", "4", None).values == ("1", "2", "3", "4")
    assert scan("d", "0.1", "0.3", "0.1").values == ("0.1", "0.2", "0.3")
    assert scan("n", "0", "20", "10").values == ("0", "10", "20")
    assert listed("c", "gcc,clang").values == ("gcc", "clang")
    got = list(combinations([listed("a", "x,y"), scan("n", "1", "2", None)]))
    assert got == [  # hyperfine's order: the first parameter varies fastest
        {"a": "x", "n": "1"},
        {"a": "y", "n": "1"},
        {"a": "x", "n": "2"},
        {"a": "y", "n": "2"},
    ]
    assert [list(c) for c in got] == [["a", "n"]] * 4  # names in the order given
    assert substitute("sleep {t} {x}", {"t": "1"}) == "sleep 1 {x}"


@pytest.mark.parametrize(
    "args",
    [("n", "5", "1", None), ("n", "a", "2", None), ("n", "1", "2", "0"), ("n", "0.5", "1", None)],
)
def test_bad_parameter_scans(args: tuple[str, str, str, str | None]) -> None:
    with pytest.raises(UsageError):
        scan(*args)


def test_parameter_list_is_split_as_hyperfine_does() -> None:
    assert listed("x", "a,,b").values == ("a", "", "b")  # empty values, as in hyperfine
    assert listed("x", ",--fast").values == ("", "--fast")
    assert listed("x", r"hello\, world,b").values == ("hello, world", "b")
    assert listed("x", r"\\\,").values == ("\\,",)
    assert listed("x", r"\n,\\").values == (r"\n", "\\")
    assert listed("x", "a\\").values == ("a\\",)


def test_bad_parameter_list() -> None:
    with pytest.raises(UsageError):
        listed("9x", "a")
    with pytest.raises(UsageError, match="parameter name used twice: x"):
        list(combinations([listed("x", "1,2,3"), listed("x", "a,b,c")]))


def test_value_parsing() -> None:
    assert parse_duration("500ms", "--timeout") == pytest.approx(0.5)
    assert parse_duration("2", "--timeout") == 2.0
    assert parse_duration("1m", "--timeout") == 60.0
    assert parse_duration("250us", "--timeout") == pytest.approx(250e-6)
    for bad in ("", "fast", "-1s", "0"):
        with pytest.raises(UsageError):
            parse_duration(bad, "--timeout")
    assert parse_fraction("2%", "--precision") == pytest.approx(0.02)
    assert parse_fraction("0.05", "--precision") == pytest.approx(0.05)
    with pytest.raises(UsageError):
        parse_fraction("150%", "--precision")
    assert parse_exit_codes("1,2") == frozenset({1, 2})
    assert parse_exit_codes("all") is None
    with pytest.raises(UsageError):
        parse_exit_codes("x")
