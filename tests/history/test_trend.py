"""The trend of a store's series (history.trend) on both backends: a 10% step at run
30 of 60 is found with its commit range and severity major, a flat series has no
change point, a newest run far off its level is an anomaly, machines are apart."""

from __future__ import annotations

import pytest

from history.trend_data import commit, fill, step
from pbench.history.store import Store
from pbench.history.trend import read_trends
from pbench.stats.changepoint import SeverityBands


def test_a_ten_percent_step_is_found_with_its_commits(store: Store) -> None:
    ids = fill(store, step(60, at=30, size=0.10), unfit={12})
    [trend] = read_trends(store, ["parse"], store.machines())
    assert trend.host == "ci-1" and len(trend.points) == 60
    [change] = trend.changes
    cp = change.change_point
    assert cp.index == 30 and change.severity == "major"
    assert change.last_before.commit == commit(29) and change.first_after.commit == commit(30)
    assert change.first_after.run_id == ids[30]
    assert cp.change == pytest.approx(0.10, abs=0.01)
    assert cp.change_interval.low < cp.change < cp.change_interval.high
    assert cp.change_interval.low > 0.05 and cp.p_value <= 0.01
    assert [p.run_id for p in trend.unfit] == [ids[12]]
    assert trend.slope is not None and trend.slope.n == 20  # since the change point
    assert trend.slope.relative_interval.low < 0 < trend.slope.relative_interval.high
    assert trend.anomaly is not None and not trend.anomaly.is_anomaly
    assert trend.new_change(5) is None  # 30 runs old: not news


def test_bands_decide_the_severity(store: Store) -> None:
    fill(store, step(60, at=30, size=0.10))
    machines = store.machines()
    minor = read_trends(store, ["parse"], machines, bands=SeverityBands(0.12, 0.30))
    critical = read_trends(store, ["parse"], machines, bands=SeverityBands(0.02, 0.08))
    assert minor[0].changes[0].severity == "minor"
    assert critical[0].changes[0].severity == "critical"


def test_a_flat_series_has_no_change_point(store: Store) -> None:
    fill(store, step(60, size=0.0))
    [trend] = read_trends(store, ["parse"], store.machines())
    assert trend.changes == () and trend.new_change() is None
    assert trend.anomaly is not None and not trend.anomaly.is_anomaly
    assert trend.slope is not None and trend.slope.n == 20


def test_a_newest_run_off_its_level_is_an_anomaly(store: Store) -> None:
    values = step(40, size=0.0)
    values[-1] *= 1.3
    fill(store, values)
    [trend] = read_trends(store, ["parse"], store.machines())
    assert trend.changes == ()
    assert trend.anomaly is not None and trend.anomaly.is_anomaly
    assert trend.anomaly.value == pytest.approx(values[-1])


def test_machines_are_apart_and_the_window_is_per_machine(store: Store) -> None:
    fill(store, step(60, at=30), host="ci-1")
    fill(store, step(40, size=0.0, seed=2), host="ci-2", start=100)
    trends = read_trends(store, ["parse"], store.machines(), last=50)
    assert [(t.host, len(t.points), len(t.changes)) for t in trends] == [
        ("ci-1", 50, 1),
        ("ci-2", 40, 0),
    ]
    assert trends[0].changes[0].change_point.index == 20  # run 30 of the last 50


def test_a_step_five_runs_ago_is_new(store: Store) -> None:
    fill(store, step(60, at=55, size=0.10))
    [trend] = read_trends(store, ["parse"], store.machines())
    new = trend.new_change(5)
    assert new is not None and new.change_point.index == 55
    assert new.last_before.commit == commit(54) and new.first_after.commit == commit(55)
    assert trend.new_change(4) is None
