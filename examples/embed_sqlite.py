"""A host app embedding tthc-engine on SQLite: receive, process, apologise, sweep, export.

Run: python examples/embed_sqlite.py [path/to/tthc.db]   (default: a temporary file)
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import tthc_engine as te

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    db = Path(argv[0]) if argv else Path(tempfile.mkdtemp()) / "tthc.db"
    engine = te.Engine(
        te.Catalog.load(ROOT / "procedures"),
        calendar=te.WorkCalendar.vietnam(),
        store=te.SQLiteStore(db),
    )
    engine.subscribe(
        "overdue", lambda e: print(f"  [event] QUÁ HẠN {e.dossier.number} (due {e.dossier.due_at})")
    )
    engine.subscribe("warning", lambda e: print(f"  [event] sắp đến hạn {e.dossier.number}"))

    desk = te.Actor("desk-07", {"reception"})
    officer = te.Actor("officer-12", {"specialist"})
    leader = te.Actor("chair-01", {"leader"})

    d = engine.submit(
        "1.001612",
        actor=desk,
        at="2025-08-04T09:00:00+07:00",
        channel="direct",
        data={"household_name": "Hộ kinh doanh Bình An", "business_lines": ["4711"]},
    )
    d = engine.act(d.id, "accept", actor=desk, at="2025-08-04T09:05:00+07:00", idempotency_key="accept-1")
    print(f"{d.number}: received {d.received_at}, due {d.due_at}")
    d = engine.act(d.id, "assign", actor=desk, at="2025-08-04T10:00:00+07:00")
    try:
        engine.act(d.id, "approve", actor=officer, at="2025-08-05T09:00:00+07:00")
    except te.TransitionError as exc:
        print(f"refused as expected: {exc}")
    d = engine.act(
        d.id,
        "reschedule",
        actor=leader,
        at="2025-08-06T15:00:00+07:00",
        note="Xin lỗi: cần xác minh ngành nghề",
        data={"new_appointment": "2025-08-12T17:00:00+07:00"},
    )
    print(f"appointment moved to {d.appointment_at}; legal due kept at {d.due_at}")
    report = engine.sweep("2025-08-08T08:00:00+07:00")  # what a cron job does every few minutes
    print(f"sweep: {len(report.warnings)} warning(s), {len(report.overdue)} overdue")
    engine.verify(d.id)
    print(engine.control_slip_text(d.id))
    print(json.dumps(engine.export_record(d.id)["audit"]["entries"][-1], ensure_ascii=False, indent=1)[:600])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
