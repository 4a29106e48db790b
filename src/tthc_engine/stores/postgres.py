"""PostgresStore: many host processes on several machines sharing one PostgreSQL (psycopg 3 + pool).

Why it is built this way (docs/stores.md, "PostgreSQL"):

- One act = one transaction on one pooled connection: BEGIN; the idempotency check (with a key);
  one statement that UPDATEs the row WHERE id = … AND version = … (the optimistic check) and, only
  if that matched, INSERTs the audit entries and the key; COMMIT. READ COMMITTED is enough because no
  decision rests on a plain read: a racing writer of the same dossier waits on the row lock, then
  re-reads the row, finds the version moved, matches nothing and gets ConcurrencyError; a racing
  use of one idempotency key meets the key's primary key.
- Dossier numbers: one row per sequence key, incremented by INSERT … ON CONFLICT DO UPDATE …
  RETURNING inside the creating transaction. The row lock makes creators of one key take turns and a
  rollback hands the number back, so numbers are unique and gap-free (a SEQUENCE would leave gaps).
- Records and audit entries are canonical JSON in `text` columns, not `jsonb`: an audit entry must be
  read back exactly as it was written so that verification sees any edit, jsonb rewrites the text
  (key order, spacing, duplicate keys, number forms) and costs a parse on every write, and the
  queries a desk runs use the typed, indexed columns beside the body, never the body itself. As in
  SQLiteStore, a read parses a record only when its text differs from the text last seen.
- psycopg and pool errors become this library's errors at one boundary (pg_boundary.py): each message
  says what failed, where (user@host:port/db and schema; never the password) and what to do. A
  connection found dead at BEGIN or at a read (the server restarted, an idle connection was killed)
  is replaced and the call goes on; a write interrupted after BEGIN is rolled back and reported,
  never retried behind the caller's back.

A PostgresStore (and its pool) belongs to one process: create it after forking a worker.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import Any

from tthc_engine.audit.canonical import canonical_json
from tthc_engine.audit.entry import AuditEntry
from tthc_engine.errors import ConcurrencyError, ConfigurationError, StoreError, UnknownDossier
from tthc_engine.records import Dossier
from tthc_engine.stores import outbox as ob
from tthc_engine.stores import pg_migrations, sql_tally
from tthc_engine.stores import rows as stored
from tthc_engine.stores.base import Commit
from tthc_engine.stores.idempotency import check_reuse
from tthc_engine.stores.migrations import check_known
from tthc_engine.stores.pg_boundary import (
    KeyTaken,
    PgConnection,
    Tx,
    boundary,
    connect,
    connect_options,
    describe_dsn,
    psycopg,
    psycopg_pool,
    sql,
)
from tthc_engine.stores.pg_queries import PgQueries, pg_moment
from tthc_engine.stores.queries import agency_of, due_key
from tthc_engine.stores.tally import span_change

_NEXT_NUMBER = (
    "INSERT INTO sequences AS s (key, value) VALUES (%s, 1) "
    "ON CONFLICT (key) DO UPDATE SET value = s.value + 1 RETURNING value"
)
_INSERT_DOSSIER = (
    "INSERT INTO dossiers (id, number, reference, receiving_agency, procedure_code, procedure_version, "
    "state, version, channel, agency, submitted_at, received_at, due_at, finished_at, next_check_at, "
    "body, outcome, assignee, due_key) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_UPDATE_DOSSIER = (
    "UPDATE dossiers SET state = %s, version = %s, channel = %s, agency = %s, received_at = %s, "
    "due_at = %s, finished_at = %s, next_check_at = %s, body = %s, number = %s, receiving_agency = %s, "
    "procedure_version = %s, outcome = %s, assignee = %s, due_key = %s WHERE id = %s AND version = %s"
)
_SELECT_KEY = "SELECT result, fingerprint, dossier_id FROM idempotency_keys WHERE key = %s"


@functools.cache
def _write_sql(head: str, entries: int, keyed: bool, outbox: bool = False) -> str:
    """One statement writing a change: `head` (the dossier's INSERT or versioned UPDATE), then its
    audit entries, idempotency key and (with `outbox`) outbox events only if `head` touched the row;
    it returns that row count. One statement is one round trip, and a lost version check writes
    nothing at all."""
    parts = [f"WITH d AS ({head} RETURNING id)"]
    if entries:
        values = ", ".join(["(%s::text, %s::integer, %s::text, %s::text)"] * entries)
        parts.append(
            ", e AS (INSERT INTO audit_entries (dossier_id, sequence, hash, body) "
            f"SELECT v.* FROM d, (VALUES {values}) AS v)"
        )
    if keyed:
        parts.append(
            ", k AS (INSERT INTO idempotency_keys (key, dossier_id, version, result, fingerprint) "
            "SELECT %s::text, %s::text, %s::integer, %s::text, %s::text FROM d)"
        )
    if outbox and entries:
        values = ", ".join(
            ["(%s::text, %s::integer, %s::text, %s::text, %s::timestamptz, %s::text)"] * entries
        )
        parts.append(
            ", o AS (INSERT INTO outbox (dossier_id, sequence, kind, event, at, payload) "
            f"SELECT v.* FROM d, (VALUES {values}) AS v)"
        )
    parts.append(" SELECT count(*) FROM d")
    return "".join(parts)


def _tail(commit: Commit, body: str, outbox: bool) -> tuple[object, ...]:
    """The parameters of `_write_sql` after the head's: entries, the key, then the outbox events."""
    params: list[object] = []
    for e in commit.entries:
        params += (e.dossier_id, e.sequence, e.hash, e.stored_text())
    if commit.idempotency_key is not None:
        d = commit.dossier
        params += (commit.idempotency_key, d.id, d.version, body, commit.fingerprint)
    if outbox:
        for row in ob.rows(commit):
            params += row
    return tuple(params)


def _keep_spans(conn: PgConnection, commit: Commit) -> None:
    """The report-status span change of a written commit, in its transaction (stores/tally.py)."""
    change = span_change(commit)
    if change is not None:
        sql_tally.write_change(conn.execute, commit.dossier.id, change, "%s", pg_moment)


class PostgresStore(PgQueries):
    """A store in one PostgreSQL database (optionally one schema of it), safe for threads and processes.

    `pool_size` caps the connections this store opens (one per concurrent call); `timeout` bounds
    connecting and waiting for a free connection. With `migrate=True` (the default) missing schema
    versions are applied on open, like SQLiteStore; with `migrate=False` the schema must already be
    at the latest version (`tthc db upgrade --dsn URL`), for hosts whose runtime role may not run DDL.
    """

    def __init__(
        self,
        dsn: str,
        *,
        schema: str | None = None,
        pool_size: int = 4,
        timeout: float = 10.0,
        migrate: bool = True,
        application_name: str = "tthc-engine",
        outbox: bool = False,
    ) -> None:
        if pool_size < 1:
            raise ConfigurationError(f"PostgresStore(pool_size={pool_size}): needs at least 1 connection")
        self.schema = schema
        self.outbox = outbox  # each commit also writes its events (stores/outbox.py)
        self.where = describe_dsn(dsn, schema)
        self._known = stored.Remembered(self.where)  # reads parse a record only when its text changed
        self._pool_size = pool_size
        self._timeout = timeout
        options = connect_options(timeout, application_name)
        setup = Tx("connect")
        with connect(dsn, self.where, setup, timeout=timeout, application_name=application_name) as conn:
            setup.phase, setup.conn = "transaction", conn
            with self._boundary("check the schema", setup):
                if migrate:
                    self.schema_version = pg_migrations.migrate(conn, self.where, schema=schema)
                else:
                    self._configure(conn)
                    self.schema_version = self._check_current(conn)
        self._pool: psycopg_pool.ConnectionPool[PgConnection] = psycopg_pool.ConnectionPool(
            dsn, min_size=1, max_size=pool_size, kwargs=options, configure=self._configure,
            timeout=timeout, open=False, name=f"tthc-engine {self.where}",
        )  # fmt: skip
        try:
            with self._boundary("open the connection pool", Tx("connect")):
                self._pool.open(wait=True, timeout=timeout)
        except BaseException:
            self._pool.close()
            raise

    def _configure(self, conn: PgConnection) -> None:
        if self.schema is not None:
            conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(self.schema)))

    def _check_current(self, conn: PgConnection) -> int:
        version = pg_migrations.schema_version(conn)
        check_known(self.where, version, pg_migrations.LATEST)
        if version < pg_migrations.LATEST:
            raise StoreError(
                f"{self.where}: schema version {version}, this tthc-engine needs {pg_migrations.LATEST}; "
                "run `tthc db upgrade --dsn URL` (or open the store with migrate=True)"
            )
        return version

    def current_schema_version(self) -> int:
        return int(self._rows("read the schema version", "SELECT coalesce(max(version), 0) "
                              "FROM schema_migrations", ())[0][0])  # fmt: skip

    def close(self) -> None:
        self._pool.close()

    # --- connections (psycopg errors become ours in pg_boundary.boundary) ---

    def _boundary(self, doing: str, tx: Tx) -> AbstractContextManager[None]:
        return boundary(self.where, doing, tx, pool=(self._timeout, self._pool_size))

    def _acquire(self) -> PgConnection:
        return self._pool.getconn(timeout=self._timeout)

    def _begin(self, tx: Tx) -> None:
        """BEGIN on tx.conn, or on a fresh connection when it turns out dead — the server restarted,
        or killed it while idle — at most pool_size + 1 tries: safe, nothing was sent but BEGIN.
        (Pipelining BEGIN with the first statement saves a round trip but costs more in psycopg
        than it saves on a local server: measured with benchmarks/bench_postgres.py.)"""
        for attempt in range(self._pool_size + 1):
            conn = tx.connection
            try:
                conn.execute("BEGIN")
                return
            except psycopg.OperationalError:
                if attempt == self._pool_size or not conn.closed:
                    raise
                tx.conn = None
                self._pool.putconn(conn)  # the pool discards a closed connection
                tx.conn = self._acquire()

    @contextmanager
    def _transaction(self, doing: str, commit: Commit | None = None) -> Iterator[Tx]:
        """BEGIN … COMMIT around the body on one pooled connection (ROLLBACK when the body raises or
        calls tx.rollback())."""
        tx = Tx("connect", commit)
        with self._boundary(doing, tx):
            tx.conn = self._acquire()
            try:
                self._begin(tx)
                tx.phase = "transaction"
                yield tx
                if not tx.done:
                    tx.phase = "commit"
                    tx.connection.execute("COMMIT")
                    tx.done = True
            except BaseException:
                conn = tx.conn
                if conn is not None and not tx.done and not conn.closed:
                    with suppress(psycopg.Error):
                        conn.execute("ROLLBACK")
                raise
            finally:
                if tx.conn is not None:
                    self._pool.putconn(tx.conn)

    def _rows(self, doing: str, query: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        """One read statement (autocommit); retried on a new connection while the one used turns out
        dead (at most pool_size + 1 tries): a read is safe to repeat."""
        tx = Tx("read")
        with self._boundary(doing, tx):
            for attempt in range(self._pool_size + 1):
                conn = self._acquire()
                try:
                    return conn.execute(query, params).fetchall()
                except psycopg.OperationalError:
                    if attempt == self._pool_size or not conn.closed:
                        raise
                finally:
                    self._pool.putconn(conn)
        raise AssertionError("unreachable")

    # --- writes ---

    def create(self, build: Callable[[int], Commit], *, sequence_key: str) -> tuple[Dossier, bool]:
        commit: Commit | None = None
        try:
            with self._transaction(f"create a dossier numbered from sequence {sequence_key!r}") as tx:
                row = tx.connection.execute(_NEXT_NUMBER, (sequence_key,)).fetchone()
                assert row is not None
                commit = tx.commit = build(int(row[0]))
                replay = self._replay(tx.connection, commit)
                if replay is not None:
                    tx.rollback()  # the number goes back to the sequence with the rollback
                    return replay, True
                dossier = commit.dossier
                body = canonical_json(dossier.to_dict())
                head = (
                    dossier.id, dossier.number, dossier.reference, dossier.receiving_agency,
                    dossier.procedure_code, dossier.procedure_version, dossier.state, dossier.version,
                    dossier.channel, agency_of(dossier),
                    dossier.submitted_at, dossier.received_at, dossier.due_at, dossier.finished_at,
                    dossier.next_check_at, body, dossier.outcome, dossier.assignee, due_key(dossier),
                )  # fmt: skip
                query = _write_sql(
                    _INSERT_DOSSIER, len(commit.entries), commit.idempotency_key is not None, self.outbox
                )
                tx.connection.execute(query, head + _tail(commit, body, self.outbox))
                _keep_spans(tx.connection, commit)
        except KeyTaken:
            assert commit is not None
            return self._after_key_race(commit), True
        self._known.keep(dossier, body)
        return dossier, False

    def commit(self, commit: Commit) -> tuple[Dossier, bool]:
        return self._write(f"commit dossier {commit.dossier.id!r}", lambda tx: commit, commit)

    def commit_numbered(self, build: Callable[[int], Commit], *, sequence_key: str) -> tuple[Dossier, bool]:
        def numbered(tx: Tx) -> Commit:
            row = tx.connection.execute(_NEXT_NUMBER, (sequence_key,)).fetchone()
            assert row is not None
            tx.commit = build(int(row[0]))  # a rollback hands the number back to the sequence
            return tx.commit

        return self._write(f"receive a dossier numbered from sequence {sequence_key!r}", numbered)

    def _write(
        self, doing: str, make: Callable[[Tx], Commit], commit: Commit | None = None
    ) -> tuple[Dossier, bool]:
        """One update transaction: the Commit `make` gives inside it, written with the version check."""
        made: Commit | None = commit
        try:
            with self._transaction(doing, commit) as tx:
                made = make(tx)
                dossier = made.dossier
                body = canonical_json(dossier.to_dict())
                head = (
                    dossier.state, dossier.version, dossier.channel, agency_of(dossier), dossier.received_at,
                    dossier.due_at, dossier.finished_at, dossier.next_check_at, body, dossier.number,
                    dossier.receiving_agency, dossier.procedure_version, dossier.outcome, dossier.assignee,
                    due_key(dossier), dossier.id, made.expected_version,
                )  # fmt: skip
                query = _write_sql(
                    _UPDATE_DOSSIER, len(made.entries), made.idempotency_key is not None, self.outbox
                )
                replay = self._replay(tx.connection, made)  # first: a replay writes nothing
                row = (
                    None
                    if replay is not None
                    else tx.connection.execute(query, head + _tail(made, body, self.outbox))
                )
                found = None if row is None else row.fetchone()
                if replay is None and (found is None or found[0] != 1):
                    replay = self._replay(tx.connection, made)  # a twin under this key held the row lock
                    if replay is None:
                        self._refuse(tx.connection, made)
                if replay is not None:
                    tx.rollback()
                    return replay, True
                _keep_spans(tx.connection, made)
        except KeyTaken:
            assert made is not None
            return self._after_key_race(made), True
        self._known.keep(dossier, body)
        return dossier, False

    def _refuse(self, conn: PgConnection, commit: Commit) -> None:
        dossier = commit.dossier
        row = conn.execute("SELECT version, state FROM dossiers WHERE id = %s", (dossier.id,)).fetchone()
        if row is None:
            raise UnknownDossier(f"no dossier {dossier.id!r} in {self.where}", dossier_id=dossier.id)
        raise ConcurrencyError(
            f"dossier changed meanwhile: stored version {row[0]}, this change was computed from "
            f"version {commit.expected_version}; reload and retry",
            dossier_id=dossier.id,
            state=row[1],
        )

    def _replay(self, conn: PgConnection, commit: Commit) -> Dossier | None:
        """The first result under the commit's key (same request), None if the key is new; raises
        ConcurrencyError (the transaction rolls back) if the key was used for another request."""
        key = commit.idempotency_key
        if key is None:
            return None
        row = conn.execute(_SELECT_KEY, (key,)).fetchone()
        if row is None:
            return None
        check_reuse(key, row[1], commit.fingerprint, dossier_id=row[2])
        return stored.record(self.where, "(idempotency result)", row[0])

    def _after_key_race(self, commit: Commit) -> Dossier:
        """Another transaction committed this key while ours ran: answer as if it had come first."""
        key = commit.idempotency_key
        assert key is not None
        found = self.recall(key, commit.fingerprint)
        if found is None:
            raise StoreError(f"{self.where}: idempotency key {key!r} was taken and then vanished; retry")
        return found

    # --- reads ---

    def load(self, dossier_id: str) -> Dossier:
        rows = self._rows(f"load dossier {dossier_id!r}", "SELECT body FROM dossiers WHERE id = %s",
                          (dossier_id,))  # fmt: skip
        if not rows:
            raise UnknownDossier(
                f"no dossier {dossier_id!r} in {self.where} (check the id returned by submit)",
                dossier_id=dossier_id,
            )
        return self._record(dossier_id, rows[0][0])

    def _record(self, dossier_id: str, body: str) -> Dossier:
        """The record stored as `body` (parsed only when the text changed: stores/rows.Remembered)."""
        return self._known.record(dossier_id, body)

    def entries(self, dossier_id: str) -> list[AuditEntry]:
        doing = f"read the audit chain of dossier {dossier_id!r}"
        found = self._rows(doing, "SELECT sequence, body FROM audit_entries WHERE dossier_id = %s "
                           "ORDER BY sequence", (dossier_id,))  # fmt: skip
        if not found and not self._rows(doing, "SELECT 1 FROM dossiers WHERE id = %s", (dossier_id,)):
            raise UnknownDossier(f"no dossier {dossier_id!r} in {self.where}", dossier_id=dossier_id)
        return [stored.entry(dossier_id, int(sequence), body) for sequence, body in found]

    def recall(self, idempotency_key: str, fingerprint: str | None = None) -> Dossier | None:
        rows = self._rows(f"look up idempotency key {idempotency_key!r}", _SELECT_KEY, (idempotency_key,))
        if not rows:
            return None
        result, first, dossier_id = rows[0]
        check_reuse(idempotency_key, first, fingerprint, dossier_id=dossier_id)
        return stored.record(self.where, str(dossier_id), result)

    def due(self, at: dt.datetime, *, limit: int = 500) -> list[str]:
        rows = self._rows(
            "list due dossiers",
            "SELECT id FROM dossiers WHERE next_check_at IS NOT NULL AND next_check_at <= %s "
            "ORDER BY next_check_at, id LIMIT %s",
            (at, limit),
        )
        return [r[0] for r in rows]
