"""Version 3 (the machine fitness of a run): a hand-made version-2 store is upgraded in
place on both backends; its old runs say nothing of fitness (None), new runs keep
theirs, and a series says which runs were measured on an unfit machine."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path
from typing import Any

from history.conftest import T0, hours, machine, pg_schema_url, record
from history.test_schema import POSTGRES_DDL, SQLITE_DDL, v2_script
from pbench.history.backends import open_store
from pbench.history.schema import STORE_SCHEMA_VERSION
from pbench.plan.store import store_address
from pgserver import PostgresServer

UNFIT = {"fit": False, "summary": "unfit: load", "checks": [{"name": "load", "status": "bad"}]}


def check_v3(url: str) -> None:
    fp = machine().fingerprint
    with open_store(store_address(url)) as store:
        points = store.series("parse", machine=fp)
        assert [(p.median, p.fit) for p in points] == [(0.5, None), (0.6, None)]
        assert store.baseline("release") == 1 and store.baselines() == {"release": 1}
        store.save(dataclasses.replace(record("parse", at=T0 + hours(2)), fitness=UNFIT))
        fit = {"fit": True, "summary": "fit", "checks": []}
        store.save(dataclasses.replace(record("parse", at=T0 + hours(3)), fitness=fit))
        points = store.series("parse", machine=fp)
        assert [p.fit for p in points] == [None, None, False, True]
        assert [p.fit for p in store.series("parse", machine=fp, limit=1)] == [True]


def test_sqlite_v2_store_is_upgraded_to_v3(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    conn = sqlite3.connect(path)
    for statement in v2_script(SQLITE_DDL):
        conn.execute(statement)
    conn.commit()
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(2,)]
    conn.close()
    check_v3(str(path))
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [
        (STORE_SCHEMA_VERSION,)
    ]
    rows = conn.execute("SELECT fit, fitness FROM runs ORDER BY id").fetchall()
    assert rows[:2] == [(None, None), (None, None)]
    assert rows[2][0] == 0 and json.loads(rows[2][1]) == UNFIT
    assert rows[3][0] == 1
    conn.close()


def test_postgres_v2_store_is_upgraded_to_v3(pg_server: PostgresServer) -> None:
    import psycopg

    url = pg_schema_url(pg_server)
    connect: dict[str, Any] = dict(store_address(url).connect)
    with psycopg.connect(**connect, autocommit=True) as conn:
        for statement in v2_script(POSTGRES_DDL):
            conn.execute(statement)
    check_v3(url)
    with psycopg.connect(**connect) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [
            (STORE_SCHEMA_VERSION,)
        ]
        rows = conn.execute("SELECT fit, fitness FROM runs ORDER BY id").fetchall()
        assert rows[:2] == [(None, None), (None, None)]
        assert rows[2][0] is False and json.loads(rows[2][1]) == UNFIT
        assert rows[3][0] is True
