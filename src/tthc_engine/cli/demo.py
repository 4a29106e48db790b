"""`tthc demo`: a tour of the library on the shipped catalog, end to end, in a few seconds.

It validates the catalog, shows the national calendar across Tết 2025, runs one dossier through the
one-stop life on a real SQLite file (supplement request, clock restart, approval, return), prints its
audit trail and verifies the hash chain, then shows what tampering looks like and prints an
inter-agency process control slip. Everything it prints comes from the library, nothing is canned.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from tthc_engine.calendar import WorkCalendar
from tthc_engine.definition.catalog import Catalog, validate_paths
from tthc_engine.errors import AuditIntegrityError, ConfigurationError
from tthc_engine.runtime import Actor, Engine
from tthc_engine.stores import SQLiteStore

HOUSEHOLD = "1.001612"  # business household registration: 3 working days
LAND = "9.000201"  # first land registration: an inter-agency flow with per-agency budgets


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="a tour: validate the catalog, compute deadlines, run a dossier")
    p.add_argument("--catalog", default="procedures", help="procedure folder (default: ./procedures)")
    p.add_argument("--db", help="SQLite file to use (default: a temporary file, removed afterwards)")
    p.set_defaults(func=run)


def _title(text: str) -> None:
    print(f"\n== {text} " + "=" * max(0, 70 - len(text)))


def _fmt(moment: dt.datetime | None) -> str:
    return "—" if moment is None else moment.strftime("%a %d/%m/%Y %H:%M")


def run(args: argparse.Namespace) -> int:
    folder = Path(args.catalog)
    if not folder.is_dir():
        raise ConfigurationError(
            f"catalog folder {str(folder)!r} not found; run `tthc demo` from the repository root "
            "or pass --catalog PATH"
        )
    report = validate_paths([folder])
    _title("1. Danh mục thủ tục — the catalog")
    for problem in report.problems:
        print(problem.format())
    if not report.ok():
        print(f"{len(report.errors)} error(s): fix them first (`tthc validate {folder}`)")
        return 1
    catalog = Catalog.load(folder)
    for proc in catalog:
        d = proc.deadline
        time = f"{d.amount:g} {d.unit}" if d.unit != "same_day" else f"same day (cut-off {d.cutoff})"
        print(f"  {proc.code:9} v{proc.version:8} {proc.level:9} {time:28} {proc.name.vi}")
    print(f"  {len(catalog)} procedure version(s), {len(catalog.codes())} code(s): no problems")

    calendar = WorkCalendar.vietnam()
    _title("2. Lịch làm việc — the working calendar around Tết 2025")
    day = dt.date(2025, 1, 24)
    while day <= dt.date(2025, 2, 5):
        info = calendar.day_info(day)
        mark = "làm việc" if info.working else "nghỉ"
        print(f"  {day:%a %d/%m}  {mark:9} {info.name or ''}")
        day += dt.timedelta(days=1)
    print(f"  calendar provenance: {calendar.digest}")

    if args.db:
        return _tour(catalog, calendar, Path(args.db))
    with tempfile.TemporaryDirectory(prefix="tthc-demo-") as tmp:
        return _tour(catalog, calendar, Path(tmp) / "demo.db")


def _tour(catalog: Catalog, calendar: WorkCalendar, db: Path) -> int:
    store = SQLiteStore(db)
    engine = Engine(catalog, calendar=calendar, store=store)
    desk = Actor("desk-01", roles={"reception"})
    officer = Actor("officer-07", roles={"specialist"})
    chair = Actor("chair-01", roles={"leader"})
    events: list[str] = []
    engine.subscribe("*", lambda event: events.append(event.kind))

    _title("3. Một hồ sơ — one dossier through the one-stop desk (SQLite: " + db.name + ")")
    d = engine.submit(
        HOUSEHOLD, actor=desk, at="2025-01-24T16:30:00+07:00", channel="direct",
        data={"household_name": "Hộ kinh doanh Minh Anh", "applicant": "Nguyễn Thị Minh Anh"},
    )  # fmt: skip
    d = engine.act(d.id, "accept", actor=desk, at="2025-01-24T16:35:00+07:00")
    print(f"  số hồ sơ {d.number}: received {_fmt(d.received_at)}, due {_fmt(d.due_at)}")
    d = engine.act(d.id, "assign", actor=desk, at="2025-02-03T08:00:00+07:00")
    d = engine.act(
        d.id, "request_supplement", actor=officer, at="2025-02-03T10:00:00+07:00",
        note="Thiếu bản sao giấy tờ chứng minh địa điểm kinh doanh",
    )  # fmt: skip
    print(f"  supplement requested {_fmt(d.state_entered_at)} → state {d.state}")
    d = engine.act(d.id, "supplement", actor=desk, at="2025-02-04T09:00:00+07:00")
    started = d.clock.started_at if d.clock is not None else None
    print(f"  complete dossier {_fmt(started)}: clock restarted from zero, due {_fmt(d.due_at)}")
    d = engine.act(d.id, "assign", actor=desk, at="2025-02-04T09:30:00+07:00")
    d = engine.act(
        d.id, "submit_for_signature", actor=officer, at="2025-02-05T10:00:00+07:00",
        data={"business_lines": ["Bán lẻ thực phẩm"]},
    )  # fmt: skip
    d = engine.act(
        d.id, "approve", actor=chair, at="2025-02-06T15:00:00+07:00",
        data={"household_registration_number": "45A8-001234"},
    )  # fmt: skip
    print(f"  result ready {_fmt(d.finished_at)}: {d.timeliness} (due {_fmt(d.due_at)})")
    d = engine.act(d.id, "return_result", actor=desk, at="2025-02-07T08:15:00+07:00")
    print(f"  returned: state {d.state}, outcome {d.outcome}, version {d.version}")
    print(f"  events delivered after commit: {', '.join(events)}")

    _title("4. Nhật ký kiểm tra — the hash-chained audit trail")
    for entry in engine.history(d.id):
        print(
            f"  #{entry.sequence} {entry.at:%d/%m %H:%M} {entry.actor:10} {entry.action:22} "
            f"{entry.from_state or '—'} → {entry.to_state}  {entry.hash[:12]}"
        )
    engine.verify(d.id)
    print("  verify: the chain is intact")
    _tamper(db, d.id)
    try:
        engine.verify(d.id)
    except AuditIntegrityError as exc:
        print(f"  after editing one entry in the database file: {exc}")
    else:  # pragma: no cover - would mean verification is broken
        print("  tampering was NOT detected")
        return 1

    _title("5. Phiếu kiểm soát quá trình — process control slip (inter-agency land flow)")
    _land(engine)
    _title("6. Báo cáo — the report of the period, as known at its end (tthc report)")
    report = engine.report("2025-01-01", "2025-10-01", group_by="quarter")
    t = report.totals
    print(f"  01/01–30/09/2025: {t.total} dossier(s) received; early {t.early}, on time {t.on_time}, "
          f"late {t.late}, in progress {t.in_progress}")  # fmt: skip
    for row in report.rows:
        c = row.counts
        print(f"  {row.label:12} received {c.received}, resolved {c.resolved}, in progress {c.in_progress}")
    store.close()
    return 0


def _tamper(db: Path, dossier_id: str) -> None:
    """Change the note of entry #4 behind the library's back, as a careless admin might."""
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT body FROM audit_entries WHERE dossier_id = ? AND sequence = 4", (dossier_id,)
        ).fetchone()
        body = row[0].replace("Thiếu", "Đủ", 1)
        if body == row[0]:  # pragma: no cover - the demo script and the store disagree
            raise ConfigurationError("demo: the supplement note was not found in audit entry #4")
        conn.execute(
            "UPDATE audit_entries SET body = ? WHERE dossier_id = ? AND sequence = 4",
            (body, dossier_id),
        )


# The land flow of a provincial inter-agency (liên thông) regulation: desk → commune land office
# (with a consultation and a 15-day public posting, excluded) → tax (not counted) → review →
# chairman → registry.
LAND_STEPS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("accept", "2025-08-04T08:10", {}),
    ("assign", "2025-08-04T14:00", {}),
    ("consult", "2025-08-05T09:00", {"consulted_agency": "Phòng Kinh tế - Hạ tầng và Đô thị"}),
    ("consultation_answered", "2025-08-07T10:00", {}),
    ("start_posting", "2025-08-08T09:00", {}),
    ("end_posting", "2025-08-25T09:00", {"posting_closed_on": "2025-08-23"}),
    ("send_to_tax", "2025-08-26T09:00", {}),
    ("tax_sent", "2025-08-26T15:00", {}),
    ("payment_confirmed", "2025-09-08T09:00", {"tax_receipt": "BL-2025-000871"}),
    ("submit_for_signature", "2025-09-09T10:00", {}),
    ("approve", "2025-09-10T09:00", {}),
    ("send_to_registry", "2025-09-10T15:00", {}),
    ("registry_updated", "2025-09-11T16:00", {}),
    ("return_result", "2025-09-12T09:00", {}),
)


def _land(engine: Engine) -> None:
    proc = engine.catalog.in_force(LAND, dt.date(2025, 8, 4))
    officer = Actor("land-officer", roles=set(proc.roles))
    d = engine.submit(
        LAND, actor=officer, at="2025-08-04T08:00:00+07:00", channel="direct",
        data={"applicant": "Trần Văn Bình", "parcel_id": "07-112", "financial_obligation": True},
    )  # fmt: skip
    for action, at, data in LAND_STEPS:
        d = engine.act(d.id, action, actor=officer, at=f"{at}:00+07:00", data=data)
    print(engine.control_slip_text(d.id))
    print(f"  legal due {_fmt(d.due_at)}, result ready {_fmt(d.finished_at)}: {d.timeliness}")
