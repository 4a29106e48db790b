"""Why a dossier's legal due moment is what it is, in words — rendered from its audit trail.

The audit entry that received a dossier keeps the clock it started (receipt, channel, deadline,
applied extensions, start and due moment): the inputs of the computation, not its words. The words
are rendered here on request, so the act does not spend its time building text that only people
read, and wording can improve without touching a hashed record. Every later entry that moved the
due moment or the appointment (a supplement restart, a pause, an extension, an apology) adds a line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tthc_engine.audit.entry import AuditEntry
from tthc_engine.calendar import WorkCalendar
from tthc_engine.reporting.export import short_moment
from tthc_engine.sla import Clock, StartPolicy


def explain_due(
    entries: Sequence[AuditEntry], calendar: WorkCalendar, policy: StartPolicy | None = None
) -> list[str]:
    """The reasoning behind the due moment of the dossier whose chain is `entries`."""
    lines: list[str] = []
    for entry in entries:
        started = entry.clock.get("clock")
        if isinstance(started, Mapping) and started.get("from") is None and started.get("to"):
            lines += Clock.from_dict(started["to"]).explain(calendar, policy)
            continue
        what = entry.action or entry.kind
        granted = entry.clock.get("clock.extensions")
        if isinstance(granted, Mapping):  # extensions granted at this act: name them
            before = {e.get("name") for e in granted.get("from") or ()}
            names = [e.get("name") for e in granted.get("to") or () if e.get("name") not in before]
            if names:
                what += f" (gia hạn / extension {', '.join(map(str, names))})"
        due = entry.clock.get("due_at")
        for field, label in (("due_at", "hạn giải quyết (due)"), ("appointment_at", "hẹn trả (appointment)")):
            change = entry.clock.get(field)
            if field == "appointment_at" and change == due:
                continue  # the appointment follows the due moment: one line says both
            if isinstance(change, Mapping):  # observations record the due moment as a plain string
                lines.append(
                    f"#{entry.sequence} {short_moment(entry.at.isoformat())} {what}: {label} "
                    f"{short_moment(change.get('from'), '—')} → {short_moment(change.get('to'), '—')}"
                )
    return lines or ["Chưa tiếp nhận: chưa tính hạn (not received yet: no due moment)"]
