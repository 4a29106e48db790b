"""Exports of one dossier: its full record (JSON) and its process control slip (JSON and text).

The record carries everything an external auditor needs to re-verify the chain offline (docs/audit.md):
each entry's canonical payload fields and hash, and the head hash and count stored with the dossier.
The control slip is Form 05 of Circular 01/2018/TT-VPCP (phiếu kiểm soát quá trình giải quyết hồ sơ):
per hand-over, who gave, when, the step's deadline, when it finished, and early/on time/late.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tthc_engine.audit.canonical import GENESIS_HASH
from tthc_engine.audit.entry import FORMAT, AuditEntry
from tthc_engine.definition.model import Procedure
from tthc_engine.records import Dossier

RECORD_FORMAT = "tthc-dossier-record/1"
SLIP_FORMAT = "tthc-control-slip/1"
# the result column of Form 05 (trước hạn / đúng hạn / quá hạn): the slip here and the printed form
TIMELINESS_VI = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn", None: ""}


def export_record(dossier: Dossier, entries: Sequence[AuditEntry]) -> dict[str, Any]:
    """JSON-ready record of one dossier with its audit chain and how to verify it."""
    return {
        "format": RECORD_FORMAT,
        "dossier": dossier.to_dict(),
        "audit": {
            "entry_format": FORMAT,
            "hash": "sha256 over canonical JSON of each entry without 'hash' (docs/audit.md)",
            "genesis_prev_hash": GENESIS_HASH,
            "head_hash": dossier.audit_head,
            "count": dossier.audit_count,
            "entries": [e.to_dict() for e in entries],
        },
    }


def control_slip(dossier: Dossier, procedure: Procedure) -> dict[str, Any]:
    """Form 05 as data: one row per step the dossier went through, in order."""
    labels = {s.id: s.label for s in procedure.states}
    rows = []
    for i, step in enumerate(dossier.steps, start=1):
        label = labels.get(step.state)
        rows.append(
            {
                "no": i,
                "state": step.state,
                "label": None if label is None else label.vi,
                "agency": step.agency,
                "handed_over_by": step.entered_by,
                "handed_over_at": step.entered_at.isoformat(),
                "due_at": None if step.due_at is None else step.due_at.isoformat(),
                "finished_at": None if step.finished_at is None else step.finished_at.isoformat(),
                "finished_by": step.finished_by,
                "result": step.timeliness,
                "counted": step.counted,
            }
        )
    return {
        "format": SLIP_FORMAT,
        "form": "05",
        "title": "Phiếu kiểm soát quá trình giải quyết hồ sơ (process control slip)",
        "source": "Thông tư 01/2018/TT-VPCP, Mẫu số 05",
        "dossier_id": dossier.id,
        "number": dossier.number,
        "reference": dossier.reference,
        "receiving_agency": dossier.receiving_agency,
        "procedure": {"code": procedure.code, "version": procedure.version, "name": procedure.name.vi},
        "agency": procedure.agency.name,
        "received_at": None if dossier.received_at is None else dossier.received_at.isoformat(),
        "due_at": None if dossier.due_at is None else dossier.due_at.isoformat(),
        "appointment_at": None if dossier.appointment_at is None else dossier.appointment_at.isoformat(),
        "finished_at": None if dossier.finished_at is None else dossier.finished_at.isoformat(),
        "timeliness": dossier.timeliness,
        "steps": rows,
    }


def short_moment(value: str | None, empty: str = "") -> str:
    """An ISO moment as `YYYY-MM-DD HH:MM` for printed forms and explanations (`empty` for None)."""
    return empty if value is None else value[:16].replace("T", " ")


def control_slip_text(slip: dict[str, Any]) -> str:
    """A plain-text rendering of the slip (UTF-8, fixed columns) for printing or logs."""
    lines = [
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ  (Mẫu số 05, Thông tư 01/2018/TT-VPCP)",
        f"Mã hồ sơ (number): {slip['number'] or '— chưa tiếp nhận (not received)'}"
        + (f"   Mã nộp (lodgement): {slip['reference']}" if slip.get("reference") else ""),
        f"Thủ tục: {slip['procedure']['name']} ({slip['procedure']['code']}, {slip['procedure']['version']})",
        f"Tiếp nhận: {short_moment(slip['received_at'])}   Hạn: {short_moment(slip['due_at'])}   "
        f"Hẹn trả: {short_moment(slip['appointment_at'])}",
        "",
        f"{'#':>2}  {'Bước / cơ quan':<36} {'Giao lúc':<16}  {'Hạn bước':<16}  {'Xong lúc':<16}  Kết quả",
    ]
    for row in slip["steps"]:
        who = row["label"] or row["state"]
        if row["agency"]:
            who += f" — {row['agency']}"
        result = TIMELINESS_VI[row["result"]]
        if not row["counted"]:
            result = (result + " (không tính)").strip()
        lines.append(
            f"{row['no']:>2}  {who[:36]:<36} {short_moment(row['handed_over_at']):<16}  "
            f"{short_moment(row['due_at']):<16}  {short_moment(row['finished_at']):<16}  {result}"
        )
    overall = TIMELINESS_VI[slip["timeliness"]] or "đang giải quyết (in progress)"
    lines += ["", f"Kết quả chung (overall): {overall}   Hoàn thành: {short_moment(slip['finished_at'])}"]
    return "\n".join(lines) + "\n"
