"""Anchors kept outside the database catch what a self-verifying chain cannot (issue "Hardening"): a
consistent rewrite (an entry edited, the tail re-hashed, the head updated), a truncation with the head
rewound, a deleted dossier, a file rolled back to a backup."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

import tthc_engine as te
from tthc_engine.audit.entry import AuditEntry
from tthc_engine.runtime.anchor import Anchor

TZ = dt.timezone(dt.timedelta(hours=7))
AT = dt.datetime(2025, 8, 4, 9, 0, tzinfo=TZ)
DESK = te.Actor("desk-1", {"reception"})


@pytest.fixture
def desk(tmp_path: Path, procedures_dir: Path) -> tuple[te.Engine, list[str], Path]:
    db = tmp_path / "desk.db"
    engine = te.Engine(te.Catalog.load(procedures_dir), store=te.SQLiteStore(db))
    ids = []
    for _ in range(3):
        d = engine.submit("1.001612", actor=DESK, at=AT, channel="direct", data={"household_name": "Hộ A"})
        ids.append(engine.act(d.id, "accept", actor=DESK, at=AT).id)
    return engine, ids, db


def test_an_untouched_store_that_grew_is_consistent(desk: tuple[te.Engine, list[str], Path]) -> None:
    engine, ids, _ = desk
    anchor = engine.anchor(AT)
    assert len(anchor.heads) == 3 and Anchor.from_dict(json.loads(json.dumps(anchor.to_dict()))) == anchor
    engine.act(ids[0], "assign", actor=DESK, at=AT)  # chains that grew since still pass
    assert engine.check_anchor(anchor) == []


def test_a_consistent_rewrite_is_caught(desk: tuple[te.Engine, list[str], Path]) -> None:
    engine, ids, db = desk
    anchor = engine.anchor(AT)
    entries = engine.history(ids[0])
    # rewrite entry #2 with another note, re-seal it and rewrite the head: the chain verifies
    e = entries[1]
    forged = AuditEntry.seal(
        sequence=e.sequence, dossier_id=e.dossier_id, kind=e.kind, at=e.at, recorded_at=e.recorded_at,
        actor=e.actor, roles=e.roles, action=e.action, from_state=e.from_state, to_state=e.to_state,
        note="sửa lén", changes=e.changes, clock=e.clock, procedure_code=e.procedure_code,
        procedure_version=e.procedure_version, calendar_digest=e.calendar_digest, prev_hash=e.prev_hash,
    )  # fmt: skip
    conn = sqlite3.connect(db)
    conn.execute("UPDATE audit_entries SET hash = ?, body = ? WHERE dossier_id = ? AND sequence = 2",
                 (forged.hash, forged.stored_text(), ids[0]))  # fmt: skip
    body = json.loads(conn.execute("SELECT body FROM dossiers WHERE id = ?", (ids[0],)).fetchone()[0])
    body["audit_head"] = forged.hash
    conn.execute("UPDATE dossiers SET body = ? WHERE id = ?", (json.dumps(body, ensure_ascii=False), ids[0]))
    conn.commit()
    conn.close()
    fresh = te.Engine(engine.catalog, store=te.SQLiteStore(db))
    fresh.verify(ids[0])  # the chain alone cannot tell
    (problem,) = fresh.check_anchor(anchor)
    assert ids[0] in problem and "rewritten" in problem


def test_a_deleted_dossier_and_a_rollback_are_caught(desk: tuple[te.Engine, list[str], Path],
                                                     tmp_path: Path) -> None:  # fmt: skip
    engine, ids, db = desk
    backup = tmp_path / "backup.db"
    engine.store.close()
    shutil.copy(db, backup)
    engine = te.Engine(engine.catalog, store=te.SQLiteStore(db))
    engine.act(ids[1], "assign", actor=DESK, at=AT)
    anchor = engine.anchor(AT)
    engine.store.close()
    shutil.copy(backup, db)  # rolled back to the backup
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM dossiers WHERE id = ?", (ids[2],))
    conn.commit()
    conn.close()
    problems = te.Engine(engine.catalog, store=te.SQLiteStore(db)).check_anchor(anchor)
    assert any(ids[1] in p and "rolled back" in p for p in problems)
    assert any(ids[2] in p and "gone" in p for p in problems)


def test_a_keyed_anchor_needs_its_key(desk: tuple[te.Engine, list[str], Path]) -> None:
    engine, _, _ = desk
    anchor = engine.anchor(AT, key=b"secret of the province")
    assert engine.check_anchor(anchor, key=b"secret of the province") == []
    assert engine.check_anchor(anchor, key=b"another") and engine.check_anchor(anchor)
