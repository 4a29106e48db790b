"""PostgresStore's queries, claims and incidents (docs/stores.md): SQL on the typed columns and
partial indexes of schema versions 1–2, never a read of every row.

Claims: one statement selects the due rows no live lease holds, `FOR UPDATE SKIP LOCKED` (a worker
claiming at the same moment skips the rows this one is taking instead of waiting for them), and
stamps them with the worker and a lease on the server's clock (`now()`: one clock for every worker
machine). A worker that dies holds its rows until the lease ends; its half-done work does not exist,
because each decision is its own committed act.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from tthc_engine.records import Dossier
from tthc_engine.stores import outbox as ob
from tthc_engine.stores import sql_queries, sql_tally
from tthc_engine.stores.base import Commit
from tthc_engine.stores.pg_boundary import Tx
from tthc_engine.stores.queries import Cursor, Filter, Group, Incident, Order, Page, WorkScope
from tthc_engine.stores.tally import Period, Tally, TallyKey, tally_of

_CLAIM = (
    "WITH c AS (SELECT id FROM dossiers WHERE next_check_at IS NOT NULL AND next_check_at <= %s "
    "AND (claim_until IS NULL OR claim_until <= now()) ORDER BY next_check_at, id LIMIT %s "
    "FOR UPDATE SKIP LOCKED) "
    "UPDATE dossiers AS d SET claimed_by = %s, claim_until = now() + %s FROM c WHERE d.id = c.id "
    "RETURNING d.id, d.next_check_at"
)
_RELEASE = (
    "WITH r AS (UPDATE dossiers SET claimed_by = NULL, claim_until = NULL "
    "WHERE claimed_by = %s AND id = ANY(%s)) "
    "DELETE FROM sweep_incidents WHERE dossier_id = ANY(%s) RETURNING dossier_id"
)
_INCIDENT_COLUMNS = "dossier_id, first_at, last_at, failures, reason, worker, retry_at"
_FAILURE = (
    "WITH i AS (INSERT INTO sweep_incidents AS s (dossier_id, first_at, last_at, failures, reason, worker, "
    "retry_at) VALUES (%s, now(), now(), 1, %s, %s, now() + interval '1 minute') "
    "ON CONFLICT (dossier_id) DO UPDATE SET last_at = now(), failures = s.failures + 1, "
    "reason = excluded.reason, worker = excluded.worker, "
    "retry_at = now() + least(60, power(2, s.failures)) * interval '1 minute' "
    f"RETURNING {_INCIDENT_COLUMNS}), "
    "c AS (UPDATE dossiers SET claimed_by = %s, claim_until = (SELECT retry_at FROM i) WHERE id = %s) "
    f"SELECT {_INCIDENT_COLUMNS} FROM i"
)


# outbox claims take turns on one advisory lock per schema (held to the end of the short claiming
# transaction): with SKIP LOCKED alone, a claim running beside another could not see the other's
# uncommitted leases and could hand out the next event of a dossier whose earlier one it is taking
_OUTBOX_LOCK = "SELECT pg_advisory_xact_lock(hashtext('tthc_engine.outbox:' || current_schema()))"
_CLAIM_EVENTS = (
    "WITH c AS (SELECT position FROM outbox AS o WHERE NOT EXISTS (SELECT 1 FROM outbox AS h "
    "WHERE h.dossier_id = o.dossier_id AND h.claim_until IS NOT NULL AND h.claim_until > now()) "
    "ORDER BY position LIMIT %s) "
    "UPDATE outbox AS x SET claimed_by = %s, claim_until = now() + %s, attempts = x.attempts + 1 "
    "FROM c WHERE x.position = c.position "
    "RETURNING x.position, x.dossier_id, x.sequence, x.kind, x.event, x.at, x.payload, x.attempts"
)
_ACK_EVENTS = (
    "WITH a AS (DELETE FROM outbox WHERE claimed_by = %s AND claim_until IS NOT NULL "
    "AND (dossier_id, sequence) IN (SELECT * FROM unnest(%s::text[], %s::integer[])) RETURNING 1) "
    "SELECT count(*) FROM a"
)


def pg_moment(value: dt.datetime) -> object:
    """A moment as PostgreSQL takes it: psycopg adapts an aware datetime to timestamptz."""
    return value


def _incident(row: tuple[Any, ...]) -> Incident:
    dossier_id, first, last, failures, reason, worker, retry = row
    return Incident(str(dossier_id), first, last, int(failures), str(reason), str(worker), retry)


class PgQueries:
    """The query half of PostgresStore (which provides `_rows`: one statement, errors translated)."""

    outbox: bool
    where: str

    def _rows(self, doing: str, query: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _record(self, dossier_id: str, body: str) -> Dossier:
        raise NotImplementedError

    def _page(self, doing: str, query: sql_queries.Query, order: Order, limit: int) -> Page:
        rows = self._rows(doing, *query)
        items = tuple(self._record(i, body) for i, body in rows[:limit])
        more = len(rows) > limit and items
        return Page(items, Cursor.after_row(items[-1], order) if more else None)

    def find_number(self, number: str) -> Dossier | None:
        rows = self._rows(f"find dossier number {number!r}",
                          "SELECT id, body FROM dossiers WHERE number = %s", (number,))  # fmt: skip
        return self._record(rows[0][0], rows[0][1]) if rows else None

    def find_reference(self, reference: str) -> Dossier | None:
        rows = self._rows(f"find lodgement reference {reference!r}",
                          "SELECT id, body FROM dossiers WHERE reference = %s", (reference,))  # fmt: skip
        return self._record(rows[0][0], rows[0][1]) if rows else None

    def _transaction(self, doing: str, commit: Commit | None = None) -> AbstractContextManager[Tx]:
        raise NotImplementedError

    def _generic(self, doing: str, query: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        """A read run as a prepared statement with its generic plan (planned once per connection;
        the plan does not depend on the parameter values, e.g. the worklist's merge of branches)."""
        with self._transaction(doing) as tx:
            conn = tx.connection
            conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            return conn.execute(query, params, prepare=True).fetchall()

    def worklist(self, scope: WorkScope, *, after: Cursor | None = None, limit: int = 50) -> Page:
        """One branch per (procedure, state), merged in due order (docs/stores.md, EXPLAIN). Planning
        tens of branches costs more than running them, so the statement is prepared on the
        connection and run with its generic plan (`_generic`): planned once per connection."""
        text, params = sql_queries.worklist(scope, after, limit, "%s", pg_moment)
        rows = self._generic(f"read the worklist of {scope.actor_id!r}", text, params)
        items = tuple(self._record(i, body) for i, body in rows[:limit])
        more = len(rows) > limit and items
        return Page(items, Cursor.after_row(items[-1], "due") if more else None)

    def dossiers(
        self, where: Filter, *, order: Order = "due", after: Cursor | None = None, limit: int = 50
    ) -> Page:
        query = sql_queries.listing(where, order, after, limit, "%s", pg_moment)
        return self._page("list dossiers", query, order, limit)

    def count(self, where: Filter) -> int:
        return int(self._rows("count dossiers", *sql_queries.count(where, "%s", pg_moment))[0][0])

    def count_by(self, group: Group, where: Filter) -> dict[str | None, int]:
        rows = self._rows(f"count dossiers by {group}", *sql_queries.count_by(group, where, "%s", pg_moment))
        return {value: int(n) for value, n in rows}

    # --- claims and incidents ---

    def tally(self, period: Period, key: TallyKey | None = None) -> Tally:
        doing = f"tally the period {period.start.isoformat()} – {period.end.isoformat()}"
        return tally_of(*sql_tally.split(self._rows(doing, *sql_tally.tally(period, key, "%s", pg_moment))))

    def claim_due(self, at: dt.datetime, worker: str, *, lease: dt.timedelta, limit: int = 500) -> list[str]:
        rows = self._rows(f"claim due dossiers for worker {worker!r}", _CLAIM, (at, limit, worker, lease))
        return [str(i) for i, _ in sorted(rows, key=lambda r: (r[1], r[0]))]

    def release(self, worker: str, ids: Sequence[str]) -> None:
        if ids:
            self._rows(f"release the claims of worker {worker!r}", _RELEASE, (worker, list(ids), list(ids)))

    def record_failure(self, dossier_id: str, worker: str, reason: str) -> Incident:
        rows = self._rows(f"record the sweep failure of dossier {dossier_id!r}", _FAILURE,
                          (dossier_id, reason, worker, worker, dossier_id))  # fmt: skip
        return _incident(rows[0])

    def incidents(self, *, limit: int = 100) -> list[Incident]:
        rows = self._rows("list sweep incidents", f"SELECT {_INCIDENT_COLUMNS} FROM sweep_incidents "
                          "ORDER BY failures DESC, dossier_id LIMIT %s", (limit,))  # fmt: skip
        return [_incident(r) for r in rows]

    def incident_count(self) -> int:
        return int(self._rows("count sweep incidents", "SELECT count(*) FROM sweep_incidents", ())[0][0])

    # --- the outbox (stores/outbox.py) ---

    def claim_events(self, worker: str, *, lease: dt.timedelta, limit: int = 100) -> list[ob.OutboxEvent]:
        if not self.outbox:
            raise ob.disabled(self.where)
        ob.check_claim(lease, limit)
        with self._transaction(f"claim outbox events for worker {worker!r}") as tx:
            tx.connection.execute(_OUTBOX_LOCK)
            rows = tx.connection.execute(_CLAIM_EVENTS, (limit, worker, lease)).fetchall()
        return [
            ob.OutboxEvent(str(i), int(n), str(kind), str(event), at, str(payload), int(attempts))
            for _, i, n, kind, event, at, payload, attempts in sorted(rows, key=lambda r: int(r[0]))
        ]

    def ack_events(self, worker: str, ids: Sequence[str]) -> int:
        if not self.outbox:
            raise ob.disabled(self.where)
        keys = list(dict.fromkeys(ob.split_id(i) for i in ids))
        if not keys:
            return 0
        rows = self._rows(f"acknowledge outbox events of worker {worker!r}", _ACK_EVENTS,
                          (worker, [k[0] for k in keys], [k[1] for k in keys]))  # fmt: skip
        return int(rows[0][0])

    def outbox_backlog(self) -> int:
        if not self.outbox:
            raise ob.disabled(self.where)
        return int(self._rows("count the outbox backlog", "SELECT count(*) FROM outbox", ())[0][0])
