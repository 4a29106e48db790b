"""AuditEntry: one immutable, hash-chained line of a dossier's record.

Every submit, act, timer firing and sweep decision appends exactly one entry in the same store
transaction as the change it records (DESIGN.md, "One act = one store transaction"). The hash covers
the canonical JSON of every field except `hash` itself, including `prev_hash`, so editing, removing
or reordering any entry breaks the chain (audit/chain.py checks it; docs/audit.md explains how an
external auditor re-verifies without this library).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from json.encoder import encode_basestring
from typing import Any, Literal

import attrs

from tthc_engine.audit.canonical import _ENCODER

FORMAT = "tthc-audit/1"
EntryKind = Literal["submit", "act", "timer", "warning", "overdue"]
ENTRY_KINDS: tuple[EntryKind, ...] = ("submit", "act", "timer", "warning", "overdue")


@attrs.frozen(slots=True)
class AuditEntry:
    """One event of a dossier's life, as it was recorded.

    `at` is the event time the caller gave; `recorded_at` is when the engine recorded it (the
    injected clock). `changes` maps each data key the event touched to {"from": old, "to": new}
    ("from" absent for a new key); `clock` holds the clock and due-moment fields that changed
    (ISO strings), so the entry alone explains why a due date moved.
    """

    sequence: int
    dossier_id: str
    kind: EntryKind
    at: dt.datetime
    recorded_at: dt.datetime
    actor: str
    roles: tuple[str, ...]
    action: str | None
    from_state: str | None
    to_state: str
    note: str | None
    changes: Mapping[str, Any]
    clock: Mapping[str, Any]
    procedure_code: str
    procedure_version: str
    calendar_digest: str
    prev_hash: str
    hash: str

    @classmethod
    def seal(
        cls,
        *,
        sequence: int,
        dossier_id: str,
        kind: EntryKind,
        at: dt.datetime,
        recorded_at: dt.datetime,
        actor: str,
        roles: tuple[str, ...],
        action: str | None,
        from_state: str | None,
        to_state: str,
        note: str | None,
        changes: Mapping[str, Any],
        clock: Mapping[str, Any],
        procedure_code: str,
        procedure_version: str,
        calendar_digest: str,
        prev_hash: str,
    ) -> AuditEntry:
        """Build an entry and compute its hash."""
        return cls.make(
            sequence, dossier_id, kind, at, recorded_at, actor, roles, action, from_state, to_state, note,
            changes, clock, procedure_code, procedure_version, calendar_digest, prev_hash,
        )  # fmt: skip

    @classmethod
    def make(
        cls,
        sequence: int,
        dossier_id: str,
        kind: EntryKind,
        at: dt.datetime,
        recorded_at: dt.datetime,
        actor: str,
        roles: tuple[str, ...],
        action: str | None,
        from_state: str | None,
        to_state: str,
        note: str | None,
        changes: Mapping[str, Any],
        clock: Mapping[str, Any],
        procedure_code: str,
        procedure_version: str,
        calendar_digest: str,
        prev_hash: str,
    ) -> AuditEntry:
        """`seal` with positional arguments in field order (the engine's hot path).

        The hashed text is canonical_json(entry.payload()) written out by hand (same bytes; a test
        checks the two agree for arbitrary values): keys in sorted order."""
        e = encode_basestring
        text = "".join(
            (
                '{"action":', "null" if action is None else e(action),
                ',"actor":', e(actor),
                ',"at":', e(at.isoformat()),
                ',"calendar_digest":', e(calendar_digest),
                ',"changes":', _ENCODER.encode(changes) if changes else "{}",
                ',"clock":', _ENCODER.encode(clock) if clock else "{}",
                ',"dossier_id":', e(dossier_id),
                ',"format":"', FORMAT,
                '","from_state":', "null" if from_state is None else e(from_state),
                ',"kind":', e(kind),
                ',"note":', "null" if note is None else e(note),
                ',"prev_hash":', e(prev_hash),
                ',"procedure_code":', e(procedure_code),
                ',"procedure_version":', e(procedure_version),
                ',"recorded_at":', e(recorded_at.isoformat()),
                ',"roles":[', ",".join([e(r) for r in roles]),
                '],"sequence":', str(int(sequence)),
                ',"to_state":', e(to_state),
                "}",
            )
        )  # fmt: skip
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return cls(
            sequence, dossier_id, kind, at, recorded_at, actor, roles, action, from_state, to_state, note,
            changes, clock, procedure_code, procedure_version, calendar_digest, prev_hash, digest,
        )  # fmt: skip

    def payload(self) -> dict[str, Any]:
        """The hashed fields as JSON-ready values (everything but `hash`, plus the format tag)."""
        return {
            "format": FORMAT,
            "sequence": self.sequence,
            "dossier_id": self.dossier_id,
            "kind": self.kind,
            "at": self.at.isoformat(),
            "recorded_at": self.recorded_at.isoformat(),
            "actor": self.actor,
            "roles": list(self.roles),
            "action": self.action,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "note": self.note,
            "changes": self.changes,
            "clock": self.clock,
            "procedure_code": self.procedure_code,
            "procedure_version": self.procedure_version,
            "calendar_digest": self.calendar_digest,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        """Recompute the hash from the fields with the generic canonical encoder (verification)."""
        return hashlib.sha256(_ENCODER.encode(self.payload()).encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as stored and exported: the payload plus `hash`."""
        data = self.payload()
        data["hash"] = self.hash
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuditEntry:
        """Rebuild an entry exactly as stored (no re-hashing: verification must see edits)."""
        return cls(
            sequence=int(data["sequence"]),
            dossier_id=str(data["dossier_id"]),
            kind=data["kind"],
            at=dt.datetime.fromisoformat(data["at"]),
            recorded_at=dt.datetime.fromisoformat(data["recorded_at"]),
            actor=str(data["actor"]),
            roles=tuple(data["roles"]),
            action=data["action"],
            from_state=data["from_state"],
            to_state=str(data["to_state"]),
            note=data["note"],
            changes=data["changes"],
            clock=data["clock"],
            procedure_code=str(data["procedure_code"]),
            procedure_version=str(data["procedure_version"]),
            calendar_digest=str(data["calendar_digest"]),
            prev_hash=str(data["prev_hash"]),
            hash=str(data["hash"]),
        )
