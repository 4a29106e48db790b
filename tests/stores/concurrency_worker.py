"""Race participants for test_sqlite_concurrency.py (a module so that spawned processes can import it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import tthc_engine as te

ROOT = Path(__file__).resolve().parents[2]
CODE = "1.001612"
TZ = dt.timezone(dt.timedelta(hours=7))
AT = dt.datetime(2025, 8, 4, 9, 0, tzinfo=TZ)
DESK = te.Actor("desk-1", {"reception"})
ROUND_ACTIONS = [("submit_for_signature", None), ("send_back", "Hoàn thiện hồ sơ")]


def engine(db: str) -> te.Engine:
    return te.Engine(te.Catalog.load(ROOT / "procedures"), store=te.SQLiteStore(db))


def prepare(db: str) -> str:
    eng = engine(db)
    d = eng.submit(
        CODE, actor=DESK, at=AT, channel="direct", data={"household_name": "A", "business_lines": ["x"]}
    )
    eng.act(d.id, "accept", actor=DESK, at=AT)
    eng.act(d.id, "assign", actor=DESK, at=AT)
    return d.id


def race(eng: te.Engine, dossier_id: str, worker: int, rounds: int, barrier: Any, results: Any) -> None:
    """Every round: all workers read the same version, then all try the same action against it."""
    officer = te.Actor(f"officer-{worker}", {"specialist", "leader"})
    for r in range(rounds):
        barrier.wait()
        version = eng.get(dossier_id).version
        name, note = ROUND_ACTIONS[r % 2]
        barrier.wait()
        try:
            eng.act(dossier_id, name, actor=officer, at=AT + dt.timedelta(minutes=r + 1), note=note,
                    expected_version=version)  # fmt: skip
            results.put((r, worker, "won"))
        except te.ConcurrencyError:
            results.put((r, worker, "lost"))
        except Exception as exc:  # anything else fails the test with its text
            results.put((r, worker, f"error: {exc!r}"))
        barrier.wait()


def process_main(db: str, dossier_id: str, worker: int, rounds: int, barrier: Any, results: Any) -> None:
    race(engine(db), dossier_id, worker, rounds, barrier, results)
