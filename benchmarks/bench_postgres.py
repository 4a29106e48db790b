"""PostgreSQL benchmark: durable acts per second through Engine + PostgresStore vs a raw psycopg
transaction of the same shape, on the same server, in the same run.

Public API only (`import tthc_engine as te`, plus `te.PostgresStore`). Procedure 1.001612, the review
loop (submit_for_signature / send_back with a note) on BATCH dossiers per round, as in
bench_engine.py's SQLite part. The server is the one in TTHC_BENCH_POSTGRES_DSN, else
TTHC_TEST_POSTGRES_DSN; without either the benchmark says how to run it and passes.

- engine: `engine.act(...)` on a PostgresStore (pool of 1): read the dossier, plan the act, one
  transaction (UPDATE the row WHERE id AND version, INSERT the audit entry, COMMIT), durable at the
  server's settings (synchronous_commit as configured: printed).
- raw: one psycopg connection, per act: UPDATE dossiers SET (the same columns) WHERE id = … AND
  version = …, INSERT one audit row, COMMIT — writing the engine's own stored texts (a dossier body
  and an audit entry of median size, copied from its rows: same bytes, same TOAST compression),
  into tables made by the same migrations (same indexes), in a schema of their own.
Best of ROUNDS interleaved rounds after one warm-up round. Target: engine/raw >= 0.50.
Then the same with te.PostgresStore(..., outbox=True) (each act also writes its outbox event in the
same statement: stores/outbox.py) against the same raw transaction: printed, not gating.
`main()` returns non-zero when the target is missed (or an act fails).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import tthc_engine as te  # noqa: E402

CODE = "1.001612"
TZ = dt.timezone(dt.timedelta(hours=7))
DAY = dt.datetime(2025, 8, 4, 9, 0, tzinfo=TZ)
RECEPTION = te.Actor("desk-1", {"reception"})
OFFICER = te.Actor("officer-1", {"specialist", "leader"})
DATA = {"household_name": "Hộ kinh doanh Bình An", "business_lines": ["4711"]}
NOTE = "Bổ sung căn cứ pháp lý"
CYCLE = (("submit_for_signature", None), ("send_back", NOTE)) * 2
BATCH = 100  # dossiers per round; each runs CYCLE
ROUNDS = 5
RATIO_TARGET = 0.50
ENV = ("TTHC_BENCH_POSTGRES_DSN", "TTHC_TEST_POSTGRES_DSN")
RAW_UPDATE = (
    "UPDATE dossiers SET state = %s, version = %s, channel = %s, agency = %s, received_at = %s, "
    "due_at = %s, finished_at = %s, next_check_at = %s, body = %s, outcome = %s, assignee = %s, "
    "due_key = %s WHERE id = %s AND version = %s"
)  # the typed columns the engine's UPDATE writes (schema 2: outcome, assignee, due_key too)
RAW_ENTRY = "INSERT INTO audit_entries (dossier_id, sequence, hash, body) VALUES (%s, %s, %s, %s)"


def _engine_batch(engine: te.Engine, ids: list[str], clock: list[dt.datetime]) -> float:
    """Seconds per act of CYCLE over `ids`; `clock` moves forward one second per act."""
    act, at, step = engine.act, clock[0], dt.timedelta(seconds=1)
    started = time.perf_counter()
    for dossier_id in ids:
        for name, note in CYCLE:
            at += step
            act(dossier_id, name, actor=OFFICER, at=at, note=note)
    elapsed = time.perf_counter() - started
    clock[0] = at
    return elapsed / (len(ids) * len(CYCLE))


def _raw_batch(conn: Any, ids: list[str], versions: dict[str, int], body: str, entry: str) -> float:
    """Seconds per raw transaction: as many transactions as the engine batch, the same shape."""
    execute, commit = conn.execute, conn.commit
    states = ("pending_approval", "processing")
    due, check = DAY + dt.timedelta(days=5), DAY + dt.timedelta(days=4)
    started = time.perf_counter()
    for dossier_id in ids:
        for k in range(len(CYCLE)):
            version = versions[dossier_id]
            row = (states[k % 2], version + 1, "direct", "agency", DAY, due, None, check, body)
            row += (None, None, due)  # outcome, assignee, due_key
            cursor = execute(RAW_UPDATE, (*row, dossier_id, version))
            if cursor.rowcount != 1:
                conn.rollback()
                raise RuntimeError(f"raw update of {dossier_id} at version {version} matched no row")
            execute(RAW_ENTRY, (dossier_id, version + 1, "0" * 64, entry))
            commit()
            versions[dossier_id] = version + 1
    return (time.perf_counter() - started) / (len(ids) * len(CYCLE))


def _samples(conn: Any, schema: str, ids: list[str], after: int) -> tuple[str, str]:
    """A stored dossier body and audit entry body of the engine's (after sequence `after`) of the
    median size among `ids`: the raw side writes the same text, so TOAST compression costs the same."""
    conn.execute(f'SET search_path TO "{schema}"')
    bodies = conn.execute("SELECT body FROM dossiers WHERE id = ANY(%s)", (ids,)).fetchall()
    entries = conn.execute(
        "SELECT body FROM audit_entries WHERE dossier_id = ANY(%s) AND sequence > %s", (ids, after)
    ).fetchall()
    conn.commit()

    def median(rows: list[Any]) -> str:
        texts = sorted((r[0] for r in rows), key=len)
        return str(texts[len(texts) // 2])

    return median(bodies), median(entries) if entries else median(bodies)[:800]


def run(dsn: str, outbox: bool = False) -> float:
    import psycopg

    from tthc_engine.stores import pg_migrations

    tag = secrets.token_hex(3)
    engine_schema, raw_schema = f"tthc_bench_engine_{tag}", f"tthc_bench_raw_{tag}"
    catalog, calendar = te.Catalog.load(ROOT / "procedures"), te.WorkCalendar.vietnam()
    store = te.PostgresStore(dsn, schema=engine_schema, pool_size=1, outbox=outbox)
    raw = psycopg.connect(dsn)
    try:
        engine = te.Engine(catalog, calendar=calendar, store=store)
        ids: list[str] = []
        for _ in range(BATCH * (ROUNDS + 1)):  # one batch for the warm-up
            d = engine.submit(CODE, actor=RECEPTION, at=DAY, channel="direct", data=DATA)
            engine.act(d.id, "accept", actor=RECEPTION, at=DAY + dt.timedelta(minutes=1))
            engine.act(d.id, "assign", actor=RECEPTION, at=DAY + dt.timedelta(minutes=2))
            ids.append(d.id)
        prepared = len(engine.history(ids[0]))

        pg_migrations.upgrade(dsn, schema=raw_schema)
        filler, filler_entry = _samples(raw, engine_schema, ids, 0)
        raw.execute(f'SET search_path TO "{raw_schema}"')
        with raw.cursor() as cur:
            cur.executemany(
                "INSERT INTO dossiers (id, number, procedure_code, procedure_version, state, version, "
                "channel, agency, submitted_at, received_at, due_at, next_check_at, body, due_key) "
                "VALUES (%s, %s, %s, '2025.07', 'processing', %s, 'direct', 'agency', "
                "%s, %s, %s, %s, %s, %s)",
                [(i, f"raw-{n}", CODE, prepared, DAY, DAY, DAY, DAY, filler, DAY) for n, i in enumerate(ids)],
            )
            cur.executemany(
                RAW_ENTRY, [(i, s, "0" * 64, filler_entry) for i in ids for s in range(1, prepared + 1)]
            )
        raw.commit()
        versions = dict.fromkeys(ids, prepared)
        sync = raw.execute("SHOW synchronous_commit").fetchone()
        raw.commit()

        clock = [DAY + dt.timedelta(hours=1)]
        best_engine = best_raw = float("inf")
        for r in range(ROUNDS + 1):
            batch = ids[r * BATCH : (r + 1) * BATCH]
            gc.collect()
            engine_s = _engine_batch(engine, batch, clock)
            body, entry = _samples(raw, engine_schema, batch, prepared)
            raw.execute(f'SET search_path TO "{raw_schema}"')
            gc.collect()
            raw_s = _raw_batch(raw, batch, versions, body, entry)
            if r:  # round 0 warms up
                best_engine, best_raw = min(best_engine, engine_s), min(best_raw, raw_s)
        engine_rate, raw_rate = 1 / best_engine, 1 / best_raw
        ratio = engine_rate / raw_rate
        print(
            f"{store.where.split(', schema')[0]} (synchronous_commit={sync[0] if sync else '?'})"
            f"{', outbox on' if outbox else ''}: "
            f"review loop, {BATCH} dossiers x {len(CYCLE)} acts per round, best of {ROUNDS}; "
            f"the engine's stored texts rewritten raw: {len(body.encode())} B dossier, "
            f"{len(entry.encode())} B audit entry"
        )
        print(f"{'engine acts/s':>13} | {'raw tx/s':>10} | {'engine/raw':>10} |")
        print(
            f"{engine_rate:13.0f} | {raw_rate:10.0f} | {ratio:10.2f} | target >= {RATIO_TARGET:.2f}  "
            f"{'OK' if ratio >= RATIO_TARGET else 'MISSED'}{' (not gating)' if outbox else ''}"
        )
        return ratio
    finally:
        store.close()
        raw.rollback()
        for schema in (engine_schema, raw_schema):
            raw.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        raw.commit()
        raw.close()


def main() -> int:
    dsn = next((os.environ[name] for name in ENV if os.environ.get(name)), None)
    if dsn is None:
        print(
            "PostgreSQL benchmark skipped: set TTHC_BENCH_POSTGRES_DSN (or TTHC_TEST_POSTGRES_DSN), e.g. "
            "postgresql://postgres@127.0.0.1:5432/test, and pip install -e '.[postgres]'"
        )
        return 0
    try:
        ratio = run(dsn)
        run(dsn, outbox=True)
    except ImportError as exc:
        print(f"PostgreSQL benchmark skipped: {exc}")
        return 0
    except (te.TthcError, RuntimeError) as exc:
        print(f"PostgreSQL benchmark FAILED {type(exc).__name__}: {exc}")
        return 1
    return 0 if ratio >= RATIO_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
