"""SQLiteStore: durable by default, and remembering records never hides an edit of the file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from store_helpers import first_commit, next_commit

import tthc_engine as te


def test_synchronous_is_full_by_default(tmp_path: Path) -> None:
    """An acknowledged act is written through to the disk unless the host asks for NORMAL."""
    store = te.SQLiteStore(tmp_path / "a.db")
    assert store._conn().execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    store.close()
    normal = te.SQLiteStore(tmp_path / "b.db", synchronous="NORMAL")
    assert normal._conn().execute("PRAGMA synchronous").fetchone()[0] == 1
    normal.close()


def test_an_edit_behind_the_stores_back_is_read(tmp_path: Path) -> None:
    """The store reuses the record it wrote only while the stored text is exactly that text."""
    store = te.SQLiteStore(tmp_path / "a.db")
    store.create(lambda seq: first_commit("d1", f"N-{seq}"), sequence_key="k")
    assert store.load("d1") is store.load("d1")  # remembered: not parsed again
    with sqlite3.connect(tmp_path / "a.db") as raw:
        body = json.loads(raw.execute("SELECT body FROM dossiers WHERE id = 'd1'").fetchone()[0])
        body["state"] = "tampered"
        raw.execute("UPDATE dossiers SET body = ? WHERE id = 'd1'", (json.dumps(body),))
    assert store.load("d1").state == "tampered"
    store.close()


def test_a_failed_commit_is_not_remembered(tmp_path: Path) -> None:
    """A commit that loses the version check leaves the stored and the remembered record as they were."""
    store = te.SQLiteStore(tmp_path / "a.db")
    first, _ = store.create(lambda seq: first_commit("d1", f"N-{seq}"), sequence_key="k")
    won, _ = store.commit(next_commit(first, state="processing"))
    with pytest.raises(te.ConcurrencyError):
        store.commit(next_commit(first, state="refused"))  # computed from the old version
    loaded = store.load("d1")
    assert (loaded.version, loaded.state) == (2, "processing") and loaded == won
    store.close()
