"""Engine benchmark: in-memory act vs a bare `transitions` trigger, SQLite durable acts/s, memory.

Targets (issue 4): in-memory `act` at most 5x a bare transitions trigger on the same machine shape
(both measured here, in this run, best of several interleaved rounds); SQLite durable acts >= 2,000
per second (WAL + synchronous=NORMAL, see docs/stores.md for what "durable" means); memory per
in-flight dossier in MemoryStore (tracemalloc) printed. Returns non-zero when a target is missed.
"""

from __future__ import annotations

import datetime as dt
import gc
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from transitions import Machine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import tthc_engine as te  # noqa: E402
from tthc_engine.definition import Catalog  # noqa: E402
from tthc_engine.runtime.engine import Engine  # noqa: E402

CODE = "1.001612"  # business household registration: 11 states, 13 actions, budgets, timers
TZ = dt.timezone(dt.timedelta(hours=7))
AT = dt.datetime(2025, 8, 4, 9, 0, tzinfo=TZ)
RECEPTION = te.Actor("desk-1", {"reception"})
OFFICER = te.Actor("officer-1", {"specialist", "leader"})
# The timed part of each dossier's life: a review loop with hand-overs between two budgeted steps.
CYCLE = [("submit_for_signature", None), ("send_back", "Bổ sung căn cứ pháp lý")] * 4
DATA = {"household_name": "Hộ kinh doanh Bình An", "business_lines": ["4711"]}
ROUNDS = 5
DOSSIERS = 400
ACT_RATIO_TARGET = 5.0
SQLITE_TARGET = 2000.0


def _prepared(engine: Engine, n: int) -> list[str]:
    ids = []
    for _ in range(n):
        d = engine.submit(CODE, actor=RECEPTION, at=AT, channel="direct", data=DATA)
        engine.act(d.id, "accept", actor=RECEPTION, at=AT)
        engine.act(d.id, "assign", actor=RECEPTION, at=AT)
        ids.append(d.id)
    return ids


def _time_acts(engine: Engine, ids: list[str]) -> float:
    """Seconds per act over the CYCLE of every dossier."""
    at = AT + dt.timedelta(hours=1)
    act = engine.act
    started = time.perf_counter()
    for dossier_id in ids:
        for name, note in CYCLE:
            act(dossier_id, name, actor=OFFICER, at=at, note=note)
    return (time.perf_counter() - started) / (len(ids) * len(CYCLE))


def _bare_machine(proc: te.Procedure) -> tuple[object, Machine]:
    class Model:
        state: str

    model = Model()
    machine = Machine(
        model=model,
        states=[s.id for s in proc.states],
        transitions=[{"trigger": a.name, "source": list(a.sources), "dest": a.target} for a in proc.actions],
        initial=proc.initial,
        auto_transitions=False,
    )
    return model, machine


def _time_bare(model: object, n: int) -> float:
    """Seconds per bare trigger: set the model's state, trigger the same CYCLE."""
    trigger = model.trigger  # type: ignore[attr-defined]
    started = time.perf_counter()
    for _ in range(n):
        model.state = "processing"  # type: ignore[attr-defined]
        for name, _note in CYCLE:
            trigger(name)
    return (time.perf_counter() - started) / (n * len(CYCLE))


def bench_memory_act(catalog: Catalog, calendar: te.WorkCalendar) -> float:
    engine = Engine(catalog, calendar=calendar, store=te.MemoryStore())
    proc = catalog.in_force(CODE, AT.date())
    model, _machine = _bare_machine(proc)
    _time_acts(engine, _prepared(engine, 50))  # warm-up
    _time_bare(model, 500)
    best_act, best_bare = float("inf"), float("inf")
    for _ in range(ROUNDS):
        ids = _prepared(engine, DOSSIERS)
        gc.collect()
        best_bare = min(best_bare, _time_bare(model, DOSSIERS))
        best_act = min(best_act, _time_acts(engine, ids))
    ratio = best_act / best_bare
    print(f"bare transitions trigger : {best_bare * 1e6:8.2f} µs")
    print(f"engine.act (MemoryStore) : {best_act * 1e6:8.2f} µs   (incl. role, audit hash, step budget)")
    ok = ratio <= ACT_RATIO_TARGET
    verdict = "OK" if ok else "MISSED"
    print(f"ratio act / trigger      : {ratio:8.2f} x   target <= {ACT_RATIO_TARGET:g} x  {verdict}")
    return ratio


def bench_sqlite(catalog: Catalog, calendar: te.WorkCalendar) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        store = te.SQLiteStore(Path(tmp) / "bench.db")
        engine = Engine(catalog, calendar=calendar, store=store)
        ids = _prepared(engine, 300)
        best = float("inf")
        for i in range(3):
            best = min(best, _time_acts(engine, ids[i * 100 : (i + 1) * 100]))
        store.close()
    rate = 1 / best
    ok = rate >= SQLITE_TARGET
    print(
        f"SQLiteStore durable acts : {rate:8.0f} /s   (WAL, synchronous=NORMAL, one transaction per act) "
        f"target >= {SQLITE_TARGET:g}  {'OK' if ok else 'MISSED'}"
    )
    return rate


def bench_memory_per_dossier(catalog: Catalog, calendar: te.WorkCalendar, n: int = 2000) -> float:
    engine = Engine(catalog, calendar=calendar, store=te.MemoryStore())
    _prepared(engine, 10)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    ids = _prepared(engine, n)
    for dossier_id in ids:
        engine.act(dossier_id, "submit_for_signature", actor=OFFICER, at=AT)
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    size = sum(s.size_diff for s in after.compare_to(before, "filename")) - sys.getsizeof(ids)
    per = size / n
    print(f"memory per dossier       : {per / 1024:8.1f} KiB (MemoryStore, 4 acts + 4 audit entries each)")
    return per


def main() -> int:
    catalog = Catalog.load(ROOT / "procedures")
    calendar = te.WorkCalendar.vietnam()
    ratio = bench_memory_act(catalog, calendar)
    rate = bench_sqlite(catalog, calendar)
    bench_memory_per_dossier(catalog, calendar)
    return 0 if ratio <= ACT_RATIO_TARGET and rate >= SQLITE_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
