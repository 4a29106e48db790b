"""SQLite faults surface as the error that matters (issue "Hardening"): an up-to-date store opens
without the write lock (a read-only file can be verified, a locked one read), and a failed write
reports its own error, not "cannot rollback - no transaction is active"."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path

import pytest

import tthc_engine as te
from tthc_engine.stores.migrations import rollback

AT = dt.datetime(2025, 8, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
DESK = te.Actor("desk-1", {"reception"})


@pytest.fixture
def desk(tmp_path: Path, procedures_dir: Path) -> tuple[Path, str, te.Catalog]:
    db, catalog = tmp_path / "desk.db", te.Catalog.load(procedures_dir)
    engine = te.Engine(catalog, store=te.SQLiteStore(db))
    d = engine.submit("1.001612", actor=DESK, at=AT, channel="direct", data={"household_name": "Hộ A"})
    engine.act(d.id, "accept", actor=DESK, at=AT)
    engine.store.close()
    return db, d.id, catalog


def test_a_locked_up_to_date_store_still_opens_and_reads(desk: tuple[Path, str, te.Catalog]) -> None:
    db, dossier_id, catalog = desk
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
    try:
        engine = te.Engine(catalog, store=te.SQLiteStore(db, timeout=0.2))
        engine.verify(dossier_id)
        with pytest.raises(te.StoreError, match="write lock"):
            engine.act(dossier_id, "assign", actor=DESK, at=AT)
        engine.store.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through file permissions")
def test_a_read_only_store_file_can_be_verified(desk: tuple[Path, str, te.Catalog]) -> None:
    db, dossier_id, catalog = desk
    db.chmod(stat.S_IRUSR)
    try:
        engine = te.Engine(catalog, store=te.SQLiteStore(db))
        engine.verify(dossier_id)
        engine.store.close()
    finally:
        db.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_rollback_after_sqlite_rolled_back_by_itself_masks_nothing(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    rollback(conn)  # no transaction open: nothing to do, no "cannot rollback" error
    conn.execute("BEGIN")
    rollback(conn)
    assert not conn.in_transaction
    conn.close()
