"""SQLite specifics: WAL, the migrations table, refusing newer schemas, tampering through SQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from store_helpers import first_commit, next_commit

from tthc_engine.audit.chain import verify_chain
from tthc_engine.errors import AuditIntegrityError, ConfigurationError, StoreError
from tthc_engine.stores import SQLiteStore
from tthc_engine.stores.migrations import LATEST


def test_new_database_is_migrated_and_in_wal(tmp_path: Path) -> None:
    """Opening a new file applies every migration, records it, and switches to WAL."""
    store = SQLiteStore(tmp_path / "a.db")
    assert store.schema_version == LATEST == store.current_schema_version()
    conn = sqlite3.connect(tmp_path / "a.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = conn.execute("SELECT version, description FROM schema_migrations").fetchall()
    assert [r[0] for r in rows] == list(range(1, LATEST + 1))
    store.close()


def test_reopening_keeps_data(tmp_path: Path) -> None:
    """A second store on the same file sees the first one's dossiers and migrates nothing twice."""
    a = SQLiteStore(tmp_path / "a.db")
    a.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    a.close()
    b = SQLiteStore(tmp_path / "a.db")
    assert b.load("d1").number == "N1"
    b.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    """A database from a newer library raises StoreError instead of being guessed at."""
    SQLiteStore(tmp_path / "a.db").close()
    conn = sqlite3.connect(tmp_path / "a.db")
    conn.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', '2099-01-01')", (LATEST + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        SQLiteStore(tmp_path / "a.db")


@pytest.mark.parametrize("path", [":memory:", "file::memory:?cache=shared"], ids=["memory", "uri"])
def test_in_memory_path_is_a_configuration_error(path: str) -> None:
    """SQLite in-memory paths are refused with a pointer to MemoryStore."""
    with pytest.raises(ConfigurationError, match="MemoryStore"):
        SQLiteStore(path)


def test_sql_edit_of_an_entry_is_caught(tmp_path: Path) -> None:
    """Editing an audit row behind the store's back fails verification at that entry."""
    store = SQLiteStore(tmp_path / "a.db")
    d, _ = store.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    d, _ = store.commit(next_commit(d))
    conn = sqlite3.connect(tmp_path / "a.db")
    conn.execute("UPDATE audit_entries SET body = replace(body, 'officer-7', 'someone') WHERE sequence = 2")
    conn.commit()
    with pytest.raises(AuditIntegrityError, match="edited") as info:
        verify_chain("d1", store.entries("d1"), head_hash=d.audit_head, count=d.audit_count)
    assert info.value.sequence == 2
    conn.execute("DELETE FROM audit_entries WHERE sequence = 2")
    conn.commit()
    with pytest.raises(AuditIntegrityError, match="truncated"):
        verify_chain("d1", store.entries("d1"), head_hash=d.audit_head, count=d.audit_count)
    store.close()
