"""The relay: events from the store's outbox to a broker or a status feed, at least once, in order.

A base class of `Engine` (like `Desk`), kept apart so that engine.py stays the façade of acts. The
store does the hard part (stores/outbox.py: events written with their act, claims with leases that
keep each dossier's events in order); this module is the loop a host runs from cron, a systemd timer
or its own worker (docs/operations.md, "Relaying events"): claim a batch, hand each event to the
host's `deliver`, acknowledge what was delivered.

Why a failure stops only its dossier: delivering a dossier's later event before an earlier one that
failed would break the order a consumer relies on, while other dossiers need not wait. The failed
event and the rest of its dossier's batch stay claimed until the lease ends, then a relay (this one
or another) tries again — so a broker that is down is retried without a busy loop.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import attrs

from tthc_engine.runtime.sweep import default_worker
from tthc_engine.stores.base import Store
from tthc_engine.stores.outbox import OutboxEvent

LOG = logging.getLogger("tthc_engine.relay")
RELAY_LEASE = dt.timedelta(minutes=1)  # how long a batch is held: longer than delivering it takes
Deliver = Callable[[OutboxEvent], object]


@attrs.frozen
class RelayReport:
    """What one relay run did: events claimed, delivered (ids, in delivery order) and acknowledged;
    failures as (event id, reason); events skipped after an earlier failure of their dossier (they
    go out after the lease, after the failed one)."""

    claimed: int
    delivered: tuple[str, ...]
    acknowledged: int
    failures: tuple[tuple[str, str], ...]
    skipped: int

    @property
    def ok(self) -> bool:
        return not self.failures


def run_relay(store: Store, deliver: Deliver, *, worker: str, lease: dt.timedelta, limit: int) -> RelayReport:
    """Claim up to `limit` events for `worker`, deliver them in order, acknowledge the delivered ones
    (also when interrupted: what reached the consumer is not sent again needlessly)."""
    events = store.claim_events(worker, lease=lease, limit=limit)
    delivered: list[str] = []
    failures: list[tuple[str, str]] = []
    stopped: set[str] = set()
    skipped = 0
    acknowledged = 0
    try:
        for event in events:
            if event.dossier_id in stopped:
                skipped += 1
                continue
            try:
                deliver(event)
            except Exception as exc:  # reported, and retried after the lease: never lost
                stopped.add(event.dossier_id)
                reason = f"{type(exc).__name__}: {exc}"
                failures.append((event.id, reason))
                LOG.error(
                    "relay %s could not deliver event %s (%s, attempt %d): %s; it and the dossier's later "
                    "events are retried when the lease of %s ends",
                    worker, event.id, event.event, event.attempts, reason, lease,
                )  # fmt: skip
                continue
            delivered.append(event.id)
    finally:
        if delivered:
            acknowledged = store.ack_events(worker, delivered)
    if acknowledged < len(delivered):
        LOG.warning(
            "relay %s delivered %d events but could acknowledge only %d: the lease of %s ended first "
            "(raise it, or lower the limit); the others will be delivered again",
            worker, len(delivered), acknowledged, lease,
        )  # fmt: skip
    return RelayReport(len(events), tuple(delivered), acknowledged, tuple(failures), skipped)


class Relay:
    """`Engine.relay`: the outbox's delivery loop over the engine's store."""

    store: Store

    def relay(
        self,
        deliver: Deliver,
        *,
        worker: str | None = None,
        lease: dt.timedelta = RELAY_LEASE,
        limit: int = 100,
    ) -> RelayReport:
        """Deliver up to `limit` events of the store's outbox (a store opened with outbox=True) by
        calling `deliver(event)` for each, oldest first and in sequence order per dossier, then
        acknowledge the delivered ones. At least once: de-duplicate on `event.id`. A `deliver` that
        raises stops its dossier's batch (reported in `RelayReport.failures` and logged) until the
        lease ends. Safe to run from several workers at once (default worker name: host:pid)."""
        return run_relay(self.store, deliver, worker=worker or default_worker(), lease=lease, limit=limit)
