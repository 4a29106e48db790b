"""Sweep claims and incidents, run against every store in STORE_FACTORIES."""

from __future__ import annotations

import datetime as dt
import time

from store_helpers import T0, first_commit

from tthc_engine.stores import Store

LEASE = dt.timedelta(minutes=5)


def _due(store: Store, n: int) -> list[str]:
    ids = [f"d{i:02d}" for i in range(n)]
    for i, dossier_id in enumerate(ids):
        check = T0 + dt.timedelta(minutes=i)
        store.create(lambda seq, d=dossier_id, c=check: first_commit(d, None, check=c), sequence_key="k")
    return ids


def test_two_workers_never_claim_the_same_dossier(store: Store) -> None:
    """Claims are disjoint while leases run, earliest first; what one worker holds the other skips."""
    ids = _due(store, 6)
    at = T0 + dt.timedelta(hours=1)
    first = store.claim_due(at, "w1", lease=LEASE, limit=4)
    second = store.claim_due(at, "w2", lease=LEASE, limit=4)
    assert first == ids[:4]
    assert second == ids[4:]
    assert store.claim_due(at, "w3", lease=LEASE) == []
    assert store.claim_due(T0, "w3", lease=LEASE) == []  # nothing else due at T0


def test_released_claims_and_expired_leases_are_claimable(store: Store) -> None:
    """`release` ends a worker's claims at once (only its own); a dead worker's lease expires."""
    ids = _due(store, 3)
    at = T0 + dt.timedelta(hours=1)
    assert store.claim_due(at, "w1", lease=LEASE) == ids
    store.release("w2", ids)  # not w2's: nothing happens
    assert store.claim_due(at, "w2", lease=LEASE) == []
    store.release("w1", ids[:1])
    assert store.claim_due(at, "w2", lease=dt.timedelta(seconds=0.3)) == ids[:1]
    time.sleep(0.4)  # w2 "died": its lease ends
    assert store.claim_due(at, "w3", lease=LEASE) == ids[:1]


def test_failures_become_one_counted_incident(store: Store) -> None:
    """Each failure counts on one incident per dossier, holds the dossier past its retry moment,
    and is listed; a later successful handling (release) closes it."""
    ids = _due(store, 2)
    at = T0 + dt.timedelta(hours=1)
    assert store.claim_due(at, "w1", lease=LEASE) == ids
    store.release("w1", ids[1:])
    first = store.record_failure(ids[0], "w1", "guard predicate raised")
    assert first.failures == 1 and first.retry_at - first.last_at >= dt.timedelta(minutes=1)
    again = store.record_failure(ids[0], "w1", "guard predicate raised again")
    assert again.failures == 2 and again.first_at == first.first_at
    assert again.retry_at - again.last_at >= dt.timedelta(minutes=2)
    assert store.incident_count() == 1
    [listed] = store.incidents()
    assert (listed.dossier_id, listed.failures, listed.reason, listed.worker) == (
        ids[0], 2, "guard predicate raised again", "w1",
    )  # fmt: skip
    assert store.claim_due(at, "w2", lease=LEASE) == ids[1:]  # the failing one rests
    store.release("w1", ids[:1])
    assert store.incident_count() == 0 and store.incidents() == []
