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

import attrs

from tthc_engine.errors import ConcurrencyError, RuntimeErrorBase
from tthc_engine.runtime.events import Event, EventBus
from tthc_engine.runtime.plan import Plan, Planner
from tthc_engine.stores.base import Commit, Store

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


def run_sweep(planner: Planner, store: Store, events: EventBus, at: dt.datetime, limit: int) -> SweepReport:
    """Handle every dossier due at `at` (at most `limit`): plan each decision, commit it with the
    version check, deliver its event after the commit."""
    fired: list[tuple[str, str]] = []
    warnings: list[str] = []
    overdue: list[str] = []
    failures: list[tuple[str, str]] = []
    conflicts = 0
    ids = store.due(at, limit=limit)
    for dossier_id in ids:
        for _ in range(_MAX_DECISIONS):
            d = store.load(dossier_id)
            if d.next_check_at is None or d.next_check_at > at or at < d.last_act_at:
                break
            try:
                plan = planner.timer(d, at) or planner.observation(d, at)
                if plan is None:
                    break
                dossier, _ = store.commit(Commit(plan.dossier, (plan.entry,), d.version))
            except ConcurrencyError:
                conflicts += 1
                break
            except RuntimeErrorBase as exc:
                LOG.error("sweep could not handle dossier %s: %s", dossier_id, exc)
                failures.append((dossier_id, str(exc)))
                break
            _tally(plan, fired, warnings, overdue)
            events.emit([Event(plan.event, dossier, plan.entry)])
    return SweepReport(
        at, len(ids), tuple(fired), tuple(warnings), tuple(overdue), conflicts, tuple(failures)
    )


def _tally(plan: Plan, fired: list[tuple[str, str]], warnings: list[str], overdue: list[str]) -> None:
    entry = plan.entry
    if entry.kind == "timer":
        fired.append((entry.dossier_id, entry.action or ""))
    elif entry.kind == "warning":
        warnings.append(entry.dossier_id)
    else:
        overdue.append(entry.dossier_id)
