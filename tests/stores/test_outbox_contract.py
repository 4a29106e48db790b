"""The transactional outbox (stores/outbox.py), run against every store in STORE_FACTORIES with
outbox=True: events written with their act or not at all, claims, acknowledgements, leases, order
per dossier, the backlog gauge, and the migration of an existing database (no back-filled events)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pg_helpers
import pytest
from store_helpers import T0, first_commit, next_commit

from tthc_engine.audit.entry import ENTRY_KINDS
from tthc_engine.errors import ConcurrencyError, ConfigurationError
from tthc_engine.runtime.events import EventKind
from tthc_engine.stores import MemoryStore, SQLiteStore, Store
from tthc_engine.stores.outbox import EVENT_OF_ENTRY, OutboxEvent

LEASE = dt.timedelta(minutes=5)
OUTBOX_FACTORIES: dict[str, Callable[[Path], Any]] = {
    "memory": lambda tmp: MemoryStore(outbox=True),
    "sqlite": lambda tmp: SQLiteStore(tmp / "outbox.db", outbox=True),
    "postgres": lambda tmp: pg_helpers.pg_store(outbox=True),
}


@pytest.fixture(
    params=[
        pytest.param(name, marks=[pytest.mark.postgres] if name == "postgres" else [])
        for name in sorted(OUTBOX_FACTORIES)
    ],
    ids=sorted(OUTBOX_FACTORIES),
)
def box(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    made = OUTBOX_FACTORIES[request.param](tmp_path)
    yield made
    made.close()


def _dossier(store: Store, dossier_id: str, acts: int = 0) -> None:
    d, _ = store.create(lambda seq: first_commit(dossier_id, f"N-{dossier_id}"), sequence_key="k")
    for _ in range(acts):
        d, _ = store.commit(next_commit(d))


def _ids(events: list[OutboxEvent]) -> list[str]:
    return [e.id for e in events]


def test_event_kinds_match_the_runtime() -> None:
    """Every audit entry kind has the in-process event kind the runtime delivers it as."""
    assert set(EVENT_OF_ENTRY) == set(ENTRY_KINDS)
    assert set(EVENT_OF_ENTRY.values()) == set(EventKind.__args__)  # type: ignore[attr-defined]


def test_each_commit_writes_one_event_per_audit_entry(box: Store) -> None:
    """A create and a commit each leave their entry's event, with the stable id and the payload."""
    _dossier(box, "a", acts=1)
    assert box.outbox_backlog() == 2
    events = box.claim_events("w1", lease=LEASE)
    assert _ids(events) == ["a:1", "a:2"]
    first, second = events
    assert (first.kind, first.event) == ("submit", "submitted")
    assert (second.kind, second.event) == ("act", "transition")
    assert first.at == T0 and first.attempts == 1
    chain = box.entries("a")
    data = second.data()
    assert data["hash"] == chain[1].hash and data["id"] == "a:2"
    assert (data["state"], data["number"], data["version"]) == ("processing", "N-a", 2)
    assert first.data()["state"] == "received" and first.data()["version"] == 1
    assert box.ack_events("w1", _ids(events)) == 2
    assert box.outbox_backlog() == 0
    assert box.claim_events("w1", lease=LEASE) == []


def test_a_refused_or_replayed_commit_writes_no_event(box: Store) -> None:
    """A version conflict, an error inside the numbered build and a replayed key write nothing."""
    d, _ = box.create(lambda seq: first_commit("a", "N-a"), sequence_key="k")
    box.commit(next_commit(d, key="k1"))
    with pytest.raises(ConcurrencyError):
        box.commit(next_commit(d))  # computed from version 1, the store holds 2
    assert box.commit(next_commit(d, key="k1"))[1] is True  # replayed: nothing written

    def failing(sequence: int) -> Any:
        raise ValueError("numbering failed")

    with pytest.raises(ValueError):
        box.commit_numbered(failing, sequence_key="r")
    assert box.outbox_backlog() == 2
    assert _ids(box.claim_events("w1", lease=LEASE)) == ["a:1", "a:2"]


def test_two_workers_never_share_an_event_and_order_holds_per_dossier(box: Store) -> None:
    """w1 takes the oldest events; w2 never gets a dossier's next event while w1 holds an earlier
    one of it, even an event committed after w1's claim; acknowledged, the dossier is free again."""
    _dossier(box, "a", acts=2)  # a:1 a:2 a:3
    _dossier(box, "b", acts=1)  # b:1 b:2
    first = box.claim_events("w1", lease=LEASE, limit=2)
    assert _ids(first) == ["a:1", "a:2"]
    d = box.load("a")
    box.commit(next_commit(d))  # a:4, committed while w1 holds a:1 and a:2
    second = box.claim_events("w2", lease=LEASE)
    assert _ids(second) == ["b:1", "b:2"]
    assert box.claim_events("w3", lease=LEASE) == []
    assert box.ack_events("w2", ["a:1"]) == 0  # not w2's claim
    assert box.ack_events("w1", _ids(first)) == 2
    assert _ids(box.claim_events("w2", lease=LEASE)) == ["a:3", "a:4"]
    assert box.outbox_backlog() == 4  # b:1 b:2 a:3 a:4 held, not acknowledged


def test_an_expired_lease_returns_events_to_the_pool(box: Store) -> None:
    """A relay that dies holding events (delivered or not) loses them to the next one: at least once."""
    _dossier(box, "a", acts=1)
    held = box.claim_events("w1", lease=dt.timedelta(seconds=0.3))
    assert _ids(held) == ["a:1", "a:2"]
    assert box.claim_events("w2", lease=LEASE) == []
    time.sleep(0.4)
    again = box.claim_events("w2", lease=LEASE)
    assert _ids(again) == ["a:1", "a:2"] and [e.attempts for e in again] == [2, 2]
    assert box.ack_events("w1", _ids(held)) == 0  # w1's claim ended: w2 delivers them
    assert box.ack_events("w2", ["a:1", "a:1"]) == 1
    assert box.outbox_backlog() == 1


def test_claim_arguments_are_checked(box: Store) -> None:
    with pytest.raises(ConfigurationError, match="lease must be positive"):
        box.claim_events("w1", lease=dt.timedelta(0))
    with pytest.raises(ConfigurationError, match="dossier_id:sequence"):
        box.ack_events("w1", ["no-sequence"])


def test_a_store_without_the_outbox_writes_none_and_says_how(store: Store) -> None:
    """The default: the act path is unchanged, and the relay methods name the fix."""
    _dossier(store, "a", acts=1)
    for call in (
        lambda: store.claim_events("w1", lease=LEASE),
        lambda: store.ack_events("w1", ["a:1"]),
        store.outbox_backlog,
    ):
        with pytest.raises(ConfigurationError, match="outbox=True"):
            call()


# --- migrations: an existing database gets the table, and no back-filled events ---


def _as_sqlite_v5(path: Path) -> None:
    """Turn a current SQLite store back into schema version 5 (what a release before the outbox left)."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TABLE outbox")
        conn.execute("DELETE FROM schema_migrations WHERE version = 6")
        conn.execute("PRAGMA user_version = 5")
    conn.close()


def test_sqlite_migrates_5_to_6_without_back_filling(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = SQLiteStore(path)
    _dossier(old, "a", acts=1)
    old.close()
    _as_sqlite_v5(path)
    store = SQLiteStore(path, outbox=True)
    assert store.schema_version == 6 == store.current_schema_version()
    assert store.outbox_backlog() == 0  # a:1 and a:2 were committed before: not back-filled
    store.commit(next_commit(store.load("a")))
    assert _ids(store.claim_events("w1", lease=LEASE)) == ["a:3"]
    store.close()


@pytest.mark.postgres
def test_postgres_migrates_3_to_4_without_back_filling() -> None:
    schema = pg_helpers.fresh_schema()
    old = pg_helpers.pg_store(schema=schema)
    _dossier(old, "a", acts=1)
    old.close()
    import psycopg
    from psycopg import sql

    with psycopg.connect(pg_helpers.dsn_or_skip(), autocommit=True) as conn:
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
        conn.execute("DROP TABLE outbox")
        conn.execute("DELETE FROM schema_migrations WHERE version = 4")
    store = pg_helpers.pg_store(schema=schema, outbox=True)
    assert store.schema_version == 4 == store.current_schema_version()
    assert store.outbox_backlog() == 0
    store.commit(next_commit(store.load("a")))
    assert _ids(store.claim_events("w1", lease=LEASE)) == ["a:3"]
    store.close()


def test_concurrent_relays_deliver_each_event_once_in_order_per_dossier(box: Store) -> None:
    """Four threads claiming and acknowledging at once: every event exactly once (no lease ends),
    and each dossier's events in sequence order."""
    for n in range(8):
        _dossier(box, f"d{n}", acts=4)
    seen: list[tuple[str, int]] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def relay(worker: str) -> None:
        try:
            while True:
                events = box.claim_events(worker, lease=LEASE, limit=3)
                if not events:
                    if box.outbox_backlog() == 0:
                        return
                    time.sleep(0.005)
                    continue
                with lock:
                    seen.extend((e.dossier_id, e.sequence) for e in events)
                assert box.ack_events(worker, _ids(events)) == len(events)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=relay, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert sorted(seen) == sorted((f"d{n}", s) for n in range(8) for s in range(1, 6))
    for n in range(8):
        assert [s for d, s in seen if d == f"d{n}"] == [1, 2, 3, 4, 5]
