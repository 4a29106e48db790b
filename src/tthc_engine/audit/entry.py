"""AuditEntry: one immutable, hash-chained line of a dossier's record.

Every submit, act, timer firing and sweep decision appends exactly one entry in the same store
transaction as the change it records (docs/architecture.md: one act, one store transaction). The hash covers
the canonical JSON of every field except `hash` itself, including `prev_hash`, so editing, removing
or reordering any entry breaks the chain (audit/chain.py checks it; docs/audit.md explains how an
external auditor re-verifies without this library).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from tthc_engine.audit.canonical import canonical_json, sha256_hex, sha256_text

FORMAT = "tthc-audit/1"
# "replan": the planned moments moved to what today's calendar and catalog compute (runtime/replan.py);
# "assignment": a hand-over of the dossier to a named officer, or back (Engine.assign_to/unassign).
# "feedback": facts the host recorded (the citizen's rating, a complaint, an electronic result …:
# records/feedback.py). All three added after release 1: chains written before simply have none,
# and the format is unchanged
EntryKind = Literal["submit", "act", "timer", "warning", "overdue", "replan", "assignment", "feedback"]
ENTRY_KINDS: tuple[EntryKind, ...] = (
    "submit", "act", "timer", "warning", "overdue", "replan", "assignment", "feedback",
)  # fmt: skip


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
    # the canonical text of the payload the hash was computed over (set by `seal`): a store writes
    # the entry as that text with the hash spliced in instead of encoding the entry a second time
    _text: str | None = attrs.field(default=None, init=False, eq=False, repr=False)

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
        """Build an entry and compute its hash over the canonical JSON of its payload (the one
        encoder, audit/canonical.py, that verification and external auditors use too)."""
        entry = cls(
            sequence, dossier_id, kind, at, recorded_at, actor, roles, action, from_state, to_state, note,
            changes, clock, procedure_code, procedure_version, calendar_digest, prev_hash, "",
        )  # fmt: skip
        text = canonical_json(entry.payload())
        object.__setattr__(entry, "_text", text)
        object.__setattr__(entry, "hash", sha256_text(text))  # sealed once, before anyone sees it
        return entry

    def release_text(self) -> None:
        """Drop the kept text (a cache for the store that writes the entry once): a store that keeps
        the entry object itself (MemoryStore) would otherwise hold every entry's text twice over.
        `stored_text` still works afterwards, by encoding the entry again."""
        object.__setattr__(self, "_text", None)

    def stored_text(self) -> str:
        """`canonical_json(self.to_dict())`, the text stores keep. For a sealed entry it is the
        hashed text with `"hash"` spliced in where sorting puts it — just before the top-level
        `"kind"` (keys sort …, "from_state", "hash", "kind", …), which is the last `,"kind":` in the
        text: every later top-level value is a string, a number or a list of strings, and a quote
        inside a JSON string is escaped. tests/audit/test_stored_text.py holds the two equal."""
        text = self._text
        if text is None:
            return canonical_json(self.to_dict())
        i = text.rfind(',"kind":')
        return f'{text[:i]},"hash":"{self.hash}"{text[i:]}'

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
        """The hash of the entry's payload: how it was sealed, and how verification recomputes it."""
        return sha256_hex(self.payload())

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
