"""Builders of dossiers and commits for the store contract tests (no engine needed)."""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from typing import Any

import attrs

from tthc_engine.audit.canonical import GENESIS_HASH
from tthc_engine.audit.entry import AuditEntry
from tthc_engine.records import Dossier
from tthc_engine.sla import Clock
from tthc_engine.stores.base import Commit

TZ = dt.timezone(dt.timedelta(hours=7))
T0 = dt.datetime(2025, 1, 24, 15, 30, tzinfo=TZ)


def entry(
    dossier_id: str, sequence: int, prev: str, *, at: dt.datetime = T0, to: str = "received"
) -> AuditEntry:
    return AuditEntry.seal(
        sequence=sequence,
        dossier_id=dossier_id,
        kind="submit" if sequence == 1 else "act",
        at=at,
        recorded_at=at,
        actor="officer-7",
        roles=("reception",),
        action=None if sequence == 1 else "step",
        from_state=None if sequence == 1 else "received",
        to_state=to,
        note=None,
        changes={"k": {"to": sequence}},
        clock={},
        procedure_code="1.000001",
        procedure_version="2025.07",
        calendar_digest="test",
        prev_hash=prev,
    )


def first_commit(
    dossier_id: str,
    number: str | None,
    *,
    key: str | None = None,
    check: dt.datetime | None = None,
    reference: str | None = None,
) -> Commit:
    e = entry(dossier_id, 1, GENESIS_HASH)
    d = Dossier(
        id=dossier_id,
        number=number,
        procedure_code="1.000001",
        procedure_version="2025.07",
        state="received",
        version=1,
        channel="direct",
        submitted_at=T0,
        received_at=T0,
        due_at=T0 + dt.timedelta(days=3),
        appointment_at=T0 + dt.timedelta(days=3),
        finished_at=None,
        outcome=None,
        timeliness=None,
        data=MappingProxyType({"họ_tên": "Nguyễn Văn A"}),
        clock=Clock(T0, T0, T0 + dt.timedelta(days=3), 3.0, "working_days"),
        steps=(),
        reschedules=0,
        state_entered_at=T0,
        last_event_at=T0,
        last_act_at=T0,
        timer_at=None,
        warn_at=None,
        warned_for=None,
        overdue_for=None,
        next_check_at=check,
        audit_head=e.hash,
        audit_count=1,
        reference=reference,
    )
    return Commit(d, (e,), 0, key)


def next_commit(
    current: Dossier,
    *,
    state: str = "processing",
    key: str | None = None,
    check: dt.datetime | None = None,
    **changes: Any,
) -> Commit:
    e = entry(current.id, current.audit_count + 1, current.audit_head, to=state)
    d = attrs.evolve(
        current,
        state=state,
        version=current.version + 1,
        audit_head=e.hash,
        audit_count=current.audit_count + 1,
        next_check_at=check,
        **changes,
    )
    return Commit(d, (e,), current.version, key)
