"""Load: several OS processes acting on shared dossiers in one PostgreSQL (issue "PostgreSQL: many
processes, one truth"): 8 processes x 500 acts on 200 shared dossiers with `TTHC_BENCH_FULL=1`
(default 4 x 200 on 50, so a default run stays short), each also lodging and receiving a dossier every
10 acts. Checked after the run: zero lost updates (final versions and audit lengths add up to the
acts done), every chain verifies, national numbers unique and gap-free; printed: acts per second
through the engine and the lost races each worker retried (ConcurrencyError, then read again).

The workers are the ones the bounded test uses (tests/stores/pg_worker.py), so the benchmark and the
test exercise the same code. The server is TTHC_BENCH_POSTGRES_DSN, else TTHC_TEST_POSTGRES_DSN; each
run uses a fresh schema, dropped afterwards. Without a server it skips (exit 0) and says how to run it.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "stores"))  # the workers, importable by spawned children

ENV = ("TTHC_BENCH_POSTGRES_DSN", "TTHC_TEST_POSTGRES_DSN")
FULL = os.environ.get("TTHC_BENCH_FULL") == "1"
PROCESSES, ACTS, DOSSIERS = (8, 500, 200) if FULL else (4, 200, 50)
SUBMIT_EVERY = 10


def main() -> int:
    dsn = next((os.environ[name] for name in ENV if os.environ.get(name)), None)
    if dsn is None:
        print("load benchmark skipped: set TTHC_BENCH_POSTGRES_DSN (or TTHC_TEST_POSTGRES_DSN), e.g. "
              "postgresql://postgres@127.0.0.1:5432/test")  # fmt: skip
        return 0
    import pg_worker
    import psycopg
    from psycopg import sql

    schema = f"tthc_bench_load_{secrets.token_hex(4)}"
    try:
        figures = pg_worker.run_load(dsn, schema, PROCESSES, ACTS, DOSSIERS, SUBMIT_EVERY)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
    writes = figures["acts"] + 2 * figures["submits"]
    print(f"{PROCESSES} processes x {ACTS} acts on {DOSSIERS} shared dossiers (+ {figures['submits']} "
          f"lodged and received): {figures['seconds']:.1f} s, {writes / figures['seconds']:.0f} committed "
          f"changes/s, {figures['conflicts']} lost races retried")  # fmt: skip
    print(
        "checked: no lost update (versions and audit lengths add up), every chain verifies, "
        "numbers unique and gap-free"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
