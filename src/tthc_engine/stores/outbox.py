"""The transactional outbox: the events of each commit, written in the commit's own transaction.

Why. In-process handlers (runtime/events.py) run after the commit in the process that acted: a crash
between the commit and the handler, or a handler that fails, loses the event for a broker or the
national portal's status feed. A store opened with `outbox=True` also writes one outbox row per
audit entry of every commit, in the same transaction as the entry, so an event exists exactly when
its act does (a refused, conflicting or replayed commit writes none). A relay (runtime/relay.py,
`Engine.relay`) claims rows, delivers them and acknowledges them; an acknowledged row is deleted.

Delivery is at least once: a relay that dies after delivering and before acknowledging leaves its
claim to expire, and the next relay delivers the event again. The event id `"{dossier_id}:{sequence}"`
is the audit entry's own identity, stable across retries, so a consumer de-duplicates on it. Order
is kept per dossier: a claim never hands out an event of a dossier while an earlier event of that
dossier is held under a live lease (docs/operations.md, "Relaying events").
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs

from tthc_engine.audit.canonical import canonical_json
from tthc_engine.audit.entry import AuditEntry
from tthc_engine.errors import ConfigurationError
from tthc_engine.stores.base import Commit

# the event kind (runtime/events.EventKind) each audit entry kind is delivered as in process: the
# store cannot import the runtime (docs/architecture.md), so the mapping is kept here, checked equal
# by tests/stores/test_outbox_contract.py
EVENT_OF_ENTRY: dict[str, str] = {
    "submit": "submitted",
    "act": "transition",
    "timer": "transition",
    "warning": "warning",
    "overdue": "overdue",
    "replan": "replanned",
    "assignment": "assigned",
    "feedback": "feedback",
}


@attrs.frozen(slots=True)
class OutboxEvent:
    """One event waiting in the outbox: the audit entry it stands for and what a consumer needs.

    `kind` is the audit entry kind ("act", "timer", …), `event` the in-process event kind it
    corresponds to ("transition", …), `at` the entry's event time. `payload` is canonical JSON
    (audit/canonical.py) with at least the entry's `hash`, `action`, `from_state`, `to_state` and the
    dossier's `state`, `number`, `reference`, `version` and `procedure_code` as committed. `attempts`
    counts the claims of this event so far (1 on the first delivery; more means a redelivery).
    `at` is aware; its zone may differ by store (UTC from SQLite), the moment does not.
    """

    dossier_id: str
    sequence: int
    kind: str
    event: str
    at: dt.datetime
    payload: str
    attempts: int = 0

    @property
    def id(self) -> str:
        """The stable event id to de-duplicate on: `"{dossier_id}:{sequence}"` (one audit entry)."""
        return event_id(self.dossier_id, self.sequence)

    def data(self) -> dict[str, Any]:
        """The payload parsed."""
        value: dict[str, Any] = json.loads(self.payload)
        return value


def event_id(dossier_id: str, sequence: int) -> str:
    return f"{dossier_id}:{sequence}"


def split_id(value: str) -> tuple[str, int]:
    """(dossier_id, sequence) of an event id; ConfigurationError naming the id when malformed."""
    dossier_id, _, sequence = value.rpartition(":")
    if not dossier_id or not sequence.isdigit():
        raise ConfigurationError(
            f"outbox event id {value!r} is not of the form 'dossier_id:sequence'; pass OutboxEvent.id"
        )
    return dossier_id, int(sequence)


def payload(commit: Commit, entry: AuditEntry) -> str:
    """The canonical JSON payload of one entry of a commit (the dossier as the commit leaves it)."""
    d = commit.dossier
    return canonical_json(
        {
            "id": event_id(entry.dossier_id, entry.sequence),
            "hash": entry.hash,
            "kind": entry.kind,
            "event": EVENT_OF_ENTRY[entry.kind],
            "action": entry.action,
            "from_state": entry.from_state,
            "to_state": entry.to_state,
            "at": entry.at.isoformat(),
            "state": d.state,
            "number": d.number,
            "reference": d.reference,
            "version": d.version,
            "procedure_code": d.procedure_code,
        }
    )


def rows(commit: Commit) -> list[tuple[str, int, str, str, dt.datetime, str]]:
    """(dossier_id, sequence, kind, event, at, payload) for each audit entry of `commit`."""
    return [
        (e.dossier_id, e.sequence, e.kind, EVENT_OF_ENTRY[e.kind], e.at, payload(commit, e))
        for e in commit.entries
    ]


def disabled(store: str) -> ConfigurationError:
    """The error of a relay call on a store opened without the outbox."""
    return ConfigurationError(
        f"{store} has no outbox: open it with outbox=True (e.g. SQLiteStore(path, outbox=True), "
        "PostgresStore(dsn, outbox=True), MemoryStore(outbox=True)) so each commit writes its events, "
        "then relay them (docs/operations.md, 'Relaying events')"
    )


def check_claim(lease: dt.timedelta, limit: int) -> None:
    """A claim needs a positive lease and limit (a zero lease would hand the same event to everyone)."""
    if lease <= dt.timedelta(0) or limit < 1:
        raise ConfigurationError(
            f"claim_events(lease={lease}, limit={limit}): the lease must be positive and the limit "
            "at least 1; pass e.g. lease=timedelta(minutes=1), limit=100"
        )
