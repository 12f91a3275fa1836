"""``pbench history import`` of a file already imported (issue 26): the same bytes are
recognised by the SHA-256 saved with the run and skipped with a note, on SQLite and
PostgreSQL alike, unless ``--allow-duplicate``; a file that differs in one byte is a new
run; a store of schema version 3 is upgraded and its old runs are not taken for any
file's."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from history.conftest import T0, record
from pbench.history.backends import open_store
from pbench.plan.store import store_address
from support.cli import run_pbench

DATA = Path(__file__).resolve().parents[1] / "data" / "compare"


def imported(store: str, *args: str) -> tuple[int, str, str]:
    result = run_pbench("history", "import", "--store", store, *args)
    return result.code, result.out, result.err


def runs_in(store: str) -> list[int]:
    with open_store(store_address(store)) as opened:
        return sorted(run.id for run in opened.runs())


def test_the_same_file_twice_is_one_run(store_url: str, tmp_path: Path) -> None:
    pbench_file = DATA / "pbench_base.json"
    hyperfine_file = DATA / "hyperfine_1.18_slower.json"
    code, out, err = imported(store_url, str(pbench_file), str(hyperfine_file))
    assert code == 0, err
    assert out.startswith("imported 2 runs (#1-#2)")
    code, out, err = imported(store_url, str(pbench_file))
    assert code == 0, err
    assert out.startswith("imported 0 runs, 0 benchmark results, into ")
    assert out.rstrip().endswith("; skipped 1 file already imported")
    assert (
        f"pbench: note: {pbench_file}: skipped, already imported (run #1 of "
        "2025-01-01 00:00:00 UTC, the same content); --allow-duplicate imports it again"
    ) in err
    assert runs_in(store_url) == [1, 2]
    # A copy (new name, new modification time) is the same content; a copy within one
    # import too.
    copy = tmp_path / "copy.json"
    copy.write_bytes(hyperfine_file.read_bytes())
    twice = tmp_path / "twice.json"
    twice.write_bytes(b" " + pbench_file.read_bytes())  # one byte more: another file
    code, out, err = imported(store_url, str(copy), str(twice), str(twice))
    assert code == 0, err
    assert out.startswith("imported 1 run (#3), ")
    assert out.rstrip().endswith("; skipped 2 files already imported")
    assert f"{copy}: skipped, already imported (run #2 of " in err
    assert f"{twice}: skipped, already imported (the same content as {twice})" in err
    code, out, err = imported(store_url, "--allow-duplicate", str(pbench_file))
    assert code == 0 and out.startswith("imported 1 run (#4), "), err
    assert "skipped" not in out + err
    assert runs_in(store_url) == [1, 2, 3, 4]


def test_the_digest_is_saved_with_the_run(store_url: str) -> None:
    pbench_file = DATA / "pbench_base.json"
    assert imported(store_url, str(pbench_file))[0] == 0
    digest = hashlib.sha256(pbench_file.read_bytes()).hexdigest()
    with open_store(store_address(store_url)) as opened:
        found = opened.imported(digest)
        assert found is not None and found.id == 1 and found.source == "pbench-file"
        assert opened.imported("0" * 64) is None
        live = opened.save(record("parse", at=T0))  # a live run has no digest
        assert opened.imported(digest) is not None and opened.run(live) is not None


def test_a_bad_file_among_duplicates_imports_nothing(store_url: str, tmp_path: Path) -> None:
    pbench_file = DATA / "pbench_base.json"
    assert imported(store_url, str(pbench_file))[0] == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"results": [{"command": "a", "times": "abc"}]}))
    code, _, err = imported(store_url, str(DATA / "hyperfine_1.18_slower.json"), str(bad))
    assert code == 2 and 'bad.json: results[0].times is "abc", not a list' in err
    assert runs_in(store_url) == [1]


def test_a_version_3_store_is_upgraded_and_its_old_runs_match_no_file(tmp_path: Path) -> None:
    from pbench.history.schema import MIGRATIONS, SQLITE_TYPES, STORE_SCHEMA_VERSION

    path = tmp_path / "v3.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (3)")
    for version in (1, 2, 3):
        for statement in MIGRATIONS[version]:
            conn.execute(SQLITE_TYPES.fill(statement))
    conn.execute("INSERT INTO machines (fingerprint, first_seen) VALUES ('m', 't')")
    conn.execute(
        "INSERT INTO runs (time, machine, suite_tags, status, source) "
        "VALUES ('2025-01-01T00:00:00.000000Z', 'm', '[]', 0, 'pbench-file')"
    )  # imported under version 3: its file is not known
    conn.commit()
    conn.close()
    pbench_file = DATA / "pbench_base.json"
    code, out, err = imported(str(path), str(pbench_file))
    assert code == 0 and out.startswith("imported 1 run (#2)"), err
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [
        (STORE_SCHEMA_VERSION,)
    ]
    digest = hashlib.sha256(pbench_file.read_bytes()).hexdigest()
    rows = conn.execute("SELECT id, source_digest FROM runs ORDER BY id").fetchall()
    assert rows == [(1, None), (2, digest)]
    conn.close()


def test_lone_surrogates_anywhere_are_stored_escaped(store_url: str, tmp_path: Path) -> None:
    """A lone surrogate escape ("\\ud800") in a command, a name, a parameter, an info key
    or value and the metadata is valid JSON but not UTF-8: history import stores it
    escaped on both backends (PostgreSQL refuses such text), and lists it so."""
    document = json.loads((DATA / "pbench_base.json").read_text())
    first = document["results"][0]
    first.update(command="run \udc80", name="parse \ud800")
    first["parameters"] = {"n\ud800": "v\udfff"}
    first.setdefault("info", {})["k\ud800"] = "v\ud800"
    document["metadata"]["git"] = {"commit": "c\ud800", "branch": "b\ud800"}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(document))  # ensure_ascii: the surrogates as \\u escapes
    code, out, err = imported(store_url, str(path))
    assert out.startswith("imported 1 run (#1)"), out
    assert code == 0 and "Traceback" not in err, err
    listing = run_pbench("history", "--store", store_url, "--format", "json")
    assert listing.code == 0, listing.err
    assert "parse \\\\ud800" in listing.out  # the escape, JSON-escaped in the listing
    with open_store(store_address(store_url)) as opened:
        [run] = opened.runs()
        assert run.commit == "c\\ud800" and run.branch == "b\\ud800"
        stored = opened.result(run.id, "parse \\ud800")
        assert stored is not None
        assert stored.record.command == "run \\x80"  # U+DC80: the undecodable byte 0x80
        text = json.dumps(stored.record.settings, ensure_ascii=False)
        text.encode("utf-8")  # no lone surrogate left anywhere in what was stored
