"""The desk's queries on PostgreSQL are answered from their indexes: EXPLAIN on 30,000 synthetic
dossiers (after ANALYZE, the planner left free) shows no sequential scan for the worklist, the
personal inbox, the look-ups by number and reference and a page in receipt order."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pg_helpers
import pytest

from tthc_engine.stores import sql_queries
from tthc_engine.stores.queries import Cursor, Filter, WorkScope

pytestmark = pytest.mark.postgres
psycopg = pytest.importorskip("psycopg")
ROWS = 30_000
T0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

# 10 procedures x 8 states; states 6-7 are final; 1 in 20 open dossiers assigned to one of 50 officers
FILL = """
INSERT INTO dossiers (id, number, reference, receiving_agency, procedure_code, procedure_version, state,
    version, channel, agency, submitted_at, received_at, due_at, finished_at, next_check_at, body,
    outcome, assignee, due_key)
SELECT 'd' || g, 'N-' || g, 'R-' || g, 'A' || (g %% 7), '1.00' || (g %% 10), '2025.01', 's' || (g %% 8), 1,
    'direct', 'A' || (g %% 7), t, t, t + interval '10 days', NULL, t + interval '9 days', '{}',
    CASE WHEN g %% 8 >= 6 THEN 'resolved' END,
    CASE WHEN g %% 20 = 0 THEN 'cv-' || (g %% 50) END, t + interval '10 days'
FROM generate_series(1, %s) AS g, LATERAL (SELECT %s::timestamptz + g * interval '1 minute' AS t) AS m
"""


@pytest.fixture(scope="module")
def conn() -> Any:
    store = pg_helpers.pg_store()
    schema = store.schema
    store.close()
    with psycopg.connect(pg_helpers.dsn_or_skip(), autocommit=True) as c:
        c.execute(f'SET search_path TO "{schema}"')
        c.execute(FILL, (ROWS, T0))
        c.execute("ANALYZE dossiers")
        yield c


def _plan(conn: Any, query: sql_queries.Query) -> str:
    text, params = query
    return "\n".join(r[0] for r in conn.execute("EXPLAIN " + text, params).fetchall())


def _ph(value: dt.datetime) -> object:
    return value


SCOPE = WorkScope(tuple((f"1.00{p}", f"s{s}") for p in range(3) for s in (1, 2)), "cv-10")


@pytest.mark.parametrize("after", [None, Cursor(T0 + dt.timedelta(days=15), "d9000")], ids=["first", "next"])
def test_worklist_reads_the_work_index(conn: Any, after: Cursor | None) -> None:
    plan = _plan(conn, sql_queries.worklist(SCOPE, after, 50, "%s", _ph))
    assert "Seq Scan" not in plan, plan
    assert "dossiers_work" in plan, plan


def test_inbox_reads_the_assignee_index(conn: Any) -> None:
    scope = WorkScope(SCOPE.pairs, "cv-10", assigned_only=True)
    plan = _plan(conn, sql_queries.worklist(scope, None, 50, "%s", _ph))
    assert "Seq Scan" not in plan and "dossiers_assignee" in plan, plan


def test_lookups_and_received_pages_use_indexes(conn: Any) -> None:
    for query in (
        ("SELECT id, body FROM dossiers WHERE number = %s", ("N-77",)),
        ("SELECT id, body FROM dossiers WHERE reference = %s", ("R-77",)),
        sql_queries.listing(Filter(), "received", None, 50, "%s", _ph),
        sql_queries.listing(Filter(), "due", Cursor(T0 + dt.timedelta(days=12), "d1"), 50, "%s", _ph),
    ):
        plan = _plan(conn, query)
        assert "Seq Scan" not in plan, plan
