"""Idempotency keys raced on PostgreSQL by threads, each call on its own pooled connection: the row
lock and the key's primary key decide, never a read-then-write.

To make the race certain, the test holds the dossier rows locked from its own connection until every
thread's commit is waiting on them, then lets them all go at once."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

import attrs
import pg_helpers
import pytest
from store_helpers import T0, first_commit, next_commit

from tthc_engine.errors import ConcurrencyError
from tthc_engine.stores.idempotency import request_fingerprint

pytestmark = pytest.mark.postgres
psycopg = pytest.importorskip("psycopg")
THREADS = 4


def _race(store: Any, name: str, ids: list[str], call: Callable[[int], Any]) -> list[Any]:
    """call(i) in THREADS threads, all held at the row locks of `ids` until every one waits there."""
    out: list[Any] = [None] * THREADS

    def run(i: int) -> None:
        try:
            out[i] = call(i)
        except Exception as exc:
            out[i] = exc

    with (
        psycopg.connect(pg_helpers.dsn_or_skip()) as gate,
        psycopg.connect(pg_helpers.dsn_or_skip(), autocommit=True) as watch,
    ):
        gate.execute(f'SET search_path TO "{store.schema}"')
        gate.execute("SELECT 1 FROM dossiers WHERE id = ANY(%s) FOR UPDATE", (ids,))
        threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            row = watch.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE application_name = %s AND wait_event_type = 'Lock'",
                (name,),
            ).fetchone()
            if row and row[0] == THREADS:
                break
            time.sleep(0.01)
        else:
            pytest.fail("the commits never all waited on the row locks")
        gate.rollback()  # let them all go at once
        for t in threads:
            t.join(30)
    return out


def test_one_retried_commit_is_written_once() -> None:
    """The same keyed commit sent by four threads at once: one writes, the others replay it."""
    name = f"tthc-race-{secrets.token_hex(4)}"
    store = pg_helpers.pg_store(pool_size=THREADS, application_name=name)
    d, _ = store.create(lambda seq: first_commit("d1", "N1"), sequence_key="k")
    fp = request_fingerprint("act", "d1", "step", actor="officer-7", at=T0, note=None, data=None)
    commit = attrs.evolve(next_commit(d, key="retry-1"), fingerprint=fp)
    results = _race(store, name, ["d1"], lambda i: store.commit(commit))
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(replayed for _, replayed in results) == [False, True, True, True]
    assert all(r[0] == results[0][0] for r in results)
    assert store.load("d1").version == 2 and len(store.entries("d1")) == 2
    store.close()


def test_one_key_for_different_requests_has_one_winner() -> None:
    """Four different requests (on four dossiers) racing under one key: one is written, the other
    three are refused naming the key, and none of their dossiers changed."""
    name = f"tthc-race-{secrets.token_hex(4)}"
    store = pg_helpers.pg_store(pool_size=THREADS, application_name=name)
    made = [store.create(lambda seq, i=i: first_commit(f"d{i}", f"N{i}"), sequence_key="k")[0]
            for i in range(THREADS)]  # fmt: skip

    def commit(i: int) -> Any:
        fp = request_fingerprint("act", f"d{i}", "step", actor="officer-7", at=T0, note=None, data=None)
        return store.commit(attrs.evolve(next_commit(made[i], key="shared"), fingerprint=fp))

    results = _race(store, name, [d.id for d in made], commit)
    won = [i for i, r in enumerate(results) if isinstance(r, tuple)]
    refused = [r for r in results if isinstance(r, ConcurrencyError)]
    assert len(won) == 1 and results[won[0]][1] is False and len(refused) == THREADS - 1, results
    assert all("'shared'" in str(r) for r in refused)
    assert [store.load(f"d{i}").version for i in range(THREADS)] == [
        2 if i in won else 1 for i in range(THREADS)
    ]
    store.close()
