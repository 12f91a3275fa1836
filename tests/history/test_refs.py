"""--baseline REF resolved in a real store (SQLite and PostgreSQL): a baseline name,
latest, branch:NAME, commit:SHA (a prefix), always on the given machine unless
any_machine; unknown, ambiguous and other-machine REFs are usage errors that say
what the store holds; and the stored run read back as compare's baseline side."""

from __future__ import annotations

import pytest

from history.conftest import T0, hours, machine, record
from pbench.errors import UsageError
from pbench.history.baseline import compare_with, records_side, stored_side
from pbench.history.refs import check_baseline_name, find_run, parse_ref
from pbench.history.store import Store
from pbench.stats.settings import Settings

HERE = machine("ci-1")
SHA_A = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"
SHA_B = "a1b2ffff0000111122223333444455556666aaaa"


def fill(store: Store) -> dict[str, int]:
    """Runs on ci-1 (main, dev) and a newer one on ci-2; baselines on both machines."""
    ids = {
        "main-old": store.save(record("parse", at=T0, branch="main", commit=SHA_A)),
        "dev": store.save(record("parse", at=T0 + hours(1), branch="dev", commit=SHA_B)),
        "main-new": store.save(
            record("parse", "load", at=T0 + hours(2), branch="main", commit="c" * 40)
        ),
        "other": store.save(record("parse", at=T0 + hours(3), branch="main", host="ci-2")),
    }
    store.mark_baseline("release", ids["main-old"])
    store.mark_baseline("theirs", ids["other"])
    return ids


def run_of(store: Store, text: str, any_machine: bool = False) -> int:
    return find_run(store, parse_ref(text), HERE, any_machine).run.id


def test_each_ref_form_names_the_right_run(store: Store) -> None:
    ids = fill(store)
    assert run_of(store, "release") == ids["main-old"]
    assert run_of(store, "latest") == ids["main-new"]  # ci-2's newer run is not this machine
    assert run_of(store, "latest", any_machine=True) == ids["other"]
    assert run_of(store, "branch:dev") == ids["dev"]
    assert run_of(store, "branch:main") == ids["main-new"]
    assert run_of(store, "commit:a1b2c3d") == ids["main-old"]  # a prefix
    assert run_of(store, f"commit:{SHA_B}") == ids["dev"]
    store.mark_baseline("release", ids["dev"])  # moving a name
    assert run_of(store, "release") == ids["dev"]
    assert store.baselines() == {"release": ids["dev"], "theirs": ids["other"]}
    assert store.benchmarks(ids["main-new"]) == ["parse", "load"]


def test_unknown_and_ambiguous_refs_say_what_exists(store: Store) -> None:
    ids = fill(store)
    with pytest.raises(UsageError) as caught:
        run_of(store, "nightly")
    assert "no baseline named 'nightly'" in caught.value.message
    assert f"'release' (run #{ids['main-old']})" in (caught.value.hint or "")
    with pytest.raises(UsageError) as caught:
        run_of(store, "branch:feature")
    assert "branches saved on this machine" in (caught.value.hint or "")
    assert "main, dev" in (caught.value.hint or "")
    with pytest.raises(UsageError) as caught:
        run_of(store, "commit:a1b2")  # both SHA_A and SHA_B start so
    assert "names 2 commits" in caught.value.message
    with pytest.raises(UsageError) as caught:
        run_of(store, "commit:dddd")
    assert "no run of commit dddd" in caught.value.message
    with pytest.raises(UsageError):
        parse_ref("commit:xyz")  # not hex, too short
    for reserved in ("latest", "branch:x", "commit:abcd"):
        with pytest.raises(UsageError):
            check_baseline_name(reserved)
    assert check_baseline_name("main") == "main"


def test_nothing_on_this_machine_points_at_any_machine(store: Store) -> None:
    store.save(record("parse", host="ci-2"))
    with pytest.raises(UsageError) as caught:
        run_of(store, "latest")
    assert "--any-machine" in (caught.value.hint or "")
    assert run_of(store, "latest", any_machine=True) == 1


def test_a_baseline_of_another_machine_is_refused_unless_any_machine(store: Store) -> None:
    fill(store)
    with pytest.raises(UsageError) as caught:
        run_of(store, "theirs")
    message = caught.value.message
    assert "ci-2 (Test CPU" in message and "ci-1 (Test CPU" in message
    assert "--any-machine" in (caught.value.hint or "")
    found = find_run(store, parse_ref("theirs"), HERE, any_machine=True)
    assert found.other_machine and found.machine.host == "ci-2"
    kernel = machine("ci-1", kernel="6.2.0")  # same host and CPU: the message says what differs
    with pytest.raises(UsageError) as caught:
        find_run(store, parse_ref("release"), kernel)
    assert "kernel 6.1.0 there, 6.2.0 here" in caught.value.message


def test_the_stored_run_is_compare_s_baseline_side(store: Store) -> None:
    run_id = store.save(record("parse", "load", median=0.010))
    store.mark_baseline("main", run_id)
    found = find_run(store, parse_ref("main"), HERE)
    side = stored_side(store, found)
    assert side.path == f"baseline 'main' (run #{run_id})"
    assert list(side.benchmarks) == ["parse", "load"]
    assert side.files[0].benchmarks["parse"].values == pytest.approx(
        record("parse").results[0].samples.times
    )
    slower = records_side(record("parse", median=0.030).results)
    same = records_side(record("parse", median=0.010).results)
    settings = Settings(threshold=0.05, resamples=2000)
    regressed = compare_with(store, found, slower, settings)
    assert [c.verdict for c in regressed.comparison.comparisons] == ["slower"]
    assert regressed.comparison.only_in_baseline == ("load",)
    unchanged = compare_with(store, found, same, settings)
    assert [c.verdict for c in unchanged.comparison.comparisons] == ["same"]
    assert not regressed.other_machine and regressed.warnings() == []
