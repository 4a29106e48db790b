"""SQLiteStore's queries, claims and incidents (docs/stores.md): SQL on the typed columns of schema
version 4, never a scan of record bodies. Claims take SQLite's write lock (BEGIN IMMEDIATE), so two
processes claiming at once take turns and never get the same dossier; a lease is a `claim_until`
moment on this host's clock (the processes sharing a SQLite file share the machine)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence
from typing import TypeVar

from tthc_engine.errors import StoreError
from tthc_engine.records import Dossier
from tthc_engine.stores import outbox as ob
from tthc_engine.stores import sql_queries, sql_tally
from tthc_engine.stores.base import utc_key
from tthc_engine.stores.queries import Cursor, Filter, Group, Incident, Order, Page, WorkScope, backoff
from tthc_engine.stores.tally import Period, Tally, TallyKey, tally_of

T = TypeVar("T")


def _moment(value: dt.datetime) -> object:
    return utc_key(value)


def _parse_key(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SQLiteQueries:
    """The query half of SQLiteStore (which provides the connection, the lock and the record cache)."""

    path: str
    outbox: bool

    def _conn(self) -> sqlite3.Connection:
        raise NotImplementedError

    def _begin(self, conn: sqlite3.Connection) -> None:
        raise NotImplementedError

    def _read(self, sql: str, params: tuple[object, ...]) -> sqlite3.Cursor:
        raise NotImplementedError

    def _record(self, dossier_id: str, body: str) -> Dossier:
        raise NotImplementedError

    def _page(self, query: sql_queries.Query, order: Order, limit: int) -> Page:
        rows = self._read(*query).fetchall()
        items = tuple(self._record(i, body) for i, body in rows[:limit])
        more = len(rows) > limit and items
        return Page(items, Cursor.after_row(items[-1], order) if more else None)

    def tally(self, period: Period, key: TallyKey | None = None) -> Tally:
        return tally_of(*sql_tally.split(self._read(*sql_tally.tally(period, key, "?", _moment)).fetchall()))

    def find_number(self, number: str) -> Dossier | None:
        row = self._read("SELECT id, body FROM dossiers WHERE number = ?", (number,)).fetchone()
        return None if row is None else self._record(row[0], row[1])

    def find_reference(self, reference: str) -> Dossier | None:
        row = self._read("SELECT id, body FROM dossiers WHERE reference = ?", (reference,)).fetchone()
        return None if row is None else self._record(row[0], row[1])

    def worklist(self, scope: WorkScope, *, after: Cursor | None = None, limit: int = 50) -> Page:
        return self._page(sql_queries.worklist(scope, after, limit, "?", _moment), "due", limit)

    def dossiers(
        self, where: Filter, *, order: Order = "due", after: Cursor | None = None, limit: int = 50
    ) -> Page:
        return self._page(sql_queries.listing(where, order, after, limit, "?", _moment), order, limit)

    def count(self, where: Filter) -> int:
        return int(self._read(*sql_queries.count(where, "?", _moment)).fetchone()[0])

    def count_by(self, group: Group, where: Filter) -> dict[str | None, int]:
        rows = self._read(*sql_queries.count_by(group, where, "?", _moment)).fetchall()
        return {value: int(n) for value, n in rows}

    # --- claims and incidents ---

    def _locked(self, work: str, body: Callable[[sqlite3.Connection], T]) -> T:
        """`body` in one write transaction (BEGIN IMMEDIATE … COMMIT; ROLLBACK when it raises)."""
        conn = self._conn()
        self._begin(conn)
        try:
            result = body(conn)
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise StoreError(f"{self.path}: could not {work}: {exc}") from exc
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return result

    def claim_due(self, at: dt.datetime, worker: str, *, lease: dt.timedelta, limit: int = 500) -> list[str]:
        now = _now()

        def claim(conn: sqlite3.Connection) -> list[str]:
            ids = [r[0] for r in conn.execute(
                "SELECT id FROM dossiers WHERE next_check_at IS NOT NULL AND next_check_at <= ? "
                "AND (claim_until IS NULL OR claim_until <= ?) ORDER BY next_check_at, id LIMIT ?",
                (utc_key(at), utc_key(now), limit),
            )]  # fmt: skip
            conn.executemany(
                "UPDATE dossiers SET claimed_by = ?, claim_until = ? WHERE id = ?",
                [(worker, utc_key(now + lease), i) for i in ids],
            )
            return ids

        return self._locked(f"claim due dossiers for worker {worker!r}", claim)

    def release(self, worker: str, ids: Sequence[str]) -> None:
        if not ids:
            return
        marks = ", ".join("?" * len(ids))

        def release(conn: sqlite3.Connection) -> None:
            conn.execute(
                "UPDATE dossiers SET claimed_by = NULL, claim_until = NULL "
                f"WHERE claimed_by = ? AND id IN ({marks})",
                (worker, *ids),
            )
            conn.execute(f"DELETE FROM sweep_incidents WHERE dossier_id IN ({marks})", tuple(ids))

        self._locked(f"release the claims of worker {worker!r}", release)

    def record_failure(self, dossier_id: str, worker: str, reason: str) -> Incident:
        now = _now()

        def record(conn: sqlite3.Connection) -> Incident:
            row = conn.execute(
                "SELECT failures, first_at FROM sweep_incidents WHERE dossier_id = ?", (dossier_id,)
            ).fetchone()
            failures = 1 if row is None else int(row[0]) + 1
            first = now if row is None else _parse_key(row[1])
            incident = Incident(dossier_id, first, now, failures, reason, worker, now + backoff(failures))
            conn.execute(
                "INSERT OR REPLACE INTO sweep_incidents (dossier_id, first_at, last_at, failures, reason, "
                "worker, retry_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (dossier_id, utc_key(first), utc_key(now), failures, reason, worker,
                 utc_key(incident.retry_at)),
            )  # fmt: skip
            conn.execute(
                "UPDATE dossiers SET claimed_by = ?, claim_until = ? WHERE id = ?",
                (worker, utc_key(incident.retry_at), dossier_id),
            )
            return incident

        return self._locked(f"record the sweep failure of dossier {dossier_id!r}", record)

    def incidents(self, *, limit: int = 100) -> list[Incident]:
        rows = self._read(
            "SELECT dossier_id, first_at, last_at, failures, reason, worker, retry_at FROM sweep_incidents "
            "ORDER BY failures DESC, dossier_id LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            Incident(i, _parse_key(f), _parse_key(last), int(n), reason, worker, _parse_key(retry))
            for i, f, last, n, reason, worker, retry in rows
        ]

    def incident_count(self) -> int:
        return int(self._read("SELECT count(*) FROM sweep_incidents", ()).fetchone()[0])

    # --- the outbox (stores/outbox.py): claims take the write lock like the sweep's ---

    def claim_events(self, worker: str, *, lease: dt.timedelta, limit: int = 100) -> list[ob.OutboxEvent]:
        if not self.outbox:
            raise ob.disabled(self.path)
        ob.check_claim(lease, limit)
        now = _now()

        def claim(conn: sqlite3.Connection) -> list[ob.OutboxEvent]:
            found = conn.execute(
                "SELECT position, dossier_id, sequence, kind, event, at, payload, attempts FROM outbox AS o "
                "WHERE NOT EXISTS (SELECT 1 FROM outbox AS h WHERE h.dossier_id = o.dossier_id "
                "AND h.claim_until IS NOT NULL AND h.claim_until > ?) ORDER BY position LIMIT ?",
                (utc_key(now), limit),
            ).fetchall()
            conn.executemany(
                "UPDATE outbox SET claimed_by = ?, claim_until = ?, attempts = attempts + 1 "
                "WHERE position = ?",
                [(worker, utc_key(now + lease), r[0]) for r in found],
            )
            return [
                ob.OutboxEvent(i, int(n), kind, event, _parse_key(at), payload, int(attempts) + 1)
                for _, i, n, kind, event, at, payload, attempts in found
            ]

        return self._locked(f"claim outbox events for worker {worker!r}", claim)

    def ack_events(self, worker: str, ids: Sequence[str]) -> int:
        if not self.outbox:
            raise ob.disabled(self.path)
        keys = list(dict.fromkeys(ob.split_id(i) for i in ids))
        if not keys:
            return 0

        def ack(conn: sqlite3.Connection) -> int:
            cursor = conn.executemany(
                "DELETE FROM outbox WHERE dossier_id = ? AND claim_until IS NOT NULL AND sequence = ? "
                "AND claimed_by = ?",
                [(i, n, worker) for i, n in keys],
            )
            return int(cursor.rowcount)

        return self._locked(f"acknowledge outbox events of worker {worker!r}", ack)

    def outbox_backlog(self) -> int:
        if not self.outbox:
            raise ob.disabled(self.path)
        return int(self._read("SELECT count(*) FROM outbox", ()).fetchone()[0])
