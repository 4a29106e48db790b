"""Where psycopg meets this library: the one import of psycopg and the one translation of its errors.

Every PostgreSQL module of tthc_engine (postgres.py, pg_migrations.py) imports psycopg through here,
so a missing `postgres` extra says how to install it, and runs its database work inside `boundary`,
so every psycopg or pool error reaches the caller as this library's error (StoreError, or
ConcurrencyError for a serialisation failure or deadlock) whose message says what failed, where
(user@host:port/db and schema — never the password) and what to do. Nothing is masked: the psycopg
error is chained as `__cause__` and its first line is quoted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

try:
    import psycopg
    import psycopg_pool
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict
    from psycopg.rows import TupleRow
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        f"the PostgreSQL store needs psycopg 3 and psycopg_pool ({exc}); install them with: "
        "pip install 'tthc-engine[postgres]'"
    ) from exc

from tthc_engine.errors import ConcurrencyError, ConfigurationError, StoreError, TthcError

if TYPE_CHECKING:
    from tthc_engine.stores.base import Commit

PgConnection = psycopg.Connection[TupleRow]
Phase = str  # "connect" | "read" | "transaction" | "commit": how far a unit of work got

__all__ = ["PgConnection", "Tx", "boundary", "connect", "describe_dsn", "psycopg", "psycopg_pool", "sql"]


def describe_dsn(dsn: str, schema: str | None = None) -> str:
    """Where a DSN points, for messages: "PostgreSQL postgres@127.0.0.1:5432/test, schema s"
    (never the password)."""
    try:
        info = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        raise ConfigurationError(
            "the PostgreSQL DSN is neither a libpq URL nor a key=value connection string; "
            "write it like postgresql://user@host:5432/dbname"
        ) from None
    user, host, port, db = (info.get(k) for k in ("user", "host", "port", "dbname"))
    text = f"PostgreSQL {f'{user}@' if user else ''}{host or '(local socket)'}{f':{port}' if port else ''}"
    return f"{text}/{db or ''}" + (f", schema {schema}" if schema else "")


def connect_options(timeout: float, application_name: str) -> dict[str, Any]:
    """Connection settings: autocommit (reads are one statement; writes say BEGIN … COMMIT)."""
    return {
        "autocommit": True,
        "application_name": application_name,
        "connect_timeout": max(1, round(timeout)),
    }


class Tx:
    """One call's unit of work: its connection, how far it got (for messages) and what it writes."""

    __slots__ = ("commit", "conn", "done", "phase")

    def __init__(self, phase: Phase, commit: Commit | None = None) -> None:
        self.phase = phase
        self.conn: PgConnection | None = None
        self.commit = commit
        self.done = False

    @property
    def connection(self) -> PgConnection:
        assert self.conn is not None, "no connection yet"
        return self.conn

    def rollback(self) -> None:
        """End the transaction now without writing (an idempotent replay)."""
        self.connection.execute("ROLLBACK")
        self.done = True


class KeyTaken(Exception):
    """Not an error of ours: a concurrent transaction committed this commit's idempotency key first
    (the store answers with that first result)."""


def first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


@contextmanager
def boundary(where: str, doing: str, tx: Tx, *, pool: tuple[float, int] | None = None) -> Iterator[None]:
    """Run database work; psycopg and pool errors leave it as ours. `pool`: (timeout, size) for the
    message when no pooled connection came in time."""
    errors = psycopg.errors
    try:
        yield
    except (TthcError, KeyTaken):
        raise
    except psycopg_pool.PoolClosed as exc:
        raise StoreError(
            f"{where}: could not {doing}: this store was closed (close() was called); open a new "
            "PostgresStore to use the database again"
        ) from exc
    except psycopg_pool.PoolTimeout as exc:
        timeout, size = pool or (0.0, 0)
        raise StoreError(
            f"{where}: no connection within {timeout:g}s to {doing} ({first_line(exc)}); raise "
            f"PostgresStore(pool_size=...) (now {size}) or timeout=, or check that the server is reachable"
        ) from exc
    except errors.UniqueViolation as exc:
        if exc.diag.constraint_name == "idempotency_keys_pkey":
            raise KeyTaken() from exc
        subject = tx.commit.dossier if tx.commit is not None else None
        raise StoreError(
            f"{where}: could not {doing}: "
            + (f"dossier {subject.id!r} / number {subject.number!r} already exists " if subject else "")
            + f"({first_line(exc)}); dossier numbers must come from the sequence the store allocates"
        ) from exc
    except (errors.SerializationFailure, errors.DeadlockDetected) as exc:
        raise ConcurrencyError(
            f"{where}: could not {doing}: {first_line(exc)}; nothing was written, retry",
            dossier_id=None if tx.commit is None else tx.commit.dossier.id,
        ) from exc
    except (errors.UndefinedTable, errors.InvalidSchemaName) as exc:
        raise StoreError(
            f"{where}: could not {doing}: {first_line(exc)}; the schema is not set up: run "
            "`tthc db upgrade --dsn URL` (with the same --schema) or open the store with migrate=True"
        ) from exc
    except psycopg.OperationalError as exc:
        raise StoreError(_failed(where, doing, tx, first_line(exc))) from exc
    except psycopg.Error as exc:
        raise StoreError(f"{where}: could not {doing}: {first_line(exc)}") from exc


def _failed(where: str, doing: str, tx: Tx, said: str) -> str:
    """The message for an operational failure (connection refused or lost, timeout, cancel)."""
    if tx.phase == "connect":
        return (
            f"{where}: could not {doing}: {said}; check that the server runs and the DSN's host, port, "
            "dbname and user (a password comes from the DSN, PGPASSWORD or ~/.pgpass)"
        )
    if tx.phase == "commit":
        return (
            f"{where}: the connection failed during COMMIT while trying to {doing} ({said}): the change "
            "may or may not be stored; reload the dossier to see (a retry with the same idempotency "
            "key is safe)"
        )
    if tx.phase == "transaction":
        lost = tx.conn is not None and tx.conn.closed
        return (
            f"{where}: {'the connection was lost' if lost else 'the transaction failed'} while trying to "
            f"{doing} ({said}); it was rolled back, nothing of it was written: retry (with the same "
            "idempotency key, if any)"
        )
    return f"{where}: could not {doing}: {said}; retry when the database is reachable"


def connect(dsn: str, where: str, tx: Tx, *, timeout: float, application_name: str) -> PgConnection:
    """One connection outside any pool (migrations, `tthc db`), errors translated."""
    with boundary(where, "connect", tx):
        return psycopg.connect(dsn, **connect_options(timeout, application_name))
