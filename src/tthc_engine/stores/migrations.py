"""Schema migrations: one function per schema version, applied in order, recorded.

The concept is shared by every durable store (this module: the rules and SQLite's migrations;
stores/pg_migrations.py: PostgreSQL's, with the same rules). `schema_migrations` lists every applied
version; the schema version is its maximum. A database written by a newer library (a version we do
not know) is refused rather than guessed at. To change the schema, append a function and a Migration
entry; never edit an applied one (docs/stores.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from typing import Generic, TypeVar

import attrs

from tthc_engine.errors import StoreError
from tthc_engine.records import Dossier
from tthc_engine.stores import rows as stored
from tthc_engine.stores import sql_tally
from tthc_engine.stores.base import utc_key
from tthc_engine.stores.sqlite_columns import query_columns
from tthc_engine.stores.tally import statuses_from_trail


def _v1_initial(conn: sqlite3.Connection) -> None:
    """Dossiers (record as JSON + indexed columns), audit chains, number sequences, idempotency."""
    conn.execute(
        """CREATE TABLE dossiers (
            id TEXT PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            procedure_code TEXT NOT NULL,
            procedure_version TEXT NOT NULL,
            state TEXT NOT NULL,
            version INTEGER NOT NULL,
            next_check_at TEXT,
            body TEXT NOT NULL
        )"""
    )
    conn.execute(
        "CREATE INDEX dossiers_next_check ON dossiers (next_check_at) WHERE next_check_at IS NOT NULL"
    )
    conn.execute("CREATE INDEX dossiers_procedure ON dossiers (procedure_code, procedure_version)")
    conn.execute(
        """CREATE TABLE audit_entries (
            dossier_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            hash TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (dossier_id, sequence)
        ) WITHOUT ROWID"""
    )
    conn.execute("CREATE TABLE sequences (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID")
    conn.execute(
        """CREATE TABLE idempotency_keys (
            key TEXT PRIMARY KEY,
            dossier_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            result TEXT NOT NULL
        ) WITHOUT ROWID"""
    )


def _v2_idempotency_fingerprint(conn: sqlite3.Connection) -> None:
    """A fingerprint of the request next to each idempotency key (stores/idempotency.py), so a key
    reused for a different request is refused instead of replaying the old result. Keys written
    before this migration keep NULL: legacy, replayed for any request as they were."""
    conn.execute("ALTER TABLE idempotency_keys ADD COLUMN fingerprint TEXT")


def _v3_receipt_numbers(conn: sqlite3.Connection) -> None:
    """National numbers are given at receipt (Circular 01/2018/TT-VPCP Art. 19): `number` may be NULL
    until then (still unique once given), `reference` holds the lodgement reference (unique), and
    `receiving_agency` the agency that received. SQLite cannot drop a NOT NULL constraint, so the
    table is rebuilt (rows, bodies and indexes kept); rows written before keep their number."""
    conn.execute(
        """CREATE TABLE dossiers_v3 (
            id TEXT PRIMARY KEY,
            number TEXT UNIQUE,
            reference TEXT UNIQUE,
            receiving_agency TEXT,
            procedure_code TEXT NOT NULL,
            procedure_version TEXT NOT NULL,
            state TEXT NOT NULL,
            version INTEGER NOT NULL,
            next_check_at TEXT,
            body TEXT NOT NULL
        )"""
    )
    conn.execute(
        "INSERT INTO dossiers_v3 (id, number, procedure_code, procedure_version, state, version, "
        "next_check_at, body) SELECT id, number, procedure_code, procedure_version, state, version, "
        "next_check_at, body FROM dossiers"
    )
    conn.execute("DROP TABLE dossiers")
    conn.execute("ALTER TABLE dossiers_v3 RENAME TO dossiers")
    conn.execute(
        "CREATE INDEX dossiers_next_check ON dossiers (next_check_at) WHERE next_check_at IS NOT NULL"
    )
    conn.execute("CREATE INDEX dossiers_procedure ON dossiers (procedure_code, procedure_version)")


_V4_COLUMNS = (
    "received_at TEXT", "due_key TEXT NOT NULL DEFAULT ''", "finished_at TEXT", "outcome TEXT",
    "channel TEXT", "agency TEXT", "assignee TEXT", "claimed_by TEXT", "claim_until TEXT",
)  # fmt: skip
_V4_INDEXES = (
    # the worklist: one range per (procedure, state) of open dossiers, in due order
    "CREATE INDEX dossiers_work ON dossiers (procedure_code, state, due_key, id) WHERE outcome IS NULL",
    # the personal inbox
    "CREATE INDEX dossiers_assignee ON dossiers (assignee, due_key, id) "
    "WHERE outcome IS NULL AND assignee IS NOT NULL",
    # lists in due order and counts by state; by receipt period; by the agency holding it now
    "CREATE INDEX dossiers_due ON dossiers (due_key, id)",
    "CREATE INDEX dossiers_state ON dossiers (state, due_key)",
    "CREATE INDEX dossiers_received ON dossiers (received_at, id) WHERE received_at IS NOT NULL",
    "CREATE INDEX dossiers_receiving ON dossiers (receiving_agency, received_at)",
    "CREATE INDEX dossiers_agency ON dossiers (agency, state) WHERE agency IS NOT NULL",
)


def _v4_queries(conn: sqlite3.Connection) -> None:
    """Typed columns for the desk's queries and the sweep's claims (docs/stores.md, "Queries"),
    filled from each row's record body, their indexes, and the `sweep_incidents` table. The columns
    are computed by the same function the store writes them with (stores/sqlite_columns.py)."""
    for column in _V4_COLUMNS:
        conn.execute(f"ALTER TABLE dossiers ADD COLUMN {column}")
    rows = conn.execute("SELECT id, body FROM dossiers").fetchall()
    conn.executemany(
        "UPDATE dossiers SET received_at = ?, due_key = ?, finished_at = ?, outcome = ?, channel = ?, "
        "agency = ?, assignee = ? WHERE id = ?",
        [(*query_columns(Dossier.from_dict(json.loads(body))), dossier_id) for dossier_id, body in rows],
    )
    for statement in _V4_INDEXES:
        conn.execute(statement)
    conn.execute(
        """CREATE TABLE sweep_incidents (
            dossier_id TEXT PRIMARY KEY,
            first_at TEXT NOT NULL,
            last_at TEXT NOT NULL,
            failures INTEGER NOT NULL,
            reason TEXT NOT NULL,
            worker TEXT NOT NULL,
            retry_at TEXT NOT NULL
        ) WITHOUT ROWID"""
    )


# report-status spans (stores/tally.py): the open span of each dossier is found by the partial
# unique index (at most one open span a dossier); a tally is one pass over the table
SPANS_TABLE = """CREATE TABLE report_spans (
    dossier_id TEXT NOT NULL,
    since TEXT NOT NULL,
    until TEXT,
    received_at TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    procedure_version TEXT NOT NULL,
    receiving_agency TEXT,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    cell TEXT,
    appointment TEXT,
    due_at TEXT,
    appointment_at TEXT,
    finished_at TEXT,
    outcome TEXT,
    worked_minutes INTEGER,
    supplement_requests INTEGER NOT NULL,
    electronic_result INTEGER NOT NULL DEFAULT 0,
    paid_online INTEGER NOT NULL DEFAULT 0,
    digitised INTEGER NOT NULL DEFAULT 0,
    rating INTEGER
)"""
SPANS_OPEN_INDEX = "CREATE UNIQUE INDEX report_spans_open ON report_spans (dossier_id) WHERE until IS NULL"


def _v5_report_spans(conn: sqlite3.Connection) -> None:
    """The report-status spans of every dossier, rebuilt from each audit trail (stores/tally.py
    statuses_from_trail), so that reports of past periods say what was known then."""
    conn.execute(SPANS_TABLE)
    conn.execute(SPANS_OPEN_INDEX)
    for dossier_id, body in conn.execute("SELECT id, body FROM dossiers").fetchall():
        trail = [
            stored.entry(dossier_id, sequence, text)
            for sequence, text in conn.execute(
                "SELECT sequence, body FROM audit_entries WHERE dossier_id = ? ORDER BY sequence",
                (dossier_id,),
            )
        ]  # fmt: skip
        for change in statuses_from_trail(stored.record(path_of(conn), dossier_id, body), trail):
            sql_tally.write_change(conn.execute, dossier_id, change, "?", utc_key)


def _v6_outbox(conn: sqlite3.Connection) -> None:
    """The transactional outbox (stores/outbox.py): one row per audit entry of each commit made by a
    store opened with outbox=True, until a relay acknowledges it. `position` (the rowid) is the
    commit order claims follow, and the only b-tree an act writes: the act path appends one row at
    its end. (dossier_id, sequence) is the event id; it is unique because the audit entry it is
    written with is (audit_entries' primary key, same transaction), so it needs no index of its own.
    Claimed rows are found by the partial index `outbox_held`, which a new row (never claimed) does
    not enter: claims and acknowledgements maintain it, acts do not. Dossiers written before this
    migration get no back-filled events: their history is in the audit trail, and a host that wants
    it on a broker replays it from there (docs/operations.md, "Relaying events")."""
    conn.execute(
        """CREATE TABLE outbox (
            position INTEGER PRIMARY KEY,
            dossier_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            kind TEXT NOT NULL,
            event TEXT NOT NULL,
            at TEXT NOT NULL,
            payload TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            claimed_by TEXT,
            claim_until TEXT
        )"""
    )
    conn.execute("CREATE INDEX outbox_held ON outbox (dossier_id, claim_until) WHERE claim_until IS NOT NULL")


def path_of(conn: sqlite3.Connection) -> str:
    row = conn.execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row else "(sqlite)"


C = TypeVar("C")


@attrs.frozen
class Migration(Generic[C]):
    """One schema version: `apply(connection)` runs inside the migrating transaction."""

    version: int
    description: str
    apply: Callable[[C], None]


@attrs.frozen
class Applied:
    """One row of `schema_migrations` (what `tthc db status` prints)."""

    version: int
    description: str
    applied_at: str


def check_known(where: str, current: int, latest: int) -> None:
    """Refuse a schema newer than this library knows (StoreError naming the database and the fix)."""
    if current > latest:
        raise StoreError(
            f"{where}: schema version {current} is newer than this tthc-engine understands "
            f"(latest {latest}); upgrade tthc-engine, or open a copy made before the upgrade"
        )


MIGRATIONS: tuple[Migration[sqlite3.Connection], ...] = (
    Migration(1, "initial schema: dossiers, audit_entries, sequences, idempotency_keys", _v1_initial),
    Migration(2, "idempotency_keys.fingerprint (NULL = legacy key, replays any request)",
              _v2_idempotency_fingerprint),
    Migration(3, "dossiers: number given at receipt (nullable), lodgement reference, receiving agency",
              _v3_receipt_numbers),
    Migration(4, "dossiers: typed query columns (received_at, due_key, finished_at, outcome, channel, "
                 "agency, assignee), sweep claims, sweep_incidents", _v4_queries),
    Migration(5, "report_spans: each dossier's report status over time, rebuilt from its audit trail",
              _v5_report_spans),
    Migration(6, "outbox: the events of each commit (stores opened with outbox=True) until a relay "
                 "acknowledges them; no events back-filled for earlier commits", _v6_outbox),
)  # fmt: skip
LATEST = MIGRATIONS[-1].version


def schema_version(conn: sqlite3.Connection) -> int:
    """The applied schema version, 0 for an empty database."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def applied(conn: sqlite3.Connection) -> list[Applied]:
    """The applied migrations in version order ([] for an empty database)."""
    if schema_version(conn) == 0:
        return []
    rows = conn.execute(
        "SELECT version, description, applied_at FROM schema_migrations ORDER BY version"
    ).fetchall()
    return [Applied(int(v), str(d), str(a)) for v, d, a in rows]


def migrate(
    conn: sqlite3.Connection, path: str, migrations: tuple[Migration[sqlite3.Connection], ...] = MIGRATIONS
) -> int:
    """Bring the schema to the latest version in one IMMEDIATE transaction; return the version.

    Several processes may open a new database at once: the write lock taken by BEGIN IMMEDIATE makes
    exactly one of them apply the migrations; the others then see them applied.
    """
    latest = migrations[-1].version
    try:
        current = schema_version(conn)  # a read: an up-to-date file is opened without the write lock
    except sqlite3.Error as exc:
        raise StoreError(
            f"{path}: cannot read the schema version ({exc}); is it a tthc-engine store?"
        ) from exc
    if current == latest:
        return latest  # so a read-only or locked up-to-date file still opens (e.g. to verify it)
    check_known(path, current, latest)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise StoreError(
            f"{path}: cannot take the write lock to migrate the schema from version {current} to {latest} "
            f"({exc}); open it once with write access, with no other writer, or run `tthc db upgrade`"
        ) from exc
    try:
        conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                description TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )"""
        )
        current = schema_version(conn)
        check_known(path, current, latest)
        for migration in migrations:
            if migration.version <= current:
                continue
            migration.apply(conn)
            conn.execute(
                "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.description, dt.datetime.now(dt.UTC).isoformat()),
            )
        conn.execute(f"PRAGMA user_version = {latest}")
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    return latest


def rollback(conn: sqlite3.Connection) -> None:
    """ROLLBACK if a transaction is still open. SQLite rolls back by itself on some errors (a full
    disk, an I/O error): a second ROLLBACK would raise "cannot rollback - no transaction is active"
    and mask the error that matters, which the caller re-raises."""
    if conn.in_transaction:
        # a broken connection fails here too: the original error is what the caller reports
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
