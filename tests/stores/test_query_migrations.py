"""SQLite migration 4 and PostgreSQL migration 2: dossiers written before them are found by the new
queries (their typed columns filled from the record bodies), and keep working."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import attrs
import pg_helpers
import pytest
from store_helpers import T0, first_commit, next_commit

from tthc_engine.audit.canonical import canonical_json
from tthc_engine.records import Step
from tthc_engine.stores import SQLiteStore, Store
from tthc_engine.stores import migrations as sqlite_migrations
from tthc_engine.stores.queries import Filter, WorkScope

SCOPE = WorkScope((("1.000001", "processing"),), "cv-1")


def _old_records() -> list[dict[str, object]]:
    """Two bodies as written before assignment existed (no `assignee` key): one open in processing
    held by an agency, one closed."""
    open_one = attrs.evolve(
        first_commit("old-1", "N1").dossier, state="processing",
        steps=(Step("processing", "UBND-X", T0, "officer-7"),),
    )  # fmt: skip
    closed = attrs.evolve(first_commit("old-2", "N2").dossier, state="done", outcome="resolved", due_at=None)
    bodies = [open_one.to_dict(), closed.to_dict()]
    for body in bodies:
        del body["assignee"]
    return bodies


def _check(store: Store) -> None:
    page = store.worklist(SCOPE)
    assert [d.id for d in page.items] == ["old-1"]
    assert page.items[0].assignee is None
    assert store.count_by("agency", Filter()) == {"UBND-X": 1, None: 1}
    assert store.count(Filter(open_only=True)) == 1
    found = store.find_number("N2")
    assert found is not None and found.outcome == "resolved"
    store.commit(next_commit(page.items[0], state="processing", assignee="cv-2"))
    assert store.worklist(SCOPE).items == ()


def test_sqlite_v3_file_gains_query_columns(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    conn = sqlite3.connect(path, isolation_level=None)
    sqlite_migrations.migrate(conn, str(path), sqlite_migrations.MIGRATIONS[:3])
    for body in _old_records():
        conn.execute(
            "INSERT INTO dossiers (id, number, procedure_code, procedure_version, state, version, body) "
            "VALUES (?, ?, '1.000001', '2025.07', ?, 1, ?)",
            (body["id"], body["number"], body["state"], json.dumps(body, ensure_ascii=False)),
        )
    conn.close()
    store = SQLiteStore(path)
    assert store.schema_version == sqlite_migrations.LATEST >= 4
    _check(store)
    store.close()


@pytest.mark.postgres
def test_postgres_v1_schema_gains_query_columns() -> None:
    psycopg = pytest.importorskip("psycopg")
    dsn = pg_helpers.dsn_or_skip()
    from tthc_engine.stores import pg_migrations

    schema = pg_helpers.fresh_schema()
    with psycopg.connect(dsn, autocommit=True) as conn:
        pg_migrations.migrate(conn, "test", schema=schema, migrations=pg_migrations.MIGRATIONS[:1])
        conn.execute(f'SET search_path TO "{schema}"')
        for body in _old_records():
            conn.execute(
                "INSERT INTO dossiers (id, number, procedure_code, procedure_version, state, version, "
                "channel, agency, submitted_at, due_at, finished_at, body) VALUES (%s, %s, '1.000001', "
                "'2025.07', %s, 1, 'direct', %s, %s, %s, NULL, %s)",
                (body["id"], body["number"], body["state"], "UBND-X" if body["id"] == "old-1" else None,
                 T0, None if body["due_at"] is None else dt.datetime.fromisoformat(str(body["due_at"])),
                 canonical_json(body)),
            )  # fmt: skip
    store = pg_helpers.pg_store(schema=schema)
    assert store.schema_version == pg_migrations.LATEST >= 2
    _check(store)
    store.close()


def test_sqlite_worklist_and_lists_use_their_indexes(tmp_path: Path) -> None:
    """EXPLAIN QUERY PLAN: the worklist reads dossiers_work, the inbox dossiers_assignee, pages in
    receipt order dossiers_received; none scans the table."""
    from tthc_engine.stores import sql_queries
    from tthc_engine.stores.base import utc_key

    store = SQLiteStore(tmp_path / "plan.db")
    conn = sqlite3.connect(tmp_path / "plan.db")
    conn.execute("ANALYZE")
    scope = WorkScope((("1.000001", "processing"), ("1.000001", "review")), "cv-1")
    cases = {
        "dossiers_work": sql_queries.worklist(scope, None, 50, "?", utc_key),
        "dossiers_assignee": sql_queries.worklist(attrs.evolve(scope, assigned_only=True), None, 50, "?",
                                                  utc_key),
        "dossiers_received": sql_queries.listing(Filter(), "received", None, 50, "?", utc_key),
    }  # fmt: skip
    for index, (text, params) in cases.items():
        plan = " | ".join(str(r[-1]) for r in conn.execute("EXPLAIN QUERY PLAN " + text, params))
        assert index in plan, plan
        assert "SCAN dossiers" not in plan.replace(f"SCAN dossiers USING INDEX {index}", ""), plan
    conn.close()
    store.close()
