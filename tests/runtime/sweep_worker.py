"""Sweep workers for test_sweep_workers.py (a module, so that spawned processes can import it).

Each worker is its own process with its own Engine and store (PostgreSQL schema or SQLite file) and
sweeps the shared dossiers in small batches until nothing is left to claim.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from typing import Any

from factories import DESK, at, catalog

import tthc_engine as te

DUE = at("2025-03-03 08:00")  # processing from then: due Thu 6 Mar 17:00
SWEEP_AT = at("2025-03-10 08:00")  # overdue by then


def store(kind: str, where: str) -> te.Store:
    if kind == "sqlite":
        return te.SQLiteStore(where)
    from tthc_engine.stores.postgres import PostgresStore

    dsn, schema = where.split("|")
    return PostgresStore(dsn, schema=schema, pool_size=2)


def _checked(data: Any) -> bool:
    return bool(data.get("checked"))


def engine(kind: str, where: str) -> te.Engine:
    return te.Engine(catalog(), store=store(kind, where), guards={"documents_checked": _checked})


def prepare(eng: te.Engine, n: int) -> list[str]:
    ids = []
    for _ in range(n):
        d = eng.submit("9.999001", actor=DESK, at=DUE, channel="direct")
        eng.act(d.id, "accept", actor=DESK, at=DUE)
        ids.append(eng.act(d.id, "assign", actor=DESK, at=DUE).id)
    return ids


def sweep_until_done(eng: te.Engine, worker: str, lease: dt.timedelta) -> dict[str, Any]:
    overdue: list[str] = []
    conflicts = 0
    while True:
        report = eng.sweep(SWEEP_AT, limit=3, worker=worker, lease=lease)
        overdue += report.overdue
        conflicts += report.conflicts
        if report.examined == 0:
            return {"worker": worker, "overdue": overdue, "conflicts": conflicts}


def process_main(kind: str, where: str, worker: str, barrier: Any, results: Any) -> None:
    try:
        eng = engine(kind, where)
        eng.subscribe("overdue", lambda _event: time.sleep(0.02))  # some work per dossier, so that
        barrier.wait(60)  # one fast worker cannot finish the lot before the others start
        results.put(sweep_until_done(eng, worker, dt.timedelta(minutes=5)))
        eng.store.close()
    except BaseException as exc:  # report instead of dying silently
        results.put({"worker": worker, "error": repr(exc)})


def die_mid_sweep(kind: str, where: str, ready: Any) -> None:
    """Claim a batch of 5 with a 5 s lease, commit one decision, then get SIGKILLed."""
    eng = engine(kind, where)

    def killed(_event: te.Event) -> None:
        ready.set()
        os.kill(os.getpid(), signal.SIGKILL)

    eng.subscribe("overdue", killed)
    eng.sweep(SWEEP_AT, limit=5, worker="doomed", lease=dt.timedelta(seconds=5))
