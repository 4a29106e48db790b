"""Migration 2: a version-1 SQLite file gains idempotency_keys.fingerprint on open and keeps working."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import attrs
import pytest
from store_helpers import T0, first_commit, next_commit

from tthc_engine.audit.chain import verify_chain
from tthc_engine.errors import ConcurrencyError
from tthc_engine.stores import SQLiteStore
from tthc_engine.stores.idempotency import request_fingerprint
from tthc_engine.stores.migrations import LATEST

# The schema exactly as release 1 wrote it (kept here, not imported: the test must not follow edits).
V1_DDL = """
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL,
    applied_at TEXT NOT NULL);
CREATE TABLE dossiers (id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, procedure_code TEXT NOT NULL,
    procedure_version TEXT NOT NULL, state TEXT NOT NULL, version INTEGER NOT NULL, next_check_at TEXT,
    body TEXT NOT NULL);
CREATE INDEX dossiers_next_check ON dossiers (next_check_at) WHERE next_check_at IS NOT NULL;
CREATE INDEX dossiers_procedure ON dossiers (procedure_code, procedure_version);
CREATE TABLE audit_entries (dossier_id TEXT NOT NULL, sequence INTEGER NOT NULL, hash TEXT NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (dossier_id, sequence)) WITHOUT ROWID;
CREATE TABLE sequences (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE idempotency_keys (key TEXT PRIMARY KEY, dossier_id TEXT NOT NULL, version INTEGER NOT NULL,
    result TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO schema_migrations VALUES (1,
    'initial schema: dossiers, audit_entries, sequences, idempotency_keys', '2025-07-01T00:00:00+00:00');
PRAGMA user_version = 1;
"""


def _v1_file(path: Path) -> None:
    """A v1 database holding one dossier whose record predates last_act_at, and one legacy key."""
    commit = first_commit("d1", "N1")
    body = commit.dossier.to_dict()
    del body["last_act_at"]  # records of release 1 did not carry it
    text = json.dumps(body, ensure_ascii=False)
    conn = sqlite3.connect(path)
    conn.executescript(V1_DDL)
    conn.execute(
        "INSERT INTO dossiers VALUES ('d1', 'N1', '1.000001', '2025.07', 'received', 1, NULL, ?)", (text,)
    )
    e = commit.entries[0]
    conn.execute("INSERT INTO audit_entries VALUES ('d1', 1, ?, ?)", (e.hash, json.dumps(e.to_dict())))
    conn.execute("INSERT INTO sequences VALUES ('k', 1)")
    conn.execute("INSERT INTO idempotency_keys VALUES ('legacy-1', 'd1', 1, ?)", (text,))
    conn.commit()
    conn.close()


def test_v1_file_is_migrated_on_open_and_keeps_working(tmp_path: Path) -> None:
    """Opening applies migrations 2 and later once; old rows load (with the number they were given
    at lodgement), legacy keys replay any request, new keys check."""
    path = tmp_path / "v1.db"
    _v1_file(path)
    store = SQLiteStore(path)
    assert store.schema_version == LATEST == store.current_schema_version()
    conn = sqlite3.connect(path)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(idempotency_keys)")]
    assert columns[-1] == "fingerprint"
    legacy = conn.execute("SELECT fingerprint FROM idempotency_keys WHERE key = 'legacy-1'").fetchone()
    assert legacy == (None,)
    applied = [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert applied == list(range(1, LATEST + 1))
    assert conn.execute("PRAGMA user_version").fetchone() == (LATEST,)

    d = store.load("d1")
    assert d.last_act_at == d.last_event_at == T0  # the old floor, never lower
    any_request = request_fingerprint("act", "d1", "whatever", actor="x", at=T0, note=None, data=None)
    assert store.recall("legacy-1", any_request) == d

    fp = request_fingerprint("act", "d1", "step", actor="officer-7", at=T0, note=None, data=None)
    d2, replayed = store.commit(attrs.evolve(next_commit(d, key="new-1"), fingerprint=fp))
    assert not replayed and d2.version == 2
    with pytest.raises(ConcurrencyError, match="new-1"):
        store.commit(attrs.evolve(next_commit(d2, key="new-1"), fingerprint=any_request))
    store.close()

    again = SQLiteStore(path)  # reopening migrates nothing twice
    assert again.schema_version == LATEST
    verify_chain("d1", again.entries("d1"), head_hash=d2.audit_head, count=d2.audit_count)
    assert again.recall("new-1", fp) == d2
    again.close()
    assert [r[0] for r in conn.execute("SELECT version FROM schema_migrations")] == list(range(1, LATEST + 1))
    conn.close()


def test_v3_keeps_rows_numbers_and_indexes_and_allows_unnumbered_dossiers(tmp_path: Path) -> None:
    """Migration 3 rebuilds `dossiers`: rows and numbers kept, number nullable (given at receipt)
    but unique, the lodgement reference unique, the due-work and procedure indexes back."""
    path = tmp_path / "v1.db"
    _v1_file(path)
    SQLiteStore(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT id, number, reference FROM dossiers").fetchall() == [("d1", "N1", None)]
    columns = {r[1]: r[3] for r in conn.execute("PRAGMA table_info(dossiers)")}  # name -> notnull
    assert columns["number"] == 0 and columns["reference"] == 0 and "receiving_agency" in columns
    indexes = {r[1] for r in conn.execute("PRAGMA index_list(dossiers)")}
    assert {"dossiers_next_check", "dossiers_procedure"} <= indexes
    conn.execute("INSERT INTO dossiers (id, procedure_code, procedure_version, state, version, body) "
                 "VALUES ('d2', 'c', 'v', 's', 1, '{}'), ('d3', 'c', 'v', 's', 1, '{}')")  # fmt: skip
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE dossiers SET number = 'N1' WHERE id = 'd2'")
    conn.close()
