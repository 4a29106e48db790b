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

Several workers: the sweep CLAIMS its batch (Store.claim_due: a lease per dossier, FOR UPDATE SKIP
LOCKED on PostgreSQL, the write lock on SQLite), so each due dossier is handled by exactly one worker
while its lease runs — no duplicated work, no conflicts to count. The claims of the dossiers handled
are released at the end; a worker that dies leaves its claims to expire and nothing half done (each
decision is its own committed act). A dossier the sweep fails on (a guard predicate that raises, a
procedure version missing from the catalog) becomes an INCIDENT (Store.record_failure): counted,
listed by Store.incidents, logged once when it opens, and rested with a growing backoff instead of
being retried — and logged — on every sweep; a later successful sweep of it closes the incident.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

import attrs

from tthc_engine.errors import ConcurrencyError, RuntimeErrorBase
from tthc_engine.runtime.events import Event, EventBus
from tthc_engine.runtime.plan import Plan, Planner
from tthc_engine.stores.base import Commit, Store

LOG = logging.getLogger("tthc_engine.sweep")
_MAX_DECISIONS = 4  # per dossier per sweep: a timer, then a warning and an overdue at most
LEASE = dt.timedelta(minutes=5)  # how long a claim holds if its worker dies before releasing it


def default_worker() -> str:
    """A worker name unique on the network: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


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


def run_sweep(
    planner: Planner,
    store: Store,
    events: EventBus,
    at: dt.datetime,
    limit: int,
    *,
    worker: str | None = None,
    lease: dt.timedelta = LEASE,
) -> SweepReport:
    """Claim the dossiers due at `at` (at most `limit`) for `worker`, plan each decision, commit it
    with the version check, deliver its event after the commit, release the claims."""
    name = worker or default_worker()
    fired: list[tuple[str, str]] = []
    warnings: list[str] = []
    overdue: list[str] = []
    failures: list[tuple[str, str]] = []
    conflicts = 0
    ids = store.claim_due(at, name, lease=lease, limit=limit)
    handled: list[str] = []
    try:
        for dossier_id in ids:
            failed = None
            for _ in range(_MAX_DECISIONS):
                d = store.load(dossier_id)
                if d.next_check_at is None or d.next_check_at > at or at < d.last_act_at:
                    break
                try:
                    plan = planner.timer(d, at) or planner.observation(d, at)
                    if plan is None:
                        break
                    dossier, _ = store.commit(Commit(plan.dossier, (plan.entry,), d.version, previous=d))
                except ConcurrencyError:
                    conflicts += 1  # a person acted on it meanwhile: the next sweep looks again
                    break
                except RuntimeErrorBase as exc:
                    failed = str(exc)
                    break
                _tally(plan, fired, warnings, overdue)
                events.emit([Event(plan.event, dossier, plan.entry)])
            if failed is None:
                handled.append(dossier_id)
            else:
                failures.append((dossier_id, failed))
                _incident(store, dossier_id, name, failed)
    finally:
        store.release(name, handled)  # also when interrupted: the rest expire with their lease
    return SweepReport(
        at, len(ids), tuple(fired), tuple(warnings), tuple(overdue), conflicts, tuple(failures)
    )


def _incident(store: Store, dossier_id: str, worker: str, reason: str) -> None:
    """Count the failure on the dossier's incident; log it when the incident opens only."""
    incident = store.record_failure(dossier_id, worker, reason)
    if incident.failures == 1:
        LOG.error(
            "sweep could not handle dossier %s: %s (an incident is open: Store.incidents(); retried "
            "from %s with a growing backoff, not logged again)",
            dossier_id, reason, incident.retry_at.isoformat(),
        )  # fmt: skip
    else:
        LOG.debug("sweep failed again on dossier %s (%d failures): %s", dossier_id, incident.failures, reason)


def _tally(plan: Plan, fired: list[tuple[str, str]], warnings: list[str], overdue: list[str]) -> None:
    entry = plan.entry
    if entry.kind == "timer":
        fired.append((entry.dossier_id, entry.action or ""))
    elif entry.kind == "warning":
        warnings.append(entry.dossier_id)
    else:
        overdue.append(entry.dossier_id)
