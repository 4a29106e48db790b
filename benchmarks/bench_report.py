"""Report benchmark: `Engine.report` over many dossiers in SQLite vs one hand-written GROUP BY of the
same table, in the same run; and the peak memory of a process that runs the reports.

- Store: a real `te.SQLiteStore(path)` in a temporary directory (the library's own schema). TEMPLATES
  dossier lives (every way a one-stop dossier can go: resolved early / on time / late, supplemented
  once or twice, paused, closed, refused, withdrawn, rescheduled, in progress, declined, lodged) are
  driven through an `Engine` on it, so `report_spans` holds genuine spans written by the engine.
  Those spans are then replicated in bulk with one INSERT … SELECT per batch (a recursive CTE of
  replica numbers): each replica a new dossier id, its moments shifted by whole weeks across more
  than a year (the fixed-width UTC text re-formatted by SQLite's strftime, the fraction kept),
  its receiving agency one of AGENCIES (a few without one, as the lives have), its procedure one of
  the shipped catalog's (code, version). Dossiers: TTHC_BENCH_REPORT_DOSSIERS (default 200,000;
  TTHC_BENCH_FULL=1: 1,000,000, the size of the issue). Only report_spans is filled in bulk: a
  report reads nothing else.
- ours: `engine.report(start, end)` (totals only), `group_by="agency"` and `group_by="field"` over
  the nine months [2025-01-01, 2025-10-01) (Asia/Ho_Chi_Minh): the store's tally (SQLite: the one
  query of sql_tally.tally, split into cells and processing-time histogram), the merge into
  columns and groups with the catalog. `store.tally(period, "agency")` alone is printed too.
- floor: ONE hand-written `SELECT receiving_agency, count(*) FROM report_spans WHERE <the span
  holding at the end> AND <counted in the period> GROUP BY receiving_agency` on a raw sqlite3
  connection to the same file (default pragmas). EXPLAIN QUERY PLAN of both is printed.
Best of RUNS calls after one warm-up call each, interleaved. Target (the issue): every report within
3x of the floor.
- memory: peak RSS (VmHWM on Linux, else ru_maxrss: see _CHILD) of a fresh interpreter that imports
  tthc_engine, loads the catalog, opens the store and runs the three reports, against a baseline
  interpreter that does the same without the reports. Target: growth < 100 MB (the database file
  size is printed beside it).

`main()` returns non-zero when a target is missed.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import tthc_engine as te  # noqa: E402
from tthc_engine.stores import sql_tally  # noqa: E402
from tthc_engine.stores.base import utc_key  # noqa: E402
from tthc_engine.stores.tally import Period  # noqa: E402

VN = dt.timezone(dt.timedelta(hours=7))
ALL = te.Actor("cb-1", {"reception", "specialist", "leader"})
HOUSEHOLD = "1.001612"  # 3 working days, district, full online service
MARRIAGE = "1.000894"  # same day, commune, partial online service
TEMPLATES = 400  # dossier lives driven through the engine
LIVES_START = dt.datetime(2025, 8, 4, tzinfo=VN)  # a Monday, in the 2025.07 version's period
LIVES_DAYS = 28
SHIFT_WEEKS = range(-40, 13)  # replicas lodged from late 2024 to late 2025
AGENCIES = 30
NO_AGENCY = 50  # one replica in NO_AGENCY has no receiving agency
PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 10, 1))  # nine months
RUNS = 5
RATIO_TARGET = 3.0
RSS_TARGET_MB = 100.0
BATCH = 50  # replicas per INSERT … SELECT

Data = Callable[[te.Dossier], Mapping[str, Any]]


def _approve(d: te.Dossier) -> Mapping[str, Any]:
    return {"household_registration_number": f"HKD-{d.id[:6]}"}


def _later(d: te.Dossier) -> Mapping[str, Any]:
    assert d.due_at is not None
    return {"new_appointment": (d.due_at + dt.timedelta(days=3)).isoformat()}


Script = list[tuple[str, str | None, Data | None]]
_PROCESS: Script = [("assign", None, None), ("submit_for_signature", None, None), ("approve", None, _approve)]
_SUPPLEMENT: Script = [("request_supplement", "Thiếu bản sao", None)]
# fmt: off
SCRIPTS: dict[str, Script] = {
    "resolved": [("accept", None, None), *_PROCESS, ("return_result", None, None)],
    "result_ready": [("accept", None, None), *_PROCESS],
    "supplemented": [("accept", None, None), *_SUPPLEMENT, ("supplement", None, None), *_PROCESS,
                     ("return_result", None, None)],
    "twice": [
        ("accept", None, None), *_SUPPLEMENT, ("supplement", None, None), ("assign", None, None),
        *_SUPPLEMENT, ("supplement", None, None), *_PROCESS,
    ],
    "paused": [("accept", None, None), *_SUPPLEMENT],
    "closed": [("accept", None, None), *_SUPPLEMENT, ("close_no_supplement", "Không bổ sung", None)],
    "refused": [("accept", None, None), ("assign", None, None), ("refuse", "Không đủ điều kiện", None)],
    "withdrawn": [("accept", None, None), ("assign", None, None), ("withdraw", "Rút hồ sơ", None)],
    "rescheduled": [
        ("accept", None, None), ("assign", None, None), ("reschedule", "Xin lỗi", _later),
        ("submit_for_signature", None, None), ("approve", None, _approve), ("return_result", None, None),
    ],
    "in_progress": [("accept", None, None), ("assign", None, None)],
    "declined": [("decline", "Không thuộc thẩm quyền", None)],
    "lodged": [],
}
# fmt: on
# how often each script is drawn: most dossiers are resolved
WEIGHTS = {"resolved": 10, "rescheduled": 2, "supplemented": 3, "twice": 1, "in_progress": 3}


def drive_lives(engine: te.Engine, rng: random.Random, n: int) -> None:
    """`n` dossier lives of both procedures and every channel, gaps of 5 minutes to 3 days, so that
    some finish early, some on time, some late."""
    names = sorted(SCRIPTS)
    weights = [WEIGHTS.get(name, 1) for name in names]
    data = {"household_name": "Hộ Bình An", "business_lines": ["4711"], "spouse_a_name": "A",
            "spouse_b_name": "B"}  # fmt: skip
    for _ in range(n):
        script = rng.choices(names, weights)[0]
        code = rng.choice((HOUSEHOLD, MARRIAGE))
        channel = rng.choice(("direct", "direct", "online", "postal"))
        agency = rng.choice(("000.21.21.H47", "000.22.21.H47", None))
        at = LIVES_START + dt.timedelta(days=rng.randrange(LIVES_DAYS), hours=rng.choice((1, 2, 3, 6, 7, 8)))
        d = engine.submit(code, actor=ALL, at=at, channel=channel, data=data)
        for action, note, make in SCRIPTS[script]:
            at += dt.timedelta(minutes=rng.choice((5, 30, 90, 240, 1440, 2880, 4320)))
            extra = None if make is None else dict(make(d))
            d = engine.act(d.id, action, actor=ALL, at=at, note=note, data=extra, agency=agency)


def _shifted(column: str) -> str:
    """`column` (fixed-width UTC text or NULL) moved by r.days days, its fraction and zone kept."""
    return f"strftime('%Y-%m-%dT%H:%M:%S', substr(s.{column}, 1, 19), r.days) || substr(s.{column}, 20)"


def _replicate_sql() -> str:
    shifted = {c: _shifted(c) for c in ("since", "until", "received_at", "due_at", "appointment_at",
                                        "finished_at")}  # fmt: skip
    agency = (
        f"CASE WHEN (r.n * 7 + t.i) % {NO_AGENCY} = 0 THEN NULL "
        f"ELSE printf('000.%02d.21.H47', (r.n * 13 + t.i) % {AGENCIES}) END"
    )
    return f"""
WITH RECURSIVE g(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM g WHERE n + 1 < ?),
r AS (SELECT n, printf('%+d days', ((n * 7919) % {len(SHIFT_WEEKS)} + ({SHIFT_WEEKS.start})) * 7) AS days
      FROM g)
INSERT INTO report_spans (dossier_id, since, until, received_at, procedure_code, procedure_version,
    receiving_agency, channel, kind, cell, appointment, due_at, appointment_at, finished_at, outcome,
    worked_minutes, supplement_requests)
SELECT s.dossier_id || '-' || r.n, {shifted["since"]}, {shifted["until"]}, {shifted["received_at"]},
    p.code, p.version, {agency}, s.channel, s.kind, s.cell, s.appointment, {shifted["due_at"]},
    {shifted["appointment_at"]}, {shifted["finished_at"]}, s.outcome, s.worked_minutes,
    s.supplement_requests
FROM r JOIN bench_templates AS t JOIN bench_spans AS s ON s.dossier_id = t.dossier_id
JOIN bench_procedures AS p ON p.i = (r.n * 3 + t.i) % (SELECT count(*) FROM bench_procedures)
"""


def fill(path: Path, dossiers: int) -> int:
    """Drive the template lives through an Engine on a SQLiteStore at `path`, then replicate their
    spans up to `dossiers` dossiers; the number of dossiers with spans."""
    catalog = te.Catalog.load(ROOT / "procedures")
    store = te.SQLiteStore(path, synchronous="NORMAL")
    started = time.perf_counter()
    try:
        engine = te.Engine(catalog, calendar=te.WorkCalendar.vietnam(), store=store)
        drive_lives(engine, random.Random(20250804), TEMPLATES)
    finally:
        store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        row = conn.execute("SELECT count(*), count(DISTINCT dossier_id) FROM report_spans").fetchone()
        genuine, with_spans = int(row[0]), int(row[1])
        print(f"drove {TEMPLATES} dossier lives through Engine(SQLiteStore): {genuine} genuine spans of "
              f"{with_spans} dossiers in {time.perf_counter() - started:.1f}s")  # fmt: skip
        conn.execute("CREATE TEMP TABLE bench_templates (i INTEGER PRIMARY KEY, dossier_id TEXT)")
        conn.execute("INSERT INTO bench_templates (dossier_id) SELECT DISTINCT dossier_id FROM report_spans")
        # the genuine spans, read by every batch (not the growing table: it has no index of every row)
        conn.execute("CREATE TEMP TABLE bench_spans AS SELECT * FROM report_spans")
        conn.execute("CREATE INDEX temp.bench_spans_dossier ON bench_spans (dossier_id)")
        conn.execute("CREATE TEMP TABLE bench_procedures (i INTEGER PRIMARY KEY, code TEXT, version TEXT)")
        procs = sorted((p.code, p.version) for p in catalog)
        conn.executemany(
            "INSERT INTO bench_procedures VALUES (?, ?, ?)", [(i, *p) for i, p in enumerate(procs)]
        )
        replicas = -(-dossiers // with_spans)
        started = time.perf_counter()
        sql = _replicate_sql()
        conn.execute("BEGIN")
        for first in range(1, replicas, BATCH):
            conn.execute(sql, (first, min(first + BATCH, replicas)))
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        print(f"replicated them {replicas - 1:,} times over {len(procs)} procedure versions, {AGENCIES} "
              f"agencies, {len(SHIFT_WEEKS)} weeks in {time.perf_counter() - started:.1f}s")  # fmt: skip
        return with_spans * replicas
    finally:
        conn.close()


FLOOR = (
    "SELECT receiving_agency, count(*) FROM report_spans WHERE since < ? AND (until IS NULL OR until >= ?) "
    "AND received_at < ? AND (finished_at IS NULL OR finished_at >= ?) GROUP BY receiving_agency"
)


def _bounds() -> tuple[dt.datetime, dt.datetime]:
    start, end = PERIOD
    return dt.datetime.combine(start, dt.time(0), VN), dt.datetime.combine(end, dt.time(0), VN)


def _best(calls: Mapping[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Best seconds of each call over `runs` interleaved rounds, after one warm-up call each."""
    for call in calls.values():
        call()
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(runs):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def measure(path: Path) -> int:
    catalog = te.Catalog.load(ROOT / "procedures")
    store = te.SQLiteStore(path)
    raw = sqlite3.connect(path)
    try:
        engine = te.Engine(catalog, calendar=te.WorkCalendar.vietnam(), store=store)
        start, end = _bounds()
        period = Period(start, end)
        s, e = utc_key(start), utc_key(end)
        floor_params = (e, e, e, s)
        total = engine.report(*PERIOD).totals
        floor_rows = raw.execute(FLOOR, floor_params).fetchall()
        counted = sum(n for _, n in floor_rows)
        print(f"period [{PERIOD[0]}, {PERIOD[1]}): {total.total:,} dossiers counted ({total.carried_over:,} "
              f"carried over, {total.received:,} received; {total.early + total.on_time + total.late:,} "
              f"resolved, {total.within + total.overdue:,} in progress); floor counts {counted:,} in "
              f"{len(floor_rows)} agency groups")  # fmt: skip
        ok = counted == total.total
        if not ok:
            print("MISMATCH: the report and the floor count different dossiers")
        calls: dict[str, Callable[[], object]] = {
            "report (totals)": lambda: engine.report(*PERIOD),
            "report group_by=agency": lambda: engine.report(*PERIOD, group_by="agency"),
            "report group_by=field": lambda: engine.report(*PERIOD, group_by="field"),
            "floor GROUP BY": lambda: raw.execute(FLOOR, floor_params).fetchall(),
            "store.tally(agency)": lambda: store.tally(period, "agency"),
        }
        tally_sql, tally_params = sql_tally.tally(period, "agency", "?", utc_key)
        plans = (("floor", FLOOR, floor_params), ("tally", tally_sql, tally_params))
        for name, sql, params in plans:
            plan = "; ".join(str(r[3]) for r in raw.execute("EXPLAIN QUERY PLAN " + sql, params))
            print(f"EXPLAIN QUERY PLAN {name}: {plan}")
        best = _best(calls, RUNS)
        floor = best["floor GROUP BY"]
        print(f"floor: one hand-written GROUP BY receiving_agency: {floor * 1e3:.1f} ms")
        for name, seconds in best.items():
            if name.startswith("report"):
                ratio = seconds / floor
                ok &= ratio <= RATIO_TARGET
                print(f"{name}: {seconds * 1e3:.1f} ms; /floor = {ratio:.2f} (target <= {RATIO_TARGET:g})")
        tally = best["store.tally(agency)"]
        print(f"of which the store's tally (sql_tally.tally, rows split and sorted) by agency: "
              f"{tally * 1e3:.1f} ms; /floor = {tally / floor:.2f} (printed)")  # fmt: skip
        return 0 if ok else 1
    finally:
        raw.close()
        store.close()


# run in a fresh interpreter: the peak RSS of opening the store (and running the reports). On Linux the
# peak is VmHWM of /proc/self/status, the high-water mark of this process's own memory: ru_maxrss is
# carried over exec from the forking parent (the kernel keeps the larger of the two), so a child of this
# benchmark would report at least the benchmark's own RSS. ru_maxrss (KiB) elsewhere.
_CHILD = """
import resource, sys
sys.path.insert(0, {src!r})
import tthc_engine as te
engine = te.Engine(te.Catalog.load({procedures!r}), calendar=te.WorkCalendar.vietnam(),
                   store=te.SQLiteStore({path!r}))
engine.store.find_number("none")  # a read on the open connection
if {reports!r}:
    for group_by in (None, "agency", "field"):
        engine.report({start!r}, {end!r}, group_by=group_by)
try:
    with open("/proc/self/status") as status:
        print(next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")))
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak_kib(path: Path, reports: bool) -> int:
    code = _CHILD.format(src=str(ROOT / "src"), procedures=str(ROOT / "procedures"), path=str(path),
                         reports=reports, start=PERIOD[0].isoformat(), end=PERIOD[1].isoformat())  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return int(out.stdout.split()[-1])


def memory(path: Path) -> int:
    size_mb = path.stat().st_size / 2**20
    base = _peak_kib(path, reports=False)
    peak = _peak_kib(path, reports=True)
    growth = (peak - base) / 1024
    print(f"peak RSS: {peak / 1024:.1f} MB running the three reports, {base / 1024:.1f} MB opening the "
          f"store only; growth {growth:.1f} MB (target < {RSS_TARGET_MB:g}); "
          f"database file {size_mb:.1f} MB")  # fmt: skip
    return 0 if growth < RSS_TARGET_MB else 1


def main() -> int:
    default = 1_000_000 if os.environ.get("TTHC_BENCH_FULL") else 200_000
    wanted = int(os.environ.get("TTHC_BENCH_REPORT_DOSSIERS", default))
    with tempfile.TemporaryDirectory(prefix="tthc-bench-report-") as tmp:
        path = Path(tmp) / "report.sqlite"
        dossiers = fill(path, wanted)
        conn = sqlite3.connect(path)
        try:
            rows, ids = conn.execute(
                "SELECT count(*), count(DISTINCT dossier_id) FROM report_spans"
            ).fetchone()
        finally:
            conn.close()
        size_mb = path.stat().st_size / 2**20
        print(f"N = {ids:,} dossiers (asked {wanted:,}, {dossiers:,} planned): {rows:,} report_spans rows "
              f"({rows / ids:.2f} a dossier); database file {size_mb:.1f} MB")  # fmt: skip
        rc = measure(path)
        rc |= memory(path)
        return rc


if __name__ == "__main__":
    sys.exit(main())
