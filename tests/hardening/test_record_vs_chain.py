"""`verify` checks the stored record against its own audit chain (issue "Hardening"): editing the
record's state, outcome, timeliness, due moment or data in the SQLite file — a late dossier turned
on time — passed `verify` before; now it names the field, both values and the entry."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

import tthc_engine as te

TZ = dt.timezone(dt.timedelta(hours=7))
DESK = te.Actor("desk-1", {"reception"})
OFFICER = te.Actor("o-1", {"specialist", "leader"})


def vn(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def late(tmp_path: Path, procedures_dir: Path) -> tuple[Path, str, te.Catalog]:
    """A business-household dossier finished late: due Thu 7/8/2025 17:00, result ready Fri 8/8."""
    db, catalog = tmp_path / "desk.db", te.Catalog.load(procedures_dir)
    engine = te.Engine(catalog, store=te.SQLiteStore(db))
    d = engine.submit("1.001612", actor=DESK, at=vn("2025-08-04T09:00"), channel="direct",
                      data={"household_name": "Hộ A", "business_lines": ["4711"]})  # fmt: skip
    for action, actor, at, data in (
        ("accept", DESK, "2025-08-04T09:00", None), ("assign", DESK, "2025-08-04T09:10", None),
        ("submit_for_signature", OFFICER, "2025-08-05T09:00", None),
        ("approve", OFFICER, "2025-08-08T09:00", {"household_registration_number": "HKD-1"}),
    ):  # fmt: skip
        d = engine.act(d.id, action, actor=actor, at=vn(at), data=data)
    assert d.timeliness == "late"
    engine.verify(d.id)
    engine.store.close()
    return db, d.id, catalog


def _edit_record(db: Path, dossier_id: str, **fields: object) -> None:
    conn = sqlite3.connect(db)
    body = json.loads(conn.execute("SELECT body FROM dossiers WHERE id = ?", (dossier_id,)).fetchone()[0])
    body.update(fields)
    text = json.dumps(body, ensure_ascii=False)
    conn.execute("UPDATE dossiers SET body = ? WHERE id = ?", (text, dossier_id))
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("fields", "named"),
    [({"timeliness": "on_time"}, "timeliness"), ({"state": "returned", "outcome": "resolved"}, "state"),
     ({"due_at": "2025-08-11T17:00:00+07:00"}, "due_at"),
     ({"data": {"household_name": "Hộ B", "business_lines": ["4711"]}}, "data"),
     ({"number": "000.01.21.H47-250804-0099"}, "number")],
    ids=["late-turned-on-time", "resolved-without-return", "due-moved", "data-edited", "number-edited"],
)  # fmt: skip
def test_an_edited_record_fails_verify(late: tuple[Path, str, te.Catalog], fields: dict[str, object],
                                       named: str) -> None:  # fmt: skip
    db, dossier_id, catalog = late
    _edit_record(db, dossier_id, **fields)
    engine = te.Engine(catalog, store=te.SQLiteStore(db))
    with pytest.raises(te.AuditIntegrityError, match=f"does not match its audit chain: .*{named}"):
        engine.verify(dossier_id)
    engine.store.close()
