"""Every store operation, on an SQLite file and on the real PostgreSQL server."""

from __future__ import annotations

import pytest

from history.conftest import T0, hours, machine, record
from pbench.history.records import RunFilter
from pbench.history.store import Store, StoreError


def test_a_saved_run_reads_back_whole(store: Store) -> None:
    run_id = store.save(record("parse", "render"))
    [run] = store.runs()
    assert (run.id, run.time, run.branch, run.dirty, run.benchmarks) == (
        run_id,
        T0,
        "main",
        False,
        2,
    )
    assert run.commit == "0123456789abcdef0123456789abcdef01234567"
    assert (run.suite_file, run.suite_tier, run.suite_tags) == ("benchmarks.toml", "quick", ("db",))
    assert (run.machine, run.host, run.status, run.source) == (
        machine().fingerprint,
        "ci-1",
        0,
        "pbench",
    )
    stored = store.result(run_id, "render")
    assert stored is not None and stored.run == run
    saved = record("parse", "render").results[1]
    assert stored.record.samples.times == pytest.approx(saved.samples.times)
    assert stored.record.samples.rounds == saved.samples.rounds
    assert stored.record.samples.sections == {"process_tree": {"x": 1}}
    assert stored.record.budgets == tuple(saved.budgets)
    assert (stored.record.median, stored.record.median_low, stored.record.n) == (0.010, 0.0099, 5)
    assert stored.record.settings == saved.settings
    assert store.result(run_id, "missing") is None
    assert store.samples(stored.result_id) == stored.record.samples
    assert store.run(run_id) == run and store.run(run_id + 1) is None


def test_ids_grow_and_runs_list_newest_first(store: Store) -> None:
    ids = [store.save(record(at=T0 + hours(i))) for i in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert [r.id for r in store.runs()] == ids[::-1]
    assert [r.id for r in store.runs(RunFilter(limit=2))] == ids[:0:-1]
    assert [r.id for r in store.runs(RunFilter(since=T0 + hours(1)))] == ids[:0:-1]
    assert [r.id for r in store.runs(RunFilter(until=T0 + hours(1)))] == ids[:1]


def test_series_filters_and_orders(store: Store) -> None:
    store.save(record("parse", at=T0, median=0.010))
    store.save(record("parse", at=T0 + hours(1), median=0.011, branch="feature"))
    store.save(record("parse", at=T0 + hours(2), median=0.012, host="ci-2"))
    store.save(record("render", at=T0 + hours(3), median=0.5))
    store.save(record("parse", at=T0 + hours(4), median=0.013, commit="fedcba98"))
    points = store.series("parse")
    assert [p.median for p in points] == [0.010, 0.011, 0.012, 0.013]
    assert [p.time for p in points] == [T0 + hours(h) for h in (0, 1, 2, 4)]
    ci1 = machine("ci-1").fingerprint
    assert [p.median for p in store.series("parse", machine=ci1)] == [0.010, 0.011, 0.013]
    assert [p.median for p in store.series("parse", branch="main")] == [0.010, 0.012, 0.013]
    assert [p.median for p in store.series("parse", since=T0 + hours(2))] == [0.012, 0.013]
    assert [p.median for p in store.series("parse", limit=2)] == [0.012, 0.013]
    both = [ci1, machine("ci-2").fingerprint]
    assert len(store.series("parse", machine=both)) == 4
    last = store.series("parse", machine=ci1, branch="main", limit=1)[0]
    assert (last.commit, last.branch, last.machine, last.unit, last.n) == (
        "fedcba98",
        "main",
        ci1,
        "runs",
        5,
    )
    assert (last.median_low, last.median_high) == pytest.approx((0.013 * 0.99, 0.013 * 1.01))
    assert store.samples(last.result_id) is not None
    assert store.series("nothing") == []
    assert store.benchmarks() == ["parse", "render"]


def test_runs_filter_by_branch_commit_machine_and_benchmark(store: Store) -> None:
    a = store.save(record("parse", at=T0))
    b = store.save(record("render", at=T0 + hours(1), branch="dev", commit="abc123", host="ci-2"))
    assert [r.id for r in store.runs(RunFilter(branch="dev"))] == [b]
    assert [r.id for r in store.runs(RunFilter(commit="abc"))] == [b]
    assert [r.id for r in store.runs(RunFilter(benchmark="parse"))] == [a]
    assert [r.id for r in store.runs(RunFilter(machines=(machine("ci-2").fingerprint,)))] == [b]
    assert store.runs(RunFilter(machines=())) == []


def test_latest_and_machines(store: Store) -> None:
    assert store.latest() is None
    a = store.save(record("parse", at=T0))
    b = store.save(record("render", at=T0 + hours(1), host="ci-2", branch="dev"))
    latest = store.latest()
    assert latest is not None and latest.id == b
    found = store.latest(benchmark="parse")
    assert found is not None and found.id == a
    assert store.latest(machine=machine("ci-2").fingerprint, branch="main") is None
    assert [m.host for m in store.machines()] == ["ci-1", "ci-2"]
    assert store.machines("ci-2") == [machine("ci-2")]
    assert store.machines(machine("ci-1").fingerprint[:6]) == [machine("ci-1")]
    assert store.machines("nowhere") == []


def test_baselines_mark_move_and_refuse_an_unknown_run(store: Store) -> None:
    a, b = store.save(record(at=T0)), store.save(record(at=T0 + hours(1)))
    assert store.baseline("release") is None
    store.mark_baseline("release", a)
    assert store.baseline("release") == a
    store.mark_baseline("release", b)
    assert store.baseline("release") == b
    with pytest.raises(StoreError, match=f"no run #{b + 100}"):
        store.mark_baseline("release", b + 100)
    assert store.baseline("release") == b


def test_a_run_without_git_or_suite(store: Store) -> None:
    from dataclasses import replace

    bare = replace(
        record(),
        commit=None,
        branch=None,
        dirty=None,
        suite_file=None,
        suite_tier=None,
        suite_tags=(),
    )
    run_id = store.save(bare)
    run = store.run(run_id)
    assert run is not None
    assert (run.commit, run.branch, run.dirty, run.suite_tags) == (None, None, None, ())
    [point] = store.series("parse")
    assert (point.commit, point.branch) == (None, None)
