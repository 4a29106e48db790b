"""PostgreSQL faults: a connection killed mid-transaction (pg_terminate_backend from the test), killed
while idle in the pool, a server that is not there. No partial dossier, no broken chain, a clear
StoreError, and the store works afterwards."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from typing import Any

import pg_helpers
import pytest
from store_helpers import first_commit, next_commit

from tthc_engine.audit.chain import verify_chain
from tthc_engine.errors import StoreError, UnknownDossier
from tthc_engine.stores.base import Commit

psycopg = pytest.importorskip("psycopg")


@pytest.fixture
def killable() -> Iterator[tuple[Any, str]]:
    """A store with a unique application_name, so the test can find and kill its backends."""
    name = f"tthc-fault-{secrets.token_hex(4)}"
    store = pg_helpers.pg_store(application_name=name)
    yield store, name
    store.close()


def _terminate(name: str, state: str, wait_for: float = 5.0, *, waiting: bool = False) -> int:
    """Terminate the store's backends in `state` (a LIKE pattern; `waiting`: blocked on a lock);
    wait until one is there."""
    deadline = time.monotonic() + wait_for
    with psycopg.connect(pg_helpers.dsn_or_skip(), autocommit=True) as admin:
        while True:
            rows = admin.execute(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                "WHERE application_name = %s AND state LIKE %s AND (NOT %s OR wait_event_type = 'Lock')",
                (name, state, waiting),
            ).fetchall()
            if rows or time.monotonic() > deadline:
                return len(rows)
            time.sleep(0.02)


def test_connection_killed_mid_create_writes_nothing(killable: tuple[Any, str]) -> None:
    """The backend dies after the number was drawn: StoreError says so, no dossier, number not lost."""
    store, name = killable

    def build(seq: int) -> Commit:
        assert _terminate(name, "idle in transaction%") == 1  # inside our open transaction
        return first_commit("d1", f"N{seq}")

    with pytest.raises(StoreError, match="connection was lost") as info:
        store.create(build, sequence_key="k")
    assert "nothing of it was written" in str(info.value)
    assert "127.0.0.1" in str(info.value) or "localhost" in str(info.value)
    with pytest.raises(UnknownDossier):
        store.load("d1")
    d, replayed = store.create(lambda seq: first_commit("d1", f"N{seq}"), sequence_key="k")
    assert (d.number, replayed) == ("N1", False)  # the killed transaction gave its number back
    verify_chain("d1", store.entries("d1"), head_hash=d.audit_head, count=d.audit_count)


def test_connection_killed_mid_commit_leaves_the_chain_intact(killable: tuple[Any, str]) -> None:
    """A commit killed while it waits on the dossier's row: nothing written, chain verifies, retry works."""
    store, name = killable
    d, _ = store.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    failure: list[BaseException] = []
    with psycopg.connect(pg_helpers.dsn_or_skip(), autocommit=False) as holder:
        holder.execute(f'SET search_path TO "{store.schema}"')
        holder.execute("SELECT 1 FROM dossiers WHERE id = 'd1' FOR UPDATE")  # the commit will wait here

        def commit() -> None:
            try:
                store.commit(next_commit(d))
            except BaseException as exc:
                failure.append(exc)

        worker = threading.Thread(target=commit)
        worker.start()
        assert _terminate(name, "active", waiting=True) == 1  # the store's backend, blocked in its UPDATE
        worker.join(10)
        holder.rollback()
    assert len(failure) == 1 and isinstance(failure[0], StoreError), failure
    assert "rolled back, nothing of it was written" in str(failure[0])
    assert store.load("d1") == d
    verify_chain("d1", store.entries("d1"), head_hash=d.audit_head, count=d.audit_count)
    d2, _ = store.commit(next_commit(d))
    assert d2.version == 2 and len(store.entries("d1")) == 2


def test_idle_connections_killed_are_replaced(killable: tuple[Any, str]) -> None:
    """Connections killed while idle in the pool (a server restart): the next calls just work."""
    store, name = killable
    d, _ = store.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    assert _terminate(name, "idle") >= 1
    assert store.load("d1") == d  # a read on a dead connection is retried on a new one
    assert _terminate(name, "idle") >= 1
    d2, _ = store.commit(next_commit(d))  # so is a write whose BEGIN met a dead connection
    assert store.load("d1") == d2


def test_unreachable_server_is_a_clear_error() -> None:
    """No server at the address: StoreError names the place and what to check, never the password."""
    from tthc_engine.stores.postgres import PostgresStore

    with pytest.raises(StoreError, match=r"127\.0\.0\.1:1/nowhere.*check that the server runs") as info:
        PostgresStore("postgresql://someone:s3cret@127.0.0.1:1/nowhere", timeout=1)
    assert "s3cret" not in str(info.value)


def test_a_closed_store_says_so(killable: tuple[Any, str]) -> None:
    """Using a store after close() is a StoreError that says the store was closed, not a network fault."""
    store, _ = killable
    store.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    store.close()
    with pytest.raises(StoreError, match="store was closed"):
        store.load("d1")


def test_lock_timeout_from_the_dsn_is_a_clear_error() -> None:
    """A lock_timeout set in the DSN: a commit blocked past it is rolled back and says so."""
    from tthc_engine.stores.postgres import PostgresStore

    dsn = pg_helpers.dsn_or_skip()
    joiner = "&" if "?" in dsn else "?"
    store = PostgresStore(
        dsn + joiner + "options=-c%20lock_timeout%3D200ms", schema=pg_helpers.fresh_schema(), pool_size=1
    )
    d, _ = store.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    with psycopg.connect(dsn) as holder:
        holder.execute(f'SET search_path TO "{store.schema}"')
        holder.execute("SELECT 1 FROM dossiers WHERE id = 'd1' FOR UPDATE")
        with pytest.raises(StoreError, match=r"transaction failed.*lock timeout.*nothing of it was written"):
            store.commit(next_commit(d))
    assert store.commit(next_commit(d))[0].version == 2  # once the lock is gone
    store.close()
