"""Sweeps on several OS processes sharing one store (PostgreSQL and SQLite; bounded for CI: 4
processes on 24 dossiers): each due dossier is handled by exactly one worker, none twice, no
conflicts; a worker SIGKILLed mid-sweep leaves only whole acts, and its claims expire."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sweep_worker

PROCESSES = 4
DOSSIERS = 24
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "stores"))
import pg_helpers  # noqa: E402


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    if request.param == "sqlite":
        yield "sqlite", str(tmp_path / "sweep.db")
    else:
        dsn = pg_helpers.dsn_or_skip()
        schema = f"{pg_helpers.RUN}_sweep_{len(request.node.name)}_{time.monotonic_ns()}"
        yield "postgres", f"{dsn}|{schema}"
        import psycopg

        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _check(where: tuple[str, str], ids: list[str]) -> None:
    eng = sweep_worker.engine(*where)
    for i in ids:
        kinds = [e.kind for e in eng.history(i)]
        assert kinds.count("overdue") == 1, (i, kinds)
        eng.verify(i)
    assert eng.store.incident_count() == 0
    eng.store.close()


def test_each_due_dossier_is_swept_by_exactly_one_worker(where: tuple[str, str]) -> None:
    eng = sweep_worker.engine(*where)
    ids = sweep_worker.prepare(eng, DOSSIERS)
    eng.store.close()
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    procs = [
        ctx.Process(target=sweep_worker.process_main, args=(*where, f"w{n}", barrier, results))
        for n in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    reports = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(30)
    assert not [r for r in reports if "error" in r], reports
    handled = [i for r in reports for i in r["overdue"]]
    assert sorted(handled) == sorted(ids)  # every one, none twice
    assert sum(r["conflicts"] for r in reports) == 0  # claims, not races, shared the work
    assert sum(1 for r in reports if r["overdue"]) >= 2  # the work really was shared
    _check(where, ids)


def test_a_killed_worker_leaves_whole_acts_and_its_claims_expire(where: tuple[str, str]) -> None:
    eng = sweep_worker.engine(*where)
    ids = sweep_worker.prepare(eng, 8)
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    doomed = ctx.Process(target=sweep_worker.die_mid_sweep, args=(*where, ready))
    doomed.start()
    doomed.join(60)
    assert ready.is_set() and doomed.exitcode == -9
    killed_at = time.monotonic()
    first = eng.sweep(sweep_worker.SWEEP_AT, worker="survivor")
    # the dead worker claimed 5 and finished 1; unless its 5 s lease already ran out on a slow
    # machine, the survivor gets only the 3 it never claimed
    if time.monotonic() - killed_at < 2.0:
        assert len(first.overdue) == 3
        assert eng.sweep(sweep_worker.SWEEP_AT, worker="survivor").examined == 0  # still claimed
    time.sleep(max(0.0, 5.3 - (time.monotonic() - killed_at)))
    rest = eng.sweep(sweep_worker.SWEEP_AT, worker="survivor", lease=dt.timedelta(minutes=1))
    assert len(first.overdue) + len(rest.overdue) == 7
    eng.store.close()
    _check(where, ids)
