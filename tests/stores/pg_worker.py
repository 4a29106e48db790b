"""Workers for test_postgres_concurrency.py (a module so that spawned processes can import it).

Each worker is its own process with its own Engine and PostgresStore, acting on dossiers shared with
the others: read the dossier, take the review-loop action its state allows, commit against the
version read; on ConcurrencyError read again and retry. Every few acts it lodges and receives a new
dossier, so numbers are drawn from one sequence by all workers at once.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path
from typing import Any

import tthc_engine as te
from tthc_engine.stores.postgres import PostgresStore

ROOT = Path(__file__).resolve().parents[2]
CODE = "1.001612"
TZ = dt.timezone(dt.timedelta(hours=7))
AT = dt.datetime(2025, 8, 4, 9, 0, tzinfo=TZ)
DESK = te.Actor("desk-1", {"reception"})
DATA = {"household_name": "Hộ kinh doanh Bình An", "business_lines": ["4711"]}
NOTE = "Hoàn thiện hồ sơ"


def engine(dsn: str, schema: str) -> te.Engine:
    return te.Engine(
        te.Catalog.load(ROOT / "procedures"), store=PostgresStore(dsn, schema=schema, pool_size=2)
    )


def prepare(eng: te.Engine, n: int) -> list[str]:
    """`n` dossiers in `processing`, where the review loop starts."""
    ids = []
    for _ in range(n):
        d = eng.submit(CODE, actor=DESK, at=AT, channel="direct", data=DATA)
        eng.act(d.id, "accept", actor=DESK, at=AT)
        eng.act(d.id, "assign", actor=DESK, at=AT)
        ids.append(d.id)
    return ids


def moment(started: float) -> dt.datetime:
    """Wall-clock time since the run started, on the test day: later in every process for an act
    read after another act's commit, so acts never run backwards (TimeOrderError)."""
    return AT + dt.timedelta(seconds=time.time() - started)


def work(
    eng: te.Engine, ids: list[str], worker: int, acts: int, submit_every: int, started: float
) -> dict[str, Any]:
    officer = te.Actor(f"officer-{worker}", {"specialist", "leader"})
    rng = random.Random(worker)
    done: dict[str, int] = {}
    numbers: list[str] = []
    conflicts = 0
    for i in range(acts):
        dossier_id = rng.choice(ids)
        while True:
            d = eng.get(dossier_id)
            name, note = ("submit_for_signature", None) if d.state == "processing" else ("send_back", NOTE)
            try:
                eng.act(
                    dossier_id, name, actor=officer, at=moment(started), note=note, expected_version=d.version
                )
                break
            except te.ConcurrencyError:
                conflicts += 1
        done[dossier_id] = done.get(dossier_id, 0) + 1
        if submit_every and i % submit_every == 0:
            lodged = eng.submit(CODE, actor=DESK, at=AT, channel="direct", data=DATA)
            received = eng.act(lodged.id, "accept", actor=DESK, at=AT)  # the receipt numbers it
            assert received.number is not None
            numbers.append(received.number)
    return {"worker": worker, "done": done, "numbers": numbers, "conflicts": conflicts}


def process_main(
    dsn: str,
    schema: str,
    ids: list[str],
    worker: int,
    plan: tuple[int, int, float],
    barrier: Any,
    results: Any,
) -> None:
    """`plan`: (acts, submit every n-th act, the run's start on the wall clock, shared by all)."""
    acts, submit_every, started = plan
    eng = engine(dsn, schema)
    try:
        barrier.wait(60)
        results.put(work(eng, ids, worker, acts, submit_every, started))
    except Exception as exc:  # the parent fails the test with the text
        results.put({"worker": worker, "error": repr(exc)})
    finally:
        eng.store.close()


def act_until_killed(dsn: str, schema: str, ids: list[str], worker: int, started: float) -> None:
    """Act (and submit) without end: the parent SIGKILLs this process in the middle of it."""
    eng = engine(dsn, schema)
    work(eng, ids, worker, 10**9, 3, started)


def run_load(
    dsn: str, schema: str, processes: int, acts: int, dossiers: int, submit_every: int
) -> dict[str, Any]:
    """`processes` OS processes x `acts` acts on `dossiers` shared dossiers (plus a submit every
    `submit_every` acts), then the checks: final versions and audit lengths add up to the acts done
    (no lost update), every chain verifies, numbers are 1..N with no gap and no repeat. Returns the
    figures (acts, seconds, lost races retried); AssertionError names what did not add up. Used by
    tests/stores/test_postgres_concurrency.py (bounded) and benchmarks/bench_load.py (full size)."""
    import multiprocessing
    from collections import Counter

    eng = engine(dsn, schema)
    ids = prepare(eng, dossiers)
    base = {i: eng.get(i).version for i in ids}
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(processes), ctx.Queue()
    started = time.time()
    plan = (acts, submit_every, started)
    procs = [
        ctx.Process(target=process_main, args=(dsn, schema, ids, w, plan, barrier, results))
        for w in range(processes)
    ]
    for p in procs:
        p.start()
    reports = [results.get(timeout=900) for _ in procs]
    seconds = time.time() - started
    for p in procs:
        p.join(60)
        assert p.exitcode == 0, f"worker exit code {p.exitcode}"
    errors = [r for r in reports if "error" in r]
    assert not errors, errors
    done: Counter[str] = Counter()
    for r in reports:
        done.update(r["done"])
    assert sum(done.values()) == processes * acts
    for dossier_id in ids:
        d = eng.get(dossier_id)
        assert d.version == base[dossier_id] + done[dossier_id], f"lost update on {dossier_id}"
        assert len(eng.history(dossier_id)) == d.audit_count == d.version
        eng.verify(dossier_id)
    numbers = [eng.get(i).number for i in ids] + [n for r in reports for n in r["numbers"]]
    submitted = dossiers + processes * len(range(0, acts, submit_every) if submit_every else ())
    expected = [f"000.01.21.H47-250804-{k:04d}" for k in range(1, submitted + 1)]
    assert sorted(n or "" for n in numbers) == expected, "numbers are not 1..N without gaps"
    eng.store.close()
    return {
        "acts": processes * acts, "submits": submitted - dossiers, "seconds": seconds,
        "conflicts": sum(r["conflicts"] for r in reports),
    }  # fmt: skip
