"""Races on one SQLite dossier: several threads and several spawned processes; one winner per race."""

from __future__ import annotations

import multiprocessing
import queue
import threading
from collections import Counter
from pathlib import Path

import concurrency_worker as cw
import pytest

import tthc_engine as te

ROUNDS = 6


def _check(
    results: list[tuple[int, int, str]], workers: int, eng: te.Engine, dossier_id: str, base: int
) -> None:
    assert len(results) == ROUNDS * workers
    errors = [r for r in results if r[2].startswith("error")]
    assert not errors
    wins = Counter(r for r, _, outcome in results if outcome == "won")
    assert all(wins[r] == 1 for r in range(ROUNDS)), wins
    d = eng.get(dossier_id)
    assert d.version == base + ROUNDS
    assert len(eng.history(dossier_id)) == d.audit_count == base + ROUNDS
    eng.verify(dossier_id)


def test_threads_race_on_one_dossier(tmp_path: Path) -> None:
    """Four threads on one engine: exactly one act wins each race; the chain verifies."""
    db = str(tmp_path / "threads.db")
    dossier_id = cw.prepare(db)
    eng = cw.engine(db)
    base = eng.get(dossier_id).version
    workers = 4
    barrier = threading.Barrier(workers)
    results: queue.Queue[tuple[int, int, str]] = queue.Queue()
    threads = [
        threading.Thread(target=cw.race, args=(eng, dossier_id, w, ROUNDS, barrier, results))
        for w in range(workers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    _check([results.get() for _ in range(results.qsize())], workers, eng, dossier_id, base)


@pytest.mark.slow
def test_processes_race_on_one_dossier(tmp_path: Path) -> None:
    """Three spawned processes, each with its own engine and connection: one winner per race."""
    db = str(tmp_path / "procs.db")
    dossier_id = cw.prepare(db)
    eng = cw.engine(db)
    base = eng.get(dossier_id).version
    ctx = multiprocessing.get_context("spawn")
    workers = 3
    barrier = ctx.Barrier(workers)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=cw.process_main, args=(db, dossier_id, w, ROUNDS, barrier, results))
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    collected = [results.get(timeout=120) for _ in range(ROUNDS * workers)]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    _check(collected, workers, eng, dossier_id, base)


def test_concurrent_receipts_get_unique_sequential_numbers(tmp_path: Path) -> None:
    """Lodgement references and national numbers are allocated inside the store transaction that
    lodges or receives the dossier: unique and gap-free under threads."""
    db = str(tmp_path / "numbers.db")
    eng = cw.engine(db)
    numbers: list[str | None] = []
    references: list[str | None] = []
    lock = threading.Lock()

    def submit_many() -> None:
        for _ in range(10):
            d = eng.submit(cw.CODE, actor=cw.DESK, at=cw.AT, channel="direct")
            d = eng.act(d.id, "accept", actor=cw.DESK, at=cw.AT)
            with lock:
                numbers.append(d.number)
                references.append(d.reference)

    threads = [threading.Thread(target=submit_many) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(numbers) == [f"000.01.21.H47-250804-{i:04d}" for i in range(1, 41)]  # type: ignore[type-var]
    assert sorted(references) == [f"NOP-250804-{i:06d}" for i in range(1, 41)]  # type: ignore[type-var]
