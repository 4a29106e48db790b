"""Rows damaged behind the store's back (invalid JSON, a missing key, bytes that are not UTF-8) are a
StoreError naming the dossier (record) or an AuditIntegrityError naming the entry (audit chain),
never a raw JSONDecodeError, KeyError or decoding error (issue "Hardening")."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

import tthc_engine as te

AT = dt.datetime(2025, 8, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
DESK = te.Actor("desk-1", {"reception"})


@pytest.fixture
def stored(tmp_path: Path, procedures_dir: Path) -> tuple[Path, str]:
    db = tmp_path / "desk.db"
    engine = te.Engine(te.Catalog.load(procedures_dir), store=te.SQLiteStore(db))
    d = engine.submit("1.001612", actor=DESK, at=AT, channel="direct", data={"household_name": "Hộ A"})
    engine.act(d.id, "accept", actor=DESK, at=AT)
    engine.store.close()
    return db, d.id


def _edit(db: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(db)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "body",
    ["{not json", '{"id": "x"}', b"\xff\xfe not utf-8"],
    ids=["invalid-json", "missing-keys", "bad-utf8"],
)
def test_a_damaged_record_is_a_store_error_naming_the_dossier(stored: tuple[Path, str], body: object) -> None:
    db, dossier_id = stored
    _edit(db, "UPDATE dossiers SET body = ? WHERE id = ?", body, dossier_id)
    store = te.SQLiteStore(db)
    with pytest.raises(te.StoreError, match=dossier_id):
        store.load(dossier_id)
    store.close()


@pytest.mark.parametrize(
    "body", ["[1, 2", '{"sequence": 2}', b"\xc3\x28"], ids=["invalid-json", "missing-keys", "bad-utf8"]
)
def test_a_damaged_entry_names_the_dossier_and_entry(stored: tuple[Path, str], body: object) -> None:
    db, dossier_id = stored
    _edit(db, "UPDATE audit_entries SET body = ? WHERE dossier_id = ? AND sequence = 2", body, dossier_id)
    store = te.SQLiteStore(db)
    with pytest.raises((te.AuditIntegrityError, te.StoreError), match=dossier_id) as info:
        store.entries(dossier_id)
    if isinstance(info.value, te.AuditIntegrityError):
        assert info.value.sequence == 2
    store.close()
