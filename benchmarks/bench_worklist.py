"""Worklist benchmark: `Engine.worklist` on many PostgreSQL dossiers vs a bare indexed SELECT of the
same rows, on the same server, in the same run.

- Rows: TTHC_BENCH_WORKLIST_ROWS dossiers (default 100,000; TTHC_BENCH_FULL=1 for 1,000,000, the
  size issue 9 names), spread over every (procedure, state) pair of procedures/, one in five closed,
  one in twenty open ones assigned to one of 50 officers; each body a real record (a 1.001612
  dossier in processing) with its own id. Filled by one INSERT … SELECT generate_series, ANALYZEd.
- engine: `engine.worklist(officer, now=…)`, first page of 50: the scope from the catalog (cached
  per role set), one query of one branch per (procedure, state) merged by PostgreSQL, the records
  (parsed once, then recognised by their text), the marks on the working calendar.
- bare: one psycopg connection, `SELECT id, body FROM dossiers WHERE id = ANY(%s)` of the same 50
  ids (primary-key index), rows fetched, nothing parsed.
Medians of 30 calls after 3 warm-up calls. Target (issue 9): EXPLAIN shows no sequential scan and
engine/bare <= 5. `main()` returns non-zero when a target is missed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import tthc_engine as te  # noqa: E402
from tthc_engine.audit.canonical import canonical_json  # noqa: E402
from tthc_engine.runtime.worklist import scope_pairs  # noqa: E402
from tthc_engine.stores import sql_queries  # noqa: E402
from tthc_engine.stores.queries import WorkScope  # noqa: E402

ENV = ("TTHC_BENCH_POSTGRES_DSN", "TTHC_TEST_POSTGRES_DSN")
TZ = dt.timezone(dt.timedelta(hours=7))
AT = dt.datetime(2025, 8, 4, 9, 0, tzinfo=TZ)
OFFICER = te.Actor("cv-7", {"specialist", "leader"})
RATIO_TARGET = 5.0
FILL = """
INSERT INTO dossiers (id, number, reference, receiving_agency, procedure_code, procedure_version, state,
    version, channel, agency, submitted_at, received_at, due_at, finished_at, next_check_at, body,
    outcome, assignee, due_key)
SELECT 'd' || g, 'N-' || g, 'R-' || g, 'A' || (g %% 7), p.code, '2025.07', p.state, 1, 'direct',
    'A' || (g %% 7), t, t, t + interval '10 days', NULL, t + interval '9 days',
    replace(%(body)s, %(id)s, '"id":"d' || g || '"'),
    CASE WHEN g %% 5 = 0 THEN 'resolved' END, CASE WHEN g %% 20 = 1 THEN 'cv-' || (g %% 50) END,
    t + interval '10 days'
FROM generate_series(1, %(rows)s) AS g
JOIN (SELECT row_number() OVER () - 1 AS n, code, state FROM unnest(%(codes)s::text[], %(states)s::text[])
      AS u(code, state)) AS p ON p.n = g %% %(pairs)s,
LATERAL (SELECT %(t0)s::timestamptz + (g %% 20000) * interval '1 minute' AS t) AS m
"""


def _template() -> tuple[str, str]:
    """A real record's stored text and the `"id":…` part to replace per row."""
    eng = te.Engine(te.Catalog.load(ROOT / "procedures"))
    desk = te.Actor("desk-1", {"reception"})
    d = eng.submit("1.001612", actor=desk, at=AT, channel="direct",
                   data={"household_name": "Hộ kinh doanh Bình An", "business_lines": ["4711"]})  # fmt: skip
    eng.act(d.id, "accept", actor=desk, at=AT)
    d = eng.act(d.id, "assign", actor=desk, at=AT)
    body = canonical_json(d.to_dict())
    part = f'"id":{json.dumps(d.id)}'
    assert body.count(part) == 1
    return body, part


def _median(call: object, n: int = 30) -> float:
    assert callable(call)
    for _ in range(3):
        call()
    times = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(dsn: str, rows: int) -> int:
    import psycopg

    schema = f"tthc_bench_worklist_{secrets.token_hex(3)}"
    catalog = te.Catalog.load(ROOT / "procedures")
    store = te.PostgresStore(dsn, schema=schema, pool_size=2)
    conn = psycopg.connect(dsn, autocommit=True)
    try:
        conn.execute(f'SET search_path TO "{schema}"')
        every = sorted({(p.code, s.id) for p in catalog for s in p.states})
        body, part = _template()
        started = time.perf_counter()
        conn.execute(FILL, {"body": body, "id": part, "rows": rows, "pairs": len(every), "t0": AT,
                            "codes": [c for c, _ in every], "states": [s for _, s in every]})  # fmt: skip
        conn.execute("ANALYZE dossiers")
        print(f"filled {rows:,} dossiers over {len(every)} (procedure, state) pairs "
              f"in {time.perf_counter() - started:.1f}s")  # fmt: skip
        engine = te.Engine(catalog, store=store)
        now = AT + dt.timedelta(days=5)
        page = engine.worklist(OFFICER, now=now)
        ids = [i.dossier.id for i in page.items]
        pairs = scope_pairs(catalog, OFFICER.roles)
        text, params = sql_queries.worklist(WorkScope(pairs, OFFICER.id), None, 50, "%s", lambda v: v)
        plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + text, params).fetchall())
        seq = "Seq Scan" in plan
        print(f"worklist of {OFFICER.id} ({len(pairs)} (procedure, state) branches): {len(ids)} rows; "
              f"EXPLAIN: {'SEQUENTIAL SCAN' if seq else 'no sequential scan'}")  # fmt: skip
        ours = _median(lambda: engine.worklist(OFFICER, now=now))
        by_id = "SELECT id, body FROM dossiers WHERE id = ANY(%s)"
        bare = _median(lambda: conn.execute(by_id, (ids,)).fetchall())
        query = _median(lambda: conn.execute(text, params).fetchall())
        ratio = ours / bare
        print(f"engine.worklist: {ours * 1e3:.2f} ms; "
              f"the same SQL planned on every call: {query * 1e3:.2f} ms; "
              f"bare SELECT of the same {len(ids)} rows by id: {bare * 1e3:.2f} ms; "
              f"engine/bare = {ratio:.2f} (target <= {RATIO_TARGET:g})")  # fmt: skip
        return 1 if seq or ratio > RATIO_TARGET else 0
    finally:
        store.close()
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


def main() -> int:
    dsn = next((os.environ[name] for name in ENV if os.environ.get(name)), None)
    if dsn is None:
        print("worklist benchmark skipped: set TTHC_BENCH_POSTGRES_DSN (or TTHC_TEST_POSTGRES_DSN)")
        return 0
    default = 1_000_000 if os.environ.get("TTHC_BENCH_FULL") else 100_000
    rows = int(os.environ.get("TTHC_BENCH_WORKLIST_ROWS", default))
    try:
        return run(dsn, rows)
    except ImportError as exc:
        print(f"worklist benchmark skipped: {exc}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
