"""PostgreSQL schema migrations: the same rules as SQLite's (stores/migrations.py), PostgreSQL's DDL.

One `Migration` per schema version, applied in order in one transaction and recorded in
`schema_migrations`; a schema newer than this library is refused (`check_known`). PostgreSQL DDL is
transactional, so a failed upgrade leaves the schema as it was. Several processes upgrading at once
serialise on a transaction-scoped advisory lock keyed by the schema name: exactly one applies the
missing versions, the others then find them applied.

The tables have the shapes of the SQLite schema (record body as canonical JSON text, the audit chain
one row per entry with a unique (dossier_id, sequence)) plus the typed columns and partial indexes a
desk's queries need — national number, state, agency, procedure, receipt period, due moment and
next_check_at — so those queries never read record bodies (docs/stores.md, "PostgreSQL").
"""

from __future__ import annotations

import datetime as dt

from tthc_engine.stores import rows as stored
from tthc_engine.stores import sql_tally
from tthc_engine.stores.migrations import Applied, Migration, check_known
from tthc_engine.stores.pg_boundary import PgConnection, Tx, boundary, connect, describe_dsn, sql
from tthc_engine.stores.pg_queries import pg_moment
from tthc_engine.stores.tally import statuses_from_trail

_V1 = (
    """CREATE TABLE dossiers (
        id text PRIMARY KEY,
        number text UNIQUE,
        reference text UNIQUE,
        receiving_agency text,
        procedure_code text NOT NULL,
        procedure_version text NOT NULL,
        state text NOT NULL,
        version integer NOT NULL,
        channel text NOT NULL,
        agency text,
        submitted_at timestamptz NOT NULL,
        received_at timestamptz,
        due_at timestamptz,
        finished_at timestamptz,
        next_check_at timestamptz,
        body text NOT NULL
    )""",
    # due work (Store.due): only dossiers with a pending check are in the index
    "CREATE INDEX dossiers_next_check ON dossiers (next_check_at, id) WHERE next_check_at IS NOT NULL",
    # worklists: open dossiers by state (and by agency and state), in due order, keyset-paginable
    "CREATE INDEX dossiers_open_state_due ON dossiers (state, due_at, id) WHERE finished_at IS NULL",
    "CREATE INDEX dossiers_open_agency_state ON dossiers (agency, state, due_at) WHERE finished_at IS NULL",
    # lists and counts by procedure and by period
    "CREATE INDEX dossiers_procedure ON dossiers (procedure_code, procedure_version)",
    "CREATE INDEX dossiers_submitted ON dossiers (submitted_at)",
    # reports by receiving agency and receipt period (a dossier never received has no received_at)
    "CREATE INDEX dossiers_received ON dossiers (receiving_agency, received_at) "
    "WHERE received_at IS NOT NULL",
    """CREATE TABLE audit_entries (
        dossier_id text NOT NULL,
        sequence integer NOT NULL,
        hash text NOT NULL,
        body text NOT NULL,
        PRIMARY KEY (dossier_id, sequence)
    )""",
    "CREATE TABLE sequences (key text PRIMARY KEY, value bigint NOT NULL)",
    """CREATE TABLE idempotency_keys (
        key text PRIMARY KEY,
        dossier_id text NOT NULL,
        version integer NOT NULL,
        result text NOT NULL,
        fingerprint text,
        created_at timestamptz NOT NULL DEFAULT now()
    )""",
)


def _v1_initial(conn: PgConnection) -> None:
    """Dossiers (record as canonical JSON text + typed, indexed columns: the national number given at
    receipt, nullable until then, the lodgement reference, the receiving agency), audit chains, number
    sequences, idempotency keys with fingerprints (the SQLite schema at its version 3)."""
    for statement in _V1:
        conn.execute(statement)


_V2 = (
    "ALTER TABLE dossiers ADD COLUMN outcome text, ADD COLUMN assignee text, ADD COLUMN due_key timestamptz, "
    "ADD COLUMN claimed_by text, ADD COLUMN claim_until timestamptz",
    # filled from the record bodies written before (canonical JSON: the same keys Dossier.to_dict writes)
    "UPDATE dossiers SET outcome = body::json->>'outcome', assignee = body::json->>'assignee', "
    "due_key = coalesce(due_at, '9999-12-31T00:00:00+00:00'::timestamptz)",
    "ALTER TABLE dossiers ALTER COLUMN due_key SET NOT NULL",
    # the worklist: one index range per (procedure, state) of open dossiers, in due order (a dossier
    # waiting for its number has no due moment: due_key sorts it last instead of a NULL)
    "CREATE INDEX dossiers_work ON dossiers (procedure_code, state, due_key, id) WHERE outcome IS NULL",
    # the personal inbox
    "CREATE INDEX dossiers_assignee ON dossiers (assignee, due_key, id) "
    "WHERE outcome IS NULL AND assignee IS NOT NULL",
    # lists in due order and in receipt order (keyset pages)
    "CREATE INDEX dossiers_due ON dossiers (due_key, id)",
    "CREATE INDEX dossiers_received_at ON dossiers (received_at, id) WHERE received_at IS NOT NULL",
    """CREATE TABLE sweep_incidents (
        dossier_id text PRIMARY KEY,
        first_at timestamptz NOT NULL,
        last_at timestamptz NOT NULL,
        failures integer NOT NULL,
        reason text NOT NULL,
        worker text NOT NULL,
        retry_at timestamptz NOT NULL
    )""",
)


def _v2_queries(conn: PgConnection) -> None:
    """Typed columns for the worklist, assignment and sweep claims (outcome, assignee, due_key,
    claimed_by, claim_until) filled from the bodies, their indexes, and `sweep_incidents`."""
    for statement in _V2:
        conn.execute(statement)


_V3 = (
    """CREATE TABLE report_spans (
        dossier_id text NOT NULL,
        since timestamptz NOT NULL,
        until timestamptz,
        received_at timestamptz NOT NULL,
        procedure_code text NOT NULL,
        procedure_version text NOT NULL,
        receiving_agency text,
        channel text NOT NULL,
        kind text NOT NULL,
        cell text,
        appointment text,
        due_at timestamptz,
        appointment_at timestamptz,
        finished_at timestamptz,
        outcome text,
        worked_minutes integer,
        supplement_requests integer NOT NULL,
        electronic_result integer NOT NULL DEFAULT 0,
        paid_online integer NOT NULL DEFAULT 0,
        digitised integer NOT NULL DEFAULT 0,
        rating integer
    )""",
    # the open span of a dossier (at most one), found by the commit that closes it
    "CREATE UNIQUE INDEX report_spans_open ON report_spans (dossier_id) WHERE until IS NULL",
)


def _v3_report_spans(conn: PgConnection) -> None:
    """The report-status spans of every dossier, rebuilt from each audit trail (the same rebuild as
    SQLite's version 5: stores/tally.statuses_from_trail)."""
    for statement in _V3:
        conn.execute(statement)
    dossiers = conn.execute("SELECT id, body FROM dossiers ORDER BY id").fetchall()
    for dossier_id, body in dossiers:
        trail = [
            stored.entry(str(dossier_id), int(str(sequence)), text)
            for sequence, text in conn.execute(
                "SELECT sequence, body FROM audit_entries WHERE dossier_id = %s ORDER BY sequence",
                (dossier_id,),
            ).fetchall()
        ]
        record = stored.record("PostgreSQL", str(dossier_id), body)
        for change in statuses_from_trail(record, trail):
            sql_tally.write_change(conn.execute, record.id, change, "%s", pg_moment)


_V4 = (
    """CREATE TABLE outbox (
        position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        dossier_id text NOT NULL,
        sequence integer NOT NULL,
        kind text NOT NULL,
        event text NOT NULL,
        at timestamptz NOT NULL,
        payload text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        claimed_by text,
        claim_until timestamptz
    )""",
    # claimed rows only: a new row (never claimed) is not in it, so an act writes one b-tree
    "CREATE INDEX outbox_held ON outbox (dossier_id, claim_until) WHERE claim_until IS NOT NULL",
)


def _v4_outbox(conn: PgConnection) -> None:
    """The transactional outbox (stores/outbox.py), as SQLite's version 6: one row per audit entry of
    each commit of a store opened with outbox=True, until a relay acknowledges it. `position` follows
    insertion, which for one dossier is its sequence order (its writers take turns on the dossier's
    row lock before inserting). As in SQLite, (dossier_id, sequence) is unique through the audit
    entry written with it, and only claimed rows are indexed (`outbox_held`). Dossiers written
    before get no back-filled events."""
    for statement in _V4:
        conn.execute(statement)


MIGRATIONS: tuple[Migration[PgConnection], ...] = (
    Migration(1, "initial schema: dossiers, audit_entries, sequences, idempotency_keys (with fingerprint)",
              _v1_initial),
    Migration(2, "dossiers: outcome, assignee, due_key, sweep claims; worklist and inbox indexes; "
                 "sweep_incidents", _v2_queries),
    Migration(3, "report_spans: each dossier's report status over time, rebuilt from its audit trail",
              _v3_report_spans),
    Migration(4, "outbox: the events of each commit (stores opened with outbox=True) until a relay "
                 "acknowledges them; no events back-filled for earlier commits", _v4_outbox),
)  # fmt: skip
LATEST = MIGRATIONS[-1].version


def _enter_schema(conn: PgConnection, schema: str | None) -> None:
    """Inside a transaction: serialise with other migrators, then work in `schema` (created if new)."""
    name = schema if schema is not None else str(_one(conn, "SELECT current_schema()"))
    conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ("tthc_engine.schema_migrations:" + name,))
    if schema is not None:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))


def _one(conn: PgConnection, query: str) -> object:
    row = conn.execute(query).fetchone()
    return None if row is None else row[0]


def schema_version(conn: PgConnection) -> int:
    """The applied schema version in the connection's search_path, 0 for an empty schema."""
    if _one(conn, "SELECT to_regclass('schema_migrations')") is None:
        return 0
    return int(str(_one(conn, "SELECT coalesce(max(version), 0) FROM schema_migrations")))


def applied(conn: PgConnection, schema: str | None = None) -> list[Applied]:
    """The applied migrations in version order ([] for an empty schema); reads only."""
    with conn.transaction():
        if schema is not None:
            conn.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
        if schema_version(conn) == 0:
            return []
        rows = conn.execute(
            "SELECT version, description, applied_at FROM schema_migrations ORDER BY version"
        ).fetchall()
    return [Applied(int(str(v)), str(d), a.isoformat() if isinstance(a, dt.datetime) else str(a))
            for v, d, a in rows]  # fmt: skip


def migrate(
    conn: PgConnection,
    where: str,
    *,
    schema: str | None = None,
    migrations: tuple[Migration[PgConnection], ...] = MIGRATIONS,
) -> int:
    """Bring `schema` (default: the connection's current schema) to the latest version in one
    transaction; return that version. StoreError if the schema is newer than this library."""
    latest = migrations[-1].version
    with conn.transaction():
        _enter_schema(conn, schema)
        conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                description text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )"""
        )
        current = schema_version(conn)
        check_known(where, current, latest)
        for migration in migrations:
            if migration.version <= current:
                continue
            migration.apply(conn)
            conn.execute(
                "INSERT INTO schema_migrations (version, description) VALUES (%s, %s)",
                (migration.version, migration.description),
            )
    return latest


# --- entry points for `tthc db` (a connection of their own, errors translated) ---


def upgrade(dsn: str, *, schema: str | None = None, timeout: float = 10.0) -> tuple[list[Applied], int]:
    """Apply the missing migrations to `schema`: (the migrations applied before, the version now)."""
    where = describe_dsn(dsn, schema)
    tx = Tx("connect")
    with connect(dsn, where, tx, timeout=timeout, application_name="tthc db upgrade") as conn:
        tx.phase, tx.conn = "transaction", conn
        with boundary(where, "upgrade the schema", tx):
            before = applied(conn, schema)
            return before, migrate(conn, where, schema=schema)


def status(dsn: str, *, schema: str | None = None, timeout: float = 10.0) -> list[Applied]:
    """The migrations applied to `schema`, in version order; reads only (an absent schema: [])."""
    where = describe_dsn(dsn, schema)
    tx = Tx("connect")
    with connect(dsn, where, tx, timeout=timeout, application_name="tthc db status") as conn:
        tx.phase, tx.conn = "read", conn
        with boundary(where, "read the schema version", tx):
            return applied(conn, schema)
