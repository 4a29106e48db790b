"""A procedure as a person reads it (`tthc show`): what a published procedure states (Decree
63/2010/ND-CP Art. 8(2): name, steps, channels, documents, time, agency, fees, result, legal basis)
and the machine the engine runs (states with their clock and budget, actions with who may take
them). JSON for tools, text in Vietnamese first for an author checking a file.
"""

from __future__ import annotations

from typing import Any

from tthc_engine.definition.model import PUBLIC_STATUSES, Duration, LegalReference, Procedure

UNITS = {
    "working_days": "ngày làm việc", "working_hours": "giờ làm việc", "calendar_days": "ngày",
    "same_day": "trong ngày",
}  # fmt: skip
CLOCKS = {"pending": "chưa tính", "runs": "tính thời gian", "paused": "tạm dừng", "stopped": "kết thúc"}


def _duration(d: Duration | None) -> str | None:
    return None if d is None else f"{d.amount:g} {UNITS.get(d.unit, d.unit)}"


def _basis(ref: LegalReference | None) -> str | None:
    if ref is None:
        return None
    return ", ".join(part for part in (ref.article, ref.document) if part)


def summary(proc: Procedure) -> dict[str, Any]:
    """The JSON form of what `tthc show` prints."""
    d = proc.deadline
    return {
        "code": proc.code, "version": proc.version, "name": {"vi": proc.name.vi, "en": proc.name.en},
        "field": proc.field, "level": proc.level,
        "agency": {"name": proc.agency.name, "code": proc.agency.code},
        "effective_from": proc.effective_from.isoformat(),
        "effective_to": None if proc.effective_to is None else proc.effective_to.isoformat(),
        "channels": list(proc.channels), "online_service": proc.online_service,
        "legal_basis": [_basis(ref) for ref in proc.legal_basis],
        "deadline": {
            "time": "trong ngày" if d.unit == "same_day" else _duration(Duration(d.amount, d.unit)),
            "cutoff": None if d.cutoff is None else d.cutoff.isoformat("minutes"),
            "convention": d.convention, "legal_basis": _basis(d.legal_basis),
            "extensions": [{"name": e.name, "time": _duration(e.duration), "conditional": e.when is not None}
                           for e in d.extensions],
        },
        "roles": [{"id": r.id, "label": r.label.vi} for r in proc.role_definitions] or list(proc.roles),
        "states": [
            {"id": s.id, "label": s.label.vi, "public_status": str(PUBLIC_STATUSES[s.public_status].label),
             "clock": s.clock, "budget": _duration(s.budget), "agency": s.agency, "outcome": s.outcome}
            for s in proc.states
        ],
        "actions": [
            {"name": a.name, "label": None if a.label is None else a.label.vi, "from": list(a.sources),
             "to": a.target, "roles": sorted(a.roles), "requires": list(a.requires),
             "note_required": a.note_required, "issues_form": a.issues_form, "effects": list(a.effects)}
            for a in proc.actions
        ],
        "documents": [{"name": c.name, "copies": c.copies, "form": c.form, "required": c.required}
                      for c in proc.documents],
        "fees": [{"name": f.name, "amount_vnd": f.amount_vnd, "rule": f.rule} for f in proc.fees],
        "result": list(proc.result),
        "source": proc.source,
    }  # fmt: skip


def summary_text(proc: Procedure) -> str:
    """What an author checks at a glance, Vietnamese first."""
    s = summary(proc)
    out = [
        f"{s['code']} phiên bản {s['version']} — {s['name']['vi']}"
        + (f" ({s['name']['en']})" if s["name"]["en"] else ""),
        f"  Lĩnh vực: {s['field']} · Cấp: {s['level']} · Cơ quan: {s['agency']['name']}"
        + (f" ({s['agency']['code']})" if s["agency"]["code"] else ""),
        f"  Hiệu lực: từ {s['effective_from']}" + (f" đến {s['effective_to']}" if s["effective_to"] else ""),
        f"  Cách thức: {', '.join(s['channels'])} · Dịch vụ công trực tuyến: {s['online_service']}",
        f"  Thời hạn giải quyết: {s['deadline']['time']}"
        + (f" (nhận trước {s['deadline']['cutoff']})" if s["deadline"]["cutoff"] else "")
        + (f" — {s['deadline']['legal_basis']}" if s["deadline"]["legal_basis"] else ""),
    ]
    for ext in s["deadline"]["extensions"]:
        out.append(
            f"    gia hạn {ext['name']}: +{ext['time']}" + (" (có điều kiện)" if ext["conditional"] else "")
        )
    if s["legal_basis"]:
        out.append("  Căn cứ pháp lý: " + "; ".join(b for b in s["legal_basis"] if b))
    out.append("Trạng thái / states:")
    for st in s["states"]:
        parts = (
            CLOCKS.get(st["clock"], st["clock"]), st["budget"] and f"định mức {st['budget']}", st["agency"],
            st["outcome"] and f"kết thúc: {st['outcome']}",
        )  # fmt: skip
        extra = ", ".join(x for x in parts if x)
        out.append(f"  {st['id']:22} {st['label']} [{st['public_status']}] — {extra}")
    out.append("Thao tác / actions:")
    for a in s["actions"]:
        needs = [*a["requires"], *(["note"] if a["note_required"] else [])]
        line = f"  {a['name']:22} {', '.join(a['from'])} → {a['to']} · {', '.join(a['roles'])}"
        if needs:
            line += f" · cần: {', '.join(needs)}"
        if a["issues_form"]:
            line += f" · mẫu {a['issues_form']}"
        if a["effects"]:
            line += f" · {', '.join(a['effects'])}"
        out.append(line)
    if s["documents"]:
        out.append("Thành phần hồ sơ / documents:")
        out += [f"  - {c['name']} ({c['copies']} {c['form']}{'' if c['required'] else ', không bắt buộc'})"
                for c in s["documents"]]  # fmt: skip
    if s["fees"]:
        out.append("Phí, lệ phí / fees:")
        for f in s["fees"]:
            amount = (
                f"{f['amount_vnd']:,} đồng".replace(",", ".") if f["amount_vnd"] is not None else f["rule"]
            )
            out.append(f"  - {f['name']}: {amount or ''}")
    return "\n".join(out) + "\n"
