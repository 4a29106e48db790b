"""What each one-stop form says, as a projection of (dossier record, its audit entries, its procedure).

Circular 01/2018/TT-VPCP Art. 10(1): the forms are filled in from the electronic one-stop system —
procedure data from the procedure's record, applicant data from what the dossier carries, the rest
from what the officer did. Here that is literal: every field below is read from the audit entry
that issued the form (its moment, actor, note and clock changes), the dossier data as it stood
after that entry (folded from the entries' `changes`) and the procedure version the dossier is
pinned to. Nothing is typed in again, so a slip printed twice says the same thing.

Form kinds use the numbering of Circular 01/2018 (the procedures' `issues_form` tags): "01"–"06",
plus "stop" for the stop notice (Thông báo dừng giải quyết hồ sơ) of Circular 03/2025/TT-VPCP.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from tthc_engine.audit.entry import AuditEntry
from tthc_engine.definition.model import Procedure
from tthc_engine.errors import ConfigurationError, TransitionError
from tthc_engine.records import Dossier
from tthc_engine.reporting.export import TIMELINESS_VI, control_slip

FORM_KINDS: Mapping[str, str] = {
    "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "03": "Phiếu từ chối tiếp nhận, giải quyết hồ sơ",
    "04": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "05": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    "06": "Sổ theo dõi hồ sơ",
    "stop": "Thông báo dừng giải quyết hồ sơ",
}
# Vietnam keeps UTC+7 all year: the printed date of a form is the date in Vietnam of its entry
VN = dt.timezone(dt.timedelta(hours=7))
_FORM_VI = {
    "original": "Bản chính",
    "certified_copy": "Bản sao có chứng thực",
    "copy": "Bản sao",
    "original_or_certified_copy": "Bản chính hoặc bản sao có chứng thực",
    "electronic": "Bản điện tử",
}
_UNIT_VI = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc", "calendar_days": "ngày"}
# Public statuses whose final state is a stop (7: withdrawn at the applicant's request, 8: stopped):
# the dossier was received, then its handling ended without a result (Circular 03/2025 stop notice)
_STOP_STATUSES = (7, 8)


def check_kind(form: str) -> str:
    if form not in FORM_KINDS:
        raise ConfigurationError(
            f"unknown form {form!r}; the forms are {', '.join(FORM_KINDS)} "
            "(Circular 01/2018/TT-VPCP Art. 9(1) numbering, 'stop' = Circular 03/2025 stop notice)"
        )
    return form


def moment_vi(value: str | dt.datetime | None) -> str:
    """`…giờ…phút, ngày dd/mm/yyyy` in Vietnam time, the way the forms ask for a moment ('' for None)."""
    if value is None:
        return ""
    when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    when = when.astimezone(VN)
    return f"{when.hour:02d} giờ {when.minute:02d} phút, ngày {when.day:02d}/{when.month:02d}/{when.year}"


def date_vi(when: dt.datetime) -> str:
    """`ngày dd tháng mm năm yyyy`, the date line under the national motto."""
    day = when.astimezone(VN)
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def issue_day(entry: AuditEntry) -> dt.date:
    return entry.at.astimezone(VN).date()


def data_at(entries: Sequence[AuditEntry], sequence: int) -> dict[str, Any]:
    """The dossier data as it stood right after entry `sequence` (the entries' `changes` folded)."""
    data: dict[str, Any] = {}
    for entry in entries:
        if entry.sequence > sequence:
            break
        for key, change in entry.changes.items():
            if isinstance(change, Mapping) and "to" in change:
                data[key] = change["to"]
            else:
                data.pop(key, None)
    return data


def _receipt(entries: Sequence[AuditEntry]) -> AuditEntry | None:
    """The entry that received the dossier: the one that recorded its national number."""
    return next((e for e in entries if "number" in e.clock), None)


def _stop_entry(entries: Sequence[AuditEntry], proc: Procedure) -> AuditEntry | None:
    statuses = {s.id: s.public_status for s in proc.states if s.final}
    for entry in reversed(entries):
        if entry.clock.get("issued_form") == "stop" or statuses.get(entry.to_state) in _STOP_STATUSES:
            return entry
    return None


def issuing_entry(
    dossier: Dossier, entries: Sequence[AuditEntry], proc: Procedure, form: str, sequence: int | None = None
) -> AuditEntry:
    """The audit entry that issued `form` (the latest one, or entry `sequence`), or TransitionError
    naming the dossier, the form and what would issue it."""
    check_kind(form)
    if form == "06":
        raise ConfigurationError(
            "form 06 (Sổ theo dõi hồ sơ) is a desk's book for a period, not one dossier's form: use "
            "tracking_book(...) or `tthc form book --agency CODE --from DAY --to DAY`"
        )
    receipt = _receipt(entries)
    candidates: list[AuditEntry]
    if form == "05":  # the slip travels with the dossier: as of its newest entry, once received
        candidates = [e for e in entries if receipt is not None and e.sequence >= receipt.sequence]
    elif form == "stop":
        found = _stop_entry(entries, proc) if receipt is not None else None
        candidates = [] if found is None else [found]
    else:
        candidates = [e for e in entries if e.clock.get("issued_form") == form]
        if form == "01" and receipt is not None and receipt not in candidates:
            candidates.insert(0, receipt)  # received at submission (a desk receiving in person)
    if sequence is not None:
        candidates = [e for e in candidates if e.sequence == sequence]
    if candidates:
        return candidates[-1]
    issuers = [a.name for a in proc.actions if a.issues_form == form]
    why = f"form {form} ({FORM_KINDS[form]}) was never issued for dossier {dossier.id}"
    why += f" ({dossier.number})" if dossier.number else " (not received yet: no national number)"
    if sequence is not None:
        why = f"audit entry #{sequence} of dossier {dossier.id} did not issue form {form} "
        why += f"({FORM_KINDS[form]})"
    if form in ("01", "05", "stop") and receipt is None:
        fix = "receive the dossier first (the act that gives it its national number)"
    elif issuers:
        fix = f"it is issued by the action {' / '.join(issuers)} of {proc.code} {proc.version}"
    else:
        fix = f"no action of {proc.code} {proc.version} issues it (its `issues_form`)"
    raise TransitionError(why, dossier_id=dossier.id, state=dossier.state, reasons=[fix])


def _applicant(data: Mapping[str, Any]) -> dict[str, str]:
    """Applicant data: `applicant` as a name or a mapping (name, address, phone, email), or the
    flat keys `applicant_name`, `applicant_address`, … (docs/forms.md)."""
    raw = data.get("applicant")
    block: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {"name": raw}
    keys = ("name", "address", "phone", "email")
    return {k: str(block.get(k) or data.get(f"applicant_{k}") or "") for k in keys}


def _documents(data: Mapping[str, Any], proc: Procedure) -> list[dict[str, Any]]:
    """What was received: the act's recorded `documents_received` (names, or mappings with name,
    form, copies), else the procedure's component list (its required components)."""
    recorded = data.get("documents_received")
    rows: list[dict[str, Any]] = []
    if isinstance(recorded, list) and recorded:
        for item in recorded:
            item = item if isinstance(item, Mapping) else {"name": str(item)}
            rows.append({"name": str(item.get("name", "")), "form": str(item.get("form", "original")),
                         "copies": int(item.get("copies", 1))})  # fmt: skip
    else:
        rows = [{"name": c.name, "form": c.form, "copies": c.copies} for c in proc.documents if c.required]
    return [dict(r, no=i, form_vi=_FORM_VI.get(r["form"], r["form"])) for i, r in enumerate(rows, start=1)]


def _deadline_vi(proc: Procedure) -> str:
    d = proc.deadline
    if d.unit == "same_day":
        if d.cutoff is None:
            return "Trong ngày"
        return f"Trong ngày (nhận sau {d.cutoff.strftime('%H:%M')} trả trong ngày làm việc tiếp theo)"
    return f"{d.amount:g} {_UNIT_VI[d.unit]}"


def _items(note: str | None) -> list[str]:
    """The items an officer wrote in the act's note, one per line (or separated by ';')."""
    if not note:
        return []
    parts = note.splitlines() if "\n" in note else note.split(";")
    return [p.strip(" -•\t") for p in parts if p.strip(" -•\t")]


def _change(entry: AuditEntry, key: str, side: str) -> str | None:
    value = entry.clock.get(key)
    return value.get(side) if isinstance(value, Mapping) else None


def form_fields(
    dossier: Dossier, entries: Sequence[AuditEntry], proc: Procedure, form: str, entry: AuditEntry
) -> dict[str, Any]:
    """The values a template fills in for `form` issued by `entry` (JSON-ready, strings and lists)."""
    data = data_at(entries, entry.sequence)
    receipt = _receipt(entries)
    roles = {r.id: r.label.vi for r in proc.role_definitions}
    appointment: str | None = None
    for e in entries:  # the appointment as it stood after the issuing entry
        if e.sequence <= entry.sequence and isinstance(e.clock.get("appointment_at"), Mapping):
            appointment = _change(e, "appointment_at", "to")
    received = None if receipt is None else _change(receipt, "received_at", "to") or receipt.at.isoformat()
    step_agency = next((s.agency for s in proc.states if s.id == entry.from_state), None)
    fields: dict[str, Any] = {
        "form": form,
        "dossier_id": dossier.id,
        "number": dossier.number or "",
        "reference": dossier.reference or "",
        "agency_name": proc.agency.name,
        "agency_code": dossier.receiving_agency or proc.agency.code or "",
        "procedure": {"name": proc.name.vi, "code": proc.code, "version": proc.version, "field": proc.field},
        "applicant": _applicant(data),
        "documents": _documents(data, proc),
        "sets": str(data.get("sets", 1)),
        "deadline": _deadline_vi(proc),
        "channel": dossier.channel,
        "return_at": str(data.get("return_place") or "Bộ phận Một cửa"),
        "fees": [f"{f.name}: {f.rule or (f'{f.amount_vnd:,} đồng'.replace(',', '.'))}" for f in proc.fees],
        "received_at": moment_vi(received),
        "appointment_at": moment_vi(appointment),
        "issued_at": moment_vi(entry.at),
        "issued_date": date_vi(entry.at),
        "actor": entry.actor,
        "actor_role": ", ".join(roles.get(r, r) for r in entry.roles),
        "note": entry.note or "",
        "items": _items(entry.note),
        "sent_to": step_agency or "",
        "entry": entry.sequence,
    }
    if form == "04":
        fields["old_appointment_at"] = moment_vi(_change(entry, "appointment_at", "from"))
    if form == "05":
        fields.update(_slip_fields(dossier, proc))
    return fields


def _slip_fields(dossier: Dossier, proc: Procedure) -> dict[str, Any]:
    """Form 05's hand-over table from the record's steps (reporting/export.py `control_slip`)."""
    slip = control_slip(dossier, proc)
    resolving = proc.agency.name
    steps: list[dict[str, Any]] = []
    pending = {s.id for s in proc.states if s.clock == "pending"}
    for row in slip["steps"]:
        if row["state"] in pending:  # lodged, not yet received: not a hand-over of the slip
            continue
        result = TIMELINESS_VI[row["result"]]
        steps.append({
            "no": len(steps) + 1, "step": row["label"] or row["state"], "agency": row["agency"] or "",
            "handed_over_by": row["handed_over_by"], "handed_over_at": moment_vi(row["handed_over_at"]),
            "due_at": moment_vi(row["due_at"]), "finished_at": moment_vi(row["finished_at"]),
            "finished_by": row["finished_by"] or "",
            "result": result if row["counted"] else (result + " (không tính)").strip(),
        })  # fmt: skip
    agencies = sorted({s.agency for s in dossier.steps if s.agency} - {resolving})
    return {
        "steps": steps,
        "resolving_agency": resolving,
        "coordinating_agencies": ", ".join(agencies),
        "timeliness": TIMELINESS_VI[dossier.timeliness] or "Đang giải quyết",
        "finished_at": moment_vi(slip["finished_at"]),
    }
