"""PostgreSQL specifics: migrations (fresh, idempotent, concurrent, refusing newer), migrate=False,
indexes the hot queries use, tampering through SQL caught by verification."""

from __future__ import annotations

import json
import threading
from typing import Any

import pg_helpers
import pytest
from store_helpers import first_commit, next_commit

from tthc_engine.audit.chain import verify_chain
from tthc_engine.errors import AuditIntegrityError, StoreError

pytestmark = pytest.mark.postgres
psycopg = pytest.importorskip("psycopg")


def _admin(schema: str) -> Any:
    conn = psycopg.connect(pg_helpers.dsn_or_skip(), autocommit=True)
    conn.execute(f'SET search_path TO "{schema}"')
    return conn


def test_fresh_schema_is_migrated_and_recorded() -> None:
    """A new schema gets every migration, recorded once each; the store reports the version."""
    from tthc_engine.stores import pg_migrations

    store = pg_helpers.pg_store()
    assert store.schema_version == pg_migrations.LATEST == store.current_schema_version()
    with _admin(store.schema) as conn:
        rows = conn.execute("SELECT version, description FROM schema_migrations ORDER BY version").fetchall()
        tables = {r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s", (store.schema,))}  # fmt: skip
    assert [r[0] for r in rows] == list(range(1, pg_migrations.LATEST + 1))
    assert tables == {
        "schema_migrations",
        "dossiers",
        "audit_entries",
        "sequences",
        "idempotency_keys",
        "sweep_incidents",
        "report_spans",
        "outbox",
    }
    store.close()


def test_upgrade_again_changes_nothing_and_keeps_data() -> None:
    """Re-running the migrations (a second store, `upgrade`) applies nothing twice; rows survive."""
    from tthc_engine.stores import pg_migrations

    a = pg_helpers.pg_store()
    a.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    a.close()
    before, version = pg_migrations.upgrade(pg_helpers.dsn_or_skip(), schema=a.schema)
    assert [m.version for m in before] == list(range(1, pg_migrations.LATEST + 1))
    assert version == pg_migrations.LATEST
    b = pg_helpers.pg_store(schema=a.schema)
    assert b.load("d1").number == "N1"
    assert [m.version for m in pg_migrations.status(pg_helpers.dsn_or_skip(), schema=a.schema)] == [
        m.version for m in before
    ]
    b.close()


def test_concurrent_first_opens_migrate_once() -> None:
    """Four stores opening one new schema at once: all succeed, each migration is recorded once."""
    pg_helpers.dsn_or_skip()  # here, not in the threads
    schema = pg_helpers.fresh_schema()
    opened: list[Any] = []
    failed: list[BaseException] = []

    def open_one() -> None:
        try:
            opened.append(pg_helpers.pg_store(schema=schema))
        except BaseException as exc:
            failed.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failed and len(opened) == 4
    with _admin(schema) as conn:
        from tthc_engine.stores.pg_migrations import LATEST

        rows = conn.execute("SELECT count(*), count(DISTINCT version) FROM schema_migrations").fetchone()
        assert rows == (LATEST, LATEST)
    for s in opened:
        s.close()


def test_newer_schema_is_refused() -> None:
    """A schema written by a newer library raises StoreError (on open and on upgrade)."""
    from tthc_engine.stores import pg_migrations

    store = pg_helpers.pg_store()
    store.close()
    with _admin(store.schema) as conn:
        conn.execute(
            "INSERT INTO schema_migrations (version, description) VALUES (%s, 'from the future')",
            (pg_migrations.LATEST + 1,),
        )
    with pytest.raises(StoreError, match="newer than this tthc-engine"):
        pg_helpers.pg_store(schema=store.schema)
    with pytest.raises(StoreError, match="newer"):
        pg_helpers.pg_store(schema=store.schema, migrate=False)
    with pytest.raises(StoreError, match="newer"):
        pg_migrations.upgrade(pg_helpers.dsn_or_skip(), schema=store.schema)


def test_migrate_false_needs_an_upgraded_schema() -> None:
    """migrate=False on an empty schema says to run `tthc db upgrade`; after it, the store opens."""
    from tthc_engine.stores import pg_migrations

    schema = pg_helpers.fresh_schema()
    with pytest.raises(StoreError, match="tthc db upgrade"):
        pg_helpers.pg_store(schema=schema, migrate=False)
    pg_migrations.upgrade(pg_helpers.dsn_or_skip(), schema=schema)
    store = pg_helpers.pg_store(schema=schema, migrate=False)
    assert store.schema_version == pg_migrations.LATEST
    store.close()


def test_due_query_uses_the_index() -> None:
    """due() is answered from dossiers_next_check, not a scan (EXPLAIN, sequential scans disabled)."""
    store = pg_helpers.pg_store()
    store.close()
    with _admin(store.schema) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = "\n".join(
            r[0]
            for r in conn.execute(
                "EXPLAIN SELECT id FROM dossiers WHERE next_check_at IS NOT NULL AND next_check_at <= now() "
                "ORDER BY next_check_at, id LIMIT 500"
            )
        )
    assert "dossiers_next_check" in plan and "Seq Scan" not in plan, plan


def test_sql_edit_of_an_entry_is_caught() -> None:
    """Editing or deleting an audit row behind the store's back fails verification at that entry."""
    store = pg_helpers.pg_store()
    d, _ = store.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    d, _ = store.commit(next_commit(d))
    with _admin(store.schema) as conn:
        conn.execute(
            "UPDATE audit_entries SET body = replace(body, 'officer-7', 'someone') WHERE sequence = 2"
        )
        with pytest.raises(AuditIntegrityError, match="edited") as info:
            verify_chain("d1", store.entries("d1"), head_hash=d.audit_head, count=d.audit_count)
        assert info.value.sequence == 2
        conn.execute("DELETE FROM audit_entries WHERE sequence = 2")
        with pytest.raises(AuditIntegrityError, match="truncated"):
            verify_chain("d1", store.entries("d1"), head_hash=d.audit_head, count=d.audit_count)
    store.close()


def test_cli_upgrade_and_status(capsys: pytest.CaptureFixture[str]) -> None:
    """`tthc db upgrade --dsn URL --schema S` applies the migrations; `status` lists them."""
    from tthc_engine.cli import main
    from tthc_engine.stores import pg_migrations

    dsn, schema = pg_helpers.dsn_or_skip(), pg_helpers.fresh_schema()
    assert main(["db", "status", "--dsn", dsn, "--schema", schema]) == 0
    assert "no tthc-engine schema here yet" in capsys.readouterr().out
    assert main(["db", "upgrade", "--dsn", dsn, "--schema", schema]) == 0
    out = capsys.readouterr().out
    assert f"schema {schema}: schema version {pg_migrations.LATEST}" in out and "applied 1" in out
    assert main(["db", "status", "--dsn", dsn, "--schema", schema, "--format", "json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["version"] == pg_migrations.LATEST and status["note"] == "up to date"
    assert main(["db", "status", "--dsn", "postgresql://nobody:s3cret@127.0.0.1:1/none"]) == 2
    err = capsys.readouterr().err
    assert "could not connect" in err and "s3cret" not in err
