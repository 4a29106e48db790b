"""SQLiteStore: the embedded default — stdlib sqlite3, WAL, one IMMEDIATE transaction per change.

Durability (docs/stores.md): WAL with synchronous=FULL by default, so an act that returned has been
written through to the disk and survives a crash of the process, of the OS and a power cut. A host
that accepts losing the last commits before a power cut or OS crash (never half an act, never a
corrupt file) may pass synchronous="NORMAL" for more acts per second.

Records are stored as canonical JSON (audit/canonical.py, the one encoder). Reading a record parses
its JSON only when the stored text differs from the text this store last wrote or read for that
dossier: an act reads the record another act of this process just wrote, and the comparison of the
stored text with the remembered text is exact, so an edit made behind the store's back is still seen.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from tthc_engine.audit.canonical import canonical_json
from tthc_engine.audit.entry import AuditEntry
from tthc_engine.errors import ConcurrencyError, ConfigurationError, StoreError, UnknownDossier
from tthc_engine.records import Dossier
from tthc_engine.stores import outbox as ob
from tthc_engine.stores import rows as stored
from tthc_engine.stores import sql_tally
from tthc_engine.stores.base import Commit, utc_key
from tthc_engine.stores.idempotency import check_reuse
from tthc_engine.stores.migrations import migrate, rollback, schema_version
from tthc_engine.stores.sqlite_columns import QUERY_COLUMNS, query_columns
from tthc_engine.stores.sqlite_queries import SQLiteQueries
from tthc_engine.stores.tally import span_change

_SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")
_SET_COLUMNS = ", ".join(f"{c} = ?" for c in QUERY_COLUMNS)
_UPDATE = (
    f"UPDATE dossiers SET state = ?, version = ?, next_check_at = ?, body = ?, {_SET_COLUMNS} "
    "WHERE id = ? AND version = ?"
)
# a receipt also writes the indexed number, receiving agency and (re-pinned) procedure version
_UPDATE_RECEIPT = (
    f"UPDATE dossiers SET state = ?, version = ?, next_check_at = ?, body = ?, {_SET_COLUMNS}, "
    "number = ?, receiving_agency = ?, procedure_version = ? WHERE id = ? AND version = ?"
)
_INSERT = (
    "INSERT INTO dossiers (id, number, reference, receiving_agency, procedure_code, procedure_version, "
    f"state, version, next_check_at, body, {', '.join(QUERY_COLUMNS)}) "
    f"VALUES ({', '.join(['?'] * (10 + len(QUERY_COLUMNS)))})"
)


def _dumps(value: object) -> str:
    return canonical_json(value)


def _next_sequence(conn: sqlite3.Connection, key: str) -> int:
    """The next number of `key`, read inside the caller's write transaction."""
    row = conn.execute("SELECT value FROM sequences WHERE key = ?", (key,)).fetchone()
    return int(row[0] if row else 0) + 1


def _store_sequence(conn: sqlite3.Connection, key: str, value: int) -> None:
    conn.execute(
        "INSERT INTO sequences (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


class SQLiteStore(SQLiteQueries):
    """A store in one SQLite file, safe for several threads and several processes.

    Each thread gets its own connection (sqlite3 connections are not shared). Writers serialise on
    SQLite's write lock (BEGIN IMMEDIATE, waiting up to `timeout` seconds: busy_timeout); the version
    check inside the transaction makes the loser of a race raise ConcurrencyError.
    """

    def __init__(
        self, path: str | Path, *, timeout: float = 10.0, synchronous: str = "FULL", outbox: bool = False
    ) -> None:
        text = str(path)
        if text == ":memory:" or text.startswith("file::memory:"):
            raise ConfigurationError(
                "SQLiteStore needs a file path (each thread opens its own connection, and an in-memory "
                "SQLite database is private to one connection); use MemoryStore() for an in-memory store"
            )
        if synchronous.upper() not in _SYNCHRONOUS:
            raise ConfigurationError(
                f"SQLiteStore(synchronous={synchronous!r}): expected one of {', '.join(_SYNCHRONOUS)}"
            )
        self.path = text
        self.outbox = outbox  # each commit also writes its events (stores/outbox.py)
        self._known = stored.Remembered(text)  # id -> (stored text, record): reads skip the parse
        self._timeout = timeout
        self._synchronous = synchronous.upper()
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        self.schema_version = migrate(self._conn(), self.path)

    # --- connections ---

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        try:
            conn = sqlite3.connect(
                self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"{self.path}: could not switch SQLite to WAL mode (got {mode!r})")
            conn.execute(f"PRAGMA synchronous = {self._synchronous}")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open SQLite database: {exc}") from exc
        self._local.conn = conn
        with self._all_lock:
            self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._all_lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    # --- writes ---

    def create(self, build: Callable[[int], Commit], *, sequence_key: str) -> tuple[Dossier, bool]:
        conn = self._conn()
        self._begin(conn)
        try:
            sequence = _next_sequence(conn, sequence_key)
            commit = build(sequence)
            replay = self._replay(conn, commit)
            if replay is not None:
                rollback(conn)
                return replay, True
            _store_sequence(conn, sequence_key, sequence)
            dossier = commit.dossier
            body = _dumps(dossier.to_dict())
            conn.execute(
                _INSERT,
                (
                    dossier.id,
                    dossier.number,
                    dossier.reference,
                    dossier.receiving_agency,
                    dossier.procedure_code,
                    dossier.procedure_version,
                    dossier.state,
                    dossier.version,
                    None if dossier.next_check_at is None else utc_key(dossier.next_check_at),
                    body,
                    *query_columns(dossier),
                ),
            )
            self._append(conn, commit, body)
            conn.execute("COMMIT")
        except sqlite3.IntegrityError as exc:
            rollback(conn)
            raise StoreError(
                f"{self.path}: dossier {commit.dossier.id!r} / number {commit.dossier.number!r} already "
                f"exists ({exc}); dossier numbers must come from the sequence the store allocates"
            ) from exc
        except sqlite3.Error as exc:
            rollback(conn)
            raise StoreError(f"{self.path}: could not create dossier: {exc}") from exc
        except BaseException:
            rollback(conn)
            raise
        self._known.keep(dossier, body)
        return dossier, False

    def commit(self, commit: Commit) -> tuple[Dossier, bool]:
        return self._write(lambda conn: commit, receipt=False)

    def commit_numbered(self, build: Callable[[int], Commit], *, sequence_key: str) -> tuple[Dossier, bool]:
        def numbered(conn: sqlite3.Connection) -> Commit:
            sequence = _next_sequence(conn, sequence_key)
            commit = build(sequence)
            if self._replay(conn, commit) is None:  # a replayed key consumes no number
                _store_sequence(conn, sequence_key, sequence)
            return commit

        return self._write(numbered, receipt=True)

    def _write(self, make: Callable[[sqlite3.Connection], Commit], *, receipt: bool) -> tuple[Dossier, bool]:
        """One update transaction: the Commit `make` gives inside it, with the version check. A
        receipt also writes the indexed number, receiving agency and (re-pinned) version columns."""
        conn = self._conn()
        self._begin(conn)
        dossier_id, number = "?", None
        try:
            commit = make(conn)
            dossier = commit.dossier
            dossier_id, number = dossier.id, dossier.number
            replay = self._replay(conn, commit)
            if replay is not None:
                rollback(conn)
                return replay, True
            body = _dumps(dossier.to_dict())
            values: tuple[object, ...] = (
                dossier.state,
                dossier.version,
                None if dossier.next_check_at is None else utc_key(dossier.next_check_at),
                body,
                *query_columns(dossier),
            )
            if receipt:
                values += (dossier.number, dossier.receiving_agency, dossier.procedure_version)
            cursor = conn.execute(
                _UPDATE_RECEIPT if receipt else _UPDATE, (*values, dossier.id, commit.expected_version)
            )
            if cursor.rowcount != 1:
                row = conn.execute(
                    "SELECT version, state FROM dossiers WHERE id = ?", (dossier.id,)
                ).fetchone()
                rollback(conn)
                if row is None:
                    raise UnknownDossier(f"no dossier {dossier.id!r} in {self.path}", dossier_id=dossier.id)
                raise ConcurrencyError(
                    f"dossier changed meanwhile: stored version {row[0]}, this change was computed from "
                    f"version {commit.expected_version}; reload and retry",
                    dossier_id=dossier.id,
                    state=row[1],
                )
            self._append(conn, commit, body)
            conn.execute("COMMIT")
        except (ConcurrencyError, UnknownDossier):
            if conn.in_transaction:  # a reused idempotency key is refused inside the transaction
                rollback(conn)
            raise
        except sqlite3.IntegrityError as exc:
            rollback(conn)
            raise StoreError(
                f"{self.path}: dossier {dossier_id!r} (number {number!r}): {exc}; dossier numbers must "
                "come from the sequence the store allocates"
            ) from exc
        except sqlite3.Error as exc:
            rollback(conn)
            raise StoreError(f"{self.path}: could not commit dossier {dossier_id!r}: {exc}") from exc
        except BaseException:
            rollback(conn)
            raise
        self._known.keep(dossier, body)
        return dossier, False

    def _begin(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"{self.path}: could not take the write lock within {self._timeout}s ({exc}); "
                "raise SQLiteStore(timeout=...) or reduce the number of concurrent writers"
            ) from exc

    def _replay(self, conn: sqlite3.Connection, commit: Commit) -> Dossier | None:
        """The first result under the commit's key (same request), None if the key is new; raises
        ConcurrencyError (the caller rolls back) if the key was used for another request."""
        key = commit.idempotency_key
        if key is None:
            return None
        row = conn.execute(
            "SELECT result, fingerprint, dossier_id FROM idempotency_keys WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        check_reuse(key, row[1], commit.fingerprint, dossier_id=row[2])
        return stored.record(self.path, "(idempotency result)", row[0])

    def _append(self, conn: sqlite3.Connection, commit: Commit, body: str) -> None:
        dossier = commit.dossier
        change = span_change(commit)
        if change is not None:
            sql_tally.write_change(conn.execute, dossier.id, change, "?", utc_key)
        conn.executemany(
            "INSERT INTO audit_entries (dossier_id, sequence, hash, body) VALUES (?, ?, ?, ?)",
            [(e.dossier_id, e.sequence, e.hash, e.stored_text()) for e in commit.entries],
        )
        if self.outbox:
            conn.executemany(
                "INSERT INTO outbox (dossier_id, sequence, kind, event, at, payload) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(i, n, kind, event, utc_key(at), text) for i, n, kind, event, at, text in ob.rows(commit)],
            )
        if commit.idempotency_key is not None:
            conn.execute(
                "INSERT INTO idempotency_keys (key, dossier_id, version, result, fingerprint) "
                "VALUES (?, ?, ?, ?, ?)",
                (commit.idempotency_key, dossier.id, dossier.version, body, commit.fingerprint),
            )

    # --- reads ---

    def load(self, dossier_id: str) -> Dossier:
        row = self._read("SELECT body FROM dossiers WHERE id = ?", (dossier_id,)).fetchone()
        if row is None:
            raise UnknownDossier(
                f"no dossier {dossier_id!r} in {self.path} (check the id returned by submit)",
                dossier_id=dossier_id,
            )
        return self._record(dossier_id, row[0])

    def _record(self, dossier_id: str, body: str) -> Dossier:
        """The record stored as `body` (parsed only when the text changed: stores/rows.Remembered)."""
        return self._known.record(dossier_id, body)

    def entries(self, dossier_id: str) -> list[AuditEntry]:
        try:
            found = self._read(
                "SELECT sequence, body FROM audit_entries WHERE dossier_id = ? ORDER BY sequence",
                (dossier_id,),
            ).fetchall()
        except sqlite3.Error as exc:  # e.g. a body that is not UTF-8
            raise StoreError(
                f"{self.path}: cannot read the audit chain of dossier {dossier_id!r}: {exc}"
            ) from exc
        if not found and self._read("SELECT 1 FROM dossiers WHERE id = ?", (dossier_id,)).fetchone() is None:
            raise UnknownDossier(f"no dossier {dossier_id!r} in {self.path}", dossier_id=dossier_id)
        return [stored.entry(dossier_id, sequence, body) for sequence, body in found]

    def recall(self, idempotency_key: str, fingerprint: str | None = None) -> Dossier | None:
        row = self._read(
            "SELECT result, fingerprint, dossier_id FROM idempotency_keys WHERE key = ?", (idempotency_key,)
        ).fetchone()
        if row is None:
            return None
        check_reuse(idempotency_key, row[1], fingerprint, dossier_id=row[2])
        return stored.record(self.path, "(idempotency result)", row[0])

    def due(self, at: dt.datetime, *, limit: int = 500) -> list[str]:
        rows = self._read(
            "SELECT id FROM dossiers WHERE next_check_at IS NOT NULL AND next_check_at <= ? "
            "ORDER BY next_check_at LIMIT ?",
            (utc_key(at), limit),
        ).fetchall()
        return [r[0] for r in rows]

    def current_schema_version(self) -> int:
        return schema_version(self._conn())

    def _read(self, sql: str, params: tuple[object, ...]) -> sqlite3.Cursor:
        try:
            return self._conn().execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: read failed: {exc}") from exc
