"""pbench system-check end to end on this machine: text and JSON, exit 0 whatever the
checks find, exit 2 on a bad flag."""

from __future__ import annotations

import json

from support.cli import Invoke


def test_json_lists_every_check_with_its_verdict(invoke: Invoke) -> None:
    result = invoke("system-check", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert isinstance(data["fit"], bool)
    assert data["summary"].startswith("fit" if data["fit"] else "unfit: ")
    assert len(data["checks"]) == 9
    for check in data["checks"]:
        assert check["status"] in ("ok", "warn", "bad", "unknown")
        assert check["meaning"]


def test_text_shows_each_check_and_the_fix_of_every_warning(invoke: Invoke) -> None:
    result = invoke("system-check")
    assert result.code == 0 and result.err == ""
    data = json.loads(invoke("system-check", "--format", "json").out)
    assert result.out.startswith("System check: fit") or "unfit" in result.out.splitlines()[0]
    for check in data["checks"]:
        assert f" {check['name']} " in result.out
        # load, steal and memory pressure may change between the two invocations
        if check["fix"] and check["name"] not in ("load", "cpu_steal", "memory_pressure"):
            assert f"fix: {check['fix']}" in result.out


def test_bad_format_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("system-check", "--format", "xml")
    assert result.code == 2
    assert "xml" in result.err and result.out == ""
