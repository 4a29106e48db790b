"""The sweep: fire due timers, emit due warnings and overdue events — from cron or many workers.

Idempotent by construction: each decision is an ordinary commit with the optimistic version check,
so when two workers see the same due dossier exactly one commits and the other gets
ConcurrencyError (counted as a conflict, nothing written). A warning or overdue event is recorded
once per dossier per due moment (`warned_for`/`overdue_for` hold the due moment it was for; a due
moment that moves — after a pause, an extension — can warn again). The store's next_check_at index
finds due work without scanning every dossier.

Warnings and overdue notices are OBSERVATIONS: they change no state, so they move `last_event_at` but
not `last_act_at`, the floor acts are time-ordered against. A desk may record after a sweep an act
that happened before it; its entry then follows the observation in the chain with an earlier `at`
(docs/audit.md). A timer firing is an act of the system and does raise the floor.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

import attrs

from tthc_engine.errors import ConcurrencyError, RuntimeErrorBase
from tthc_engine.runtime.dossier import SYSTEM, Dossier
from tthc_engine.runtime.events import Event, EventKind
from tthc_engine.runtime.lifecycle import iso, next_check
from tthc_engine.sla import due_after
from tthc_engine.stores.base import Commit

if TYPE_CHECKING:
    from tthc_engine.runtime.engine import Engine

LOG = logging.getLogger("tthc_engine.sweep")
_MAX_DECISIONS = 4  # per dossier per sweep: a timer, then a warning and an overdue at most


@attrs.frozen
class SweepReport:
    """What one sweep did. `conflicts`: decisions another worker made first (nothing written)."""

    at: dt.datetime
    examined: int = 0
    fired: tuple[tuple[str, str], ...] = ()  # (dossier id, action)
    warnings: tuple[str, ...] = ()
    overdue: tuple[str, ...] = ()
    conflicts: int = 0
    failures: tuple[tuple[str, str], ...] = ()  # (dossier id, reason)


def run_sweep(engine: Engine, at: dt.datetime, limit: int) -> SweepReport:
    fired: list[tuple[str, str]] = []
    warnings: list[str] = []
    overdue: list[str] = []
    failures: list[tuple[str, str]] = []
    conflicts = 0
    ids = engine.store.due(at, limit=limit)
    for dossier_id in ids:
        for _ in range(_MAX_DECISIONS):
            d = engine.store.load(dossier_id)
            if d.next_check_at is None or d.next_check_at > at or at < d.last_act_at:
                break
            try:
                decision = _decide(engine, d, at)
                if decision is None:
                    break
                commit, kind = decision
                dossier, _ = engine.store.commit(commit)
            except ConcurrencyError:
                conflicts += 1
                break
            except RuntimeErrorBase as exc:
                LOG.error("sweep could not handle dossier %s: %s", dossier_id, exc)
                failures.append((dossier_id, str(exc)))
                break
            entry = commit.entries[0]
            if entry.kind == "timer":
                fired.append((dossier_id, entry.action or ""))
            elif kind == "warning":
                warnings.append(dossier_id)
            else:
                overdue.append(dossier_id)
            engine.events.emit([Event(kind, dossier, entry)])
    return SweepReport(
        at, len(ids), tuple(fired), tuple(warnings), tuple(overdue), conflicts, tuple(failures)
    )


def _decide(engine: Engine, d: Dossier, at: dt.datetime) -> tuple[Commit, EventKind] | None:
    """The one decision due for `d` at `at`, or None. Overdue only AFTER the due moment: up to and
    including it the dossier is within time (sla.progress; finished then it is on time, Circular
    01/2018/TT-VPCP Art. 13), so a sweep exactly at the due moment may only warn."""
    rt = engine._rt(d.procedure_code, d.procedure_version)
    if d.timer_at is not None and d.timer_at <= at:
        timers = rt.timers.get(d.state, ())
        due = sorted(
            (due_after(engine.calendar, t.after, d.state_entered_at), i) for i, t in enumerate(timers)
        )
        timer = timers[due[0][1]]
        note = (
            f"Tự động (automatic): {timer.after.amount:g} {timer.after.unit} ở trạng thái {d.state!r} "
            f"từ {d.state_entered_at.isoformat()} (timer)"
        )
        return engine._system_apply(d, timer.action, at, note)
    kind: EventKind
    changes: dict[str, Any] = {}
    updates: dict[str, Any] = {"last_event_at": at}
    if d.due_at is not None and d.due_at < at and d.overdue_for != d.due_at:
        kind = "overdue"
        updates["overdue_for"] = d.due_at
        changes["overdue_for"] = {"from": iso(d.overdue_for), "to": iso(d.due_at)}
        if d.warned_for != d.due_at:  # the overdue notice supersedes a warning not yet sent
            updates["warned_for"] = d.due_at
            changes["warned_for"] = {"from": iso(d.warned_for), "to": iso(d.due_at)}
    elif d.warn_at is not None and d.warn_at <= at and d.warned_for != d.due_at:
        kind = "warning"
        updates["warned_for"] = d.due_at
        changes["warned_for"] = {"from": iso(d.warned_for), "to": iso(d.due_at)}
    else:
        return None  # e.g. exactly at the due moment with the warning already sent
    changes["due_at"] = iso(d.due_at)
    entry = engine._seal(d, kind, at, None, SYSTEM, None, d.state, d.state, None, {}, changes)
    updates["version"] = d.version + 1
    updates["audit_head"] = entry.hash
    updates["audit_count"] = entry.sequence
    updates["next_check_at"] = next_check(updates, d)
    return Commit(d.replace(updates), (entry,), d.version), kind
