"""The store a command reads: `--db` takes a SQLite file or a postgresql:// URL (docs/cli.md).

One place for the CLI's choice of store, so that every command accepts the same `--db` and says
the same thing when the file is missing. PostgreSQL needs the extra `tthc-engine[postgres]` and a
schema at the latest version (`tthc db upgrade`): a read-only command never runs DDL.
"""

from __future__ import annotations

from pathlib import Path

from tthc_engine.errors import StoreError
from tthc_engine.stores.base import Store

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_dsn(db: str) -> bool:
    return db.startswith(POSTGRES_SCHEMES)


def open_store(db: str, *, schema: str | None = None, command: str) -> Store:
    """The store `db` names; StoreError (exit 2) for a SQLite file that does not exist."""
    if is_dsn(db):
        from tthc_engine.stores.postgres import PostgresStore

        return PostgresStore(db, schema=schema, migrate=False)
    if not Path(db).is_file():
        raise StoreError(
            f"tthc {command}: no store file {db!r}; give the SQLite file the desk writes to, "
            "or a postgresql:// URL"
        )
    from tthc_engine.stores.sqlite import SQLiteStore

    return SQLiteStore(db)
