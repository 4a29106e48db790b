"""Is the stored record what its audit chain says? The check `Engine.verify` adds to the chain's own.

The chain proves that no entry was edited, removed or reordered; but a record edited behind the
store's back — a late dossier turned on time, a refused one turned resolved, data changed — would
still pass it. Every change of those fields is written into the entry of the act that made it, so
folding the chain gives what the record must say, with no calendar or catalog needed (a re-planned
due moment is itself an entry). A field that differs names the field, both values and the entry
that last set it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tthc_engine.audit.entry import AuditEntry
from tthc_engine.records.dossier import Dossier
from tthc_engine.timeutil import iso

# record field -> the key its change is written under in an entry's `clock` mapping
_CHANGES = {
    "received_at": "received_at", "due_at": "due_at", "appointment_at": "appointment_at",
    "finished_at": "finished_at", "outcome": "outcome", "timeliness": "timeliness",
    "number": "number", "receiving_agency": "receiving_agency", "flags": "flags", "assignee": "assignee",
}  # fmt: skip
_MOMENTS = {"received_at", "due_at", "appointment_at", "finished_at"}


def fold(entries: Sequence[AuditEntry]) -> dict[str, tuple[Any, int]]:
    """What the chain says of each field: field -> (value in the record's JSON form, entry sequence)."""
    said: dict[str, tuple[Any, int]] = {}
    data: dict[str, Any] = {}
    feedback: dict[str, dict[str, Any]] = {}
    for e in entries:
        said["state"] = (e.to_state, e.sequence)
        said["procedure_version"] = (e.procedure_version, e.sequence)
        for key, change in e.changes.items():
            if isinstance(change, Mapping) and "to" in change:
                data[key] = change["to"]
                said["data"] = (dict(data), e.sequence)
        for field, key in _CHANGES.items():
            change = e.clock.get(key)
            if isinstance(change, Mapping) and "to" in change:
                said[field] = (change["to"], e.sequence)
            elif e.kind == "submit" and isinstance(change, str) and field in ("number",):
                said[field] = (change, e.sequence)
        if e.kind == "submit" and isinstance(e.clock.get("reference"), str):
            said["reference"] = (e.clock["reference"], e.sequence)
        if e.kind == "feedback":
            for key, change in e.clock.items():
                if key.startswith("feedback.") and isinstance(change, Mapping) and "to" in change:
                    feedback[key.removeprefix("feedback.")] = {
                        "value": change["to"], "by": e.actor, "at": e.at.isoformat(),
                    }  # fmt: skip
            said["feedback"] = ({k: dict(v) for k, v in feedback.items()}, e.sequence)
    return said


def mismatches(d: Dossier, entries: Sequence[AuditEntry]) -> list[str]:
    """The fields of `d` that differ from what its chain says, each as one line."""
    out: list[str] = []
    if d.version != len(entries):
        out.append(f"version {d.version}, but the chain has {len(entries)} entries (one per change)")
    for field, (value, sequence) in fold(entries).items():
        stored: Any = getattr(d, field)
        if field in _MOMENTS:
            stored = iso(stored)
        elif field == "data":
            stored = dict(stored)
        elif field == "feedback":
            stored = {k: dict(v) for k, v in stored.items()}
        elif field == "flags":
            stored, value = list(stored), list(value)
        if stored != value:
            out.append(f"{field} is {stored!r} in the record, {value!r} by audit entry #{sequence}")
    return out
