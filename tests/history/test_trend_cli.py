"""``pbench trend`` end to end on stores filled through the store's API: the JSON
fields and the table (commit range, severity, sparkline, unfit runs marked), exit 2
for bad options and unknown names, and --notify against a real webhook on 127.0.0.1:
a new change point or an anomalous newest run is posted, an old change point is not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from history.trend_data import commit, fill, step
from pbench.history.backends import open_store
from pbench.plan.store import store_address
from support.cli import run_pbench
from support.httpserver import HttpTestServer


def filled(url: str, *series: tuple[list[float], dict[str, Any]]) -> str:
    with open_store(store_address(url)) as store:
        for values, how in series:
            fill(store, values, **how)
    return url


def trend_json(url: str, *args: str) -> dict[str, Any]:
    result = run_pbench("trend", "--store", url, "--format", "json", *args)
    assert result.code == 0, result.err
    document: dict[str, Any] = json.loads(result.out)
    return document


@pytest.fixture
def hook(server: HttpTestServer) -> Iterator[HttpTestServer]:
    server.reset_counts()
    yield server


def test_json_fields_of_a_step(store_url: str) -> None:
    filled(store_url, (step(60, at=30), {"unfit": {12, 30}}), (step(60, size=0), {"name": "flat"}))
    document = trend_json(store_url, "parse", "--bands", "5%,15%")
    assert document["bands"] == {"major": 0.05, "critical": 0.15} and document["alpha"] == 0.01
    [trend] = document["trends"]
    assert (trend["benchmark"], trend["host"], trend["runs"]) == ("parse", "ci-1", 60)
    assert trend["unfit_runs"] == [13, 31]
    [cp] = trend["change_points"]
    assert cp["index"] == 30 and cp["run"] == 31 and cp["severity"] == "major"
    assert (cp["commit_before"], cp["commit_after"]) == (commit(29), commit(30))
    assert cp["fit"] is False and cp["new"] is False
    assert cp["change_low"] < cp["change"] < cp["change_high"] and 0.09 < cp["change"] < 0.11
    assert cp["after"] / cp["before"] - 1 == pytest.approx(cp["change"])
    assert 0 < cp["p_value"] <= 0.01
    assert trend["slope"]["n"] == 20 and trend["slope"]["since_change_point"] is True
    newest = trend["newest"]
    assert newest["run"] == 60 and newest["commit"] == commit(59) and newest["fit"] is True
    assert newest["anomaly"]["is_anomaly"] is False and newest["anomaly"]["n"] == 29
    everything = trend_json(store_url, "--bands", "12%,20%")
    assert [t["benchmark"] for t in everything["trends"]] == ["parse", "flat"]
    assert everything["trends"][0]["change_points"][0]["severity"] == "minor"
    assert everything["trends"][1]["change_points"] == []


def test_otavas_alpha_works_and_a_noisier_benchmark_is_its_own_event(store_url: str) -> None:
    quiet, loud = step(60, size=0, noise=0.005, seed=2), step(60, size=0, noise=0.02, seed=3)
    filled(store_url, (step(60, at=30), {}), (quiet + loud, {"name": "noisy"}))
    document = trend_json(store_url, "--alpha", "0.001")
    stepped, noisy = document["trends"]
    assert [cp["index"] for cp in stepped["change_points"]] == [30]
    assert stepped["change_points"][0]["p_value"] <= 0.001
    assert stepped["spread_changes"] == [] and noisy["change_points"] == []
    [spread] = noisy["spread_changes"]
    assert spread["kind"] == "noisier" and abs(spread["index"] - 60) <= 6
    assert spread["commit_after"] == commit(spread["index"]) and spread["ratio"] > 2
    table = run_pbench("trend", "--store", store_url, "--alpha", "0.001", "noisy")
    assert table.code == 0 and f"noisier since {commit(spread['index'])[:8]}" in table.out


def test_the_table(tmp_path: Path) -> None:
    url = filled(str(tmp_path / "h.db"), (step(60, at=30), {"unfit": {12}}),
                 (step(30, size=0), {"name": "flat", "host": "ci-2"}))  # fmt: skip
    result = run_pbench("trend", "--store", url)
    assert result.code == 0 and result.err == ""
    lines = result.out.splitlines()
    head = lines[0]
    assert head.startswith("parse on ci-1 (") and head.endswith("60 runs, 1 not fit (!)")
    assert any(bar in head for bar in "▁▂▃▄▅▆▇█")
    assert lines[1].strip() == "!"  # under the bar of run 13
    [row] = [line for line in lines if "commits" in line]
    assert f"commits {commit(29)[:8]}..{commit(30)[:8]}" in row and row.rstrip().endswith("major")
    assert "run #31 " in row and ("+10." in row or "+9." in row)
    assert "slope:" in result.out and "since the last change point" in result.out
    assert "newest run #60 (commit " in result.out and "within the level" in result.out
    assert "flat on ci-2 (" in result.out and "no change point" in result.out
    assert lines[-1].startswith("! the machine was not fit to measure")


def test_an_anomalous_newest_run_is_said(tmp_path: Path) -> None:
    values = step(40, size=0)
    values[-1] *= 1.5
    url = filled(str(tmp_path / "h.db"), (values, {}))
    result = run_pbench("trend", "--store", url, "parse")
    assert result.code == 0 and "an ANOMALY" in result.out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("nope",), "no benchmark 'nope' in sqlite:///"),
        (("pars",), "did you mean 'parse'? saved: parse"),
        (("--bands", "15%,5%"), "--bands: the major limit (15.0%) is above the critical one"),
        (("--bands", "5%"), "--bands: '5%' is not two limits"),
        (("--alpha", "2"), "--alpha: 2 must lie between 0 and 1"),
        (("--machine", "ci-9"), "--machine: no machine 'ci-9'"),
        (("--since", "yesterday"), "--since: 'yesterday' is not a date"),
        (("--last", "1"), "Invalid value for '--last'"),
        (("--notify", "ftp://x/y"), "only http:// and https://"),
    ],
)
def test_bad_options_and_unknown_names_exit_2(
    tmp_path: Path, args: tuple[str, ...], said: str
) -> None:
    url = filled(str(tmp_path / "h.db"), (step(12), {}))
    result = run_pbench("trend", "--store", url, *args)
    assert result.code == 2 and said in result.err and result.out == ""


def test_notify_posts_a_new_change_point(hook: HttpTestServer, tmp_path: Path) -> None:
    url = filled(
        str(tmp_path / "h.db"), (step(60, at=55, size=0.20), {}), (step(60), {"name": "old"})
    )
    result = run_pbench("trend", "--store", url, "--notify", f"{hook.base_url}/hook")
    assert result.code == 0, result.err
    assert f"pbench: 1 event sent to {hook.base_url}" in result.err
    ((path, body),) = hook.posts
    payload = json.loads(body)
    assert path == "/hook" and "1 change point" in payload["text"]
    [event] = payload["events"]
    assert (event["kind"], event["severity"], event["benchmark"]) == (
        "change_point",
        "critical",
        "parse",
    )
    assert event["commits"] == {"before": commit(54), "after": commit(55)}
    assert event["change"] == pytest.approx(0.20, abs=0.02)
    assert event["after"]["low"] < event["after"]["value"] < event["after"]["high"]
    assert payload["commit"] == commit(59) and payload["branch"] == "main"
    hook.reset_counts()  # the same store with --notify-within 4: the change is 5 runs old
    result = run_pbench("trend", "--store", url, "--notify", f"{hook.base_url}/hook",
                        "--notify-within", "4")  # fmt: skip
    assert result.code == 0 and hook.posts == [] and "sent" not in result.err


def test_notify_posts_an_anomalous_newest_run(hook: HttpTestServer, tmp_path: Path) -> None:
    values = step(40, size=0)
    values[-1] *= 1.3
    url = filled(str(tmp_path / "h.db"), (values, {}))
    result = run_pbench("trend", "--store", url, "--notify", f"{hook.base_url}/hook")
    assert result.code == 0, result.err
    [event] = json.loads(hook.posts[0][1])["events"]
    assert (event["kind"], event["severity"]) == ("change_point", "warning")
    assert event["commits"] == {"before": commit(38), "after": commit(39)}
    assert event["after"]["value"] == pytest.approx(values[-1])


def test_a_failing_hook_is_a_warning(hook: HttpTestServer, tmp_path: Path) -> None:
    url = filled(str(tmp_path / "h.db"), (step(60, at=55, size=0.2), {}))
    result = run_pbench("trend", "--store", url, "--notify", f"{hook.base_url}/status/404")
    assert result.code == 0
    assert (
        "pbench: warning: notification to http://127.0.0.1:" in result.err and "404" in result.err
    )
